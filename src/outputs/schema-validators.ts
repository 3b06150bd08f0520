import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SopError } from '../errors/index.js';

// ajv-formats is CommonJS; depending on the loader the default import is the plugin or the module.
type FormatsPlugin = (ajv: Ajv2020) => void;
const formatsModule = addFormatsModule as unknown as FormatsPlugin | { default: FormatsPlugin };
const addFormats: FormatsPlugin = typeof formatsModule === 'function' ? formatsModule : formatsModule.default;

/**
 * Compiled payload validators, one per schema object (compiled once, reused for every output).
 * Returns the errors as short readable lines (`/title: required property is missing`).
 */
export class SchemaValidators {
  private ajv: Ajv2020;
  private cache = new WeakMap<object, ValidateFunction>();

  constructor() {
    // addUsedSchema false: two message types may inline the same file (same $id) without clashing.
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, addUsedSchema: false });
    addFormats(this.ajv);
  }

  /** Validates a value; an empty list means valid. `name` names the schema in errors. */
  validate(name: string, schema: Record<string, unknown>, value: unknown): string[] {
    const validator = this.compile(name, schema);
    if (validator(value)) return [];
    return formatSchemaErrors(validator.errors ?? []);
  }

  private compile(name: string, schema: Record<string, unknown>): ValidateFunction {
    let validator = this.cache.get(schema);
    if (!validator) {
      try {
        validator = this.ajv.compile(schema);
      } catch (error) {
        throw new SopError('PAYLOAD_SCHEMA_INVALID', `the schema of ${name} does not compile: ${(error as Error).message}`);
      }
      this.cache.set(schema, validator);
    }
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
