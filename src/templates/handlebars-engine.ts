import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Handlebars from 'handlebars';
import { isSopError, isStackOverflow, type SopError } from '../errors/index.js';
import { shownPath } from '../files/shown-path.js';
import { formatBytes, LIMITS, notRegularFile, sizeAbove } from '../spec/limits.js';
import type { SourceOrigin } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import { editorText, inCharacters } from '../spec/text-encoding.js';
import { handlebarsLoopReads } from './handlebars-loop-reads.js';
import { blockDepth, MAX_BLOCK_DEPTH } from './nesting.js';
import { partialCycle } from './partial-cycle.js';
import { isStringTooLong, RENDER_LIMITS, renderTooLargeError, renderTooLongError, TEXT_TOO_LONG } from './render-bounds.js';
import { partialFileOrigin, templateError, toFilePosition, tooDeepDataError, tooDeepError, type TemplatePosition } from './origin.js';
import { once, type CompiledTemplate, type PartialRead, type TemplateEngine, type TemplateEngineOptions } from './types.js';

type HandlebarsEnv = typeof Handlebars;
type Node = hbs.AST.Node;

const require = createRequire(import.meta.url);

/** Helpers every SOP may use, beside Handlebars' built-ins (if, unless, each, with, lookup). */
const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  json: (value: unknown) => JSON.stringify(value, null, 2),
  eq: (left: unknown, right: unknown) => left === right,
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : ''),
};
const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', ...Object.keys(HELPERS)]);
/** Block helpers whose body runs with a new `this`: paths inside are not context roots. */
const SCOPE_CHANGING = new Set(['each', 'with']);

const CYCLE_HINT = 'a partial that includes itself, directly or through others, must stop on a condition ({{#if}}); else remove one of the includes';

const SYNTAX_HINT = 'check that every {{#block}} has its {{/block}} and every {{ has its }}';

function parsePosition(message: string): TemplatePosition | undefined {
  const match = /line (\d+)/.exec(message);
  return match ? { line: Number(match[1]), column: 1 } : undefined;
}

/** Handlebars: strict (missing fields throw), no HTML escaping, partials `{{> name}}` from `name.hbs` next to the SOP. */
export class HandlebarsEngine implements TemplateEngine {
  readonly name = 'handlebars' as const;
  private readonly handlebars: HandlebarsEnv;
  private readonly partialsRoot: string;
  /** The partials each registered partial includes, to name a chain that never ends. */
  private readonly partialsIncluded = new Map<string, string[]>();
  /** The partials each registered partial includes outside any block: those always render. */
  private readonly partialsAlwaysIncluded = new Map<string, string[]>();
  /** Each registered partial's file and parse, for the variables it reads. */
  private readonly partialSources = new Map<string, { file: string; text: string; ast: hbs.AST.Program }>();
  private readonly renderLimitMs: number;
  /** When the render under way must have ended (`performance.now()`): renders are synchronous, one at a time. */
  private deadline = Number.POSITIVE_INFINITY;

  constructor(options: TemplateEngineOptions) {
    // handlebars (44 modules, ~20 ms to load) is loaded only when an SOP selects it; it is CommonJS.
    this.handlebars = (require('handlebars') as HandlebarsEnv).create();
    this.handlebars.registerHelper(HELPERS);
    this.registerBoundedEach();
    this.partialsRoot = options.partialsRoot;
    this.renderLimitMs = options.renderLimitMs ?? RENDER_LIMITS.ms;
  }

  /**
   * `{{#each}}` that checks the render's deadline before each item: its loops are the only way a
   * Handlebars template runs long (Handlebars itself has no time bound, as liquidjs' `renderLimit`).
   */
  private registerBoundedEach(): void {
    const each = this.handlebars.helpers['each'] as Handlebars.HelperDelegate;
    const engine = this;
    this.handlebars.registerHelper('each', function (this: unknown, list: unknown, options: Handlebars.HelperOptions) {
      const body = options.fn;
      const bounded = (item: unknown, itemOptions?: Handlebars.RuntimeOptions): string => {
        if (performance.now() > engine.deadline) throw new RenderDeadline();
        return body(item, itemOptions);
      };
      return each.call(this, list, { ...options, fn: bounded });
    });
  }

  compile(text: string, origin: SourceOrigin): CompiledTemplate {
    if (blockDepth(text, 'handlebars') > MAX_BLOCK_DEPTH) throw tooDeepError(origin);
    let ast: hbs.AST.Program;
    try {
      ast = this.handlebars.parse(text);
      this.registerPartials(ast, text, origin);
      this.refuseEndlessPartials(ast, text, origin);
    } catch (error) {
      if (isSopError(error)) throw error;
      if (isStackOverflow(error)) throw tooDeepError(origin);
      const message = (error as Error).message.split('\n');
      throw templateError('TEMPLATE_SYNTAX', origin, inTemplate(text, parsePosition(message[0] ?? '')), `template syntax error: ${handlebarsWords(message.slice(-1)[0] ?? '', text)}`, SYNTAX_HINT);
    }
    const unknown = unknownHelper(ast);
    if (unknown) {
      const { name, loc } = unknown;
      throw templateError('TEMPLATE_SYNTAX', origin, inTemplate(text, loc), `unknown helper \`${name}\``,
        didYouMean(name, BUILT_IN_HELPERS) ?? `helpers available: ${listNames(BUILT_IN_HELPERS)} (a name followed by arguments is a helper call)`);
    }
    const misused = blockWithoutItsArgument(ast);
    if (misused) throw templateError('TEMPLATE_SYNTAX', origin, inTemplate(text, misused.loc), misused.message, misused.hint);
    const engine = this;
    const render = this.handlebars.compile(ast, { strict: true, noEscape: true, knownHelpers: Object.fromEntries([...BUILT_IN_HELPERS].map((h) => [h, true])) });
    return {
      render(context: Record<string, unknown>): string {
        engine.deadline = performance.now() + engine.renderLimitMs;
        try {
          return render(context, { allowProtoPropertiesByDefault: false });
        } catch (error) {
          if (isStackOverflow(error)) throw engine.tooDeepToRender(ast, origin);
          if (error instanceof RenderDeadline) throw renderTooLongError('handlebars', origin, undefined, engine.renderLimitMs);
          if (isStringTooLong(error)) throw renderTooLargeError('handlebars', origin, undefined, TEXT_TOO_LONG);
          const hbError = error as Error & { lineNumber?: number; column?: number };
          const position = hbError.lineNumber ? { line: hbError.lineNumber, column: (hbError.column ?? 0) + 1 } : undefined;
          const message = hbError.message.replace(/ - \d+:\d+$/, '').replace(/ in (undefined|\[object Object\])$/, '');
          throw templateError('TEMPLATE_RENDER', origin, inTemplate(text, position), `undefined variable: ${message}`,
            `available here: ${listNames(Object.keys(context))}`);
        } finally {
          engine.deadline = Number.POSITIVE_INFINITY;
        }
      },
      variables: once(() => [...collectReads(ast).reads.values()].map((read) => read.parts)),
      allPaths: once(() => collectAllPaths(ast)),
      loopReads: once(() => handlebarsLoopReads(ast, BUILT_IN_HELPERS)),
      partialReads: once(() => this.partialReads(ast)),
    };
  }

  /**
   * The context paths read inside the partials a template includes at its top scope (a partial
   * inside `{{#each}}` or `{{#with}}` sees another `this`), partials of partials too. `{{> p x}}`
   * gives the partial `x` as its context; `{{> p a=b}}` adds `a`. Each partial is walked once per
   * context, so one that includes itself ends the walk.
   */
  private partialReads(ast: hbs.AST.Program): PartialRead[] {
    const reads: PartialRead[] = [];
    const walked = new Set<string>();
    const visit = (program: hbs.AST.Program, prefix: readonly string[], locals: ReadonlySet<string>): void => {
      for (const include of collectReads(program).partials) {
        const source = this.partialSources.get(include.name);
        const context = [...prefix, ...include.context];
        const inner = new Set([...(include.context.length === 0 ? locals : []), ...include.locals]);
        const key = `${include.name}\0${context.join('.')}\0${[...inner].sort().join(',')}`;
        if (!source || walked.has(key)) continue;
        walked.add(key);
        const found = collectReads(source.ast);
        for (const read of found.reads.values()) {
          if (read.data === false && inner.has(read.parts[0] ?? '')) continue;
          const position = inTemplate(source.text, read.loc);
          reads.push({ path: read.data ? read.parts : [...context, ...read.parts], partial: include.name, file: source.file, position, isolated: false });
        }
        visit(source.ast, context, inner);
      }
    };
    visit(ast, [], new Set());
    return reads;
  }

  /** Why a render nested without end: partials that include each other, else the data. */
  private tooDeepToRender(ast: hbs.AST.Program, origin: SourceOrigin): SopError {
    const found = partialCycle(partialNames(ast), (name) => this.partialsIncluded.get(name) ?? []);
    if (!found) return tooDeepDataError(origin);
    return templateError('TEMPLATE_RENDER', origin, undefined, `partials include each other without end: ${found.cycle.join(' → ')}`, CYCLE_HINT);
  }

  /** Partials that include each other outside any block (`{{#if}}`, `{{#each}}`...): they nest without end on every render. */
  private refuseEndlessPartials(ast: hbs.AST.Program, text: string, origin: SourceOrigin): void {
    const entries = unconditionalPartials(ast);
    const found = partialCycle(entries.map((statement) => statement.name), (name) => this.partialsAlwaysIncluded.get(name) ?? []);
    if (!found) return;
    const loc = entries.find((statement) => statement.name === found.entry)?.loc;
    throw templateError('TEMPLATE_SYNTAX', origin, inTemplate(text, loc),
      `{{> ${found.entry}}}: partials include each other without end: ${found.cycle.join(' → ')} (no condition on the way)`, CYCLE_HINT);
  }

  /**
   * Registers each `{{> name}}` partial from `<root>/name.hbs` or `<root>/partials/name.hbs`, and the
   * partials those include: Handlebars looks a partial up only when it renders, where a partial's
   * own partial was "undefined variable: The partial x could not be found".
   */
  private registerPartials(ast: hbs.AST.Program, text: string, origin: SourceOrigin, from?: { name: string; at: TemplatePosition | undefined }): void {
    for (const { name, loc } of partialStatements(ast)) {
      if (this.handlebars.partials[name]) continue;
      // Located at the `{{> name` of the template; a partial's own partial, at the include that leads to it.
      const at = from ? from.at : inTemplate(text, loc);
      const candidates = [`${name}.hbs`, path.join('partials', `${name}.hbs`)].map((file) => path.resolve(this.partialsRoot, file));
      const found = candidates.find((file) => file.startsWith(this.partialsRoot + path.sep) && existsSync(file));
      if (!found) {
        throw templateError('TEMPLATE_SYNTAX', origin, at, `partial \`${name}\` not found${from ? ` (included by partial \`${from.name}\`)` : ''}`,
          `create ${shownPath(candidates[0] ?? name)} next to the SOP`);
      }
      // A named pipe would be read for ever, a folder is EISDIR deep in Handlebars.
      const kind = notRegularFile(statSync(found));
      if (kind !== undefined) throw templateError('TEMPLATE_SYNTAX', origin, at, `partial \`${name}\` is ${kind}, not a file`, `make ${shownPath(found)} a regular file`);
      const size = sizeAbove(found, LIMITS.referencedFileBytes);
      if (size !== undefined) {
        throw templateError('FILE_REF_TOO_LARGE', origin, at, `partial \`${name}\` is ${formatBytes(size)}; a referenced file is at most ${formatBytes(LIMITS.referencedFileBytes)}`,
          'a partial is text a model or a person reads: shorten it');
      }
      const partialText = editorText(readFileSync(found, 'utf8'));
      const included = parsePartial(this.handlebars, partialText, name, found, origin, at);
      const misused = blockWithoutItsArgument(included);
      if (misused) {
        throw templateError('TEMPLATE_SYNTAX', partialFileOrigin(found, origin.pointer), inTemplate(partialText, misused.loc),
          `in partial \`${name}\` (included by ${origin.file}:${toFilePosition(origin, at).line}): ${misused.message}`, misused.hint);
      }
      // Registered before its own partials are, so partials that include each other end the walk.
      this.handlebars.registerPartial(name, partialText);
      this.partialsIncluded.set(name, partialNames(included));
      this.partialsAlwaysIncluded.set(name, unconditionalPartials(included).map((statement) => statement.name));
      this.partialSources.set(name, { file: found, text: partialText, ast: included });
      this.registerPartials(included, partialText, origin, { name: from?.name ?? name, at });
    }
  }
}

/** A partial's parse; one that does not parse is located in its own file, naming the template that includes it. */
function parsePartial(handlebars: HandlebarsEnv, text: string, name: string, file: string, origin: SourceOrigin, at: TemplatePosition | undefined): hbs.AST.Program {
  try {
    return handlebars.parse(text);
  } catch (error) {
    if (isStackOverflow(error)) throw error;
    const message = (error as Error).message.split('\n');
    const includedBy = toFilePosition(origin, at);
    throw templateError('TEMPLATE_SYNTAX', partialFileOrigin(file, origin.pointer), parsePosition(message[0] ?? ''),
      `in partial \`${name}\` (included by ${origin.file}:${includedBy.line}): template syntax error: ${handlebarsWords(message.slice(-1)[0] ?? '', text)}`, SYNTAX_HINT);
  }
}

/**
 * The Handlebars parser's "Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'" in
 * words: which block or `{{` is never closed, or that a `{{/...}}` closes none.
 */
function handlebarsWords(said: string, text: string): string {
  const mismatch = /^([\w-]+) doesn't match ([\w-]+)/.exec(said);
  if (mismatch) return `\`{{/${mismatch[2]}}}\` closes \`{{#${mismatch[1]}}}\`: close \`{{#${mismatch[1]}}}\` with \`{{/${mismatch[1]}}}\` first`;
  const expecting = /^Expecting (.*), got '(\w+)'$/.exec(said);
  if (!expecting) return said;
  const [, expected = '', got = ''] = expecting;
  if (got === 'EOF' && expected.includes("'OPEN_ENDBLOCK'")) {
    const open = unclosedBlock(text);
    return open ? `\`{{#${open}}}\` is never closed: add \`{{/${open}}}\` where its block ends` : 'a block is never closed: add its `{{/...}}`';
  }
  if (got === 'EOF' && expected.includes("'CLOSE'")) return 'a `{{` is never closed: add `}}`';
  if (got === 'OPEN_ENDBLOCK') return 'a `{{/...}}` closes no block: remove it, or open the block before it with `{{#...}}`';
  return `Handlebars cannot read the template here (its parser found ${got.toLowerCase().replaceAll('_', ' ')})`;
}

/** The innermost `{{#name}}` block with no `{{/name}}` after it. */
function unclosedBlock(text: string): string | undefined {
  const open: string[] = [];
  for (const [, sign, name] of text.matchAll(/\{\{~?\s*([#/])\s*(?:>\s*)?\*?([\w-]+)/g)) {
    if (sign === '#') open.push(name as string);
    else if (open.at(-1) === name) open.pop();
  }
  return open.at(-1);
}

/** The first helper call (a name with arguments: `{{frob x}}`, `{{#frob x}}`, `(frob x)`) that is not a known helper. */
function unknownHelper(program: hbs.AST.Program): { name: string; loc: hbs.AST.SourceLocation | undefined } | undefined {
  let found: { name: string; loc: hbs.AST.SourceLocation | undefined } | undefined;
  const check = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression): void => {
    const head = node.path as hbs.AST.PathExpression;
    const called = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (found || !called || head.type !== 'PathExpression' || head.data || head.parts.length !== 1) return;
    if (!BUILT_IN_HELPERS.has(head.original)) found = { name: head.original, loc: head.loc };
  };
  const visitExpression = (expression: hbs.AST.Expression | undefined): void => {
    if (expression?.type === 'SubExpression') {
      const sub = expression as hbs.AST.SubExpression;
      check(sub);
      sub.params.forEach(visitExpression);
      sub.hash?.pairs.forEach((pair) => visitExpression(pair.value));
    }
  };
  walk(program, (node) => {
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
      const statement = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      check(statement);
      statement.params.forEach(visitExpression);
      statement.hash?.pairs.forEach((pair) => visitExpression(pair.value));
    }
    return found === undefined;
  });
  return found;
}

/** What each built-in block helper takes as its one argument, and an example of it. */
const BLOCK_ARGUMENTS: Readonly<Record<string, { what: string; example: string }>> = {
  each: { what: 'the list to loop over', example: '{{#each inputs.items}}- {{this}}{{/each}}' },
  if: { what: 'the condition', example: '{{#if inputs.details}}...{{/if}}' },
  unless: { what: 'the condition', example: '{{#unless inputs.short}}...{{/unless}}' },
  with: { what: 'the value its block reads as `this`', example: '{{#with message.payload}}{{title}}{{/with}}' },
};

/**
 * The first `{{#each}}`, `{{#if}}`, `{{#unless}}` or `{{#with}}` written with no argument, or more
 * than one: Handlebars parses it and refuses it only when it renders, mid-run ("Must pass iterator
 * to #each"), so `sop validate` passed it.
 */
function blockWithoutItsArgument(program: hbs.AST.Program): { message: string; hint: string; loc: hbs.AST.SourceLocation | undefined } | undefined {
  let found: ReturnType<typeof blockWithoutItsArgument>;
  walk(program, (node) => {
    if (found) return false;
    if (node.type !== 'BlockStatement') return true;
    const block = node as hbs.AST.BlockStatement;
    const head = block.path as hbs.AST.PathExpression;
    const name = head.type === 'PathExpression' && !head.data && head.parts.length === 1 ? head.original : undefined;
    const wants = name !== undefined && Object.hasOwn(BLOCK_ARGUMENTS, name) ? BLOCK_ARGUMENTS[name] : undefined;
    if (!wants || block.params.length === 1) return true;
    const given = block.params.length === 0 ? 'has no argument' : `has ${block.params.length} arguments`;
    found = { message: `\`{{#${name}}}\` ${given}: it takes one, ${wants.what}`, hint: `write it as \`${wants.example}\``, loc: block.loc };
    return false;
  });
  return found;
}

/** Every `{{> name}}` with a literal name, where it is written. */
function partialStatements(program: hbs.AST.Program): Array<{ name: string; loc: hbs.AST.SourceLocation | undefined }> {
  const found: Array<{ name: string; loc: hbs.AST.SourceLocation | undefined }> = [];
  walk(program, (node) => {
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const name = (node as hbs.AST.PartialStatement).name;
      if (name.type === 'PathExpression') found.push({ name: (name as hbs.AST.PathExpression).original, loc: node.loc });
    }
    return true;
  });
  return found;
}

/** The `{{> name}}` of the template's own body, outside any block: each renders whenever the template does. */
function unconditionalPartials(program: hbs.AST.Program): Array<{ name: string; loc: hbs.AST.SourceLocation | undefined }> {
  return program.body.flatMap((node) => {
    if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') return [];
    const name = (node as hbs.AST.PartialStatement).name;
    return name.type === 'PathExpression' ? [{ name: (name as hbs.AST.PathExpression).original, loc: node.loc }] : [];
  });
}

function partialNames(program: hbs.AST.Program): string[] {
  return partialStatements(program).map((statement) => statement.name);
}

/** A context path a template reads at its top scope, where first written; `data` for `@root.x`. */
interface Read {
  parts: string[];
  loc: hbs.AST.SourceLocation | undefined;
  data: boolean;
}

/** A `{{> name}}` at the template's top scope: the context it gives the partial (`{{> name x}}`) and the names it adds (`a=b`). */
interface PartialInclude {
  name: string;
  context: string[];
  locals: string[];
}

/** Every context path read at the template's top scope, as segments (`@root.x` included), and the partials included there. */
function collectReads(program: hbs.AST.Program): { reads: Map<string, Read>; partials: PartialInclude[] } {
  const found = new Map<string, Read>();
  const partials: PartialInclude[] = [];
  const set = (parts: string[], loc: hbs.AST.SourceLocation | undefined, data: boolean) => {
    const key = parts.join('.');
    if (!found.has(key)) found.set(key, { parts, loc, data });
  };
  const add = (expression: hbs.AST.Expression | undefined, topScope: boolean) => {
    if (!expression || expression.type !== 'PathExpression') return;
    const pathExpression = expression as hbs.AST.PathExpression;
    if (pathExpression.data) {
      // `@root.a.b` reads the root context; other @data variables (@index, @key) are not context.
      if (pathExpression.parts[0] === 'root' && pathExpression.parts.length > 1) set(pathExpression.parts.slice(1), pathExpression.loc, true);
      return;
    }
    if (!topScope || pathExpression.depth > 0 || pathExpression.parts.length === 0) return;
    set([...pathExpression.parts], pathExpression.loc, false);
  };
  const visit = (node: Node, topScope: boolean, blockParams: Set<string>) => {
    const scoped = (expr: hbs.AST.Expression) => {
      const first = (expr as hbs.AST.PathExpression).parts?.[0];
      return first !== undefined && blockParams.has(first);
    };
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const partial = node as hbs.AST.PartialStatement;
      const [param] = partial.params;
      for (const value of [...partial.params, ...(partial.hash?.pairs ?? []).map((pair) => pair.value)]) if (!scoped(value)) add(value, topScope);
      const literal = partial.name.type === 'PathExpression';
      // A context given by a path at the top scope is a known part of the context; anything else is not.
      const context = param === undefined ? [] : param.type === 'PathExpression' && !(param as hbs.AST.PathExpression).data && (param as hbs.AST.PathExpression).depth === 0 && !scoped(param) ? [...(param as hbs.AST.PathExpression).parts] : undefined;
      if (literal && topScope && context !== undefined) {
        partials.push({ name: (partial.name as hbs.AST.PathExpression).original, context, locals: (partial.hash?.pairs ?? []).map((pair) => pair.key) });
      }
      if (node.type === 'PartialBlockStatement') for (const child of (node as hbs.AST.PartialBlockStatement).program.body) visit(child, topScope, blockParams);
      return;
    }
    const statement = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression') {
      const head = statement.path as hbs.AST.PathExpression;
      const isHelper = head.type === 'PathExpression' && (BUILT_IN_HELPERS.has(head.original) || statement.params.length > 0 || node.type === 'BlockStatement');
      if (!isHelper && !scoped(head)) add(head, topScope);
      for (const param of statement.params) {
        if (param.type === 'SubExpression') visit(param, topScope, blockParams);
        else if (!scoped(param)) add(param, topScope);
      }
      for (const pair of statement.hash?.pairs ?? []) {
        if (pair.value.type === 'SubExpression') visit(pair.value, topScope, blockParams);
        else if (!scoped(pair.value)) add(pair.value, topScope);
      }
      if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        const innerTop = topScope && !SCOPE_CHANGING.has(head.original);
        const innerParams = new Set([...blockParams, ...(block.program.blockParams ?? [])]);
        for (const child of block.program.body) visit(child, innerTop, innerParams);
        for (const child of block.inverse?.body ?? []) visit(child, topScope, blockParams);
      }
    }
  };
  for (const node of program.body) visit(node, true, new Set());
  return { reads: found, partials };
}

/** Every path expression anywhere in the template (`lookup x "y"` as `x.y`), walked without recursion. */
function collectAllPaths(program: hbs.AST.Program): string[][] {
  const paths: string[][] = [];
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    const node = value as { type?: string; parts?: string[]; path?: hbs.AST.PathExpression; params?: hbs.AST.Expression[] };
    // Helper names (`if`, `each`, `json`) are not data.
    if (node.type === 'PathExpression' && node.parts && !(node.parts.length === 1 && BUILT_IN_HELPERS.has(node.parts[0] as string))) paths.push([...node.parts]);
    const [target, key] = node.params ?? [];
    if (node.path?.original === 'lookup' && target?.type === 'PathExpression' && key?.type === 'StringLiteral') {
      paths.push([...(target as hbs.AST.PathExpression).parts, (key as hbs.AST.StringLiteral).value]);
    }
    for (const [name, child] of Object.entries(value)) if (name !== 'loc') stack.push(child);
  }
  return paths;
}

function walk(node: Node, visitor: (node: Node) => boolean): void {
  if (!visitor(node)) return;
  const record = node as unknown as Record<string, unknown>;
  for (const key of ['body', 'program', 'inverse']) {
    const child = record[key];
    if (Array.isArray(child)) for (const item of child) walk(item as Node, visitor);
    else if (child && typeof child === 'object') walk(child as Node, visitor);
  }
}

/**
 * Handlebars' position (a node's `loc`, 0-based UTF-16 column; an error's, 1-based) with its column
 * in characters, as every position is given: an emoji before it on its line is one column, not two.
 */
function inTemplate(text: string, position: TemplatePosition | hbs.AST.SourceLocation | undefined): TemplatePosition | undefined {
  if (position && 'start' in position) return inCharacters(text, { line: position.start.line, column: position.start.column + 1 });
  return position && inCharacters(text, position);
}

/** Thrown by `{{#each}}` past the render's deadline; the render reports it (`renderTooLongError`). */
class RenderDeadline extends Error {}
