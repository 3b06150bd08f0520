import type { SourceOrigin } from '../spec/resolved.js';
import type { TemplatePosition } from './origin.js';

export type TemplateEngineName = 'liquid' | 'handlebars';

/** In a read path, every item of the list before it: `message.payload.steps[].title` (CEL macros' reads spell it the same). */
export const EACH = '[]';

/** A parsed template, ready to render many times. */
export interface CompiledTemplate {
  /**
   * Renders with the given context. Strict: an undefined variable throws a SopError
   * (`TEMPLATE_RENDER`) naming the variable and the SOP line. No HTML escaping.
   */
  render(context: Record<string, unknown>): string;
  /**
   * Variable paths the template reads from its context, as segments from the root
   * (`{{ message.payload.title }}` gives `['message', 'payload', 'title']`). Variables bound inside the
   * template (loop variables, `assign`, block params) are not listed.
   */
  variables(): string[][];
  /**
   * Every path the template reads, in any scope: loop variables and block params included, and
   * literal keys (`a["x"]`, `lookup a "x"`) as segments. For checks that hold whatever the scope.
   */
  allPaths(): string[][];
  /**
   * Fields read through a loop's variable (`{% for step in message.payload.steps %}{{ step.title
   * }}`, `{{#each message.payload.steps}}{{title}}{{/each}}`), from the root, `EACH` standing for
   * every item of the list: `['message', 'payload', 'steps', '[]', 'title']`.
   */
  loopReads?(): string[][];
  /**
   * True when the text renders from the values of its listed variables alone (no tags, no
   * partials, no filters): the same values always give the same text.
   */
  readonly variablesOnly?: boolean;
  /**
   * Context paths read inside the partials the template includes (partials of partials too), each
   * where it is written in its partial's file. For `sop validate`: a render never needs them.
   */
  partialReads?(): PartialRead[];
}

/** A variable read inside a partial, with where the partial's file says it. */
export interface PartialRead {
  path: string[];
  /** The partial's name, as a template includes it. */
  partial: string;
  /** Absolute path of the partial's file. */
  file: string;
  position: TemplatePosition | undefined;
  /** Reached through a Liquid `{% render %}`: the partial sees only what the render passes it. */
  isolated: boolean;
}

/**
 * One interface over Liquid and Handlebars. `compile` throws a SopError (`TEMPLATE_SYNTAX`) located
 * at the SOP line and column of the problem.
 */
export interface TemplateEngine {
  readonly name: TemplateEngineName;
  compile(text: string, origin: SourceOrigin): CompiledTemplate;
}

export interface TemplateEngineOptions {
  /** Folder that `{% include %}`/`{% render %}` (Liquid) and `{{> partial}}` (Handlebars) read from. */
  partialsRoot: string;
  /** Wall time one render may take, in ms (default `RENDER_LIMITS.ms`). */
  renderLimitMs?: number;
}

/** A function computing its result on the first call only (template analyses are asked for by several rules). */
export function once<T>(compute: () => T): () => T {
  let result: { value: T } | undefined;
  return () => (result ??= { value: compute() }).value;
}
