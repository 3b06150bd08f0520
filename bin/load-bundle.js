// Loads the CLI bundle (dist/bundle/sop.cjs, one CommonJS file made by `npm run build`) with a V8 code
// cache: V8's compiled code for the bundle is kept on disk after a command and given back to V8 by
// the next one, which then skips parsing and compiling what it runs (Node 20 has no compile cache of
// its own; README, Design: start-up). The cache is a file per bundle content, install, command and Node version in
// `$XDG_CACHE_HOME/sop` (else `~/.cache/sop`), kept bounded when a new one is written (pruneCache);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's. A cache that cannot be read or
// written, or that V8 refuses, is ignored: the bundle is then compiled as any file is.
'use strict';
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const nodeModule = require('node:module');
const { homedir } = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const { createRequire } = nodeModule;

/** The folder of sop's cached code, or undefined when caching is off. */
function cacheFolder() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  // A relative path is ignored, as the XDG specification says: the cache never lands in the current folder.
  const base = [process.env.XDG_CACHE_HOME, path.join(homeFolder(), '.cache')].find((folder) => folder && path.isAbsolute(folder));
  return base === undefined ? undefined : path.join(base, 'sop');
}

function homeFolder() {
  try {
    return homedir();
  } catch {
    return ''; // No HOME and no user entry: no cache.
  }
}

function readOrUndefined(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** A short key of a path (32-bit FNV-1a, hex): a cache file name per install, without loading node:crypto. */
function pathKey(file) {
  let key = 0x811c9dc5;
  for (let index = 0; index < file.length; index += 1) key = Math.imul(key ^ file.charCodeAt(index), 0x01000193);
  return (key >>> 0).toString(16).padStart(8, '0');
}

/** The name of a command's cache kept aside by a run that compiled more than the command usually does. */
function asideName(command) {
  return `${command}+validators`;
}

/** A cache file not used (read or written) for this long is removed (one still in use is then made again, once). */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;
/** The most sop's cache folder keeps (code caches and kept validations, ~40 code caches): the least recently used go first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** sop's files in its cache folder: `*.v8`, and what a writer killed mid-write left (`*.v8.<...>.tmp`). */
const OWN_FILE = /\.v8(?:\..+\.tmp)?$/;

/**
 * Keeps sop's cache folder bounded. Run only after a new code cache was written (after an install
 * or upgrade, once per command), so a command that only reads its cache pays nothing. Of the code
 * caches (`*.v8`) and kept validations (`validated/*.v8`, src/cli/validation-cache.ts), removes:
 * this install's caches of other builds (another hash before `-<install>-`: the bundle at this
 * path is now another one, so nothing reads them again); files not used for 30 days (last use: the
 * later of access and modification time, so a file read every day stays); then, least recently
 * used first, files until the folder holds at most MAX_BYTES, never the caches of the code running.
 * Another command reading a file removed meanwhile still reads it whole (an unlinked file stays
 * readable once open), or finds no file and compiles; a file that cannot be listed, stated or
 * removed (a read-only folder, a file open on Windows) is skipped: this never fails a command.
 */
function pruneCache(folder, hash, where) {
  const running = `${hash}-${where}-`;
  const thisInstall = new RegExp(`^[0-9a-f]+-${where}-`);
  const before = Date.now() - STALE_MS;
  const kept = [];
  for (const dir of [folder, path.join(folder, 'validated')]) {
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      continue; // No such folder yet, or not readable.
    }
    for (const name of names.filter((each) => OWN_FILE.test(each))) {
      const file = path.join(dir, name);
      let info;
      try {
        info = statSync(file);
      } catch {
        continue; // Removed meanwhile by another command.
      }
      const used = Math.max(info.atimeMs, info.mtimeMs);
      const otherBuild = dir === folder && thisInstall.test(name) && !name.startsWith(running);
      if (otherBuild || used < before) removeQuietly(file);
      else kept.push({ file, size: info.size, used, current: dir === folder && name.startsWith(running) && name.endsWith(`-${process.version}-${process.arch}.v8`) });
    }
  }
  let total = kept.reduce((sum, each) => sum + each.size, 0);
  for (const each of kept.filter((one) => !one.current).sort((a, b) => a.used - b.used)) {
    if (total <= MAX_BYTES) break;
    removeQuietly(each.file);
    total -= each.size; // Counted as gone even when it could not be removed: nothing newer is taken instead.
  }
}

function removeQuietly(file) {
  try {
    rmSync(file, { force: true });
  } catch {
    // A read-only folder, a file open on Windows: left for a later command.
  }
}

/**
 * The bundle's exports. It is registered under its path in Node's CommonJS cache, so oclif
 * requiring it (package.json `oclif.commands.target`) gets this very instance. `import()` in the
 * bundle (packages loaded on first use: MCP, provider SDKs) is `__sopImport`, which this module
 * provides (scripts/bundle-cli.mjs): a script compiled by `vm` has no dynamic import of its own on Node 20.
 * `command` names the code cache to start from: each command keeps its own, holding the code it
 * runs (a cold `sop run` compiles no runtime code that a first `sop validate` left out).
 */
function loadBundle(bundle, command) {
  // The build writes the bundle in ASCII, with the module wrapper in it (Node's, plus `__sopImport`;
  // its value is the wrapped function, scripts/bundle-cli.mjs): read as Latin-1, it is a
  // one-byte string compiled as read: no UTF-8 to decode, no check, no copy to add the wrapper (each
  // cost every command milliseconds: ~8-10 ms of CPU on the 2-core machine for the last two).
  const source = readFileSync(bundle, 'latin1');
  const folder = cacheFolder();
  // By content (written by the build beside the bundle), Node version and architecture: V8 itself
  // only checks the source's length and its own version.
  const hash = readOrUndefined(`${bundle}.sha256`)?.toString('utf8').trim();
  // And by the bundle's path: V8 before Node 22 keeps the file name the cached code was compiled
  // under, so another install of the same build would name that install's file in stack traces.
  const where = pathKey(bundle);
  const cacheFileOf = (name) => (folder && hash ? path.join(folder, `${hash}-${where}-${name}-${process.version}-${process.arch}.v8`) : undefined);
  const cacheFile = cacheFileOf(command);
  // A command's cache, else the one kept aside by its run that validated an SOP (see saveCache):
  // the second file is looked for only until the first exists.
  let loadedFile = cacheFile;
  let cachedData = cacheFile ? readOrUndefined(cacheFile) : undefined;
  if (cacheFile && cachedData === undefined) {
    loadedFile = cacheFileOf(asideName(command));
    cachedData = readOrUndefined(loadedFile);
  }
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const require = createRequire(bundle);
  const loaded = new nodeModule.Module(bundle);
  loaded.filename = bundle;
  loaded.loaded = true;
  require.cache[bundle] = loaded;
  script.runInThisContext()(loaded.exports, require, loaded, bundle, path.dirname(bundle), (specifier) => import(specifier));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: loaded.exports,
    /** sop's cache folder (undefined: caching is off) and the bundle's content hash, for the caches the bundle keeps. */
    cacheFolder: folder,
    codeId: hash,
    /**
     * Keeps V8's code for the next command, once this one ran (its functions are compiled then), as
     * the cache of `command` (default: the one it started from), unless that cache was there already.
     * `aside`: this run compiled code its command's usual run does not (the validators of an SOP
     * without a kept verdict). Its code is kept only when there is no cache of `name` at all, under
     * a name of its own. A usual run that started from that file removes it and writes nothing:
     * V8 keeps in a cache all the code it was given, so only a run started without one writes the
     * lean cache (the next).
     */
    saveCache(name = command, { aside = false } = {}) {
      const proper = cacheFileOf(name);
      if (!proper) return;
      const other = cacheFileOf(asideName(name));
      const target = aside ? other : proper;
      const started = name === command ? (fresh ? undefined : loadedFile) : [proper, other].find((file) => existsSync(file));
      if (aside ? started !== undefined : started === proper) return;
      if (started === other) {
        try {
          rmSync(other, { force: true });
        } catch {
          // A read-only folder: the aside cache stays in use.
        }
        return;
      }
      const partial = `${target}.${process.pid}.tmp`;
      try {
        mkdirSync(folder, { recursive: true });
        // Written aside and renamed: a command starting meanwhile reads the old file or the new one.
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, target);
        // The file no longer read: the aside one once the cache proper is there, a cache proper V8 refused.
        if (!aside) rmSync(other, { force: true });
        else if (loadedFile === proper) rmSync(proper, { force: true });
        pruneCache(folder, hash, where);
      } catch {
        // A read-only or full disk, a cache path that is a file: the next command compiles the bundle again.
        try {
          rmSync(partial, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    },
  };
}

module.exports = { loadBundle };
