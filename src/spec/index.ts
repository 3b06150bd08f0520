/**
 * The SOP format: loading YAML with positions, validation (YAML, schema, referenced files,
 * semantic rules, all problems at once) and resolution to the `ResolvedSop` the runtime consumes.
 */
export { SUPPORTED_API_VERSIONS } from './envelope.js';
export { loadResolvedSop, validateSopBytes, validateSopFile, validateSopText, type ValidateOptions, type ValidationResult } from './validate.js';
export { IMPLICIT_INPUT } from './resolve.js';
export { SOP_SCHEMA } from './schema-validator.js';
export { SchemaValidators, formatSchemaErrors, type SchemaCheck } from './json-schemas.js';
export { formatBytes, LIMITS, MAX_ROUNDS, sizeAbove } from './limits.js';
export type * from './resolved.js';
export type { SOP } from './sop.types.generated.js';
export { MESSAGE_FIELDS, THREAD_FIELDS, ROLE_FIELDS, RUN_FIELDS, templateRoots, expressionRoots, type TemplatePlace, type ExpressionPlace, type PlaceFacts } from './contexts.js';
