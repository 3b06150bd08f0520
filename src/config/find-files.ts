import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Environment } from './types.js';
import { configError, configFileFromData, configFileFromText, parseConfigText, type ConfigFile } from './config-file.js';
import { SopError } from '../errors/index.js';
import { notRegularFile } from '../spec/limits.js';

/**
 * Project configuration files, in the order they are looked for in each folder. `.soprc` takes the
 * same extensions as `sop.config` (`.soprc.yml` as well as `.yaml`): a name cosmiconfig's users
 * expect that sop did not look for was a configuration ignored without a word.
 */
export const SEARCH_PLACES = [
  'sop.config.yaml',
  'sop.config.yml',
  'sop.config.json',
  'sop.config.js',
  'sop.config.mjs',
  'sop.config.cjs',
  '.soprc',
  '.soprc.yaml',
  '.soprc.yml',
  '.soprc.json',
  '.soprc.js',
  '.soprc.mjs',
  '.soprc.cjs',
  'package.json',
] as const;

/**
 * Names cosmiconfig reads for other tools (`.config/<name>rc*`, TypeScript configs) that sop does
 * not: a file so named holds settings that never apply, which `sop config` says.
 */
const UNREAD_PLACES = [
  '.config/soprc', '.config/soprc.json', '.config/soprc.yaml', '.config/soprc.yml', '.config/soprc.js', '.config/soprc.mjs', '.config/soprc.cjs',
  '.config/soprc.ts', '.soprc.ts', 'sop.config.ts', 'sop.config.mts', 'sop.config.cts',
] as const;

/**
 * The files under a name sop does not read (UNREAD_PLACES) in `cwd` and each folder above it, up to
 * the one holding the project file read (`projectFile`), as absolute paths.
 */
export function unreadConfigFiles(cwd: string, projectFile: string | undefined): string[] {
  const last = projectFile === undefined ? undefined : path.dirname(projectFile);
  const found: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const place of UNREAD_PLACES) if (existsSync(path.join(dir, place))) found.push(path.join(dir, place));
    if (dir === last || path.dirname(dir) === dir) return found;
  }
}

/** `$XDG_CONFIG_HOME/sop`, else `~/.config/sop`: the folder of the user file `config.yaml`. */
export function defaultUserConfigDir(env: Environment): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config'), 'sop');
}

/** The user file `<dir>/config.yaml`, or undefined when there is none. */
export async function readUserConfig(dir: string): Promise<ConfigFile | undefined> {
  const file = path.join(dir, 'config.yaml');
  let text: string;
  try {
    const kind = notRegularFile(statSync(file));
    if (kind !== undefined) throw new SopError('FILE_UNREADABLE', `cannot read ${file}: it is ${kind}; expected a regular file`, { hint: 'make it a file, or remove it' });
    text = await readFile(file, 'utf8');
  } catch (error) {
    // A folder on its path sop may not search (HOME=/root for another user, a CI container's
    // default): no user file can be looked for, so there is none to read, as for a missing one. A
    // file that is there but unreadable is still refused (its settings would be lost in silence).
    if (isMissing(error) || isUnsearchable(error)) return undefined;
    throw unreadable(file, error);
  }
  return text.trim() === '' ? undefined : configFileFromText(text, file);
}

/**
 * The project file: cosmiconfig looks in `cwd` for each of SEARCH_PLACES (`package.json` only
 * counts with a `sop` key), then in each parent folder; the first file found wins. YAML and JSON
 * are parsed by `yaml` so problems keep their line and column.
 */
export async function findProjectConfig(cwd: string): Promise<ConfigFile | undefined> {
  // Most runs have no configuration file: they need not load cosmiconfig (~25 ms of start-up).
  if (!placeFoundFrom(path.resolve(cwd)) && !metaConfigMayBeIn(process.cwd())) return undefined;
  const { cosmiconfig, defaultLoaders } = await import('cosmiconfig');
  const parsed = new Map<string, string>();
  const yamlLoader = (filepath: string, content: string): unknown => {
    parsed.set(filepath, content);
    // `null` (a file of comments) counts as found and empty, so the search stops there.
    return parseConfigText(content, filepath).data ?? undefined;
  };
  const explorer = createExplorer(() => cosmiconfig('sop', {
    searchPlaces: [...SEARCH_PLACES],
    searchStrategy: 'none',
    ignoreEmptySearchPlaces: false,
    cache: false,
    packageProp: 'sop',
    loaders: { '.yaml': yamlLoader, '.yml': yamlLoader, '.json': yamlLoader, noExt: yamlLoader, '.js': defaultLoaders['.js'], '.mjs': defaultLoaders['.mjs'], '.cjs': defaultLoaders['.cjs'] },
  }));
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    refuseUnreadablePlaces(dir);
    const result = await searchOne(explorer, dir);
    if (result) {
      const text = parsed.get(result.filepath);
      if (text === undefined) return configFileFromData(result.config, result.filepath);
      const prefix = path.basename(result.filepath) === 'package.json' ? '/sop' : '';
      return configFileFromText(text, result.filepath, prefix);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Whether one of SEARCH_PLACES is in `dir` or a folder above it (refusing, as the search does, an
 * unreadable one met on the way). No place found means no project file, whatever cosmiconfig's options.
 */
function placeFoundFrom(dir: string): boolean {
  for (; ; dir = path.dirname(dir)) {
    if (refuseUnreadablePlaces(dir)) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * cosmiconfig's own options (its `metaSearchPlaces`: package.json, package.yaml, .config/config.*)
 * are read from the process's folder and may add search places: with one of them there, only
 * cosmiconfig can tell.
 */
const META_CONFIG_PLACES = ['package.json', 'package.yaml', '.config'] as const;

function metaConfigMayBeIn(dir: string): boolean {
  return META_CONFIG_PLACES.some((place) => existsSync(path.join(dir, place)));
}

/**
 * cosmiconfig reads its own options from package.json (`cosmiconfig` key) and `.config.*` in the
 * current folder when an explorer is created: a broken one of those must be a located
 * CONFIG_INVALID, not a crash.
 */
function createExplorer<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    const file = (error as { fileName?: string; filepath?: string }).fileName ?? (error as { filepath?: string }).filepath;
    if (file) {
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
      // Parsing it again gives the problem's line and column (throws CONFIG_INVALID).
      if (text !== undefined) parseConfigText(text, file);
    }
    throw configError({
      ...(file ? { file } : {}),
      message: `cannot read the configuration search options: ${firstLine(error)}`,
      hint: file ? `fix ${path.basename(file)} (sop reads it for its \`cosmiconfig\` options and the \`sop\` key)` : 'fix the file named above',
    });
  }
}

/**
 * cosmiconfig skips a configuration file it cannot read (EACCES) or that is a folder, and would go
 * on with defaults or a file further up: the user's settings would be ignored without a word.
 * True when `dir` holds one of SEARCH_PLACES.
 */
function refuseUnreadablePlaces(dir: string): boolean {
  let found = false;
  for (const place of SEARCH_PLACES) {
    const file = path.join(dir, place);
    let kind: string | undefined;
    try {
      kind = notRegularFile(statSync(file));
    } catch (error) {
      if (isMissing(error)) continue;
      throw unreadable(file, error);
    }
    if (kind === 'a folder') {
      if (place === 'package.json') continue;
      throw new SopError('FILE_UNREADABLE', `cannot read ${file}: it is a folder`, { hint: `rename the folder: sop reads ${place} as its configuration file` });
    }
    // A named pipe would make cosmiconfig's read wait for ever.
    if (kind !== undefined) {
      throw new SopError('FILE_UNREADABLE', `cannot read ${file}: it is ${kind}; expected a regular file`, { hint: `rename or remove it: sop reads ${place} as its configuration file` });
    }
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      throw unreadable(file, error);
    }
    found = true;
  }
  return found;
}

async function searchOne(
  explorer: { search(from: string): Promise<{ config: unknown; filepath: string } | null> },
  dir: string,
): Promise<{ config: unknown; filepath: string } | null> {
  try {
    return await explorer.search(dir);
  } catch (error) {
    if (error instanceof SopError) throw error;
    const file = (error as { filepath?: string }).filepath ?? dir;
    // A JS config that throws or does not parse: say so with the file, never a stack.
    const cause = await ownLoadError(file, error);
    const syntax = firstLine(cause).startsWith('SyntaxError') || (cause as Error).name === 'SyntaxError';
    const hint = syntax ? `\`node --check ${file}\` shows the line; fix the file, or use sop.config.yaml` : 'fix the file, or use sop.config.yaml';
    // Named as Node names it (`SyntaxError: ...`): Node 22 and 24 give the parse error itself, Node 20 only its message, through `ownLoadError`.
    const text = syntax && !firstLine(cause).startsWith('SyntaxError') ? `SyntaxError: ${firstLine(cause)}` : firstLine(cause);
    throw configError({ file, message: `cannot load the configuration: ${text}`, hint });
  }
}

/**
 * The error of an ES module config itself: an ES module that does not parse reaches cosmiconfig as
 * Node's "Cannot require() ES Module ... not yet fully loaded ... race condition" (its require of
 * ESM), which names nothing wrong with the file. Importing it again gives the module's own error
 * (`SyntaxError: Unexpected end of input`); a fresh URL, as the failed import stays cached.
 */
async function ownLoadError(file: string, error: unknown): Promise<unknown> {
  if (!/\.(?:m?js|cjs)$/.test(file) || !firstLine(error).startsWith('Cannot require() ES Module')) return error;
  try {
    await import(`${pathToFileURL(file).href}?load=${Date.now()}`);
    return error;
  } catch (own) {
    return own instanceof Error ? new Error(`${own.name}: ${own.message}`) : own;
  }
}

/** `stat`'s EACCES: a folder on the path may not be searched (a file's own permissions do not refuse `stat`). */
function isUnsearchable(error: unknown): boolean {
  return (error as { code?: string; syscall?: string }).code === 'EACCES' && (error as { syscall?: string }).syscall === 'stat';
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function unreadable(file: string, error: unknown): SopError {
  const code = (error as { code?: string }).code;
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : firstLine(error);
  return new SopError('FILE_UNREADABLE', `cannot read ${file}: ${reason}`, { hint: `check the file permissions (\`chmod u+r ${path.basename(file)}\`)` });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
