import path from 'node:path';
import type { Diagnostic } from '../../errors/index.js';
import { isSopError } from '../../errors/index.js';
import { compileExpression, type CompiledExpression } from '../../expressions/index.js';
import type { CompiledTemplate, TemplateEngine } from '../../templates/index.js';
import { toFilePosition } from '../../templates/index.js';
import type { ExpressionPlace, PlaceFacts, TemplatePlace } from '../contexts.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { addresseesOf } from '../recipients.js';
import { readTemplate } from '../resolve-action.js';
import type { ExpressionText, ResolvedAction, ResolvedRole, ResolvedSop, TemplateText } from '../resolved.js';
import type { SOP } from '../sop.types.generated.js';
import { emissionsOf } from './message-flow.js';
import { withTyposFixed, type FixedFlow } from './typo-fixes.js';

/** Message types whose payloads a place can read: the trigger's (`message.payload`) and the action's output's. */
interface SitePayloads {
  message?: readonly string[];
  output?: string;
}

/** The `foreach` list whose element `item` is where a template or expression stands. */
export interface ItemList {
  list: ExpressionText;
  /** Where the list is evaluated: the action's `foreach`, or an artifact's (which sees the action's output). */
  place: 'foreach' | 'artifact-foreach';
  payloads: SitePayloads;
}

/** A template of the SOP with where it stands. */
interface PlacedTemplate {
  place: TemplatePlace;
  /** The action the template belongs to, if any. */
  action?: ResolvedAction;
  facts: PlaceFacts;
  payloads: SitePayloads;
  item?: ItemList;
  template: TemplateText;
}

/** A template of the SOP with where it stands, compiled once for every rule that needs it. */
export interface TemplateSite extends PlacedTemplate {
  compiled: CompiledTemplate | undefined;
  /** Why it did not compile (TEMPLATE_SYNTAX), located. */
  errors: Diagnostic[];
}

/** An expression of the SOP with where it stands. */
interface PlacedExpression {
  place: ExpressionPlace;
  /** The action the expression belongs to, if any. */
  action?: ResolvedAction;
  facts: PlaceFacts;
  payloads: SitePayloads;
  item?: ItemList;
  expression: ExpressionText;
}

export interface ExpressionSite extends PlacedExpression {
  compiled: CompiledExpression | undefined;
  errors: Diagnostic[];
}

/** What a semantic rule sees; rules report through `sink` and never throw for bad input. */
export interface RuleContext {
  sop: ResolvedSop;
  /** The document as written (pointers into it name SOP fields). */
  document: SOP;
  sink: DiagnosticSink;
  templates(): TemplateSite[];
  expressions(): ExpressionSite[];
  /** The message flow as if misspelled names were fixed (see `withTyposFixed`), built once for the rules reading it. */
  fixedFlow(): FixedFlow;
}

/** A semantic rule: one check, one file. */
export type Rule = (context: RuleContext) => void;

export function createRuleContext(sop: ResolvedSop, sink: DiagnosticSink, engine: TemplateEngine): RuleContext {
  let templates: TemplateSite[] | undefined;
  let expressions: ExpressionSite[] | undefined;
  let fixedFlow: FixedFlow | undefined;
  return {
    sop,
    document: sop.document,
    sink,
    templates: () => (templates ??= templateSites(sop).map((site) => ({ ...site, ...compileTemplate(sop, engine, site.template) }))),
    expressions: () => (expressions ??= expressionSites(sop).map((site) => ({ ...site, ...compileCel(site.expression) }))),
    fixedFlow: () => (fixedFlow ??= withTyposFixed(sop.document, emissionsOf(sop))),
  };
}

/** Where a template's or expression's diagnostics go when the problem has no finer position. */
export function startOf(text: TemplateText | ExpressionText): { file: string; line: number; column: number; pointer: string } {
  const { origin } = text;
  return { file: origin.file, ...toFilePosition(origin, undefined), pointer: origin.pointer };
}

/**
 * Where `path` (`message.contnet`) is read inside a template or expression, as a file position;
 * the text's start when it cannot be found (e.g. written with brackets).
 */
export function variablePosition(text: TemplateText | ExpressionText, path: readonly string[]): { file: string; line: number; column: number; pointer: string } {
  return positionAt(text, variableOffset(textOf(text), path));
}

/** Where the field `name` is first read inside a template (`step.titel`, or `titel` alone in a Handlebars loop); the text's start when nowhere. */
export function fieldPosition(text: TemplateText, name: string): { file: string; line: number; column: number; pointer: string } {
  return positionAt(text, new RegExp(`(?<!\\w)${escapeRegExp(name)}(?!\\w)`).exec(text.text)?.index);
}

function textOf(text: TemplateText | ExpressionText): string {
  return 'text' in text ? text.text : text.source;
}

/** File position of an offset inside a template or expression (its start when undefined). */
export function positionAt(text: TemplateText | ExpressionText, offset: number | undefined): { file: string; line: number; column: number; pointer: string } {
  const body = textOf(text);
  if (offset === undefined) return startOf(text);
  const before = body.slice(0, offset).split('\n');
  const position = { line: before.length, column: [...before[before.length - 1]!].length + 1 };
  return { file: text.origin.file, ...toFilePosition(text.origin, position), pointer: text.origin.pointer };
}

/** Where in `body` the path is first read (its root alone when the whole path is not written out); undefined when nowhere. */
export function variableOffset(body: string, path: readonly string[]): number | undefined {
  const pattern = new RegExp(`(?<![\\w.])${path.map(escapeRegExp).join('\\s*\\.\\s*')}(?![\\w])`);
  const match = pattern.exec(body) ?? new RegExp(`(?<![\\w.])${escapeRegExp(path[0] ?? '')}(?![\\w])`).exec(body);
  return match?.index;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTemplate(sop: ResolvedSop, engine: TemplateEngine, template: TemplateText): { compiled: CompiledTemplate | undefined; errors: Diagnostic[] } {
  try {
    return { compiled: engine.compile(template.text, template.origin), errors: [] };
  } catch (error) {
    // A partial's own error names its file by its absolute path.
    const errors = located(error, 'TEMPLATE_SYNTAX', template).map((diagnostic) => (diagnostic.file && path.isAbsolute(diagnostic.file) ? { ...diagnostic, file: displayFile(sop, diagnostic.file) } : diagnostic));
    return { compiled: withoutMissingPartials(engine, template, error), errors };
  }
}

/** Partials not found in one template that are still looked past (each missing one is reported). */
const MAX_MISSING_PARTIALS = 8;

/**
 * A partial that is not found stops the compile before the template's variables are read, so a
 * typo beside it (`message.contnet`) was reported only once the partial existed. The template is
 * compiled again without its includes of the missing partials (blanked, so every position holds),
 * for the checks of what it reads; undefined when something else stops it.
 */
function withoutMissingPartials(engine: TemplateEngine, template: TemplateText, error: unknown): CompiledTemplate | undefined {
  let text = template.text;
  let current = error;
  for (let missing = 0; missing < MAX_MISSING_PARTIALS; missing++) {
    if (!isSopError(current)) return undefined;
    const said = [current.message, ...current.diagnostics.map((diagnostic) => diagnostic.message)].join('\n');
    const name = /partial `([^`]+)` not found(?! \(included by)/.exec(said)?.[1];
    if (name === undefined) return undefined;
    const blanked = blankIncludes(text, name);
    if (blanked === text) return undefined;
    text = blanked;
    try {
      return engine.compile(text, template.origin);
    } catch (next) {
      current = next;
    }
  }
  return undefined;
}

/** The text with each include of partial `name` (`{{> name}}`, `{% render 'name' %}`, `{% include 'name' %}`) turned to spaces. */
function blankIncludes(text: string, name: string): string {
  const quoted = escapeRegExp(name);
  const includes = new RegExp(`\\{\\{~?>\\s*${quoted}(?=[\\s}~])[^}]*\\}\\}|\\{%-?\\s*(?:render|include)\\s+(['"])${quoted}\\1[^%]*%\\}`, 'g');
  return text.replace(includes, (include) => include.replace(/[^\n]/g, ' '));
}

/** A file of the SOP's folder as the user sees paths: next to the SOP as they named it. */
export function displayFile(sop: ResolvedSop, file: string): string {
  return path.join(path.dirname(sop.displayPath), path.relative(sop.dir, file));
}

function compileCel(expression: ExpressionText): { compiled: CompiledExpression | undefined; errors: Diagnostic[] } {
  try {
    return { compiled: compileExpression(expression), errors: [] };
  } catch (error) {
    return { compiled: undefined, errors: located(error, 'EXPRESSION_SYNTAX', expression) };
  }
}

function located(error: unknown, code: 'TEMPLATE_SYNTAX' | 'EXPRESSION_SYNTAX', text: TemplateText | ExpressionText): Diagnostic[] {
  if (isSopError(error) && error.diagnostics.length > 0) return error.diagnostics;
  const message = isSopError(error) ? error.message : `does not compile: ${(error as Error)?.message ?? String(error)}`;
  return [{ code: isSopError(error) ? error.code : code, severity: 'error', message, ...startOf(text) }];
}

/**
 * The types of message that can trigger an action: its `when.type` (default: the role's watch,
 * plus any type addressed to the role, as the scheduler matches them).
 */
export function triggerTypes(sop: ResolvedSop, role: ResolvedRole, action: ResolvedAction): string[] {
  const explicit = sop.document.roles[role.id]?.actions.find((declared) => declared.id === action.id)?.when?.type !== undefined;
  if (explicit) return action.whenTypes;
  return [...new Set([...action.whenTypes, ...(addressedTypes(sop).get(role.id) ?? [])])];
}

const addressedBySop = new WeakMap<ResolvedSop, Map<string, string[]>>();

/** The message types addressed (`to`) to each role, by role id: built once per SOP, not once per action. */
function addressedTypes(sop: ResolvedSop): Map<string, string[]> {
  let byRole = addressedBySop.get(sop);
  if (!byRole) {
    const index = new Map<string, string[]>();
    const add = (roleId: string, type: string) => index.set(roleId, [...(index.get(roleId) ?? []), type]);
    for (const other of sop.roles) for (const candidate of other.actions) for (const roleId of addresseesOf(sop, candidate) ?? []) add(roleId, candidate.output.type);
    for (const start of sop.start) if (start.to) add(start.to, start.type);
    addressedBySop.set(sop, (byRole = index));
  }
  return byRole;
}

/** Every template of the SOP and the place it is rendered in (see `contexts.ts`). */
function templateSites(sop: ResolvedSop): PlacedTemplate[] {
  const sites: PlacedTemplate[] = [];
  const none: PlaceFacts = { foreach: false, batch: false };
  const payloads: SitePayloads = {};
  for (const message of sop.start) {
    if (message.content) sites.push({ place: 'start', facts: none, payloads, template: message.content });
    for (const { template } of message.payloadTemplates) sites.push({ place: 'start', facts: none, payloads, template });
  }
  for (const role of sop.roles) {
    for (const action of role.actions) {
      const facts: PlaceFacts = { foreach: action.foreach !== undefined, batch: action.batch };
      const payloads: SitePayloads = { message: triggerTypes(sop, role, action), output: action.output.type };
      const first = sites.length;
      for (const read of action.reads) {
        const template = readTemplate(read);
        if (template) sites.push({ place: 'reads', facts, payloads, template });
      }
      const precondition = action.precondition?.command;
      if (precondition) for (const template of [...precondition.command, ...Object.values(precondition.env)]) sites.push({ place: 'command', facts, payloads, template });
      if (action.prompt) sites.push({ place: 'prompt', facts, payloads, template: action.prompt });
      if (action.run) {
        for (const template of [...action.run.command, ...Object.values(action.run.env)]) sites.push({ place: 'command', facts, payloads, template });
      }
      if (action.output.toTemplate) sites.push({ place: 'recipient', facts, payloads, template: action.output.toTemplate });
      for (const artifact of action.artifacts) {
        const artifactFacts = { ...facts, artifactForeach: artifact.foreach !== undefined };
        // An artifact's own `foreach` gives its templates their `item`.
        const item: ItemList | undefined = artifact.foreach ? { list: artifact.foreach, place: 'artifact-foreach', payloads } : undefined;
        sites.push({ place: 'artifact', facts: artifactFacts, payloads, template: artifact.path, ...(item ? { item } : {}) });
        sites.push({ place: 'artifact', facts: artifactFacts, payloads, template: artifact.content, ...(item ? { item } : {}) });
      }
      for (const gate of action.gates) {
        if (gate.humanPrompt) sites.push({ place: 'human-prompt', facts, payloads, template: gate.humanPrompt });
        if (!gate.command) continue;
        for (const template of [...gate.command.command, ...Object.values(gate.command.env)]) sites.push({ place: 'gate-command', facts, payloads, template });
      }
      for (const site of sites.slice(first)) site.action = action;
      if (action.foreach) for (const site of sites.slice(first)) site.item ??= { list: action.foreach.items, place: 'foreach', payloads };
    }
  }
  for (const tool of Object.values(sop.tools)) {
    const templates = tool.command
      ? [...tool.command.command, ...Object.values(tool.command.env)]
      : tool.http
        ? [tool.http.url, ...Object.values(tool.http.headers), ...(tool.http.body ? [tool.http.body] : [])]
        : [];
    for (const template of templates) sites.push({ place: 'tool', facts: none, payloads, template });
  }
  return sites;
}

/** Every CEL expression of the SOP and the place it is evaluated in. */
function expressionSites(sop: ResolvedSop): PlacedExpression[] {
  const sites: PlacedExpression[] = [];
  const none: PlaceFacts = { foreach: false, batch: false };
  for (const role of sop.roles) {
    for (const action of role.actions) {
      const facts: PlaceFacts = { foreach: action.foreach !== undefined, batch: action.batch };
      const payloads: SitePayloads = { message: triggerTypes(sop, role, action), output: action.output.type };
      const first = sites.length;
      if (action.whenIf) sites.push({ place: 'when', facts, payloads, expression: action.whenIf });
      if (action.foreach) sites.push({ place: 'foreach', facts, payloads, expression: action.foreach.items });
      if (action.precondition?.assert) sites.push({ place: 'precondition', facts, payloads, expression: action.precondition.assert });
      for (const read of action.reads) if (read.kind === 'each') sites.push({ place: 'reads-each', facts, payloads, expression: read.paths });
      if (action.run?.argv) sites.push({ place: 'command-argv', facts, payloads, expression: action.run.argv });
      // A precondition's command runs like `run` (before the model call), so its CEL argv is checked the same way.
      if (action.precondition?.command?.argv) sites.push({ place: 'command-argv', facts, payloads, expression: action.precondition.command.argv });
      for (const artifact of action.artifacts) {
        if (artifact.foreach) sites.push({ place: 'artifact-foreach', facts, payloads, expression: artifact.foreach });
        if (artifact.if) sites.push({ place: 'artifact-if', facts, payloads, expression: artifact.if });
      }
      for (const gate of action.gates) {
        if (gate.if) sites.push({ place: 'gate-assert', facts, payloads, expression: gate.if });
        if (gate.assert) sites.push({ place: 'gate-assert', facts, payloads, expression: gate.assert });
        if (gate.humanEnabled) sites.push({ place: 'human-enabled', facts, payloads, expression: gate.humanEnabled });
        if (gate.command?.argv) sites.push({ place: 'gate-argv', facts, payloads, expression: gate.command.argv });
      }
      for (const site of sites.slice(first)) site.action = action;
      // `item` is the action's item wherever it is a root (not in `when.if` or `foreach` itself).
      if (action.foreach) {
        for (const site of sites.slice(first)) if (site.place !== 'when' && site.place !== 'foreach') site.item = { list: action.foreach.items, place: 'foreach', payloads };
      }
    }
  }
  for (const condition of sop.stopWhen) {
    if (condition.if) sites.push({ place: 'stop-when', facts: none, payloads: { message: [condition.type] }, expression: condition.if });
  }
  for (const start of sop.start) {
    if (start.if) sites.push({ place: 'start-if', facts: none, payloads: {}, expression: start.if });
  }
  return sites;
}
