/**
 * The last words of names whose values are secrets: `api_key`, `X-Api-Key`, `apiKey`, `token`,
 * `accessToken`, `client_secret`, `password`, `db_passwd`, `credentials`; `authorization` as a
 * whole name. `monkey` or `tokens_used` are not: a word is cut at `_`, `-` and a camelCase step.
 */
const SECRET_WORDS = new Set(['key', 'apikey', 'token', 'secret', 'password', 'passwd', 'credential', 'credentials']);

/**
 * Whether a configuration key or an input is named like a secret: its value is never shown.
 * Here, below config and runtime, so both judge names by one rule.
 */
export function isSecretKey(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_-]+/);
  const last = words[words.length - 1] ?? '';
  return SECRET_WORDS.has(last) || name.toLowerCase() === 'authorization';
}
