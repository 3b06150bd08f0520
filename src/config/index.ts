/**
 * Configuration of the runner: files (project and user), environment and flags merged with the
 * origin of every value, validated by `schemas/config.v1.schema.json`.
 */
export { loadConfig } from './load-config.js';
export { ResolvedConfig, BUILTIN_PROVIDERS } from './resolved-config.js';
export { SEARCH_PLACES, unreadConfigFiles } from './find-files.js';
export { CONFIG_SCHEMA } from './validate-config.js';
export { ENV_FILE, loadEnvFile, type LoadedEnvFile } from './env-file.js';
export type * from './types.js';
