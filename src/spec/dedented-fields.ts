import type { ErrorObject } from 'ajv';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { fromPointer, joinPointer, toPointer, valueAt } from './pointer.js';
import { plural } from '../errors/index.js';

type Resolve = (ref: string) => unknown;
type Schema = { $ref?: string; properties?: Record<string, unknown>; additionalProperties?: unknown; items?: unknown; anyOf?: Schema[]; oneOf?: Schema[] };

/**
 * A field written too far left, at the indentation of the mapping above it (`format:` under an
 * action, below its `output:`): YAML makes it a field of the action, whose "unknown field" hint
 * said "remove it". When the key above holds a mapping whose schema takes the field and lacks it,
 * the hint says to indent the field under that key instead.
 */
export function dedentedFieldHint(
  field: string,
  data: unknown,
  properties: Record<string, unknown> | undefined,
  path: string,
  sink: DiagnosticSink,
  resolve: Resolve,
): string | undefined {
  const mapping = asRecord(data);
  if (!mapping || !properties) return undefined;
  const above = mappingKeyAbove(mapping, field, properties);
  if (above === undefined) return undefined;
  // `output:` left empty, its fields all written at its column: YAML reads it as null.
  const empty = mapping[above] === null;
  const aboveValue = empty ? {} : asRecord(mapping[above]);
  if (!aboveValue || Object.hasOwn(aboveValue, field) || !takesField(properties[above], field, resolve)) return undefined;
  const at = sink.sourceMap?.locate(joinPointer(path, above), 'key');
  return `\`${field}\` belongs to \`${above}\`${at ? ` on line ${at.line}` : ' above it'}: indent \`${field}:\` under \`${above}:\`, ${empty ? 'which is empty without it' : 'as its other fields'}`;
}

/**
 * The field of `mapping` that a dedented `field` was meant for: the key above it, or above the other
 * dedented fields written between them (`output:`, then `type:` and `format:` at its column).
 */
function mappingKeyAbove(mapping: Record<string, unknown>, field: string, properties: Record<string, unknown>): string | undefined {
  const keys = Object.keys(mapping);
  for (let at = keys.indexOf(field) - 1; at >= 0; at--) {
    if (Object.hasOwn(properties, keys[at]!)) return keys[at];
  }
  return undefined;
}

/**
 * `output:` with nothing under it, its fields written at its own column below it: YAML reads it as
 * empty (null), and those fields as unknown fields of the mapping holding it. The hint names them
 * and says to indent them, rather than saying nothing after "expected a mapping, got null".
 */
export function emptyMappingHint(pointer: string, document: unknown, schema: unknown, sink: DiagnosticSink, resolve: Resolve): string | undefined {
  const segments = fromPointer(pointer);
  const key = segments.pop();
  const holder = asRecord(valueAt(document, toPointer(segments)));
  if (key === undefined || !holder || holder[key] !== null) return undefined;
  const keys = Object.keys(holder);
  const below: string[] = [];
  for (const next of keys.slice(keys.indexOf(key) + 1)) {
    if (!takesField(schema, next, resolve)) break;
    below.push(next);
  }
  if (below.length === 0) return undefined;
  const first = sink.sourceMap?.locate(joinPointer(toPointer(segments), below[0]!), 'key');
  const named = below.map((name) => `\`${name}:\``).join(', ');
  return `${named}${first ? ` (line ${first.line})` : ''} ${below.length === 1 ? 'is' : 'are'} written at the column of \`${key}:\`, so YAML reads \`${key}\` as empty: indent ${below.length === 1 ? 'it' : 'them'} under \`${key}:\``;
}

/**
 * The opposite slip: fields written too far right, under a block scalar (`prompt: |`). YAML reads
 * `output:` indented as the prompt's lines as prompt text, so the action silently lacks it (or a
 * required field is "missing" although it is written). When the block ends with lines that read as
 * fields of the mapping holding it (each a field its schema takes and it lacks, with the lines under
 * it), each is reported at its line: a required one as the missing field (the schema's "missing"
 * error, which pointed at the mapping, is replaced), another as a warning. Prose after such a line,
 * or a field the mapping already has, is text: an example in a prompt is left alone.
 */
export function reportFieldsInBlockText(document: unknown, errors: ErrorObject[], root: Record<string, unknown>, sink: DiagnosticSink, resolve: Resolve): ErrorObject[] {
  if (!sink.sourceMap) return errors;
  let left = errors;
  for (const { mapping, properties, pointer, required } of mappingsOf(document, root, '', new SchemaViews(resolve), 0)) {
    for (const [key, value] of Object.entries(mapping)) {
      if (typeof value !== 'string' || !value.includes(':')) continue;
      const lines = sink.sourceMap.blockLines(joinPointer(pointer, key));
      for (const swallowed of fieldsAtEnd(lines ?? [], (field) => Object.hasOwn(properties, field) && !Object.hasOwn(mapping, field))) {
        const keyAt = sink.sourceMap.locate(joinPointer(pointer, key), 'key');
        const spaces = swallowed.column - keyAt.column;
        const details = {
          position: { line: swallowed.line, column: swallowed.column },
          expected: `\`${swallowed.field}:\` at column ${keyAt.column}, as \`${key}:\` on line ${keyAt.line}`,
          hint: `dedent \`${swallowed.field}:\` and the lines under it ${plural(spaces, 'space')} left, out of the text of \`${key}\``,
        };
        const read = `\`${swallowed.field}:\` is indented as a line of \`${key}: ${blockIndicator(sink, joinPointer(pointer, key))}\` (line ${keyAt.line}): YAML reads it as that text`;
        const missing = required.includes(swallowed.field) && left.some((error) => error.keyword === 'required' && error.instancePath === pointer && error.params['missingProperty'] === swallowed.field);
        if (missing) {
          sink.error('SCHEMA_MISSING_FIELD', joinPointer(pointer, swallowed.field), `${read}, so the field is missing`, details);
          left = left.filter((error) => !(error.keyword === 'required' && error.instancePath === pointer && error.params['missingProperty'] === swallowed.field));
        } else {
          sink.warning('FIELD_IN_TEXT', joinPointer(pointer, key), `${read}, not as a field`, details);
        }
      }
    }
  }
  return left;
}

/** `|`, `>-`, ...: the block scalar's indicator as written after its key. */
function blockIndicator(sink: DiagnosticSink, pointer: string): string {
  return sink.sourceMap?.sourceText(pointer)?.split('\n', 1)[0]?.trim() || '|';
}

/**
 * The lines ending a block that read as fields (`field:` then a value or deeper lines): from the first
 * `field:` line after which every line is another such field at its indentation, or deeper.
 */
function fieldsAtEnd(lines: ReadonlyArray<{ line: number; column: number; text: string }>, isField: (field: string) => boolean): Array<{ field: string; line: number; column: number }> {
  for (let start = 0; start < lines.length; start++) {
    const first = lines[start]!;
    const fieldOf = (text: string): string | undefined => /^([A-Za-z_][\w-]*):(?:\s|$)/.exec(text)?.[1];
    const firstField = fieldOf(first.text);
    if (firstField === undefined || !isField(firstField)) continue;
    const found: Array<{ field: string; line: number; column: number }> = [];
    const fits = lines.slice(start).every((line) => {
      if (line.column > first.column) return true;
      const field = line.column === first.column ? fieldOf(line.text) : undefined;
      if (field === undefined || !isField(field) || found.some((seen) => seen.field === field)) return false;
      found.push({ field, line: line.line, column: line.column });
      return true;
    });
    if (fits) return found;
  }
  return [];
}

interface DeclaredMapping {
  mapping: Record<string, unknown>;
  properties: Record<string, unknown>;
  pointer: string;
  required: readonly string[];
}

/**
 * Each mapping of `data` whose schema declares its fields, with those fields, its pointer and the
 * required ones, added to `found` (an array, not a generator: nested generators pass each mapping
 * up through every level).
 */
function mappingsOf(data: unknown, schema: unknown, pointer: string, views: SchemaViews, depth: number, found: DeclaredMapping[] = []): DeclaredMapping[] {
  if (depth > 32) return found;
  const view = views.of(schema);
  if (Array.isArray(data)) {
    if (view.items !== undefined) data.forEach((item, index) => mappingsOf(item, view.items, joinPointer(pointer, index), views, depth + 1, found));
    return found;
  }
  const mapping = asRecord(data);
  if (!mapping) return found;
  const { properties, required, additional } = view;
  if (view.declaresFields) found.push({ mapping, properties, pointer, required });
  for (const key in mapping) {
    const value = mapping[key];
    const sub = Object.hasOwn(properties, key) ? properties[key] : additional;
    if (sub !== undefined && typeof value === 'object' && value !== null) mappingsOf(value, sub, joinPointer(pointer, key), views, depth + 1, found);
  }
  return found;
}

interface SchemaView {
  properties: Record<string, unknown>;
  declaresFields: boolean;
  required: readonly string[];
  items: unknown;
  additional: unknown;
}

/**
 * What `mappingsOf` needs of a schema and every schema it may be, worked out once per schema node:
 * the mappings of a long SOP (1,000 roles) share a few nodes, and merging their branches for each
 * mapping was most of a large SOP's validation.
 */
class SchemaViews {
  private readonly views = new Map<unknown, SchemaView>();

  constructor(private readonly resolve: Resolve) {}

  of(schema: unknown): SchemaView {
    let view = this.views.get(schema);
    if (view === undefined) {
      const nodes = branches(schema, this.resolve, 0);
      const properties: Record<string, unknown> = Object.assign({}, ...nodes.map((node) => node.properties ?? {}));
      view = {
        properties,
        declaresFields: Object.keys(properties).length > 0,
        required: nodes.flatMap((node) => ((node as { required?: unknown }).required as string[] | undefined) ?? []),
        items: nodes.map((node) => node.items).find((item) => item !== undefined),
        additional: nodes.map((node) => node.additionalProperties).find((value) => typeof value === 'object' && value !== null),
      };
      this.views.set(schema, view);
    }
    return view;
  }
}

/** The schema and, through `$ref`, `anyOf` and `oneOf`, every schema it may be. */
function branches(schema: unknown, resolve: Resolve, depth: number): Schema[] {
  const node = asRecord(schema) as Schema | undefined;
  if (!node || depth > 8) return [];
  const referenced = typeof node.$ref === 'string' ? branches(resolve(node.$ref), resolve, depth + 1) : [];
  return [node, ...referenced, ...[...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap((branch) => branches(branch, resolve, depth + 1))];
}

/** Whether the schema (through `$ref`, `anyOf`, `oneOf`) declares `field` for an object. */
function takesField(schema: unknown, field: string, resolve: Resolve, depth = 0): boolean {
  const node = asRecord(schema) as Schema | undefined;
  if (!node || depth > 8) return false;
  if (node.properties && Object.hasOwn(node.properties, field)) return true;
  if (typeof node.$ref === 'string' && takesField(resolve(node.$ref), field, resolve, depth + 1)) return true;
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].some((branch) => takesField(branch, field, resolve, depth + 1));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
