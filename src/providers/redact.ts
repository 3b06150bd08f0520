/**
 * Masks secret values (API keys) in text that leaves the process: cassettes, cache entries, error
 * messages, events. Secrets shorter than 8 characters are ignored: masking `abc` everywhere would
 * mangle ordinary text and such values are not real keys.
 */

/** Replaces every configured secret in `text` with `***`. */
export type Redactor = (text: string) => string;

const MIN_SECRET_LENGTH = 8;
const MASK = '***';

/** A redactor for these secrets; longest first so a key containing another key is masked whole. */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const values = [...new Set([...secrets].filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (values.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const secret of values) result = result.split(secret).join(MASK);
    return result;
  };
}

/**
 * A copy of `value` with every string (values and keys) passed through `redact`; default: the
 * process-wide secrets registered with `registerSecrets`.
 */
export function redactDeep<T>(value: T, redact: Redactor = redactSecrets): T {
  return walk(value, redact) as T;
}

function walk(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, redact));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[redact(key)] = walk(item, redact);
    return copy;
  }
  return value;
}

// Process-wide secrets: the config layer registers every resolved key once, and every writer
// (cassettes, cache, error messages) masks them without having to be handed the list.
const registered = new Set<string>();
let processRedactor: Redactor = (text) => text;

/** Adds secret values (API keys from config or env) to the process-wide redactor. */
export function registerSecrets(secrets: Iterable<string | undefined>): void {
  for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH) registered.add(secret);
  processRedactor = createRedactor(registered);
}

/** Masks every registered secret in `text`. */
export function redactSecrets(text: string): string {
  return processRedactor(text);
}
