import { joinPointer, valueAt } from '../pointer.js';

/**
 * The objects of a JSON Schema that a misspelt field passes (PAYLOAD_SCHEMA_OPEN for payloads,
 * TOOL_PARAMETERS_OPEN for a tool's arguments): open, with fields they do not require.
 */

/** An object that a misspelt field passes: open, with fields it does not require. */
export interface OpenObject {
  /** Pointer inside the schema ('' for the schema itself). */
  inner: string;
  /** Where the object is in the value: '' (the payload, the arguments), `owner`, `tasks[]`. */
  place: string;
  /** Its optional fields, as paths in the value (`title`, `tasks[].notes`). */
  optional: string[];
  /** The object itself (to find it in the schema file it came from). */
  node: Record<string, unknown>;
}

/** Nested levels walked (a schema deeper than this is left alone; refs may recurse). */
const MAX_DEPTH = 32;

/**
 * Keywords that say the author decided what else an object may hold, or that declare its fields
 * elsewhere (`allOf`, `$ref`, `if`, `dependentSchemas`): such an object is not warned about, since
 * `additionalProperties: false` there would refuse fields declared in the other places.
 */
const DECIDED = ['additionalProperties', 'unevaluatedProperties', 'patternProperties', 'propertyNames', 'allOf', '$ref', 'if', 'dependentSchemas'];

/** The schema's open objects, the payload's own first, in the schema's order. */
export function openObjects(root: Record<string, unknown>): OpenObject[] {
  const found: OpenObject[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, inner: string, place: string, depth: number): void => {
    if (!isObject(node) || seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    const properties = isObject(node.properties) ? Object.keys(node.properties) : [];
    if (properties.length > 0 && !DECIDED.some((keyword) => keyword in node)) {
      const required = Array.isArray(node.required) ? node.required : [];
      const optional = properties.filter((name) => !required.includes(name));
      if (optional.length > 0) found.push({ inner, place, optional: optional.map((name) => (place === '' ? name : `${place}.${name}`)), node });
    }
    for (const name of properties) walk((node.properties as Record<string, unknown>)[name], joinPointer(inner, 'properties', name), place === '' ? name : `${place}.${name}`, depth + 1);
    if (isObject(node.items)) walk(node.items, `${inner}/items`, `${place}[]`, depth + 1);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const members = node[key];
      if (Array.isArray(members)) members.forEach((member, index) => walk(member, `${inner}/${key}/${index}`, place, depth + 1));
    }
    // A local ref (`#/$defs/Task`) is walked where it points; the warning names the definition.
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      const pointer = refPointer(node.$ref);
      if (pointer !== undefined) walk(valueAt(root, pointer), pointer, place, depth + 1);
    }
  };
  walk(root, '', '', 0);
  return found;
}

/** `#/$defs/Task` → `/$defs/Task`; undefined for a malformed escape (the schema's own check reports it). */
function refPointer(ref: string): string | undefined {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
}

/** A misspelling of the field's name, to make the risk concrete: `title` → `an answer with \`titel\` instead of \`title\`` (`withWhat`: how the value is said, `a call with` for arguments). */
export function misspeltExample(field: string, withWhat = 'an answer with'): string {
  // `tasks[].notes`: the name is after the last dot.
  const cut = field.lastIndexOf('.') + 1;
  const name = field.slice(cut);
  const last = name.length - 1;
  if (name.length < 3 || name[last] === name[last - 1]) return `${withWhat} a misspelt name for one of them`;
  return `${withWhat} \`${field.slice(0, cut)}${name.slice(0, last - 1)}${name[last]}${name[last - 1]}\` instead of \`${field}\``;
}

export function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function listFields(fields: string[]): string {
  const shown = fields.slice(0, 5).map((field) => `\`${field}\``);
  return fields.length > 5 ? `${shown.join(', ')} and ${fields.length - 5} more` : shown.join(', ');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
