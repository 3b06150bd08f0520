import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { SchemaValidators } from '../../spec/json-schemas.js';

const validators = new SchemaValidators();

/**
 * Checks a tool's structured result against its `outputSchema` with sop's JSON Schema service, in
 * place of the SDK's own ajv (draft-07 only: a server declaring a 2020-12 output schema could not
 * even list its tools). An output schema that does not compile leaves the result unchecked: sop
 * hands the model the text content, and a server's schema must not cost the run its tools.
 */
export const outputSchemaValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    return (input) => {
      const checked = validators.check(schema as Record<string, unknown>, input);
      if ('errors' in checked && checked.errors.length > 0) return { valid: false, data: undefined, errorMessage: checked.errors.join('; ') };
      return { valid: true, data: input as T, errorMessage: undefined };
    };
  },
};
