import type { ErrorObject } from 'ajv';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { fromPointer, isWithin, joinPointer } from './pointer.js';
import { describeSchema, explainPattern, jsonTypeOf, schemaTypes, typeAccepts, typeWords, valueWords } from './schema-words.js';
import { argvList } from './command-line-argv.js';
import { dedentedFieldHint, emptyMappingHint } from './dedented-fields.js';
import { foreignField, foreignKey, foreignValue, messageTypeForId } from './foreign-names.js';
import { closestMatch, didYouMean, didYouMeanAWord, expandedAbbreviation, listNames } from './suggest.js';

/** An ajv error after `oneOf`/`anyOf` noise is removed; `alternatives` is set for "none of these forms". */
export interface SchemaProblem {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  data: unknown;
  parentSchema: Record<string, unknown> | undefined;
  propertyName: string | undefined;
  message: string;
  alternatives: string[] | undefined;
  /** Where in the schema the failing keyword is (`#/$defs/X/oneOf/1/required`): tells which alternative failed. */
  schemaPath: string;
  /** How to fix it, when the other alternatives tell (`on_fail: revise` where `{ revise: N }` is a form). */
  hint?: string;
  /** An `enum`/`const` alternative's siblings of another type, described (`{ revise, route, then }`): also allowed. */
  otherForms?: string[];
}

type Resolve = (ref: string) => unknown;

/** The pattern of a message type name (`MessageTypeName` in the SOP schema). */
const MESSAGE_TYPE_PATTERN = '^[A-Z][A-Za-z0-9]*$';

/**
 * Collapses ajv's `oneOf`/`anyOf` reports: ajv lists the failures of every alternative, then "must
 * match exactly one schema". We keep the failures of the alternatives whose type fits the data, and
 * when none fits, one "expected X or Y" problem. Needs errors from a `verbose` ajv.
 */
export function collapseErrors(errors: ErrorObject[], resolve: Resolve): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'propertyNames') continue; // the failing name's own error carries `propertyName`
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      out.push(toProblem(error));
      continue;
    }
    const path = error.instancePath;
    if (error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas)) {
      out.push({ ...toProblem(error), message: 'matches more than one of the allowed forms' });
      continue;
    }
    // Errors of the alternatives precede the combinator error, all at or below its instance path.
    const group: SchemaProblem[] = [];
    while (out.length > 0 && isWithin(out[out.length - 1]!.instancePath, path)) group.unshift(out.pop()!);
    const branches = Array.isArray(error.schema) ? error.schema : [];
    const keyAsValue = keyMeantAsValue(error, branches, resolve);
    if (keyAsValue) {
      out.push(keyAsValue);
      continue;
    }
    const dataType = jsonTypeOf(error.data);
    const branchTypes = branches.map((branch) => schemaTypes(branch, resolve));
    const noneFits = branchTypes.length > 0 && branchTypes.every((types) => types !== undefined && !types.some((type) => typeAccepts(type, dataType)));
    // Failures at the combinator's own path from alternatives of another type say nothing useful.
    const fitting = noneFits ? [] : group.filter((problem) => !(problem.instancePath === path && wrongTypeForData(problem, dataType, resolve)));
    const kept = closestAlternative(fitting, error, branches, resolve);
    const valueHint = valueMeantAsKey(error, branches, resolve);
    // `on_fail: retry`: the words allowed, and the forms of another type (`{ revise, route, then }`) beside them.
    const otherForms = branches.filter((_, at) => branchTypes[at] !== undefined && !branchTypes[at]!.some((type) => typeAccepts(type, dataType))).map((branch) => describeSchema(branch, resolve));
    const wordProblem = (problem: SchemaProblem): boolean => problem.instancePath === path && (problem.keyword === 'enum' || problem.keyword === 'const');
    if (kept.length > 0) out.push(...kept.map((problem) => (wordProblem(problem) ? { ...problem, ...(valueHint ? { hint: valueHint } : {}), ...(otherForms.length > 0 ? { otherForms } : {}) } : problem)));
    else {
      out.push({
        ...toProblem(error),
        keyword: 'type',
        alternatives: branches.map((branch) => describeSchema(branch, resolve)),
        // `n_round: "10"` (a whole number or `{ input: NAME }`): the number meant, written bare; `human: true`: the word meant.
        ...hintOf(bareNumberHint(error.data, branchTypes.flatMap((types) => types ?? [])) ?? meantWordHint(error.data, branches.flatMap((branch) => wordsOf(branch, resolve))) ?? valueHint ?? mappingOfForms(error.data, branches, resolve)),
      });
    }
  }
  return out;
}

/** The field a value is written at (`on_fail`), for hints that show the fixed line. */
function fieldName(instancePath: string): string {
  const segments = fromPointer(instancePath);
  return segments[segments.length - 1] ?? 'value';
}

/** `human: yes` (or `true`, `ok`) where the word allowed is `approve`: did you mean it. */
function meantWordHint(data: unknown, allowed: readonly string[]): string | undefined {
  const word = foreignValue(data, allowed);
  return word === undefined ? undefined : `did you mean \`${word}\`?`;
}

/** The words an alternative takes as they are (`const: approve`, `enum: [stop, warn]`). */
function wordsOf(branch: unknown, resolve: Resolve, depth = 0): string[] {
  if (!branch || typeof branch !== 'object' || depth > 10) return [];
  const node = branch as { $ref?: unknown; const?: unknown; enum?: unknown };
  if (typeof node.$ref === 'string') return wordsOf(resolve(node.$ref), resolve, depth + 1);
  return [node.const, ...(Array.isArray(node.enum) ? node.enum : [])].filter((value): value is string => typeof value === 'string');
}

/** Whether an alternative takes the string `value` as it is (`const: approve`, `enum: [stop, warn]`). */
function acceptsString(branch: unknown, value: string, resolve: Resolve, depth = 0): boolean {
  if (!branch || typeof branch !== 'object' || depth > 10) return false;
  const node = branch as { $ref?: unknown; const?: unknown; enum?: unknown };
  if (typeof node.$ref === 'string') return acceptsString(resolve(node.$ref), value, resolve, depth + 1);
  return node.const === value || (Array.isArray(node.enum) && node.enum.includes(value));
}

/**
 * `human: { approve: true }` or `on_fail: { warn: true }` where the word itself is a form
 * (`human: approve`, `on_fail: warn`): one problem saying so, rather than every object
 * alternative's missing and unknown fields.
 */
function keyMeantAsValue(error: ErrorObject, branches: unknown[], resolve: Resolve): SchemaProblem | undefined {
  const data = error.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const keys = Object.keys(data);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (!branches.some((branch) => acceptsString(branch, key, resolve))) return undefined;
  if (branches.some((branch) => key in (objectProperties(branch, resolve) ?? {}))) return undefined;
  const field = fieldName(error.instancePath);
  return {
    ...toProblem(error),
    keyword: 'type',
    alternatives: branches.map((branch) => describeSchema(branch, resolve)),
    hint: `\`${key}\` is a value here, not a field: write \`${field}: ${key}\``,
  };
}

/** What a hint shows as a field's value where `...` would leave the user guessing (a rejection's feedback). */
const FIELD_EXAMPLES: Record<string, string> = { reject: '"what to change"' };

/**
 * `on_fail: revise` where `revise` is a field of another form (`{ revise: N }`), or `human: no`
 * (`false`, `rejected`) where `{ reject: feedback }` is: the hint shows that form.
 */
function valueMeantAsKey(error: ErrorObject, branches: unknown[], resolve: Resolve): string | undefined {
  const fields = branches.flatMap((branch) => Object.keys(objectProperties(branch, resolve) ?? {}));
  const word = error.data;
  const field = typeof word === 'string' && fields.includes(word) ? word : foreignKey(word, fields);
  if (field === undefined) return undefined;
  const form = `\`${fieldName(error.instancePath)}: { ${field}: ${FIELD_EXAMPLES[field] ?? '...'} }\``;
  if (field === word) return `\`${field}\` is a field of the mapping form here: write ${form} (see \`sop schema\`)`;
  return `\`${String(word)}\` reads as \`${field}\`, a field of the mapping form here: write ${form} (see \`sop schema\`)`;
}

/**
 * Of several object alternatives, the one whose fields the data uses most (`{ path, required }`
 * among `{ each }`, `{ glob }` and `{ path, required }`) is what the author meant: only its failures
 * are kept, instead of "missing `each`", "missing `glob`" and each field unknown to the others.
 */
function closestAlternative(problems: SchemaProblem[], error: ErrorObject, branches: unknown[], resolve: Resolve): SchemaProblem[] {
  const data = error.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return problems;
  const keys = Object.keys(data);
  const scores = branches.map((branch) => {
    const properties = objectProperties(branch, resolve);
    return properties ? keys.filter((key) => key in properties).length : -1;
  });
  const best = Math.max(...scores);
  if (best <= 0 || scores.filter((score) => score === best).length > 1) return problems;
  const branch = branches[scores.indexOf(best)] as { $ref?: unknown };
  // ajv names a failure inside a `$ref`ed alternative by the definition's own path.
  const prefixes = [`${error.schemaPath}/${scores.indexOf(best)}/`, ...(typeof branch.$ref === 'string' ? [`${branch.$ref}/`] : [])];
  const own = problems.filter((problem) => prefixes.some((prefix) => problem.schemaPath.startsWith(prefix)));
  return own.length > 0 ? own : problems;
}

function objectProperties(schema: unknown, resolve: Resolve, depth = 0): Record<string, unknown> | undefined {
  if (!schema || typeof schema !== 'object' || depth > 10) return undefined;
  const node = schema as { $ref?: unknown; properties?: unknown };
  if (typeof node.$ref === 'string') return objectProperties(resolve(node.$ref), resolve, depth + 1);
  return node.properties && typeof node.properties === 'object' ? (node.properties as Record<string, unknown>) : undefined;
}

function wrongTypeForData(problem: SchemaProblem, dataType: string, resolve: Resolve): boolean {
  if (problem.keyword === 'type') return true;
  const types = schemaTypes(problem.parentSchema, resolve);
  return types !== undefined && !types.some((type) => typeAccepts(type, dataType));
}

function toProblem(error: ErrorObject): SchemaProblem {
  return {
    keyword: error.keyword,
    instancePath: error.instancePath,
    params: error.params as Record<string, unknown>,
    data: error.data,
    parentSchema: error.parentSchema as Record<string, unknown> | undefined,
    propertyName: error.propertyName,
    message: error.message ?? 'is invalid',
    alternatives: undefined,
    schemaPath: error.schemaPath,
  };
}

/** Resolves `#/$defs/X`-style references inside `root`. */
export function localResolver(root: Record<string, unknown>): Resolve {
  return (ref: string) => {
    if (!ref.startsWith('#')) return undefined;
    let node: unknown = root;
    for (const segment of fromPointer(ref.slice(1))) {
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
    return node;
  };
}

/**
 * Maps the SOP schema's errors to located diagnostics, one per real problem. Returns the pointers of
 * the fields an unknown one was taken for (`/roles/a/watch` for `wacth`), so later checks can stay quiet about their absence.
 */
export function reportSchemaErrors(errors: ErrorObject[], root: Record<string, unknown>, sink: DiagnosticSink, document?: unknown): ReadonlySet<string> {
  const resolve = localResolver(root);
  const problems = collapseErrors(errors, resolve);
  // A typo (`wacth`) is reported once, as an unknown field, not again as the missing `watch`; so is another framework's name for it (`agents`).
  const suggested = new Set<string>();
  for (const problem of problems) {
    if (problem.keyword !== 'additionalProperties') continue;
    const allowed = Object.keys((problem.parentSchema?.properties as object | undefined) ?? {});
    const field = String(problem.params.additionalProperty);
    const foreign = foreignField(field, allowed, problem.data);
    const match = closestMatch(field, allowed) ?? (foreign?.renamed ? foreign.field : undefined);
    if (match) suggested.add(joinPointer(problem.instancePath, match));
  }
  for (const problem of problems) {
    if (problem.keyword === 'required' && suggested.has(joinPointer(problem.instancePath, String(problem.params.missingProperty)))) continue;
    reportProblem(problem, sink, document, resolve);
  }
  return suggested;
}

function reportProblem(problem: SchemaProblem, sink: DiagnosticSink, document: unknown, resolve: Resolve): void {
  const { instancePath: path, params, data, parentSchema } = problem;
  switch (problem.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const properties = parentSchema?.properties as Record<string, unknown> | undefined;
      const allowed = Object.keys(properties ?? {});
      sink.error('SCHEMA_UNKNOWN_FIELD', joinPointer(path, field), `unknown field \`${field}\``, {
        at: 'key',
        expected: `one of: ${listNames(allowed)}`,
        hint: extensionKeyHint(field) ?? dedentedFieldHint(field, data, properties, path, sink, resolve) ?? didYouMean(field, allowed) ?? foreignField(field, allowed, data)?.hint ?? commaSplitHint(data, field) ?? didYouMeanAWord(field, allowed) ?? 'remove it (see `sop schema` for the fields allowed here)',
      });
      return;
    }
    case 'required': {
      const field = String(params.missingProperty);
      const description = (parentSchema?.properties as Record<string, { description?: string }> | undefined)?.[field]?.description;
      sink.error('SCHEMA_MISSING_FIELD', joinPointer(path, field), `missing required field \`${field}\``, {
        ...(description ? { expected: `\`${field}\`: ${description}` } : {}),
        hint: `add \`${field}:\` here`,
      });
      return;
    }
    case 'type': {
      const expected = problem.alternatives ? problem.alternatives.join(' or ') : typeWords(params.type);
      sink.error('SCHEMA_TYPE', path, `expected ${expected}, got ${valueWords(data)}`, {
        expected,
        ...(problem.hint ? { hint: inputBoundHint(problem.hint, data, document) } : typeHint(problem, sink, path, resolve, document)),
      });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (problem.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map(String);
      const written = typeof data === 'string' ? data : JSON.stringify(data);
      sink.error('SCHEMA_ENUM', path, `\`${written}\` is not allowed here`, {
        expected: `${allowed.length === 1 ? `\`${allowed[0]}\`` : `one of: ${listNames(allowed)}`}${problem.otherForms ? ` or ${problem.otherForms.join(' or ')}` : ''}`,
        ...hintOf(problem.hint ?? (typeof data === 'string' ? didYouMean(data, allowed) ?? abbreviationHint(data, allowed) : undefined) ?? meantWordHint(data, allowed)),
      });
      return;
    }
    case 'pattern': {
      const isKey = problem.propertyName !== undefined;
      const value = isKey ? problem.propertyName : data;
      const pointer = isKey ? joinPointer(path, String(problem.propertyName)) : path;
      const { rule, suggestion } = explainPattern(String(params.pattern), value);
      // `watch: [write_post]`: an action id where its message type goes; `WritePost` would be no fix.
      const meant = !isKey && params.pattern === MESSAGE_TYPE_PATTERN ? messageTypeForId(value, document)?.hint : undefined;
      sink.error('SCHEMA_PATTERN', pointer, `\`${String(value)}\` is not a valid ${nounFor(pointer, isKey)}`, {
        at: isKey ? 'key' : 'value',
        expected: rule,
        ...hintOf(meant ?? (suggestion ? `write \`${suggestion}\`` : undefined)),
      });
      return;
    }
    default: {
      // What the failing keyword allows, not the field's description (that says what the field is for).
      const expected = limitExpectation(problem);
      const hint = limitHint(problem.keyword);
      sink.error('SCHEMA_VIOLATION', problem.propertyName === undefined ? path : joinPointer(path, problem.propertyName), limitMessage(problem), {
        at: problem.propertyName === undefined ? 'value' : 'key',
        ...(expected ? { expected } : {}),
        ...hintOf(hint),
      });
    }
  }
}

/** `investment: "$0.50"`: a number field (one of `types`) given a quoted number; the hint writes it bare. */
function bareNumberHint(data: unknown, types: readonly string[]): string | undefined {
  if (typeof data !== 'string' || !types.some((type) => type === 'number' || type === 'integer')) return undefined;
  const number = numberIn(data);
  return number === undefined ? undefined : `write a bare number, no quotes or unit: ${number}`;
}

/** The number in `"0.5"`, `"$0.50"`, `" 10 "` (what a number field was given quoted), else undefined. */
function numberIn(text: string): string | undefined {
  const bare = text.trim().replace(/^[$€£]\s*|\s*(USD|usd)$/g, '');
  return /^-?\d+(\.\d+)?$/.test(bare) ? String(Number(bare)) : undefined;
}

/**
 * `{ description: the tickets, one per line }`: in a `{ ... }` mapping the comma ends the text, and
 * what follows it becomes a field without a value. The hint quotes the whole text.
 */
function commaSplitHint(data: unknown, field: string): string | undefined {
  if (!data || typeof data !== 'object' || (data as Record<string, unknown>)[field] !== null || !/\s/.test(field.trim())) return undefined;
  const keys = Object.keys(data);
  const before = keys[keys.indexOf(field) - 1];
  const text = before === undefined ? undefined : (data as Record<string, unknown>)[before];
  if (typeof text !== 'string') return undefined;
  return `a comma inside \`{ ... }\` ends the value before it: quote the whole text, \`${before}: "${text}, ${field.trim()}"\``;
}

function hintOf(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

/**
 * `n_round: twelve` (a whole number or `{ input: NAME }`) was hinted `{ input: twelve }`, naming an
 * input the SOP does not have. The mapping is the fix only when the word is a declared input (or alias).
 */
function inputBoundHint(hint: string, data: unknown, document: unknown): string {
  if (typeof data !== 'string' || hint !== `write a mapping: { input: ${data} }`) return hint;
  const inputs = (document as { inputs?: unknown } | undefined)?.inputs;
  const entries = inputs !== null && typeof inputs === 'object' ? Object.entries(inputs as Record<string, { aliases?: unknown; type?: unknown }>) : [];
  if (entries.some(([name, input]) => name === data || (Array.isArray(input?.aliases) && input.aliases.includes(data)))) return hint;
  const numeric = entries.filter(([, input]) => input?.type === 'integer' || input?.type === 'number').map(([name]) => name);
  return `write a whole number (e.g. \`12\`), or \`{ input: NAME }\` naming an \`integer\` or \`number\` input${numeric.length > 0 ? ` (${listNames(numeric)})` : ''}`;
}

/**
 * `x-anchors:` (Docker Compose's and OpenAPI's place for YAML anchors) was hinted "remove it", leaving
 * the aliases below it unresolved: say where an anchor goes in an SOP instead.
 */
function extensionKeyHint(field: string): string | undefined {
  if (!field.startsWith('x-')) return undefined;
  return 'an SOP has no `x-` extension fields: put the YAML anchor where the value is first used (`- &judged { name: judged, ... }`) and repeat it with `*judged`, or keep shared values under `vars:`';
}

/** Hints for the usual type slips: `version: 1.0` read as a number, a single value where a list goes. */
function typeHint(problem: SchemaProblem, sink: DiagnosticSink, path: string, resolve: Resolve, document: unknown): { hint?: string } {
  const wanted = problem.alternatives ? undefined : String(problem.params.type);
  if (wanted === 'object' && problem.data === null) return hintOf(emptyMappingHint(path, document, problem.parentSchema, sink, resolve));
  const source = sink.sourceMap?.sourceText(path);
  if (wanted === 'string' && source !== undefined && typeof problem.data !== 'object') {
    // Quoting `version: 1.0` gives "1.0", which the field's pattern refuses next: name the value it takes.
    const pattern = problem.parentSchema?.['pattern'];
    if (typeof pattern === 'string' && !new RegExp(pattern).test(source)) {
      const { suggestion } = explainPattern(pattern, source);
      if (suggestion !== undefined) return { hint: `write "${suggestion}"` };
    }
    return { hint: `quote the value: "${source}"` };
  }
  const bare = bareNumberHint(problem.data, wanted === undefined ? [] : [wanted]);
  if (bare !== undefined) return { hint: bare };
  if (wanted === 'array' && typeof problem.data === 'string') {
    // `artifacts: notes.md`: a list of mappings wants the value inside its item's required field, not `[notes.md]`.
    const item = mappingWithValue(problem.parentSchema?.['items'], problem.data, resolve);
    return { hint: `write a list: [${item ?? problem.data}]` };
  }
  if (wanted === 'object' && typeof problem.data === 'string') {
    const mapping = mappingWithValue(problem.parentSchema, problem.data, resolve);
    if (mapping !== undefined) return { hint: `write a mapping: ${mapping}` };
  }
  // `inputs: [{ name: ticket, … }]`, as CrewAI and GitHub Actions list named entries: a mapping keyed by the name here.
  if (wanted === 'object' && Array.isArray(problem.data)) {
    const keyed = keyedByName(problem.data);
    if (keyed !== undefined) return { hint: keyed };
  }
  // A gate's or a precondition's `command` is a CommandSpec: the argv list goes inside it.
  if (wanted === 'object' && Array.isArray(problem.data) && /\/(gates\/\d+|precondition)\/command$/.test(path)) {
    return { hint: `the argv goes inside it, beside \`timeout\`, \`cwd\` and \`env\`: \`command: { command: ${JSON.stringify(problem.data).replaceAll('","', '", "')} }\`` };
  }
  return {};
}

/** The hint for a list of entries that each have a text `name` (or `id`): the mapping keyed by it, shown with the first entry. */
function keyedByName(items: readonly unknown[]): string | undefined {
  const isEntry = (item: unknown): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item);
  const key = ['name', 'id'].find((field) => items.length > 0 && items.every((item) => isEntry(item) && typeof item[field] === 'string'));
  if (key === undefined) return undefined;
  const { [key]: name, ...rest } = items[0] as Record<string, unknown>;
  // Nested values are left as `...`: the hint shows the shape, not a copy of the entry.
  const shown = (value: unknown): string => (typeof value === 'string' ? (/^[\w .\/-]*$/.test(value) ? value : JSON.stringify(value)) : value !== null && typeof value === 'object' ? '...' : String(value));
  const fields = Object.entries(rest).map(([field, value]) => `${field}: ${shown(value)}`).join(', ');
  return `write it as a mapping keyed by each entry's \`${key}\`: \`${String(name)}: { ${fields} }\`${items.length > 1 ? ', and so on' : ''}`;
}

/** `stop_when: Edited` (a condition or a list of them): the mapping form holding the text, as `typeHint` writes it. */
function mappingOfForms(data: unknown, branches: readonly unknown[], resolve: Resolve): string | undefined {
  if (typeof data !== 'string') return undefined;
  for (const branch of branches) {
    const mapping = mappingWithValue(branch, data, resolve);
    if (mapping !== undefined) return `write a mapping: ${mapping}`;
  }
  return undefined;
}

/**
 * `{ path: notes.md }`: a mapping of `schema` (an object) holding `value` in its first required field;
 * with none required (`human: Publish it?`), in its first field, when that takes text.
 */
function mappingWithValue(schema: unknown, value: string, resolve: Resolve, depth = 0): string | undefined {
  if (!schema || typeof schema !== 'object' || depth > 10) return undefined;
  const node = schema as { $ref?: unknown; type?: unknown; required?: unknown; properties?: Record<string, unknown> };
  if (typeof node.$ref === 'string') return mappingWithValue(resolve(node.$ref), value, resolve, depth + 1);
  if (node.type !== 'object') return undefined;
  if (!Array.isArray(node.required) || node.required.length === 0) {
    const [field, fieldSchema] = Object.entries(node.properties ?? {})[0] ?? [];
    return field !== undefined && schemaTypes(fieldSchema, resolve)?.length === 1 && schemaTypes(fieldSchema, resolve)?.[0] === 'string' && !hasEnum(fieldSchema, resolve) ? `{ ${field}: ${/^[\w .\/?-]*$/.test(value) ? value : JSON.stringify(value)} }` : undefined;
  }
  const [first, ...others] = node.required.map(String);
  // A command's argv: `command: pytest` is `{ command: [pytest] }`, not a CEL expression named `pytest`.
  const written = takesList(node.properties?.[first!], resolve) ? argvList(value) : value;
  return `{ ${[`${first}: ${written}`, ...others.map((field) => `${field}: ...`)].join(', ')} }`;
}

/** Whether a field takes only some words (`enum`): a text it was given may be none of them. */
function hasEnum(schema: unknown, resolve: Resolve, depth = 0): boolean {
  const node = schema as { $ref?: unknown; enum?: unknown } | undefined;
  if (!node || typeof node !== 'object' || depth > 10) return false;
  return Array.isArray(node.enum) || (typeof node.$ref === 'string' && hasEnum(resolve(node.$ref), resolve, depth + 1));
}

/** Whether a field takes a list (alone, or as one of its forms). */
function takesList(schema: unknown, resolve: Resolve): boolean {
  const branches = (schema as { oneOf?: unknown[]; anyOf?: unknown[] } | undefined)?.oneOf ?? (schema as { anyOf?: unknown[] } | undefined)?.anyOf ?? [schema];
  return branches.some((branch) => schemaTypes(branch, resolve)?.includes('array') === true);
}

/** What a field holds, for pattern messages: `role id`, `action id`, `message type`, ... */
function nounFor(pointer: string, isKey: boolean): string {
  const segments = fromPointer(pointer);
  const parent = segments[segments.length - 2];
  const last = segments[segments.length - 1];
  if (isKey) {
    if (parent === 'roles' && segments.length === 2) return 'role id';
    if (parent === 'messages' && segments.length === 2) return 'message type name';
    if (parent === 'inputs' && segments.length === 2) return 'input name';
    return 'name';
  }
  if (last === 'id') return 'action id';
  if (last === 'to') return 'role id';
  if (last === 'type' || parent === 'watch' || parent === 'type') return 'message type';
  if (segments.join('/') === 'metadata/name') return 'SOP name';
  if (segments.join('/') === 'metadata/version') return 'version';
  return 'value';
}

/** How to fix a value outside its limits (empty lists and mappings are the usual slip). */
function limitHint(keyword: string): string | undefined {
  switch (keyword) {
    case 'minItems':
      return 'add items to the list, or remove the field if it is optional';
    case 'minProperties':
      return 'add an entry, or remove the field if it is optional';
    case 'minLength':
      return 'write a value, or remove the field if it is optional';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return 'use a number within the limit (see `sop schema`)';
    default:
      return undefined;
  }
}

/**
 * The values a limit keyword allows, in words, with the field's other bound when it has one:
 * `a whole number ≥ 1`, `a number from 0 to 2`, `a list of at least 1 item`. Undefined for a
 * keyword with nothing to say beyond its message.
 */
export function limitExpectation(problem: Pick<SchemaProblem, 'keyword' | 'params' | 'parentSchema'>): string | undefined {
  const schema = problem.parentSchema ?? {};
  const bound = (keyword: string): number | undefined => (typeof schema[keyword] === 'number' ? (schema[keyword] as number) : undefined);
  switch (problem.keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const noun = schemaTypes(schema, () => undefined)?.includes('integer') ? 'a whole number' : 'a number';
      const low = bound('minimum') ?? bound('exclusiveMinimum');
      const high = bound('maximum') ?? bound('exclusiveMaximum');
      if (bound('minimum') !== undefined && bound('maximum') !== undefined) return `${noun} from ${String(low)} to ${String(high)}`;
      const parts = [
        bound('minimum') !== undefined ? `≥ ${String(low)}` : bound('exclusiveMinimum') !== undefined ? `> ${String(low)}` : undefined,
        bound('maximum') !== undefined ? `≤ ${String(high)}` : bound('exclusiveMaximum') !== undefined ? `< ${String(high)}` : undefined,
      ].filter(Boolean);
      return `${noun} ${parts.join(' and ')}`;
    }
    case 'minLength':
    case 'maxLength':
      return withinCounts('a text of', bound('minLength'), bound('maxLength'), 'character', 'characters');
    case 'minItems':
    case 'maxItems':
      return withinCounts('a list of', bound('minItems'), bound('maxItems'), 'item', 'items');
    case 'minProperties':
    case 'maxProperties':
      return withinCounts('a mapping with', bound('minProperties'), bound('maxProperties'), 'entry', 'entries');
    case 'uniqueItems':
      return 'a list without repeated items';
    case 'multipleOf':
      return `a multiple of ${String(problem.params.multipleOf)}`;
    case 'format':
      return `a ${String(problem.params.format)} (JSON Schema format)`;
    case 'not': {
      const refused = (schema.not as { enum?: unknown } | undefined)?.enum;
      return Array.isArray(refused) ? `anything but ${listNames(refused.map(String))}` : undefined;
    }
    default:
      return undefined;
  }
}

/** `a list of at least 1 item`, `a text of 1 to 40 characters`. */
function withinCounts(prefix: string, min: number | undefined, max: number | undefined, one: string, many: string): string {
  const noun = (count: number): string => (count === 1 ? one : many);
  if (min !== undefined && max !== undefined) return `${prefix} ${min} to ${max} ${noun(max)}`;
  if (max !== undefined) return `${prefix} at most ${max} ${noun(max)}`;
  return `${prefix} at least ${String(min ?? 0)} ${noun(min ?? 0)}`;
}

function limitMessage(problem: SchemaProblem): string {
  const limit = problem.params.limit;
  switch (problem.keyword) {
    case 'minItems':
      return `must have at least ${String(limit)} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(limit)} items`;
    case 'minProperties':
      return `must have at least ${String(limit)} entr${limit === 1 ? 'y' : 'ies'}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(limit)} characters long`;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(limit)}`;
    case 'uniqueItems': {
      // ajv's "must NOT have duplicate items (items ## 1 and 0 are identical)": name the item, count from 0 as pointers do.
      const { i, j } = problem.params as { i?: number; j?: number };
      const item = Array.isArray(problem.data) && typeof i === 'number' ? problem.data[i] : undefined;
      const named = typeof item === 'string' || typeof item === 'number' ? `\`${String(item)}\`` : 'an item';
      return typeof i === 'number' && typeof j === 'number' ? `lists ${named} twice (items ${String(Math.min(i, j))} and ${String(Math.max(i, j))})` : problem.message;
    }
    default:
      return problem.message;
  }
}

/** `did you mean \`markdown\`?` for `md`: a shorthand is many edits from the word it stands for. */
function abbreviationHint(written: string, allowed: readonly string[]): string | undefined {
  const word = expandedAbbreviation(written, allowed);
  return word === undefined ? undefined : `did you mean \`${word}\`?`;
}
