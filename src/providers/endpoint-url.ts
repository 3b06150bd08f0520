import { SopError } from '../errors/index.js';

/**
 * A provider's base URL or host as messages may show it: credentials (`user:password@`) and query
 * values (`?api-key=...`) masked, also in text that is not a URL at all.
 */
export function shownUrl(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@')
    .replace(/([?&][^=&#]*=)[^&#]*/g, '$1***');
}

// Where each kind of provider calls when nothing else is set. Here, not beside each SDK client:
// the registry needs them before (and without) loading an SDK.
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** What a bad base URL's hint offers instead, by the provider's protocol. */
export const BASE_URL_EXAMPLES = {
  openai: `${DEFAULT_OPENAI_BASE_URL} or http://127.0.0.1:8000/v1 (with the API version)`,
  anthropic: DEFAULT_ANTHROPIC_BASE_URL,
} as const;

/**
 * Where a base URL or host was set, for messages: `OPENAI_BASE_URL`, or the config field and the
 * file and line it is written at (and the variable it reads, `${env:NAME}`). Undefined when a
 * library caller passed it.
 */
export interface UrlSource {
  /** `OPENAI_BASE_URL`, or `providers.openai.base_url in /p/sop.config.yaml:4`. */
  where: string;
  /** What to fix: the variable, or the field in its file. */
  fix: string;
}

/** `env:OPENAI_BASE_URL` / `/p/sop.config.yaml:4` (a config origin) as a UrlSource of the field `key`. */
export function urlSource(origin: string | undefined, key: string, raw: unknown): UrlSource | undefined {
  if (origin === undefined || origin === 'default' || origin.startsWith('flag')) return undefined;
  if (origin.startsWith('env:')) {
    const name = origin.slice('env:'.length);
    return { where: name, fix: `set ${name} to` };
  }
  const variable = typeof raw === 'string' ? /\$\{env:([^}]+)\}/.exec(raw)?.[1] : undefined;
  return {
    where: `${key} in ${origin}${variable ? ` via \${env:${variable}}` : ''}`,
    fix: variable ? `set ${variable} (read by ${key} in ${origin}) to` : `set ${key} in ${origin} to`,
  };
}

/**
 * An http(s) URL, or CONFIG_INVALID naming the provider, the value (without its credentials) and
 * where it was set: `OPENAI_BASE_URL=ftp://nowhere/v1` must say it came from OPENAI_BASE_URL.
 */
export function checkHttpUrl(value: string, options: { provider: string; what: string; example: string; source?: UrlSource | undefined; refuseCredentials?: boolean }): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  const web = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
  // fetch refuses a URL with credentials, so a configured one never works; and it would be shown everywhere.
  const credentials = web && options.refuseCredentials === true && (url?.username !== '' || url?.password !== '');
  if (web && !credentials) return url as URL;
  const why = credentials ? 'it holds credentials (user:password@), which no request may carry' : url ? `${url.protocol.replace(/:$/, '')} is not http or https` : 'not a URL';
  const { source } = options;
  throw new SopError('CONFIG_INVALID', `provider \`${options.provider}\` has an invalid ${options.what} \`${shownUrl(value)}\`${source ? ` (from ${source.where})` : ''}: ${why}`, {
    hint: credentials
      ? `remove them from the URL; give a key as the provider's api_key (or a header under its headers)`
      : `${source ? source.fix : 'use'} an http(s) URL, e.g. ${options.example}`,
  });
}

/**
 * A base URL or host as an SDK takes it: the part before `?`, and the query fields to send on
 * every request (Azure's `?api-version=`, a gateway's `?api-key=`). The SDKs append their paths to
 * the base URL as text, so a query left in it would end up before the path
 * (`?api-version=1/chat/completions`).
 */
export function splitQuery(url: string): { base: string; query: Record<string, string> | undefined } {
  const at = url.indexOf('?');
  if (at < 0) return { base: url, query: undefined };
  const query = Object.fromEntries(new URLSearchParams(url.slice(at + 1).replace(/#.*$/, '')));
  return { base: url.slice(0, at).replace(/\/+$/, ''), query: Object.keys(query).length > 0 ? query : undefined };
}
