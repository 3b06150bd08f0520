import { SopError } from '../errors/index.js';
import type { Environment } from './types.js';

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of the variables `${env:NAME}` references in a string, in order. */
export function envReferences(text: string): string[] {
  return [...text.matchAll(ENV_REFERENCE)].map((match) => match[1] as string);
}

/**
 * Expands every `${env:NAME}` in `text`. An unset variable is CONFIG_ENV_MISSING naming it, the key
 * that uses it and where that key is written (`where`).
 */
export function expandEnv(text: string, env: Environment, key: string, where: string): string {
  return text.replace(ENV_REFERENCE, (_match, name: string) => {
    const value = env[name];
    if (value === undefined) {
      throw new SopError('CONFIG_ENV_MISSING', `environment variable ${name} is not set (used by \`${key}\` in ${where})`, {
        hint: `export ${name}=..., or change \`${key}\` in ${where}`,
      });
    }
    return value;
  });
}

/** True when `text` expands without error. */
export function envResolvable(text: string, env: Environment): boolean {
  return envReferences(text).every((name) => env[name] !== undefined);
}
