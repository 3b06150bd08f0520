import { joinPointer, valueAt } from './pointer.js';

/**
 * A `$ref` that leads back to itself without stepping into a property or an item
 * (`$defs: { a: { $ref: '#/$defs/a' } }`, `$ref: '#'` at the top): a validator following it
 * would recurse on the same value forever. Recursion through `properties`/`items` is fine.
 */
export interface RefLoop {
  /** Pointer (inside the schema) of the `$ref` that starts the loop. */
  pointer: string;
  /** The refs followed, ending with the first again (`#/$defs/a → #/$defs/a`). */
  chain: string[];
}

type JsonObject = Record<string, unknown>;

/** The first `$ref` loop of `schema` that never reaches a property or item, if any. */
export function refLoop(schema: JsonObject): RefLoop | undefined {
  for (const [pointer, node] of nodesWithRefs(schema)) {
    const chain = loopFrom(schema, node);
    if (chain) return { pointer: joinPointer(pointer, '$ref'), chain };
  }
  return undefined;
}

/** Every object of the schema holding an internal `$ref`, with its pointer (walked without recursion). */
function nodesWithRefs(schema: JsonObject): Array<[string, JsonObject]> {
  const found: Array<[string, JsonObject]> = [];
  const stack: Array<[string, unknown]> = [['', schema]];
  while (stack.length > 0) {
    const [pointer, node] = stack.pop() as [string, unknown];
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push([joinPointer(pointer, index), item]));
      continue;
    }
    const object = node as JsonObject;
    if (typeof object.$ref === 'string' && object.$ref.startsWith('#')) found.push([pointer, object]);
    for (const [key, value] of Object.entries(object)) stack.push([joinPointer(pointer, key), value]);
  }
  return found;
}

/** Follows what applies to the same value as `start` (refs, allOf/anyOf/oneOf, not, if/then/else); the refs taken if it comes back. */
function loopFrom(root: JsonObject, start: JsonObject): string[] | undefined {
  const seen = new Set<unknown>();
  const stack: Array<{ node: unknown; refs: string[] }> = [{ node: resolveRef(root, start.$ref as string), refs: [start.$ref as string] }];
  while (stack.length > 0) {
    const { node, refs } = stack.pop() as { node: unknown; refs: string[] };
    if (node === start) return [...refs, start.$ref as string];
    if (!node || typeof node !== 'object' || Array.isArray(node) || seen.has(node)) continue;
    seen.add(node);
    const object = node as JsonObject;
    if (typeof object.$ref === 'string' && object.$ref.startsWith('#')) stack.push({ node: resolveRef(root, object.$ref), refs: [...refs, object.$ref] });
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const members = object[key];
      if (Array.isArray(members)) for (const member of members) stack.push({ node: member, refs });
    }
    for (const key of ['not', 'if', 'then', 'else']) stack.push({ node: object[key], refs });
  }
  return undefined;
}

/** `#/$defs/a` inside the same schema. */
function resolveRef(root: JsonObject, ref: string): unknown {
  try {
    return valueAt(root, decodeURIComponent(ref.slice(1)));
  } catch {
    return undefined; // a malformed %-escape: ajv reports the ref
  }
}
