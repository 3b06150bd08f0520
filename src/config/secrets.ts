/** Keys whose values are secrets: `api_key`, `*_key`, `token`, `*_token`, `authorization` (any case, `-` or `_`). */
const SECRET_KEY = /^(?:.*[_-])?(?:key|token)$|^authorization$/i;

/** Environment variables holding keys, redacted wherever they appear. */
export const SECRET_ENV_VARS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** How a secret is shown: never any part of it. */
export const REDACTED = '***';
