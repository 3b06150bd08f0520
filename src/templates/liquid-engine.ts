import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Liquid, LiquidOptions, StaticAnalysis, Template } from 'liquidjs';
import { boundedFs } from './liquid-bounded-fs.js';
import type { SourceOrigin } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import { inCharacters } from '../spec/text-encoding.js';
import path from 'node:path';
import { forRenderedPartialFiles, literalPartials, partialCycle, partialProblem, reachedPartials, renderedPartialFiles, unnamedRenderFors, type UnnamedRenderFor } from './liquid-partials.js';
import { plainOutputPaths, plainOutputs, type PlainRender } from './liquid-plain-outputs.js';
import { isPlainText } from './plain-text.js';
import { liquidLoopReads } from './liquid-loop-reads.js';
import { blockDepth, MAX_BLOCK_DEPTH } from './nesting.js';
import { isStackOverflow, type SopError } from '../errors/index.js';
import { isStringTooLong, RENDER_LIMITS, renderTooLargeError, renderTooLongError, TEXT_TOO_LONG } from './render-bounds.js';
import { partialFileOrigin, templateError, toFilePosition, tooDeepDataError, tooDeepError, type TemplatePosition } from './origin.js';
import { once, type CompiledTemplate, type PartialRead, type TemplateEngine, type TemplateEngineOptions } from './types.js';

interface LiquidErrorLike {
  message: string;
  name?: string;
  token?: { getPosition?: () => [number, number]; input?: string; file?: string };
}

const require = createRequire(import.meta.url);

/** liquidjs appends ", line:L, col:C" to its messages; we report the SOP position instead. */
function cleanMessage(message: string): string {
  return message.replace(/, line:\d+, col:\d+[\s\S]*$/, '');
}

/**
 * liquidjs' syntax errors in sop's words: `tag {% if x %} not closed`, `output "{{ x \n" not closed`,
 * `illegal tag: {% for x %}`, `invalid value expression: ""` read as a parser's and said nothing of the fix.
 */
function liquidWords(message: string): string {
  const unclosedTag = /^tag (\{%-?\s*(\w+)[\s\S]*?%\}) not closed$/.exec(message);
  if (unclosedTag) return `\`${unclosedTag[1]}\` is never closed: add \`{% end${unclosedTag[2]} %}\` where its block ends`;
  // liquidjs writes the text's line break as `\n`.
  const unclosedOutput = /^output "(\{\{[\s\S]*?)(?:\s|\\n)*" not closed$/.exec(message);
  if (unclosedOutput) return `\`${unclosedOutput[1]}\` is never closed: add \`}}\``;
  const unknownTag = /^tag "([^"]+)" not found$/.exec(message);
  if (unknownTag) return `unknown tag \`${unknownTag[1]}\``;
  const unknownFilter = /^undefined filter: (\S+)$/.exec(message);
  if (unknownFilter) return `unknown filter \`${unknownFilter[1]}\``;
  const illegal = /^illegal tag: (\{%-?\s*(\w+)[\s\S]*%\})$/.exec(message);
  if (illegal) return `\`${illegal[1]}\` is not a valid \`${illegal[2]}\` tag${illegal[2] === 'for' ? ': a loop is `{% for item in list %}...{% endfor %}`' : ''}`;
  if (message === 'invalid value expression: ""') return 'a tag without the expression it needs after its name (`{% if CONDITION %}`, `{% assign NAME = VALUE %}`)';
  return message;
}

/**
 * An undefined variable inside a partial: located at the first partial of the text (the error's
 * position is in the partial's own text). A variable that exists out here is missing in there
 * because `{% render %}` passes nothing: saying "available here: inputs" of `inputs` confused.
 */
function undefinedInPartial(text: string, origin: SourceOrigin, message: string, context: Record<string, unknown>): SopError {
  const partial = literalPartials(text)[0];
  // Only a whole missing root (`inputs`, not `inputs.nope`) can be one the partial was not given.
  const name = /^undefined variable: ([A-Za-z_][\w-]*)$/.exec(message)?.[1];
  const where = partial ? `in partial \`${partial.name}\`: ` : 'in a partial: ';
  const hint = name !== undefined && Object.hasOwn(context, name)
    ? `\`${name}\` is not passed to the partial: \`{% render %}\` gives a partial only what it names (\`{% render '${partial?.name ?? 'name'}', ${name}: ${name} %}\`), \`{% include %}\` gives it every variable`
    : `available to the partial: ${listNames(Object.keys(context))} (with \`{% render %}\`, only what it passes)`;
  return templateError('TEMPLATE_RENDER', origin, partial?.position, `${where}${message}`, hint);
}

function positionOf(error: LiquidErrorLike): TemplatePosition | undefined {
  const position = error.token?.getPosition?.();
  if (!position) return undefined;
  const at = { line: position[0], column: position[1] };
  return error.token?.input === undefined ? at : inCharacters(error.token.input, at);
}

/** Where `| name` is first used in the template (liquidjs gives the whole output's position). */
function filterPosition(text: string, name: string): TemplatePosition | undefined {
  const match = new RegExp(`\\|\\s*(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![\\w-])`).exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index + match[0].length - name.length).split('\n');
  return { line: before.length, column: [...(before.at(-1) as string)].length + 1 };
}

/** Paths as far as they are known statically: a computed segment (`a[b]`) ends what can be known. */
function staticPaths(paths: ReadonlyArray<ReadonlyArray<unknown>>): string[][] {
  return paths.map((segments) => {
    const end = segments.findIndex((segment) => typeof segment !== 'string' && typeof segment !== 'number');
    return (end === -1 ? segments : segments.slice(0, end)).map(String);
  });
}

/** A parsed template text and its analyses, shared by every place of the SOP that has the same text. */
interface ParsedText {
  /** liquidjs' parse, made on first use for a text of literal text and plain outputs only. */
  parsed: () => Template[];
  /** A direct renderer when the text is literal text and plain outputs only. */
  plain: PlainRender | undefined;
  variables: () => string[][];
  allPaths: () => string[][];
  loopReads: () => string[][];
  partialReads: () => PartialRead[];
}

const CYCLE_HINT = 'a partial that includes itself, directly or through others, must stop on a condition ({% if %}); else remove one of the includes';

/** A text that may include a partial (a tag named include, render or layout). */
const PARTIAL_TAG = /\{%-?\s*(include|render|layout)\b/;

/** `{% render 'x' for list %}` without `as` at `origin` (`prefix`: where it is, for a partial). */
function unnamedRenderForError(unnamed: UnnamedRenderFor, origin: SourceOrigin, prefix: string): SopError {
  return templateError('TEMPLATE_SYNTAX', origin, unnamed.position, `${prefix}{% render '${unnamed.name}' for ... %} needs \`as NAME\`: without it the partial gets no name for each item (sop's Liquid, liquidjs, binds none)`,
    `name the item: {% render '${unnamed.name}' for LIST as ${/^[A-Za-z_][\w-]*$/.test(unnamed.name) ? unnamed.name : 'item'} %}, and read that name in the partial`);
}

/** Liquid (liquidjs): strict variables and filters, no output escaping, includes read from the SOP's folder. */
export class LiquidEngine implements TemplateEngine {
  readonly name = 'liquid' as const;
  private engine: Liquid | undefined;
  private readonly partialsRoot: string;
  private readonly renderLimitMs: number;
  /** Texts parsed so far (a thousand reviewers with one prompt text are parsed once; errors still name each place). */
  private readonly parsedTexts = new Map<string, ParsedText>();

  constructor(options: TemplateEngineOptions) {
    this.partialsRoot = options.partialsRoot;
    this.renderLimitMs = options.renderLimitMs ?? RENDER_LIMITS.ms;
  }

  /**
   * liquidjs, loaded on the first text that needs it: plain texts and texts of plain outputs
   * (`Refine: {{ message.content }}`) render without it (~10-30 ms of a cold run's start-up).
   */
  private get liquid(): Liquid {
    return (this.engine ??= this.createLiquid());
  }

  /** A second instance for the analysis of partials: uncached parses, each file read a bounded number of times. */
  private analysis: { liquid: Liquid; fs: ReturnType<typeof boundedFs> } | undefined;

  private createLiquid(options: Partial<LiquidOptions> = {}): Liquid {
    // liquidjs is a CommonJS bundle: `require` loads it in ~10 ms where `import` spends ~25 ms more
    // scanning its 200 KB for named exports.
    const { Liquid: LiquidClass } = require('liquidjs') as { Liquid: typeof Liquid };
    return new LiquidClass({
      root: [this.partialsRoot],
      partials: [this.partialsRoot],
      relativeReference: false,
      extname: '.liquid',
      // Empty strings and empty lists are false, as SOP authors coming from JavaScript/YAML expect.
      jsTruthy: true,
      strictVariables: true,
      strictFilters: true,
      // `{% if feedback %}` must work for optional values; plain output stays strict.
      lenientIf: true,
      ownPropertyOnly: true,
      cache: true,
      // A fixed locale for the `date` filter: output does not depend on the machine, and liquidjs
      // does not ask Intl for the default locale (~20 ms on a cold start).
      locale: 'en-US',
      // Partials read as prompt files are: without a BOM, CRLF as LF (`editorText`).
      fs: boundedFs(Number.POSITIVE_INFINITY),
      renderLimit: this.renderLimitMs,
      memoryLimit: RENDER_LIMITS.liquidAllocations,
      ...options,
    });
  }

  /** What to do about a parse error: the known names for an unknown filter or tag, else where to look. */
  private syntaxHint(message: string): string {
    const filter = /^undefined filter: (\S+)/.exec(message)?.[1];
    if (filter) {
      const names = Object.keys(this.liquid.filters);
      return didYouMean(filter, names) ?? `Liquid filters: ${listNames(names).split(', ').slice(0, 12).join(', ')}, ... (https://liquidjs.com/filters/overview.html)`;
    }
    const tag = /^tag "([^"]+)" not found/.exec(message)?.[1];
    if (tag) {
      // Other languages' words: a block closes with `end` and its own name, `elsif` is Liquid's else-if.
      if (/^end(?!if$|for$|case$|unless$|capture$|raw$|comment$|tablerow$)/.test(tag)) {
        return `a Liquid block is closed with \`end\` and its name: \`{% endif %}\`, \`{% endfor %}\`, \`{% endunless %}\`, \`{% endcase %}\`, \`{% endcapture %}\``;
      }
      if (tag === 'elif' || tag === 'elseif') return 'Liquid writes else-if as `{% elsif condition %}`';
      const opens = /^end(if|for|case|unless|capture|tablerow)$/.exec(tag)?.[1];
      if (opens !== undefined) return `\`{% ${tag} %}\` closes no \`{% ${opens} %}\` opened before it: remove it, or add the \`{% ${opens} ... %}\` it closes`;
      const names = Object.keys(this.liquid.tags);
      return didYouMean(tag, names) ?? `Liquid tags: ${listNames(names)}`;
    }
    // `{{#if x}}`, `{{/each}}`: Handlebars blocks written in a Liquid template.
    const block = /^invalid value expression: "([#/])(\w+)/.exec(message);
    if (block) {
      const liquid = block[2] === 'each' ? '{% for x in list %}...{% endfor %}' : `{% ${block[2]} ... %}...{% end${block[2]} %}`;
      return `\`{{${block[1]}${block[2]}}}\` is Handlebars; this SOP's templates are Liquid: write \`${liquid}\`, or set \`settings: { templates: handlebars }\``;
    }
    return 'check that every {% tag %} is closed ({% endif %}, {% endfor %}) and every {{ output }} has its closing braces';
  }

  compile(text: string, origin: SourceOrigin): CompiledTemplate {
    if (isPlainText(text)) return plainTextTemplate(text);
    let parsedText = this.parsedTexts.get(text);
    if (!parsedText) {
      parsedText = this.parse(text, origin);
      this.parsedTexts.set(text, parsedText);
    }
    const { parsed, plain } = parsedText;
    const engine = this;
    return {
      render(context: Record<string, unknown>): string {
        const direct = plain?.(context);
        if (direct !== undefined) return direct;
        try {
          return engine.liquid.renderSync(parsed(), context) as string;
        } catch (error) {
          if (isStackOverflow(error) || isStackOverflow((error as { originalError?: unknown }).originalError)) throw engine.tooDeepToRender(text, origin);
          const liquidError = error as LiquidErrorLike;
          const message = cleanMessage(liquidError.message);
          // liquidjs' words for its bounds (`renderLimit`, `memoryLimit`), and V8's for a text past its largest string.
          if (message === 'template render limit exceeded') throw renderTooLongError('liquid', origin, positionOf(liquidError), engine.renderLimitMs);
          if (message === 'memory alloc limit exceeded') throw renderTooLargeError('liquid', origin, positionOf(liquidError), `more than ${RENDER_LIMITS.liquidAllocations.toLocaleString('en-US')} values and characters`);
          if (isStringTooLong((error as { originalError?: unknown }).originalError ?? error)) throw renderTooLargeError('liquid', origin, positionOf(liquidError), TEXT_TOO_LONG);
          const lookup = /^ENOENT: Failed to lookup "([^"]*)"/.exec(message);
          if (lookup) {
            throw templateError('TEMPLATE_RENDER', origin, positionOf(liquidError), `partial \`${lookup[1]}\` not found in the SOP's folder`,
              'a partial named by a variable must be a file (name.liquid) in the SOP\'s folder or below');
          }
          const inPartial = liquidError.token?.input !== undefined && liquidError.token.input !== text;
          if (inPartial && liquidError.name === 'UndefinedVariableError') throw undefinedInPartial(text, origin, message, context);
          throw templateError('TEMPLATE_RENDER', origin, positionOf(liquidError), message,
            liquidError.name === 'UndefinedVariableError'
              ? `available here: ${listNames(Object.keys(context))}`
              : undefined);
        }
      },
      variables: parsedText.variables,
      allPaths: parsedText.allPaths,
      loopReads: parsedText.loopReads,
      partialReads: parsedText.partialReads,
      variablesOnly: plain !== undefined,
    };
  }

  /** Why a render nested without end: partials that include each other, else the data. */
  private tooDeepToRender(text: string, origin: SourceOrigin): SopError {
    const found = partialCycle(this.partialsRoot, text);
    if (!found) return tooDeepDataError(origin);
    return templateError('TEMPLATE_RENDER', origin, found.entry.position, `partials include each other without end: ${found.cycle.join(' → ')}`, CYCLE_HINT);
  }

  /** Parses a text and checks its literal partials; a problem is located at `origin`. */
  private parse(text: string, origin: SourceOrigin): ParsedText {
    const outputPaths = plainOutputPaths(text);
    if (outputPaths) {
      // Literal text and plain outputs: no tag, no filter, nothing liquidjs could refuse; it parses
      // the text only if a render needs it (a value that is not a string: liquidjs prints or refuses it).
      const parsed = once(() => this.liquid.parse(text));
      return { parsed, plain: plainOutputs(text), variables: () => outputPaths, allPaths: () => outputPaths, loopReads: () => [], partialReads: () => [] };
    }
    if (blockDepth(text, 'liquid') > MAX_BLOCK_DEPTH) throw tooDeepError(origin);
    let parsed: Template[];
    try {
      parsed = this.liquid.parse(text);
    } catch (error) {
      if (isStackOverflow(error) || isStackOverflow((error as { originalError?: unknown }).originalError)) throw tooDeepError(origin);
      const liquidError = error as LiquidErrorLike;
      const message = cleanMessage(liquidError.message);
      const filter = /^undefined filter: (\S+)/.exec(message)?.[1];
      const position = (filter ? filterPosition(text, filter) : undefined) ?? positionOf(liquidError);
      throw templateError('TEMPLATE_SYNTAX', origin, position, `template syntax error: ${liquidWords(message)}`, this.syntaxHint(message));
    }
    // A partial named literally must exist now, not fail the run when the template is first rendered.
    for (const partial of literalPartials(text)) {
      const problem = partialProblem(this.partialsRoot, partial.name);
      if (problem) throw templateError('TEMPLATE_SYNTAX', origin, partial.position, `{% ${partial.tag} %}: ${problem.message}`, problem.hint);
    }
    // liquidjs binds each item of a `render ... for` without `as` to no name: the partial could not read it.
    if (PARTIAL_TAG.test(text)) this.checkRenderFors(text, origin);
    // Partials that include each other outside any condition nest without end on every render.
    const endless = PARTIAL_TAG.test(text) ? partialCycle(this.partialsRoot, text, { unconditional: true }) : undefined;
    if (endless) {
      throw templateError('TEMPLATE_SYNTAX', origin, endless.entry.position, `{% ${endless.entry.tag} %}: partials include each other without end: ${endless.cycle.join(' → ')} (no condition on the way)`, CYCLE_HINT);
    }
    const liquid = this.liquid;
    return {
      parsed: () => parsed,
      plain: plainOutputs(text),
      // liquidjs' static analysis walks the whole template: once per text, whatever the callers.
      variables: once(() => staticPaths(liquid.globalVariableSegmentsSync(parsed, { partials: false }))),
      allPaths: once(() => staticPaths(liquid.variableSegmentsSync(parsed, { partials: false }))),
      loopReads: once(() => liquidLoopReads(liquid, parsed)),
      partialReads: once(() => (PARTIAL_TAG.test(text) ? this.partialReads(text, parsed, origin) : [])),
    };
  }

  /**
   * The variables the template's partials read from the template's context. liquidjs' analysis
   * follows literally named partials (each once: one that includes itself ends the walk) and
   * knows what `assign`, `for` and a render's arguments bind; a partial named by a variable is
   * only known when rendering.
   */
  private partialReads(text: string, parsed: Template[], origin: SourceOrigin): PartialRead[] {
    const rendered = renderedPartialFiles(this.partialsRoot, text);
    const renderedFor = forRenderedPartialFiles(this.partialsRoot, text);
    const sources = new Map<string, string[]>();
    const lineOf = (file: string, row: number): string => {
      let lines = sources.get(file);
      if (!lines) sources.set(file, (lines = readFileSync(file, 'utf8').split('\n')));
      return lines[row - 1] ?? '';
    };
    const reads: PartialRead[] = [];
    let analysis: StaticAnalysis;
    try {
      analysis = this.analyze(text, parsed);
    } catch (error) {
      throw this.partialSyntaxError(error, origin);
    }
    // A partial that includes itself counts its depth in a variable it assigns from itself
    // (`{% assign depth = depth | plus: 1 %}`): unset on the first pass, and that renders.
    const assignedInPartials = new Set(Object.values(analysis.locals).flat().filter(({ location }) => location.file !== undefined).map(({ segments }) => String(segments[0])));
    for (const variables of Object.values(analysis.globals)) {
      for (const { segments, location } of variables) {
        if (location.file === undefined || assignedInPartials.has(String(segments[0]))) continue;
        const file = path.resolve(location.file);
        const root = String(segments[0]);
        // A name a render binds (`with files as docs`, `for rows as row`) reads as the value it was
        // given: that value is the template's read, at the render tag, checked there.
        if (/^[A-Za-z_][\w-]*/.exec(lineOf(file, location.row).slice(location.col - 1))?.[0] !== root) continue;
        // `render ... for` binds `forloop` in the partial, as a `for` block does.
        if (root === 'forloop' && renderedFor.has(file)) continue;
        reads.push({
          path: staticPaths([segments])[0] as string[],
          partial: path.relative(this.partialsRoot, file).replace(/\.liquid$/, ''),
          file,
          position: { line: location.row, column: location.col },
          isolated: rendered.has(file),
        });
      }
    }
    return reads;
  }

  /**
   * A `{% render 'x' for list %}` without `as`, in the template or in a partial it reaches (located
   * in the partial's file, naming the template's include that leads there): the template's compile
   * does not parse its partials, so one written there failed only when the run rendered it.
   */
  private checkRenderFors(text: string, origin: SourceOrigin): void {
    const own = unnamedRenderFors(text)[0];
    if (own) throw unnamedRenderForError(own, origin, '');
    for (const partial of reachedPartials(this.partialsRoot, text)) {
      const unnamed = PARTIAL_TAG.test(partial.text) ? unnamedRenderFors(partial.text)[0] : undefined;
      if (!unnamed) continue;
      const includedBy = toFilePosition(origin, partial.entry.position);
      throw unnamedRenderForError(unnamed, partialFileOrigin(partial.file, origin.pointer), `in partial \`${partial.name}\` (included by ${origin.file}:${includedBy.line}): `);
    }
  }

  /**
   * A partial that does not parse (its tag never closed), as its analysis finds it: located in the
   * partial's own file, naming the template that includes it (a partial is parsed only when first
   * rendered or analysed, so the template's own compile did not see it).
   */
  private partialSyntaxError(error: unknown, origin: SourceOrigin): unknown {
    const liquidError = error as LiquidErrorLike;
    const file = liquidError.token?.file;
    if (file === undefined || typeof liquidError.message !== 'string') return error;
    const partial = path.relative(this.partialsRoot, file).replace(/\.liquid$/, '');
    const at = toFilePosition(origin, undefined);
    const message = cleanMessage(liquidError.message).replace(/, file:\S+$/, '');
    return templateError('TEMPLATE_SYNTAX', partialFileOrigin(file, origin.pointer), positionOf(liquidError),
      `in partial \`${partial}\` (included by ${origin.file}:${at.line}): template syntax error: ${liquidWords(message)}`, this.syntaxHint(message));
  }

  /**
   * liquidjs' analysis with partials. It recursed without end on a partial that includes itself
   * under an `{% if %}` (it marks a partial seen only after its first child): without a cycle among
   * the literally named partials the engine's cached parses serve; with one (or when the analysis
   * overflows all the same: an include the scan does not see, in a `{% liquid %}` tag), a second
   * instance parses afresh from a file system that serves each file twice at most.
   */
  private analyze(text: string, parsed: Template[]): StaticAnalysis {
    if (partialCycle(this.partialsRoot, text) === undefined) {
      try {
        return this.liquid.analyzeSync(parsed, { partials: true });
      } catch (error) {
        if (!isStackOverflow(error) && !isStackOverflow((error as { originalError?: unknown }).originalError)) throw error;
      }
    }
    if (!this.analysis) {
      const fs = boundedFs(2);
      this.analysis = { fs, liquid: this.createLiquid({ fs, cache: false }) };
    }
    this.analysis.fs.reset();
    // Parsed again by that instance: a tag reads its partials through the instance that parsed it.
    return this.analysis.liquid.analyzeSync(this.analysis.liquid.parse(text), { partials: true });
  }
}

/** A text with no markup: itself, whatever the context; it reads no variable. */
function plainTextTemplate(text: string): CompiledTemplate {
  return { render: () => text, variables: () => [], allPaths: () => [], variablesOnly: true };
}
