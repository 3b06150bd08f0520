import { createRequire } from 'node:module';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// ajv and ajv-formats are CommonJS; under NodeNext their classes are on `.default`.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
export type AjvInstance = InstanceType<typeof Ajv2020>;

const require = createRequire(import.meta.url);

/** The SOP format's JSON Schema (`schemas/sop.v1.schema.json`), the source of truth for its shape. */
export const SOP_SCHEMA = require('../../schemas/sop.v1.schema.json') as Record<string, unknown>;

let sopValidator: ValidateFunction | undefined;

/**
 * The compiled SOP schema, compiled once per process (compiling takes ~100 ms; validating a large SOP
 * takes a few). `verbose` keeps each error's schema and data, which the error mapper needs.
 */
export function getSopValidator(): ValidateFunction {
  if (!sopValidator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    sopValidator = ajv.compile(SOP_SCHEMA);
  }
  return sopValidator;
}

/** Every schema error of the document (empty when it conforms). */
export function validateAgainstSopSchema(data: unknown): ErrorObject[] {
  const validate = getSopValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/**
 * A fresh ajv for payload schemas (the JSON Schemas of message types), strict about unknown
 * keywords so a typo like `propertees` is an error, lenient about the rest of strict mode
 * (`strictTypes`, `strictRequired`) which would refuse ordinary schemas.
 */
export function createPayloadAjv(): AjvInstance {
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
