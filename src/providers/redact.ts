/**
 * Masks secret values (API keys) in text that leaves the process: cassettes, cache entries, error
 * messages, events. Secrets shorter than 8 characters are ignored: masking `abc` everywhere would
 * mangle ordinary text and such values are not real keys.
 */

/** Replaces every configured secret in `text` with `***`. */
export type Redactor = (text: string) => string;

/** A piece of a masked text: `text` is shown for `source`, the original (they differ where a secret was masked). */
export interface MaskedPart {
  text: string;
  source: string;
}

const MIN_SECRET_LENGTH = 8;
const MASK = '***';

/**
 * A redactor for these secrets; longest first so a key containing another key is masked whole.
 * `shownAsIs` are texts that are no secrets (a command, a folder, a variable's name): a secret found
 * wholly inside one of them is left there, so a secret `/home/demo` does not hide that part of
 * `/home/demo/notes`; everywhere else it is masked.
 */
export function createRedactor(secrets: Iterable<string>, shownAsIs: Iterable<string> = []): Redactor {
  const values = [...new Set([...secrets].filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (values.length === 0) return (text) => text;
  const kept = [...new Set(shownAsIs)].filter((shown) => values.some((secret) => shown.includes(secret))).sort((a, b) => b.length - a.length);
  if (kept.length === 0) {
    return (text) => {
      let result = text;
      for (const secret of values) result = result.split(secret).join(MASK);
      return result;
    };
  }
  const keptPattern = alternation(kept);
  const secretPattern = alternation(values);
  return (text) => {
    const ranges = [...text.matchAll(keptPattern)].map((match) => [match.index, match.index + match[0].length] as const);
    return text.replace(secretPattern, (secret: string, at: number) => (ranges.some(([start, end]) => at >= start && at + secret.length <= end) ? secret : MASK));
  };
}

/**
 * The masked `text` as parts, so a cut of the masked text knows how many bytes of the original it
 * shows. Each secret found is masked, except one wholly inside a `shownAsIs` text or wholly before
 * `from` (text already masked when it was written, joined here to a new piece).
 */
function maskedParts(text: string, secretPattern: RegExp, keptPattern: RegExp | undefined, from = 0): MaskedPart[] {
  const ranges = keptPattern ? [...text.matchAll(keptPattern)].map((match) => [match.index, match.index + match[0].length] as const) : [];
  const parts: MaskedPart[] = [];
  let last = 0;
  for (const match of text.matchAll(secretPattern)) {
    const [at, end] = [match.index, match.index + match[0].length];
    if (end <= from || ranges.some(([start, stop]) => at >= start && end <= stop)) continue;
    if (at > last) parts.push({ text: text.slice(last, at), source: text.slice(last, at) });
    parts.push({ text: MASK, source: match[0] });
    last = end;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), source: text.slice(last) });
  return parts;
}

/** One regular expression matching any of `texts` literally, the first listed first. */
function alternation(texts: readonly string[]): RegExp {
  return new RegExp(texts.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
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
  private readonly shown = new Set<string>();
  private redactor: Redactor = (text) => text;
  private secretPattern: RegExp | undefined;
  /** The shown-as-is texts holding a secret, longest first; undefined: none. */
  private keptPattern: RegExp | undefined;
  private longestKept = 0;

  /** Adds secret values (API keys from config or env); short and missing ones are ignored. */
  add(secrets: Iterable<string | undefined>): void {
    const before = this.values.size;
    for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH) this.values.add(secret);
    if (this.values.size !== before) this.update();
  }

  /** Adds texts that are no secrets (commands, folders, variable names): a secret inside one is left there. */
  showAsIs(texts: Iterable<string>): void {
    const before = this.shown.size;
    for (const text of texts) if (text) this.shown.add(text);
    if (this.shown.size !== before) this.update();
  }

  private update(): void {
    this.redactor = createRedactor(this.values, this.shown);
    const values = [...this.values].sort((a, b) => b.length - a.length);
    const kept = [...this.shown].filter((shown) => values.some((secret) => shown.includes(secret))).sort((a, b) => b.length - a.length);
    this.secretPattern = values.length > 0 ? alternation(values) : undefined;
    this.keptPattern = kept.length > 0 ? alternation(kept) : undefined;
    this.longestKept = kept[0]?.length ?? 0;
  }

  /**
   * Length of the longest secret added, or of the longest shown-as-is text holding one (0: none):
   * text masked in pieces overlaps them by this less one, so a secret or a shown-as-is text split
   * between two pieces is found whole.
   */
  get longest(): number {
    let longest = this.longestKept;
    for (const secret of this.values) longest = Math.max(longest, secret.length);
    return longest;
  }

  /** True while there is nothing to mask (writers then skip the walk). */
  get empty(): boolean {
    return this.values.size === 0;
  }

  /** Masks every secret added so far; bound, so it can be handed on as a `Redactor`. */
  readonly mask: Redactor = (text) => this.redactor(text);

  /** The text masked as parts, each with the original it stands for: a cut counts the original's bytes it leaves out. */
  readonly maskParts = (text: string): MaskedPart[] =>
    this.secretPattern ? maskedParts(text, this.secretPattern, this.keptPattern) : [{ text, source: text }];

  /**
   * `kept` (the end of a text masked when it was written, at least `longest` less one characters
   * unless the text is shorter) joined to the new piece `addition`, masked: only a secret that
   * reaches into `addition` is masked, so a secret `kept` shows (inside a shown-as-is text that
   * began before it) stays as written, and one split between the two is masked whole.
   */
  maskJoined(kept: string, addition: string): string {
    if (!this.secretPattern) return kept + addition;
    return maskedParts(kept + addition, this.secretPattern, this.keptPattern, kept.length).map((part) => part.text).join('');
  }

  /** A copy of `value` with every secret masked in every string. */
  maskDeep<T>(value: T): T {
    return this.empty ? value : redactDeep(value, this.mask);
  }
}
