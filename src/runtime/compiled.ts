import { SopError } from '../errors/index.js';
import { compileExpression, expressionExcerpt, expressionNamed, type CompiledExpression } from '../expressions/index.js';
import type { ExpressionText, ResolvedSop, SourceOrigin, TemplateText } from '../spec/resolved.js';
import { isSharedView } from './shared-views.js';
import { createTemplateEngine, type CompiledTemplate, type TemplateEngine } from '../templates/index.js';

/**
 * Templates and expressions compiled once (on first use) and reused for every render, so a hundred
 * foreach items do not re-parse a prompt a hundred times. Every render and evaluation sees the
 * SOP's `vars` (the one place they are added, so no context can miss them).
 */
export class Compiled {
  private templates = new WeakMap<TemplateText, CompiledTemplate>();
  private expressions = new WeakMap<ExpressionText, CompiledExpression>();
  private roots = new WeakMap<TemplateText, Set<string>>();
  private readonly withVars: (context: Record<string, unknown>) => Record<string, unknown>;

  constructor(
    private readonly engine: TemplateEngine,
    vars: Record<string, unknown> = {},
  ) {
    // An SOP without `vars` pays nothing: its contexts are passed on as they are.
    this.withVars = Object.keys(vars).length === 0 ? (context) => context : (context) => ({ ...context, vars });
  }

  template(template: TemplateText): CompiledTemplate {
    let compiled = this.templates.get(template);
    if (!compiled) {
      compiled = this.engine.compile(template.text, template.origin);
      this.templates.set(template, compiled);
    }
    return compiled;
  }

  render(template: TemplateText, context: Record<string, unknown>): string {
    return this.template(template).render(this.withVars(context));
  }

  /**
   * `render` for an action's context, whose `message` (when it is a shared view, see
   * action-context.ts), `run` and `inputs` are one object for every action run of a round that
   * sees them: a template that reads nothing else (a thousand reviewers' `Review: {{
   * message.content }}`) is rendered once per text and message, the others get the same string.
   */
  renderShared(template: TemplateText, context: Record<string, unknown>): string {
    const message = context['message'];
    if (!isSharedView(message) || !this.readsSharedOnly(template)) return this.render(template, context);
    let byText = this.sharedRenders.get(message);
    if (!byText) {
      byText = new Map();
      this.sharedRenders.set(message, byText);
    }
    const kept = byText.get(template.text);
    if (kept && kept.run === context['run'] && kept.inputs === context['inputs']) return kept.text;
    const text = this.render(template, context);
    byText.set(template.text, { run: context['run'], inputs: context['inputs'], text });
    return text;
  }

  /** Texts rendered by `renderShared`, by message view and template text, with the views they were rendered from. */
  private sharedRenders = new WeakMap<object, Map<string, { run: unknown; inputs: unknown; text: string }>>();
  private sharedOnly = new WeakMap<TemplateText, boolean>();

  /** True when the template reads only roots that action runs share, and nothing but its variables. */
  private readsSharedOnly(template: TemplateText): boolean {
    let only = this.sharedOnly.get(template);
    if (only === undefined) {
      const compiled = this.template(template);
      only = compiled.variablesOnly === true && compiled.variables().every((segments) => SHARED_ROOTS.has(segments[0] ?? ''));
      this.sharedOnly.set(template, only);
    }
    return only;
  }

  /**
   * True when the template reads any of these roots, itself or in a partial it includes (a partial
   * that reads `feedback` needs it in the context as much as the prompt would).
   */
  reads(template: TemplateText, roots: readonly string[]): boolean {
    let read = this.roots.get(template);
    if (!read) {
      const compiled = this.template(template);
      // A `{% render %}`'s partial reads what the render passes it, which the template itself reads.
      const inPartials = (compiled.partialReads?.() ?? []).filter((partial) => !partial.isolated).map((partial) => partial.path);
      read = new Set([...compiled.variables(), ...inPartials].map((segments) => segments[0] ?? ''));
      this.roots.set(template, read);
    }
    return roots.some((root) => read.has(root));
  }

  expression(expression: ExpressionText): CompiledExpression {
    let compiled = this.expressions.get(expression);
    if (!compiled) {
      compiled = compileExpression(expression);
      this.expressions.set(expression, compiled);
    }
    return compiled;
  }

  evaluate(expression: ExpressionText, context: Record<string, unknown>): unknown {
    return this.expression(expression).evaluate(this.withVars(context));
  }

  /** A condition must give a boolean; anything else is a located `EXPRESSION_EVAL`. */
  condition(expression: ExpressionText, context: Record<string, unknown>): boolean {
    const value = this.evaluate(expression, context);
    if (typeof value !== 'boolean') throw resultError(expression, 'a boolean (true or false)', value);
    return value;
  }

  /** A `foreach` must give a list. */
  list(expression: ExpressionText, context: Record<string, unknown>): unknown[] {
    const value = this.evaluate(expression, context);
    if (!Array.isArray(value)) {
      // A map (package.json's `dependencies`): CEL's `map` over it gives its keys, a list.
      const keys = typeof value === 'object' && value !== null ? `to go over its keys, write \`${expression.source.trim()}.map(key, key)\` (each key is then \`item\`)` : undefined;
      throw resultError(expression, 'a list', value, keys);
    }
    return value;
  }

  /** A command's argv or a `reads` list: a list of strings. */
  strings(expression: ExpressionText, context: Record<string, unknown>): string[] {
    const value = this.evaluate(expression, context);
    if (!Array.isArray(value) || !value.every((element) => typeof element === 'string')) throw resultError(expression, 'a list of strings', value);
    return value;
  }
}

/** Roots of an action's context that are one object for every action run of a round that sees them (`vars` is the SOP's). */
const SHARED_ROOTS: ReadonlySet<string> = new Set(['message', 'run', 'inputs', 'vars']);

/*
 * One Compiled per ResolvedSop for the life of the process: every run of the same SOP reuses the
 * template engine (creating a liquidjs instance alone costs ~0.3 ms) and the parsed templates and
 * expressions. Safe because a ResolvedSop is never changed after loading; the engine's options
 * depend only on it, and its partials are read once, like the SOP itself.
 */
const compiledBySop = new WeakMap<ResolvedSop, Compiled>();

/** The compiled templates and expressions of an SOP, shared by all its runs. */
export function compiledFor(sop: ResolvedSop): Compiled {
  let compiled = compiledBySop.get(sop);
  if (!compiled) {
    compiled = new Compiled(createTemplateEngine(sop.settings.templates, { partialsRoot: sop.dir }), sop.vars);
    compiledBySop.set(sop, compiled);
  }
  return compiled;
}

/** `file:line:col` of where a template or expression starts. */
function where(origin: SourceOrigin): string {
  return `${origin.file}:${origin.line + origin.lineOffset}:${origin.column}`;
}

function resultError(expression: ExpressionText, expected: string, value: unknown, hint?: string): SopError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  const message = `${expressionNamed(expression.origin.pointer)} \`${expressionExcerpt(expression.source)}\` gave ${got}, expected ${expected}`;
  const origin = expression.origin;
  const hinted = hint === undefined ? {} : { hint };
  return new SopError('EXPRESSION_EVAL', `${where(origin)}: ${message}`, {
    ...hinted,
    diagnostics: [
      { code: 'EXPRESSION_EVAL', severity: 'error', message, file: origin.file, line: origin.line + origin.lineOffset, column: origin.column, pointer: origin.pointer, expected, ...hinted },
    ],
  });
}
