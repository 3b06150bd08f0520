import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { findPartialFiles, relativePath } from '../lock/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { safeRelative } from './paths.js';
import { refuseProjectServerPaths } from './server-paths.js';

/**
 * An SOP as a worker on another machine needs it: the SOP file and every file it references, as
 * `sop lock` fingerprints them (prompt and template files, `$ref` schemas, partials), by path
 * relative to the SOP's folder. Content-addressed: `hash` is the sha256 of the file list and each
 * file's sha256, so a bundle is stored once per hash and a worker checks what it received.
 */
export interface SopBundle {
  hash: string;
  /** The SOP file, relative to the bundle's root. */
  sop: string;
  /** Path (relative, `/`) → content, base64. */
  files: Record<string, string>;
}

/** A bundle larger than this is refused at submission and at the worker (a hostile job). */
export const BUNDLE_MAX_BYTES = 16 * 1024 * 1024;
export const BUNDLE_MAX_FILES = 1000;

/**
 * The bundle of a loaded (validated) SOP; `extra` are more files the run needs by bundle path (a
 * `--model script:FILE` script), so they travel and are content-addressed with the SOP.
 */
export function bundleOf(sop: ResolvedSop, extra: Record<string, Buffer> = {}): SopBundle {
  const absolute = bundledFiles(sop);
  refuseProjectServerPaths(sop, absolute);
  const files: Record<string, string> = {};
  let bytes = 0;
  for (const file of [...absolute].sort()) {
    const content = readFileSync(file);
    bytes += content.length;
    files[relativePath(sop.dir, file)] = content.toString('base64');
  }
  for (const [name, content] of Object.entries(extra)) {
    bytes += content.length;
    files[name] = content.toString('base64');
  }
  if (bytes > BUNDLE_MAX_BYTES) {
    throw new SopError('QUEUE_JOB_INVALID', `${sop.displayPath} and the files it references are ${bytes} bytes, more than a queued run carries (${BUNDLE_MAX_BYTES})`, {
      hint: 'keep large data in files the team reads from its workspace, not in the SOP\'s prompt files',
    });
  }
  const sopPath = relativePath(sop.dir, sop.file);
  return { hash: bundleHash(sopPath, files), sop: sopPath, files };
}

/** The absolute paths a bundle carries: the SOP file and every file it references (`sop lock`'s). */
export function bundledFiles(sop: ResolvedSop): Set<string> {
  return new Set([sop.file, ...Object.keys(sop.referencedFiles), ...findPartialFiles(sop)]);
}

/** sha256 over the SOP's path and each file's path and sha256, in path order. */
export function bundleHash(sopPath: string, files: Record<string, string>): string {
  const hash = createHash('sha256').update(`sop ${sopPath}\n`);
  for (const name of Object.keys(files).sort()) {
    hash.update(`${name} ${createHash('sha256').update(Buffer.from(files[name] as string, 'base64')).digest('hex')}\n`);
  }
  return hash.digest('hex');
}

/**
 * Checks a bundle read from Redis as a hostile input: a JSON object of the expected shape, within
 * the caps, with safe relative paths only, whose content hashes to the hash it is stored under.
 */
export function readBundle(text: string | null, hash: string): SopBundle {
  const refuse = (why: string): never => {
    throw new SopError('QUEUE_JOB_INVALID', `bundle ${hash.slice(0, 12)}: ${why}`, { hint: 'submit the run again (`sop run FILE --queue URL`)' });
  };
  if (text === null) return refuse('not in Redis (expired or removed)');
  if (text.length > BUNDLE_MAX_BYTES * 2) return refuse(`larger than ${BUNDLE_MAX_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('not JSON');
  }
  const bundle = value as Partial<SopBundle>;
  if (typeof bundle !== 'object' || bundle === null || typeof bundle.sop !== 'string' || typeof bundle.files !== 'object' || bundle.files === null) return refuse('not a bundle ({hash, sop, files})');
  const names = Object.keys(bundle.files);
  if (names.length > BUNDLE_MAX_FILES) return refuse(`more than ${BUNDLE_MAX_FILES} files`);
  for (const name of names) {
    if (!safeRelative(name)) return refuse(`unsafe file path ${JSON.stringify(name.slice(0, 200))} (relative paths inside the bundle only)`);
    if (typeof bundle.files[name] !== 'string') return refuse(`file ${name} is not base64 text`);
  }
  if (!(bundle.sop in bundle.files)) return refuse(`the SOP file ${bundle.sop} is not in it`);
  if (bundleHash(bundle.sop, bundle.files) !== hash) return refuse('its content does not hash to its name (changed or damaged)');
  return { hash, sop: bundle.sop, files: bundle.files };
}

/**
 * Writes a bundle's files under `<root>/<hash>/` once (other jobs of the same hash reuse it) and
 * returns the SOP file's path. Written to a temporary folder and renamed, so a half-written
 * bundle is never used.
 */
export function materializeBundle(bundle: SopBundle, root: string): string {
  const dir = path.join(root, bundle.hash);
  if (!existsSync(dir)) {
    mkdirSync(root, { recursive: true });
    const temporary = mkdtempSync(path.join(root, `.${bundle.hash.slice(0, 12)}-`));
    for (const [name, content] of Object.entries(bundle.files)) {
      const file = path.join(temporary, ...name.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(content, 'base64'));
    }
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another job of this worker made it first: theirs is the same content.
      rmSync(temporary, { recursive: true, force: true });
      if (!existsSync(dir)) throw error;
    }
  }
  return path.join(dir, ...bundle.sop.split('/'));
}
