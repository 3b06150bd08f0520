import { ProviderError } from './provider-error.js';

/** The environment variable a built-in provider reads its key from. */
const KEY_VARIABLES: Record<string, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

/**
 * The error of a call to an endpoint that needs an API key and has none (PROVIDER_AUTH, exit 10).
 * SDK-free: the providers throw it at their first call, and `sop eval` before its first run.
 */
export function missingKeyError(name: string, endpoint: string): ProviderError {
  const variable = KEY_VARIABLES[name];
  return new ProviderError('PROVIDER_AUTH', `no API key for ${endpoint}`, {
    endpoint,
    retryable: false,
    hint: variable === undefined ? `set providers.${name}.api_key` : `set ${variable} (or providers.${name}.api_key)`,
  });
}
