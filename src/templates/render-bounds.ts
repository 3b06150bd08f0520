import type { SopError } from '../errors/index.js';
import type { SourceOrigin } from '../spec/resolved.js';
import { templateError, type TemplatePosition } from './origin.js';

/**
 * How long one render may run and how much it may build. A template looping over
 * `(1..100000000)`, or nesting loops over long lists, rendered for minutes and grew to gigabytes
 * until V8 gave up; a prompt renders in milliseconds, so both bounds are far above any real one.
 */
export const RENDER_LIMITS = {
  /** Wall time of one render (`TemplateEngineOptions.renderLimitMs` changes it). */
  ms: 5_000,
  /**
   * Values and characters one Liquid render may make (liquidjs' `memoryLimit`: range items, filter
   * results): a range of 30 million numbers is ~240 MB; every `reads` file of an action together
   * is at most 4 MB.
   */
  liquidAllocations: 30_000_000,
} as const;

const LOOP_HINTS = {
  liquid: 'bound the loop: a shorter list or range, `limit:` on the `{% for %}` (`{% for x in list limit: 50 %}`), or fewer loops nested in each other',
  handlebars: 'bound the loop: a shorter list (a `maxItems` in the message type\'s schema), or fewer `{{#each}}` nested in each other',
} as const;

type Engine = keyof typeof LOOP_HINTS;

/** A render stopped at its time bound. */
export function renderTooLongError(engine: Engine, origin: SourceOrigin, position: TemplatePosition | undefined, limitMs: number): SopError {
  return templateError('TEMPLATE_RENDER', origin, position, `the template took more than ${limitMs / 1000} s to render: a loop runs too long (over a large range, or loops nested over long lists)`, LOOP_HINTS[engine]);
}

/** A render stopped at its size bound (`what`: what grew too large). */
export function renderTooLargeError(engine: Engine, origin: SourceOrigin, position: TemplatePosition | undefined, what: string): SopError {
  return templateError('TEMPLATE_RENDER', origin, position, `the template builds ${what} while rendering: a loop repeats too often, or over text too large`, LOOP_HINTS[engine]);
}

/** V8's error for a string past its largest length (~512 MB): a render's text grew without bound. */
export function isStringTooLong(error: unknown): boolean {
  return error instanceof RangeError && error.message === 'Invalid string length';
}

/** The words for a text past V8's largest string. */
export const TEXT_TOO_LONG = 'a text longer than JavaScript can hold (~512 MB)';
