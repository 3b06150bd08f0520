import { SopError } from '../errors/index.js';
import { fromPointer, joinPointer } from '../spec/pointer.js';
import { envReferences, envResolvable, expandEnv } from './env-refs.js';
import { isPlainObject, type Origin } from './layers.js';
import { REDACTED, SECRET_ENV_VARS, isSecretKey } from './secrets.js';
import type { ConfigEntry, Environment, SopConfigFile } from './types.js';

/** Provider names that exist without configuration. */
export const BUILTIN_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;

/**
 * The merged configuration (defaults < user file < project file < environment < flags) with the
 * origin of every value. Strings keep `${env:NAME}` as written: `string()` expands them when a value
 * is used, so an unset variable only matters for the provider that needs it.
 */
export class ResolvedConfig {
  constructor(
    /** Merged data, `${env:NAME}` unexpanded. Do not modify. */
    readonly data: Readonly<SopConfigFile>,
    private readonly origins: ReadonlyMap<string, Origin>,
    /** The environment `${env:NAME}` reads. */
    readonly env: Environment,
    /** Files read, lowest precedence first. */
    readonly files: readonly string[],
    /** The project's file (found from the working folder upward, usually committed), when there is one. */
    readonly projectFile?: string,
  ) {}

  /**
   * Secrets written as plain text in the project's configuration file (`api_key: sk-...`), which is
   * usually committed with the project, each as a warning naming where it is written and the
   * `${env:NAME}` form to use. The user's own file (outside the project) is left alone.
   */
  inlineSecretWarnings(): string[] {
    const warnings: string[] = [];
    for (const [pointer, origin] of this.origins) {
      if (origin.kind !== 'file' || this.projectFile === undefined || origin.file !== this.projectFile) continue;
      const path = fromPointer(pointer);
      const key = path[path.length - 1] ?? '';
      const value = this.get(path);
      if (!isSecretKey(key) || typeof value !== 'string' || value === '' || envReferences(value).length > 0) continue;
      warnings.push(`${formatOrigin(origin)}: \`${path.join('.')}\` is written in the file, which is usually committed with the project: set it from the environment instead (\`${key}: "\${env:NAME}"\`)`);
    }
    return warnings;
  }

  /** The raw value at a key path (`['providers', 'openai', 'timeout']`). */
  get(path: readonly string[]): unknown {
    let node: unknown = this.data;
    for (const segment of path) {
      if (!isPlainObject(node)) return undefined;
      node = node[segment];
    }
    return node;
  }

  /** A string value with `${env:NAME}` expanded; CONFIG_ENV_MISSING names an unset variable and where it is used. */
  string(path: readonly string[]): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    const origin = this.originOf(path);
    try {
      return expandEnv(String(value), this.env, path.join('.'), origin ? formatOrigin(origin) : 'the configuration');
    } catch (error) {
      throw locatedInFile(error, origin);
    }
  }

  /** A mapping of strings (headers) with `${env:NAME}` expanded in each value. */
  strings(path: readonly string[]): Record<string, string> | undefined {
    const value = this.get(path);
    if (!isPlainObject(value)) return undefined;
    return Object.fromEntries(Object.keys(value).map((key) => [key, this.string([...path, key]) ?? '']));
  }

  /** Where the value at a key path came from: `default`, `/path/sop.config.yaml:4`, `env:NAME`, `flag:--model`. */
  sourceOf(path: readonly string[]): string | undefined {
    const origin = this.originOf(path);
    return origin && formatOrigin(origin);
  }

  originOf(path: readonly string[]): Origin | undefined {
    const pointer = joinPointer('', ...path);
    const exact = this.origins.get(pointer);
    if (exact) return exact;
    // A mapping: where its first value is written.
    for (const [known, origin] of this.origins) if (known.startsWith(`${pointer}/`)) return origin;
    return undefined;
  }

  /** Configured provider names (from any source, the environment included), in order of appearance. */
  providerNames(): string[] {
    return Object.keys(this.data.providers ?? {});
  }

  /** Every value with its source, secrets as `***`; sorted by key. Never throws. */
  explain(): ConfigEntry[] {
    const entries: ConfigEntry[] = [];
    for (const [pointer, origin] of this.origins) {
      const path = fromPointer(pointer);
      entries.push({ key: path.join('.'), value: this.display(path), source: formatOrigin(origin) });
    }
    return entries.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  }

  /** Secret values in use (keys from config after `${env:NAME}`, OPENAI_API_KEY, ANTHROPIC_API_KEY), for redaction. */
  secrets(): string[] {
    const found = new Set<string>();
    for (const name of SECRET_ENV_VARS) {
      const value = this.env[name];
      if (value) found.add(value);
    }
    for (const pointer of this.origins.keys()) {
      const path = fromPointer(pointer);
      const value = this.get(path);
      if (!isSecretKey(path[path.length - 1] ?? '') || typeof value !== 'string' || !envResolvable(value, this.env)) continue;
      const expanded = expandEnv(value, this.env, '', '');
      if (expanded) found.add(expanded);
    }
    // A key given in an endpoint's URL (`OPENAI_BASE_URL=https://host/v1?api-key=...`) is shown with it
    // in every progress line, error, journal and report: masked as any key is.
    for (const pointer of this.origins.keys()) {
      const path = fromPointer(pointer);
      const value = this.get(path);
      if (!['base_url', 'host'].includes(path[path.length - 1] ?? '') || typeof value !== 'string' || !envResolvable(value, this.env)) continue;
      for (const secret of urlSecrets(expandEnv(value, this.env, '', ''))) found.add(secret);
    }
    return [...found];
  }

  private display(path: string[]): string {
    const value = this.get(path);
    if (isPlainObject(value)) return '{}';
    if (typeof value !== 'string') return JSON.stringify(value);
    const missing = envReferences(value).filter((name) => this.env[name] === undefined);
    if (missing.length > 0) return `${value} (unset: ${missing.join(', ')})`;
    if (isSecretKey(path[path.length - 1] ?? '')) return REDACTED;
    // A secret may hide inside another value (`base_url: https://host/?key=${env:KEY}`).
    let text = expandEnv(value, this.env, '', '');
    for (const secret of this.secrets()) text = text.split(secret).join(REDACTED);
    return text;
  }
}

/**
 * An unset `${env:NAME}` of a configuration file, located at its line: a CI annotation then points
 * at the configuration file, not at the SOP the refused run was given.
 */
function locatedInFile(error: unknown, origin: Origin | undefined): unknown {
  if (!(error instanceof SopError) || origin?.kind !== 'file' || origin.file === undefined) return error;
  const place = { file: origin.file, ...(origin.line === undefined ? {} : { line: origin.line }), ...(origin.column === undefined ? {} : { column: origin.column }) };
  const hint = error.hint === undefined ? {} : { hint: error.hint };
  // The diagnostic is shown at its `file:line`: its message need not say it again.
  const message = error.message.replace(` in ${formatOrigin(origin)})`, ')');
  return new SopError(error.code, error.message, { ...hint, diagnostics: [{ code: error.code, severity: 'error', message, ...place, ...hint }], cause: error.cause });
}

/** The secret parts of a URL: the password of `user:password@`, the values of query fields named like a secret (`api-key`, `key`, `token`), as written and decoded. */
function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const secrets = url.password ? [url.password] : [];
  for (const field of url.search.slice(1).split('&')) {
    const [name = '', value = ''] = field.split('=', 2);
    if (value === '' || !isSecretKey(safeDecode(name))) continue;
    secrets.push(value, safeDecode(value));
  }
  return secrets.filter((secret) => secret !== '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function formatOrigin(origin: Origin): string {
  // A variable of the environment a `.env` set: `env:NAME (/project/.env)`.
  if (origin.kind !== 'file') return origin.file ? `${origin.kind} (${origin.file})` : origin.kind;
  return origin.line ? `${origin.file}:${origin.line}` : (origin.file ?? 'file');
}
