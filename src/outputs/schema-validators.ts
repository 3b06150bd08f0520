import type { ErrorObject, ValidateFunction } from 'ajv';
import { SopError } from '../errors/index.js';
import { loadAjv, type AjvInstance } from '../spec/schema-validator.js';

/*
 * Compiled payload validators are shared by every run of the process: creating an ajv and compiling
 * the same schemas on each run cost more than the rest of a short run. ajv itself is created on first
 * use, so SOPs without JSON outputs never load it. Validators are found by schema object (the
 * ResolvedSop's, fast) and, for a new object, by its content (the same SOP loaded again).
 */
let sharedAjv: AjvInstance | undefined;
const byObject = new WeakMap<object, ValidateFunction>();
const byContent = new Map<string, ValidateFunction>();

function outputAjv(): AjvInstance {
  if (!sharedAjv) {
    const { Ajv2020, addFormats } = loadAjv();
    // addUsedSchema false: two message types may inline the same file (same $id) without clashing.
    sharedAjv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, addUsedSchema: false });
    addFormats(sharedAjv);
  }
  return sharedAjv;
}

/**
 * Compiled payload validators, one per schema (compiled once per process, reused for every output).
 * Returns the errors as short readable lines (`/title: required property is missing`).
 */
export class SchemaValidators {
  /** Validates a value; an empty list means valid. `name` names the schema in errors. */
  validate(name: string, schema: Record<string, unknown>, value: unknown): string[] {
    const validator = this.compile(name, schema);
    if (validator(value)) return [];
    return formatSchemaErrors(validator.errors ?? []);
  }

  private compile(name: string, schema: Record<string, unknown>): ValidateFunction {
    let validator = byObject.get(schema);
    if (validator) return validator;
    const key = JSON.stringify(schema);
    validator = byContent.get(key);
    if (!validator) {
      try {
        validator = outputAjv().compile(schema);
      } catch (error) {
        throw new SopError('PAYLOAD_SCHEMA_INVALID', `the schema of ${name} does not compile: ${(error as Error).message}`);
      }
      byContent.set(key, validator);
    }
    byObject.set(schema, validator);
    return validator;
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
