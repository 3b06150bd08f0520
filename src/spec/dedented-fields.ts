import type { DiagnosticSink } from './diagnostic-sink.js';
import { joinPointer } from './pointer.js';

type Resolve = (ref: string) => unknown;
type Schema = { $ref?: string; properties?: Record<string, unknown>; anyOf?: Schema[]; oneOf?: Schema[] };

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
  const keys = Object.keys(mapping);
  const above = keys[keys.indexOf(field) - 1];
  if (above === undefined || !Object.hasOwn(properties, above)) return undefined;
  const aboveValue = asRecord(mapping[above]);
  if (!aboveValue || Object.hasOwn(aboveValue, field) || !takesField(properties[above], field, resolve)) return undefined;
  const at = sink.sourceMap?.locate(joinPointer(path, above), 'key');
  return `\`${field}\` belongs to \`${above}\`${at ? ` on line ${at.line}` : ' above it'}: indent \`${field}:\` under \`${above}:\`, as its other fields`;
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
