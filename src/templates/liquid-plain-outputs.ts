/**
 * Most prompts are text with plain outputs (`Review: {{ message.content }}`). Rendering one through
 * liquidjs costs a context, a generator per output and a lookup per segment (~5 µs); a thousand
 * reviewers render a thousand of them per round. For such a text this renders the outputs directly
 * when every value is a string reached through own properties of plain objects, which is exactly
 * what liquidjs would print; any other value (a number, a list, a missing or inherited property,
 * `size`/`first`/`last` on a list) gives undefined, and the caller renders with liquidjs, which
 * also reports the errors.
 */

/** `{{ a.b.c }}`: dotted names only (no filters, no brackets, no whitespace control). */
const OUTPUT = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;
/** Names that are Liquid literals, not variables. */
const LITERALS = new Set(['true', 'false', 'nil', 'null', 'empty', 'blank']);

export type PlainRender = (context: Record<string, unknown>) => string | undefined;

/** A text made only of literal text and plain outputs, split into both; undefined for any other text. */
function splitPlain(text: string): { literals: string[]; paths: string[][] } | undefined {
  const literals: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const match of text.matchAll(OUTPUT)) {
    const path = (match[1] as string).split('.');
    if (LITERALS.has(path[0] as string)) return undefined;
    literals.push(text.slice(last, match.index));
    paths.push(path);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  if (literals.some((literal) => literal.includes('{{') || literal.includes('{%'))) return undefined;
  return { literals, paths };
}

/**
 * The variables of a text made only of literal text and plain outputs, each once, in order, as
 * liquidjs' analysis lists them (its every path is a global one); undefined for any other text.
 */
export function plainOutputPaths(text: string): string[][] | undefined {
  const split = splitPlain(text);
  if (!split) return undefined;
  const seen = new Set<string>();
  return split.paths.filter((path) => {
    const key = path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The direct renderer of a text made only of literal text and plain outputs; undefined for any other text. */
export function plainOutputs(text: string): PlainRender | undefined {
  const split = splitPlain(text);
  if (!split) return undefined;
  const { literals, paths } = split;
  return (context) => {
    let out = literals[0] as string;
    for (let index = 0; index < paths.length; index += 1) {
      const value = lookup(context, paths[index] as string[]);
      if (value === undefined) return undefined;
      out += value + (literals[index + 1] as string);
    }
    return out;
  };
}

/** The string at `path`, through own properties of plain objects only; undefined for anything else. */
function lookup(context: Record<string, unknown>, path: readonly string[]): string | undefined {
  let value: unknown = context;
  for (const segment of path) {
    if (!isPlainData(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return typeof value === 'string' ? value : undefined;
}

/** An object liquidjs reads as data: a plain object (no class, no `toLiquid`). */
function isPlainData(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toLiquid?: unknown }).toLiquid !== 'function';
}
