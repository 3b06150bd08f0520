import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import { validate as generatedSopValidator } from './sop-schema.validator.generated.js';

type Ajv2020Class = typeof Ajv2020Module.default;
export type AjvInstance = InstanceType<Ajv2020Class>;

const require = createRequire(import.meta.url);

/** The SOP format's JSON Schema (`schemas/sop.v1.schema.json`), the source of truth for its shape. */
export const SOP_SCHEMA = require('../../schemas/sop.v1.schema.json') as Record<string, unknown>;

/**
 * The SOP schema's validator, generated ahead of time by scripts/build-validator.mjs (`npm run build`;
 * a test fails when it is stale): compiling the schema at run time costs ~100 ms on every start, plus
 * ~80 ms to load ajv. Generated with `allErrors` and `verbose`: each error keeps its schema and data,
 * which the error mapper needs.
 */
export function getSopValidator(): ValidateFunction {
  return generatedSopValidator as unknown as ValidateFunction;
}

/** Every schema error of the document (empty when it conforms). */
export function validateAgainstSopSchema(data: unknown): ErrorObject[] {
  const validate = getSopValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

let ajvClasses: { Ajv2020: Ajv2020Class; addFormats: typeof addFormatsModule.default } | undefined;

/**
 * ajv and ajv-formats, loaded on first use: only SOPs with payload schemas need them, and loading
 * them costs ~80 ms of start-up. Both are CommonJS, so a synchronous `require` keeps callers sync.
 */
export function loadAjv(): { Ajv2020: Ajv2020Class; addFormats: typeof addFormatsModule.default } {
  ajvClasses ??= {
    Ajv2020: (require('ajv/dist/2020.js') as typeof Ajv2020Module).default,
    addFormats: (require('ajv-formats') as typeof addFormatsModule).default,
  };
  return ajvClasses;
}

/**
 * A fresh ajv for payload schemas (the JSON Schemas of message types), strict about unknown
 * keywords so a typo like `propertees` is an error, lenient about the rest of strict mode
 * (`strictTypes`, `strictRequired`) which would refuse ordinary schemas.
 */
export function createPayloadAjv(): AjvInstance {
  const { Ajv2020, addFormats } = loadAjv();
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  addFormats(ajv);
  return ajv;
}
