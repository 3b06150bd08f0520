import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type AjvDraft07Module from 'ajv';
import type Ajv2019Module from 'ajv/dist/2019.js';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import { SopError } from '../errors/index.js';
import { jsonSchemaRegExp } from '../expressions/regex.js';
import { metaSchemaValidators } from './meta-schemas.validator.generated.js';
import { strictSchemaWalk } from './strict-schema-walk.js';

/*
 * The one place JSON Schemas are compiled: message payloads and declared tools' parameters (written
 * in the SOP), MCP tools' input schemas (served by a server), and the runtime's own choice/verdict
 * schemas. Every run in a process shares its ajv instances and its cache, so a schema is compiled
 * once per process (compiling again on each run cost more than the rest of a short run). `sop
 * validate` judges a schema strictly without compiling it where it can (`strictSchemaError`). Validators are found by schema object (the
 * ResolvedSop's, fast) and, for a new object, by content (the same SOP loaded again, a server's tool
 * listed again). ajv is loaded on first use, so SOPs without schemas never pay for it, and a schema is
 * checked against its dialect's meta-schema by a validator generated at build time
 * (scripts/build-validator.mjs), not by ajv compiling the meta-schema in every process (~80 ms).
 */

const require = createRequire(import.meta.url);

/** Every dialect's class shares ajv's core API (compile, validateSchema, errors). */
type AjvInstance = InstanceType<typeof Ajv2020Module.default>;
type Dialect = 'draft-07' | '2019-09' | '2020-12';

/**
 * `$schema` values accepted, without the trailing `#` and scheme. Draft-06 is read as draft-07 (which
 * only added keywords). No `$schema` means 2020-12, as in the SOP format and MCP.
 */
const DIALECTS: Record<string, Dialect> = {
  'json-schema.org/draft-06/schema': 'draft-07',
  'json-schema.org/draft-07/schema': 'draft-07',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft/2020-12/schema': '2020-12',
};
export const SUPPORTED_DIALECTS = 'draft-07, 2019-09 or 2020-12 (the default without `$schema`)';

/**
 * How a schema is read. `strict` (`sop validate`, for schemas written in the SOP): unknown keywords
 * and formats are errors, so a typo like `propertees` is caught before a run. `lenient` (the run):
 * read as JSON Schema says, unknown keywords and formats ignored, since an MCP server's schema is not
 * the user's to fix; the SOP's own schemas passed strict already and compile to the same validator.
 */
export type Strictness = 'strict' | 'lenient';

interface Compiled {
  validate: ValidateFunction;
  /** Compiled strictly: also good for a lenient caller (a schema that passes strict compiles the same). */
  strict: boolean;
}

// Module-level on purpose (not a `SopRuntime`'s): a compiled schema is immutable and depends only
// on its content, so every run and runtime may share it (docs/design.md, "Shared state").
const instances = new Map<string, AjvInstance>();
const byObject = new WeakMap<object, Compiled>();
const byContent = new Map<string, Compiled>();

/**
 * The dialects to try, or why the schema's `$schema` is not one sop reads. A schema read leniently
 * without `$schema` may be older than MCP's 2020-12 default (`items` as a list): draft-07 is its second chance.
 */
function dialectsOf(schema: Record<string, unknown>, strictness: Strictness): Dialect[] | { unsupported: string } {
  const declared = schema['$schema'];
  if (declared === undefined) return strictness === 'lenient' ? ['2020-12', 'draft-07'] : ['2020-12'];
  const key = typeof declared === 'string' ? declared.replace(/^https?:\/\//, '').replace(/#$/, '') : undefined;
  const dialect = key === undefined ? undefined : DIALECTS[key];
  return dialect ? [dialect] : { unsupported: `\`$schema\` ${JSON.stringify(declared)} is not a JSON Schema dialect sop reads; expected ${SUPPORTED_DIALECTS}` };
}

/**
 * ajv is required on first use (CommonJS, so callers stay sync): only SOPs with JSON Schemas need
 * it, and loading it costs ~80 ms of start-up.
 */
function ajvClass(dialect: Dialect): typeof Ajv2020Module.default {
  if (dialect === '2020-12') return (require('ajv/dist/2020.js') as typeof Ajv2020Module).default;
  if (dialect === '2019-09') return (require('ajv/dist/2019.js') as typeof Ajv2019Module).default;
  return (require('ajv') as typeof AjvDraft07Module).default;
}

function createAjv(dialect: Dialect, strict: boolean): AjvInstance {
  const Ajv = ajvClass(dialect);
  const ajv = new Ajv({
    allErrors: true,
    // Errors keep their schema and data: `sop validate` words meta-schema errors with them.
    verbose: true,
    strict,
    // Checked before compiling, by the generated meta-schema validators (`checkMetaSchema`).
    validateSchema: false,
    // The rest of strict mode refuses ordinary schemas (`type` beside `anyOf`, open tuples, ...).
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
    // `pattern` in linear time (RE2) where RE2 can read it: see `jsonSchemaRegExp`.
    code: { regExp: jsonSchemaRegExp },
  });
  (require('ajv-formats') as typeof addFormatsModule).default(ajv);
  return ajv;
}

function ajvFor(dialect: Dialect, strict: boolean): AjvInstance {
  const key = `${dialect}:${strict}`;
  let ajv = instances.get(key);
  if (!ajv) {
    ajv = createAjv(dialect, strict);
    instances.set(key, ajv);
  }
  return ajv;
}

/** The schema as ajv is given it: `$schema` picked the instance, whose own meta-schema then applies (spellings vary: https, no `#`). */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(schema, '$schema')) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

export type Compilation = { validate: ValidateFunction } | { error: string };

/** Compiles `schema` once per process (by object, then by content); a schema that does not compile is `{error}`. */
export function compileSchema(schema: Record<string, unknown>, strictness: Strictness): Compilation {
  const strict = strictness === 'strict';
  const known = byObject.get(schema);
  if (known && (known.strict || !strict)) return known;
  const key = JSON.stringify(schema);
  let compiled = byContent.get(key);
  if (!compiled || (strict && !compiled.strict)) {
    const dialects = dialectsOf(schema, strictness);
    if (!Array.isArray(dialects)) return { error: dialects.unsupported };
    const fresh = compileFirst(withoutDialect(schema), dialects, strict);
    if ('error' in fresh) return fresh;
    compiled = { validate: fresh.validate, strict };
    byContent.set(key, compiled);
  }
  byObject.set(schema, compiled);
  return compiled;
}

/** The first dialect's compilation that succeeds, else the first dialect's error. */
function compileFirst(schema: Record<string, unknown>, dialects: readonly Dialect[], strict: boolean): Compilation {
  let firstError: string | undefined;
  for (const dialect of dialects) {
    try {
      return { validate: compileIn(ajvFor(dialect, strict), dialect, schema, () => createAjv(dialect, strict)) };
    } catch (error) {
      firstError ??= (error as Error).message;
    }
  }
  return { error: firstError ?? 'the schema does not compile' };
}

/**
 * ajv keeps each compiled schema under its `$id` (recursive `$ref: '#'` needs that), so a second,
 * different schema with the same `$id` (two message types inlining one file) gets an ajv of its own.
 */
function compileIn(ajv: AjvInstance, dialect: Dialect, schema: Record<string, unknown>, fresh: () => AjvInstance): ValidateFunction {
  const metaErrors = metaValidatorErrors(dialect, schema);
  // ajv's own wording, as its `validateSchema` option would have thrown it.
  if (metaErrors.length > 0) throw new Error(`schema is invalid: ${ajv.errorsText(metaErrors)}`);
  try {
    return ajv.compile(schema);
  } catch (error) {
    if (!/already exists/.test((error as Error).message)) throw error;
    return fresh().compile(schema);
  }
}

/**
 * Where `schema` breaks its dialect's meta-schema (a wrong type, an unknown `type` name), as ajv's
 * verbose errors; a `$schema` sop does not read is `{unsupported}`. Empty when it conforms.
 */
export function metaSchemaErrors(schema: Record<string, unknown>): ErrorObject[] | { unsupported: string } {
  const dialects = dialectsOf(schema, 'strict');
  if (!Array.isArray(dialects)) return dialects;
  return metaValidatorErrors(dialects[0] as Dialect, withoutDialect(schema));
}

/**
 * Why ajv in strict mode refuses `schema` (its message: an unknown keyword or format, a `pattern` no
 * engine reads, an unresolvable `$ref`), or undefined when it compiles; for a schema that conforms to
 * its dialect's meta-schema (`metaSchemaErrors`). The one strict check of `sop validate` and of a
 * run's pre-flight. Most schemas are judged by a walk (strict-schema-walk.ts) without loading ajv;
 * the constructs the walk does not model, and schemas with more than one problem, are compiled.
 */
export function strictSchemaError(schema: Record<string, unknown>): string | undefined {
  const dialects = dialectsOf(schema, 'strict');
  if (!Array.isArray(dialects)) return dialects.unsupported;
  const verdict = strictSchemaWalk(withoutDialect(schema), dialects[0] as Dialect);
  if ('ok' in verdict) return undefined;
  if ('problem' in verdict) return verdict.problem;
  const compiled = compileSchema(schema, 'strict');
  return 'error' in compiled ? compiled.error : undefined;
}

const metaValidators = new Map<Dialect, ValidateFunction>();

/** Where `schema` breaks `dialect`'s meta-schema (ajv's verbose errors), by the generated validator. */
function metaValidatorErrors(dialect: Dialect, schema: Record<string, unknown>): ErrorObject[] {
  let validate = metaValidators.get(dialect);
  if (!validate) {
    validate = (metaSchemaValidators[dialect] as () => ValidateFunction)();
    metaValidators.set(dialect, validate);
  }
  return validate(schema) ? [] : [...(validate.errors ?? [])];
}

/** The result of checking a value: its errors (empty when valid), or why the schema cannot check anything. */
export type SchemaCheck = { errors: string[] } | { schemaError: string };

/**
 * Validation against JSON Schemas for the runtime (model outputs, tool arguments, choices, verdicts),
 * with errors as short readable lines (`/title: required property is missing`). Schemas are read
 * `lenient`.
 */
export class SchemaValidators {
  /** Checks `value`; a schema that does not compile (an MCP tool's, say) is reported, not thrown. */
  check(schema: Record<string, unknown>, value: unknown): SchemaCheck {
    const compiled = compileSchema(schema, 'lenient');
    if ('error' in compiled) return { schemaError: compiled.error };
    return { errors: compiled.validate(value) ? [] : formatSchemaErrors(compiled.validate.errors ?? []) };
  }

  /** Errors of `value` (empty = valid) against a schema of the SOP or the runtime, which must compile. */
  validate(name: string, schema: Record<string, unknown>, value: unknown): string[] {
    const checked = this.check(schema, value);
    if ('schemaError' in checked) throw new SopError('PAYLOAD_SCHEMA_INVALID', `the schema of ${name} does not compile: ${checked.schemaError}`);
    return checked.errors;
  }
}

/** One line per error, located by JSON pointer; `required` errors name the missing field. */
export function formatSchemaErrors(errors: ErrorObject[]): string[] {
  const lines = errors.map((error) => {
    const at = error.instancePath || '/';
    switch (error.keyword) {
      case 'required':
        return `${error.instancePath}/${String(error.params['missingProperty'])}: required property is missing`;
      case 'additionalProperties':
        return `${error.instancePath}/${String(error.params['additionalProperty'])}: property is not allowed`;
      case 'enum':
        return `${at}: must be one of ${JSON.stringify(error.params['allowedValues'])}`;
      default:
        return `${at}: ${error.message ?? error.keyword}`;
    }
  });
  return [...new Set(lines)];
}
