import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface SchemaDocument {
  $defs?: Record<string, unknown>;
  [keyword: string]: unknown;
}

/** A `$ref` to a definition of a schema file beside it: `script.v1.schema.json#/$defs/Answers`. */
const SIBLING_DEFINITION = /^([\w.-]+\.json)#\/\$defs\/([\w-]+)$/;
const LOCAL_DEFINITION = /^#\/\$defs\/([\w-]+)$/;

/**
 * One of the shipped schemas (`file`, in `schemasDir`) as one file an editor can load alone and
 * offline: each definition it `$ref`s in a schema beside it (the eval dataset's `expect` is
 * sop-test's, whose answers are the script schema's) is taken into its `$defs`, with the definitions
 * those refer to, and the `$ref` made local. A schema that refers to no other file is returned as
 * shipped, byte for byte.
 */
export async function standaloneSchema(schemasDir: string, file: string): Promise<string> {
  const text = await readFile(path.join(schemasDir, file), 'utf8');
  const root = JSON.parse(text) as SchemaDocument;
  const documents = new Map<string, SchemaDocument>([[file, root]]);
  // Which file each definition of the result comes from: two files' same name would collide.
  const owners = new Map<string, string>(Object.keys(root.$defs ?? {}).map((name) => [name, file]));
  const wanted: Array<{ from: string; name: string }> = [];
  const localise = (value: unknown, from: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => localise(item, from));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === '$ref' && typeof item === 'string' ? localRef(item, from, wanted) : localise(item, from)]));
  };
  const bundled = localise(root, file) as SchemaDocument;
  if (wanted.every((ref) => ref.from === file)) return text;
  const taken: Record<string, unknown> = {};
  for (let next = wanted.shift(); next !== undefined; next = wanted.shift()) {
    const { from, name } = next;
    const owner = owners.get(name);
    if (owner === from) continue;
    if (owner !== undefined) throw new Error(`${file}: ${owner} and ${from} both define ${name}`);
    owners.set(name, from);
    const document = documents.get(from) ?? (JSON.parse(await readFile(path.join(schemasDir, from), 'utf8')) as SchemaDocument);
    documents.set(from, document);
    const definition = document.$defs?.[name];
    if (definition === undefined) throw new Error(`${file}: ${from} has no $defs/${name}`);
    taken[name] = localise(definition, from);
  }
  // In the order their own files list them, so a copy refreshed after an upgrade diffs little.
  const order = [...documents.values()].flatMap((document) => Object.keys(document.$defs ?? {}));
  const takenInOrder = Object.fromEntries(order.filter((name) => name in taken).map((name) => [name, taken[name]]));
  return `${JSON.stringify({ ...bundled, $defs: { ...bundled.$defs, ...takenInOrder } }, null, 2)}\n`;
}

/** `ref` as written in `from`, made local to the bundle; records the definition it needs. */
function localRef(ref: string, from: string, wanted: Array<{ from: string; name: string }>): string {
  const local = LOCAL_DEFINITION.exec(ref);
  if (local) {
    wanted.push({ from, name: local[1] as string });
    return ref;
  }
  const sibling = SIBLING_DEFINITION.exec(ref);
  if (sibling) {
    wanted.push({ from: sibling[1] as string, name: sibling[2] as string });
    return `#/$defs/${sibling[2] as string}`;
  }
  if (ref.startsWith('#')) return ref;
  throw new Error(`${from}: cannot take in $ref ${ref} (only FILE.json#/$defs/NAME)`);
}
