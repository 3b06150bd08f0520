import { joinPointer } from '../spec/pointer.js';
import type { ConfigFile } from './config-file.js';
import type { LoadedEnvFile } from './env-file.js';
import type { ConfigFlags, Environment } from './types.js';

/** Where one value came from. `file` values carry the position they are written at. */
export interface Origin {
  /** `default`, `file`, `env:NAME`, `flag:--model`. */
  kind: string;
  /** The file it is written in: a configuration file, or for `env:NAME` the `.env` that set the variable. */
  file?: string;
  line?: number;
  column?: number;
}

/** One source of configuration: its data and the origin of the value at any pointer in it. */
export interface Layer {
  data: Record<string, unknown>;
  originOf(pointer: string): Origin;
}

/** Built-in defaults: the offline model, and the reply cache on in `.sop/cache`. */
const DEFAULTS = { default_model: 'offline', cache: { enabled: true, dir: '.sop/cache' } } as const;

export function defaultsLayer(): Layer {
  return { data: structuredClone(DEFAULTS) as Record<string, unknown>, originOf: () => ({ kind: 'default' }) };
}

export function fileLayer(config: ConfigFile): Layer {
  // `$schema` points an editor at the format's schema: not a setting, so `sop config` does not list it.
  const { $schema: _editorSchema, ...data } = isPlainObject(config.data) ? config.data : {};
  return { data, originOf: (pointer) => ({ kind: 'file', file: config.file, ...config.locate(pointer) }) };
}

/** Environment variables the configuration reads, and the key each one sets. */
const ENV_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['OPENAI_API_KEY', ['providers', 'openai', 'api_key']],
  ['OPENAI_BASE_URL', ['providers', 'openai', 'base_url']],
  ['OPENAI_ORG_ID', ['providers', 'openai', 'organization']],
  ['ANTHROPIC_API_KEY', ['providers', 'anthropic', 'api_key']],
  ['ANTHROPIC_BASE_URL', ['providers', 'anthropic', 'base_url']],
  ['OLLAMA_HOST', ['providers', 'ollama', 'host']],
  ['SOP_MODEL', ['default_model']],
  ['SOP_PROVIDER', ['default_provider']],
  ['SOP_CACHE_DIR', ['cache', 'dir']],
];

/**
 * Values of the environment (empty variables count as unset). `SOP_NO_CACHE` set to anything but
 * 0/false turns the cache off. A variable `envFile` set is said to come from that file.
 */
export function envLayer(env: Environment, envFile?: LoadedEnvFile): Layer {
  const data: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  const originOf = (name: string): Origin => (envFile?.names.includes(name) ? { kind: `env:${name}`, file: envFile.file } : { kind: `env:${name}` });
  for (const [name, path] of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(data, path, value);
    origins.set(joinPointer('', ...path), originOf(name));
  }
  const noCache = env['SOP_NO_CACHE'];
  if (noCache !== undefined && noCache !== '' && !/^(0|false|no)$/i.test(noCache)) {
    setPath(data, ['cache', 'enabled'], false);
    origins.set('/cache/enabled', originOf('SOP_NO_CACHE'));
  }
  return { data, originOf: (pointer) => origins.get(pointer) ?? { kind: 'env' } };
}

export function flagsLayer(flags: ConfigFlags): Layer {
  const data: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  const set = (path: string[], value: unknown, flag: string): void => {
    setPath(data, path, value);
    origins.set(joinPointer('', ...path), { kind: `flag:${flag}` });
  };
  if (flags.model !== undefined) set(['default_model'], flags.model, '--model');
  if (flags.provider !== undefined) set(['default_provider'], flags.provider, '--provider');
  if (flags.cacheDir !== undefined) set(['cache', 'dir'], flags.cacheDir, '--cache-dir');
  if (flags.noCache) set(['cache', 'enabled'], false, '--no-cache');
  return { data, originOf: (pointer) => origins.get(pointer) ?? { kind: 'flag' } };
}

/**
 * Merges layers lowest first. Mappings merge key by key; any other value replaces what was there
 * (and its origins). `origins` gets one entry per leaf, and one per empty mapping.
 */
export function mergeLayers(layers: Layer[]): { data: Record<string, unknown>; origins: Map<string, Origin> } {
  const data: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  for (const layer of layers) mergeInto(data, layer.data, '', origins, layer);
  return { data, origins };
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, pointer: string, origins: Map<string, Origin>, layer: Layer): void {
  for (const [key, value] of Object.entries(source)) {
    const place = joinPointer(pointer, key);
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      if (Object.keys(value).length === 0 && Object.keys(current).length === 0) origins.set(place, layer.originOf(place));
      else if (Object.keys(value).length > 0) origins.delete(place);
      mergeInto(current, value, place, origins, layer);
      continue;
    }
    for (const known of [...origins.keys()]) if (known === place || known.startsWith(`${place}/`)) origins.delete(known);
    target[key] = structuredClone(value);
    recordLeaves(value, place, origins, layer);
  }
}

function recordLeaves(value: unknown, pointer: string, origins: Map<string, Origin>, layer: Layer): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) recordLeaves(inner, joinPointer(pointer, key), origins, layer);
    return;
  }
  origins.set(pointer, layer.originOf(pointer));
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
