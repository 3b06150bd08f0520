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

/** A copy of `value` with every string (values and keys) passed through `redact`. */
export function redactDeep<T>(value: T, redact: Redactor): T {
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

/**
 * The secrets one `SopRuntime` masks: the registry adds every resolved key, a run the secrets it
 * was given, and every writer (run record, cassettes, cache, errors, progress) masks with `mask`.
 * Runs given different runtimes never mask each other's secrets.
 */
export class SecretMask {
  private readonly values = new Set<string>();
  private redactor: Redactor = (text) => text;

  /** Adds secret values (API keys from config or env); short and missing ones are ignored. */
  add(secrets: Iterable<string | undefined>): void {
    const before = this.values.size;
    for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH) this.values.add(secret);
    if (this.values.size !== before) this.redactor = createRedactor(this.values);
  }

  /** True while there is nothing to mask (writers then skip the walk). */
  get empty(): boolean {
    return this.values.size === 0;
  }

  /** Masks every secret added so far; bound, so it can be handed on as a `Redactor`. */
  readonly mask: Redactor = (text) => this.redactor(text);

  /** A copy of `value` with every secret masked in every string. */
  maskDeep<T>(value: T): T {
    return this.empty ? value : redactDeep(value, this.mask);
  }
}
