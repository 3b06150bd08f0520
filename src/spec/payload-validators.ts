import type { ValidateFunction } from 'ajv';
import { createPayloadAjv, type AjvInstance } from './schema-validator.js';

const validators = new Map<string, ValidateFunction>();
let shared: AjvInstance | undefined;

/** The ajv that payload schemas are checked and compiled with (strict about unknown keywords). */
export function payloadAjv(): AjvInstance {
  shared ??= createPayloadAjv();
  return shared;
}

/**
 * Compiles a message type's payload schema once per process, keyed by its content, so `sop validate`
 * and the runtime's output validation share the work. Throws ajv's error for an invalid schema
 * (validation reports it as PAYLOAD_SCHEMA_INVALID first, so the runtime never sees one).
 */
export function compilePayloadSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    try {
      validate = payloadAjv().compile(schema);
    } catch (error) {
      // Two different schemas with the same `$id` cannot share an ajv instance.
      if (!/already exists/.test((error as Error).message)) throw error;
      validate = createPayloadAjv().compile(schema);
    }
    validators.set(key, validate);
  }
  return validate;
}
