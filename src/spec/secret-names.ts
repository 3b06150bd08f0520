/** Names whose values are secrets: `api_key`, `*_key`, `token`, `*_token`, `authorization` (any case, `-` or `_`). */
const SECRET_NAME = /^(?:.*[_-])?(?:key|token)$|^authorization$/i;

/**
 * Whether a configuration key or an input is named like a secret: its value is never shown.
 * Here, below config and runtime, so both judge names by one rule.
 */
export function isSecretKey(name: string): boolean {
  return SECRET_NAME.test(name);
}
