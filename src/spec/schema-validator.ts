import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as generatedSopValidator } from './sop-schema.validator.generated.js';

const require = createRequire(import.meta.url);

/** The SOP format's JSON Schema (`schemas/sop.v1.schema.json`), the source of truth for its shape. */
export const SOP_SCHEMA = require('../../schemas/sop.v1.schema.json') as Record<string, unknown>;

/**
 * The SOP schema's validator, generated ahead of time by scripts/build-validator.mjs (`npm run build`;
 * a test fails when it is stale): compiling the schema at run time costs ~100 ms on every start, plus
 * ~80 ms to load ajv. Generated with `allErrors` and `verbose`: each error keeps its schema and data,
 * which the error mapper needs.
 */
function getSopValidator(): ValidateFunction {
  return generatedSopValidator as unknown as ValidateFunction;
}

/** Every schema error of the document (empty when it conforms). */
export function validateAgainstSopSchema(data: unknown): ErrorObject[] {
  const validate = getSopValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
