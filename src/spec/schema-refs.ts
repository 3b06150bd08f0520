import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { FileRefReader, ReferencedFile } from './file-refs.js';
import { jsonSyntaxProblem } from './json-syntax.js';
import { joinPointer, valueAt } from './pointer.js';
import { characterPosition } from './text-encoding.js';
import { prescanYaml } from './yaml-prescan.js';

type Json = unknown;
type JsonObject = Record<string, unknown>;

/** Where `$ref`s are being resolved: the message schema itself, or a referenced file. */
interface Scope {
  /** Folder that relative file refs start from. */
  dir: string;
  /** The referenced file, or undefined for the schema written in the SOP. */
  file: ReferencedFile | undefined;
  /** Parsed content of `file`. */
  document: Json;
  /** Internal `#/...` refs resolve against the result's root here, so they can stay as written. */
  isRoot: boolean;
}

interface Walk {
  reader: FileRefReader;
  sink: DiagnosticSink;
  /** `file#pointer` keys being expanded: a repeat is a cycle. */
  stack: string[];
  memo: Map<string, Json>;
}

/** Where an object of an inlined schema was written in a referenced file: that file, and its JSON pointer there. */
export interface SchemaFileOrigin {
  file: ReferencedFile;
  pointer: string;
}

/** Objects of inlined schemas that came from a referenced file (objects written in the SOP are not in it). */
const FILE_ORIGINS = new WeakMap<object, SchemaFileOrigin>();

/** Where `node`, an object of a schema `inlineSchemaRefs` returned, was written, when that is in a referenced file. */
export function schemaFileOrigin(node: object): SchemaFileOrigin | undefined {
  return FILE_ORIGINS.get(node);
}

/**
 * Inlines the file `$ref`s of a message's payload schema (`$ref: schemas/prd.json`, optionally with
 * `#/pointer`), recursively, so the schema the runtime gets is self-contained. Internal refs
 * (`#/$defs/x`) of the SOP's own schema stay; those inside a referenced file are inlined from that
 * file, unless the file is the whole schema. Problems are reported at the `$ref` in the SOP.
 */
export async function inlineSchemaRefs(schema: JsonObject, pointer: string, reader: FileRefReader, sink: DiagnosticSink): Promise<JsonObject> {
  const walk: Walk = { reader, sink, stack: [], memo: new Map() };
  const root: Scope = { dir: reader.root, file: undefined, document: schema, isRoot: true };
  const keys = Object.keys(schema);
  // `schema: { $ref: prd.json }`: the file is the whole schema and keeps its own `#/...` refs.
  if (keys.length === 1 && typeof schema.$ref === 'string' && isFileRef(schema.$ref) && !schema.$ref.includes('#')) {
    const loaded = await loadRef(schema.$ref, root, joinPointer(pointer, '$ref'), walk);
    if (!loaded) return schema;
    const result = await expand(loaded.document, { ...loaded.scope, isRoot: true }, joinPointer(pointer, '$ref'), walk, loaded.key, loaded.pointer);
    return isObject(result) ? result : schema;
  }
  const result = await expand(schema, root, pointer, walk, undefined, '');
  return isObject(result) ? result : schema;
}

/** `filePointer`: where `node` is in the scope's file (unused for the SOP's own schema). */
async function expand(node: Json, scope: Scope, sopPointer: string, walk: Walk, key: string | undefined, filePointer: string): Promise<Json> {
  if (key !== undefined) {
    if (walk.stack.includes(key)) {
      const chain = [...walk.stack.slice(walk.stack.indexOf(key)), key].map(shortKey).join(' → ');
      walk.sink.error('FILE_REF_INVALID', sopPointer, `circular $ref: ${chain}`, {
        hint: 'a recursive schema must use internal refs (`#/$defs/Node`) inside one file',
      });
      return {};
    }
    const known = walk.memo.get(key);
    if (known !== undefined) return known;
    walk.stack.push(key);
  }
  try {
    const result = await expandNode(node, scope, sopPointer, walk, filePointer);
    if (key !== undefined) walk.memo.set(key, result);
    return result;
  } finally {
    if (key !== undefined) walk.stack.pop();
  }
}

async function expandNode(node: Json, scope: Scope, sopPointer: string, walk: Walk, filePointer: string): Promise<Json> {
  const inSop = scope.file === undefined;
  if (Array.isArray(node)) {
    const items: Json[] = [];
    for (const [index, item] of node.entries()) items.push(await expandNode(item, scope, inSop ? joinPointer(sopPointer, index) : sopPointer, walk, joinPointer(filePointer, index)));
    return items;
  }
  if (!isObject(node)) return node;
  const ref = node.$ref;
  const siblings: JsonObject = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === '$ref' && typeof ref === 'string') continue;
    siblings[name] = await expandNode(value, scope, inSop ? joinPointer(sopPointer, name) : sopPointer, walk, joinPointer(filePointer, name));
  }
  // Diagnostics about an object written in a file are located there (PAYLOAD_SCHEMA_OPEN).
  const fromFile = (built: JsonObject): JsonObject => {
    if (scope.file) FILE_ORIGINS.set(built, { file: scope.file, pointer: filePointer });
    return built;
  };
  if (typeof ref !== 'string') return fromFile(siblings);

  const refPointer = inSop ? joinPointer(sopPointer, '$ref') : sopPointer;
  let target: Json;
  if (ref.startsWith('#')) {
    if (scope.isRoot) return fromFile({ ...siblings, $ref: ref });
    target = await expandInternal(ref, scope, refPointer, walk);
  } else if (!isFileRef(ref)) {
    walk.sink.error('FILE_REF_INVALID', refPointer, `\`$ref: ${ref}\` is not a relative file path${where(scope)}`, {
      hint: 'payload schemas may reference files next to the SOP (`$ref: schemas/prd.json#/$defs/Item`) and their own `#/...` parts',
    });
    return fromFile({ ...siblings, $ref: ref });
  } else {
    const loaded = await loadRef(ref, scope, refPointer, walk);
    if (!loaded) return fromFile(siblings);
    target = await expand(loaded.document, loaded.scope, refPointer, walk, loaded.key, loaded.pointer);
  }
  if (Object.keys(siblings).length === 0) return target;
  const allOf = Array.isArray(siblings.allOf) ? siblings.allOf : [];
  return fromFile({ ...siblings, allOf: [...allOf, target] });
}

/** `#/...` inside a referenced file: inlined from that file. */
async function expandInternal(ref: string, scope: Scope, refPointer: string, walk: Walk): Promise<Json> {
  const target = resolvePointer(scope.document, ref.slice(1));
  if (target === undefined) {
    walk.sink.error('FILE_REF_INVALID', refPointer, `\`$ref: ${ref}\`${where(scope)} points at nothing`, { hint: 'check the pointer after `#`' });
    return {};
  }
  return expand(target, scope, refPointer, walk, `${scope.file?.absolute ?? ''}${ref}`, decodeURIComponent(ref.slice(1)));
}

async function loadRef(ref: string, scope: Scope, refPointer: string, walk: Walk): Promise<{ document: Json; scope: Scope; key: string; pointer: string } | undefined> {
  const hashAt = ref.indexOf('#');
  const filePart = hashAt === -1 ? ref : ref.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : ref.slice(hashAt + 1);
  const result = await walk.reader.read(decodeURI(filePart), scope.dir);
  if (!result.ok) {
    walk.sink.error(result.problem.code, refPointer, `${result.problem.message}${where(scope)}`, { hint: result.problem.hint });
    return undefined;
  }
  const isYaml = /\.ya?ml$/i.test(filePart);
  const tooLarge = isYaml ? prescanYaml(result.file.text) : undefined;
  if (tooLarge) {
    const { line, column } = characterPosition(result.file.text, tooLarge.offset);
    walk.sink.error('YAML_TOO_LARGE', refPointer, `\`${result.file.display}\` (line ${line}, column ${column}): ${tooLarge.message}${where(scope)}`, { hint: tooLarge.hint });
    return undefined;
  }
  let parsed: Json;
  try {
    parsed = isYaml ? parseYaml(result.file.text) : JSON.parse(result.file.text);
  } catch (error) {
    const inFile = isYaml ? undefined : jsonMistake(error as Error, result.file.text);
    walk.sink.error('FILE_REF_INVALID', refPointer, `\`${result.file.display}\` is not valid ${isYaml ? 'YAML' : 'JSON'}: ${inFile?.message ?? (error as Error).message}`, {
      hint: 'a referenced schema file holds one JSON Schema',
      // Located where the JSON breaks, not at the `$ref` (an offset in the message is no use in an editor).
      ...(inFile ? { file: result.file.display, position: inFile.position } : {}),
    });
    return undefined;
  }
  const target = resolvePointer(parsed, fragment);
  if (target === undefined) {
    walk.sink.error('FILE_REF_INVALID', refPointer, `\`${ref}\`: \`${result.file.display}\` has nothing at \`#${fragment}\``, { hint: 'check the pointer after `#`' });
    return undefined;
  }
  if (!isObject(target) && typeof target !== 'boolean') {
    const what = fragment ? `\`${result.file.display}\` at \`#${fragment}\`` : `\`${result.file.display}\``;
    walk.sink.error('FILE_REF_INVALID', refPointer, `${what} holds ${Array.isArray(target) ? 'a list' : target === null ? 'null' : `a ${typeof target}`}, not a JSON Schema`, {
      expected: 'a JSON Schema: an object such as { "type": "object", "properties": { ... } }',
      hint: 'a referenced schema file holds one JSON Schema (an object)',
    });
    return undefined;
  }
  const fileScope: Scope = { dir: path.dirname(result.file.absolute), file: result.file, document: parsed, isRoot: false };
  return { document: target, scope: fileScope, key: `${result.file.absolute}#${fragment}`, pointer: decodeURIComponent(fragment) };
}

function resolvePointer(document: Json, pointer: string): Json {
  return valueAt(document, decodeURIComponent(pointer));
}

/** A relative path, not a URL (`https:`, `file:`, `urn:`). */
function isFileRef(ref: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('#');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function where(scope: Scope): string {
  return scope.file ? ` (in ${scope.file.display})` : '';
}

function shortKey(key: string): string {
  const [file, fragment] = key.split('#');
  return `${path.basename(file ?? '')}${fragment ? `#${fragment}` : ''}`;
}

/** Where and why the JSON breaks, in words (`expected \`,\``); JSON.parse's own place and message when the words find nothing. */
function jsonMistake(error: Error, text: string): { position: { line: number; column: number }; message: string } | undefined {
  const problem = jsonSyntaxProblem(text, 'the schema');
  // Past the last value (a missing `}` at the end) is said at the end of the last line, not on the empty one after it.
  return problem ? { position: characterPosition(text, Math.min(problem.offset, text.trimEnd().length)), message: problem.message } : jsonErrorPosition(error, text);
}

/** Where `JSON.parse` gave up (`... in JSON at position 44`, or the end of the text), and its message without the offset. */
function jsonErrorPosition(error: Error, text: string): { position: { line: number; column: number }; message: string } | undefined {
  const at = /^(.*?)(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(error.message);
  // Past the last value (a missing `}` at the end) is said at the end of the last line, not on the empty one after it.
  if (at) return { position: characterPosition(text, Math.min(Number(at[2]), text.trimEnd().length)), message: at[1] ?? error.message };
  if (/end of JSON input/.test(error.message)) return { position: characterPosition(text, text.trimEnd().length), message: 'the text ends before the JSON does' };
  return undefined;
}
