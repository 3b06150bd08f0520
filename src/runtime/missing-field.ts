import { isSopError } from '../errors/index.js';
import { EACH, type CompiledExpression } from '../expressions/index.js';
import type { CompiledTemplate } from '../templates/index.js';

/** A path a failed template or expression reads, and its shortest part the output has no value for. */
export interface MissingField {
  /** What was read, from the root: ['payload', 'meta', 'title']; through a CEL macro's variable, `EACH` stands for every element of a list. */
  read: string[];
  /**
   * The shortest prefix of `read` without a value: ['payload', 'meta'] when there is no `meta`;
   * through `EACH`, without a value in some element (['payload', 'tags', '[]', 'name']).
   */
  missing: string[];
  /** The index of that element in each list `missing` goes through (`EACH`), outermost first: [1] for `tags[1]`. */
  indexes: number[];
}

/**
 * The field a failed template render or CEL evaluation read that the output does not have, or
 * undefined when the failure is something else (an SOP mistake no answer can fix: a type error
 * between literals, an unknown function). `reads` are the paths the failed text reads; only those
 * under `roots` (the parts of the context the output fills) count. Of those the output lacks, the
 * one the error names wins: a missing field under a lenient `{% if %}` or a CEL `has()` did not
 * fail it. A CEL failure must name it (`No such key: field`, its message quotes the whole
 * expression, so a path in it proves nothing); a template's may not (Liquid's messages vary), so
 * there the first missing read stands in, unless `named` asks for the one the error names.
 */
export function missingField(
  error: unknown,
  engine: 'template' | 'expression',
  reads: readonly string[][],
  roots: readonly string[],
  context: Record<string, unknown>,
  options: { named?: boolean } = {},
): MissingField | undefined {
  if (!isSopError(error) || error.code !== (engine === 'template' ? 'TEMPLATE_RENDER' : 'EXPRESSION_EVAL')) return undefined;
  const candidates: MissingField[] = [];
  for (const read of reads) {
    if (!roots.includes(read[0] ?? '')) continue;
    const absent = absentPrefix(context, read, []);
    if (absent) candidates.push({ read, ...absent });
  }
  const named = candidates.find(({ read, missing }) => namesField(error.message, engine, read, missing));
  return named ?? (engine === 'template' && !options.named ? candidates[0] : undefined);
}

/** What an expression reads that the output may lack: its free variables' paths and, through its macros' variables, its lists' elements'. */
export function expressionReads(expression: CompiledExpression): string[][] {
  return [...expression.variables(), ...expression.elementReads()];
}

/**
 * What a template reads that the output may lack: its variables', its loops' items' (through
 * `EACH`), and those of the partials it includes but for a `{% render %}`'s (they read what the
 * render passes).
 */
export function templateReads(template: CompiledTemplate): string[][] {
  return [...template.variables(), ...(template.loopReads?.() ?? []), ...(template.partialReads?.() ?? []).filter((read) => !read.isolated).map((read) => read.path)];
}

/** A missing path as the answer's own field: `payload.meta.title` is `meta.title`. */
export function fieldOf(missing: string): string {
  return missing.slice(missing.indexOf('.') + 1);
}

/** A read as written in messages: `payload.tags[].name` (`[]`: each element of `tags`). */
export function pathText(segments: readonly string[]): string {
  return segments.reduce((text, segment, index) => (index === 0 ? segment : segment === EACH ? `${text}${EACH}` : `${text}.${segment}`), '');
}

/**
 * A field missing from an element of a list (read through a CEL macro's variable), as the answer's
 * list and the element's field: ['payload', 'tags', '[]', 'name'] → `tags` and `name`. Undefined
 * for a field of the output itself.
 */
export function elementField(missing: readonly string[]): { list: string; field: string } | undefined {
  const last = missing.lastIndexOf(EACH);
  if (last < 0) return undefined;
  return { list: fieldOf(pathText(missing.slice(0, last))), field: missing.slice(last + 1).join('.') };
}

/**
 * What the output lacks, in words: `the output has no field \`meta.title\``, or `the item at index
 * 1 of \`tags\` has no field \`name\`` (`an item of` when the index is not known).
 */
export function lackingText(missing: readonly string[], indexes?: readonly number[]): string {
  const element = elementField(missing);
  return element ? `${itemText(element.list, indexes?.at(-1))} has no field \`${element.field}\`` : `the output has no field \`${fieldOf(pathText(missing))}\``;
}

/** An item of a list: `the item at index 1 of \`tags\``, or `an item of \`tags\`` when the index is not known. */
export function itemText(list: string, index: number | undefined): string {
  return index === undefined ? `an item of \`${list}\`` : `the item at index ${index} of \`${list}\``;
}

/**
 * Does the engine's message name this read? Liquid names the path (through a loop, from its
 * variable: `step.title`), Handlebars `"field"`, CEL `No such key: field`.
 */
function namesField(message: string, engine: 'template' | 'expression', read: readonly string[], missing: readonly string[]): boolean {
  const field = missing.at(-1) as string;
  if (engine === 'expression') return message.endsWith(`: No such key: ${field}`);
  // Liquid names the path up to the missing part (`message.payload.meta` of `.meta.title`), through a loop from its variable.
  const inItem = missing.lastIndexOf(EACH) < 0 ? undefined : missing.slice(missing.lastIndexOf(EACH) + 1).join('.');
  if (inItem === undefined ? message.includes(missing.join('.')) || message.includes(read.join('.')) : message.endsWith(`.${inItem}`)) return true;
  // Handlebars names the segment it looked up in nothing: the missing one, or the one after it.
  return message.includes(`"${field}"`) || message.includes(`"${read[missing.length] ?? field}"`);
}

/**
 * The shortest prefix of `path` that has no value in `context` (through own properties); undefined
 * when the whole path has one or cannot be known. Through `EACH`, the prefix some element of the
 * list lacks (the first such element's), with that element's index.
 */
function absentPrefix(context: unknown, path: readonly string[], indexes: readonly number[]): { missing: string[]; indexes: number[] } | undefined {
  let value: unknown = context;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as string;
    if (segment === EACH) {
      // A map's keys or a value that is no list: nothing to tell.
      if (!Array.isArray(value)) return undefined;
      for (const [position, element] of value.entries()) {
        const below = absentPrefix(element, path.slice(index + 1), [...indexes, position]);
        if (below) return { missing: [...path.slice(0, index + 1), ...below.missing], indexes: below.indexes };
      }
      return undefined;
    }
    // A list's `size`, `first` or index is the engine's to read: not a field an answer lacks.
    if (Array.isArray(value)) return undefined;
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment) || (value as Record<string, unknown>)[segment] === undefined) {
      return { missing: path.slice(0, index + 1), indexes: [...indexes] };
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return undefined;
}
