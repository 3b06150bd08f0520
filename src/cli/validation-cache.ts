import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import type { ResolvedSop, ValidationResult } from '../spec/index.js';
import { LIMITS } from '../spec/limits.js';
import { shippedSopHint } from './shipped-sop-hint.js';

/**
 * Validated SOPs kept between commands (README, Design: start-up): checking an SOP (YAML with
 * positions, the schema, templates and expressions) is most of what `sop validate` and a cold
 * `sop run` spend, and the same file is checked again and again. An entry is found by everything
 * the verdict depends on: the SOP's bytes, its path as given and absolute, the current folder,
 * sop's code (the bundle's content hash), Node's version and architecture. It also lists the files
 * the SOP references, each with its real path and sha256, and the real path of the SOP's folder
 * (a symlink that now leads elsewhere changes what is inside the folder): any of them changed,
 * gone or unreadable, and the entry is not used. Only verdicts without errors are kept, and only
 * for SOPs whose templates use no partials (an engine finds those by looking for files, and a
 * file that appears later could change the verdict). A missing, damaged or unreadable entry is a
 * miss: the SOP is checked as without a cache.
 */

/** Where entries go and the identity of the code that wrote them; undefined: no cache. */
let store: { folder: string; codeId: string } | undefined;
/** True once this process validated an SOP itself (no kept verdict): bin/sop.js then keeps its code cache aside. */
let validatedAnew = false;
/** Bumped when an entry's content changes shape. */
const FORMAT = 1;
/** Template text that may pull in a partial (Liquid include/render/layout, Handlebars `{{> x}}`), conservatively. */
const MAY_USE_PARTIAL = /\{%-?\s*(?:include|render|layout)\b|\{\{~?#?>/;

interface Entry {
  /** Real path of the SOP's folder when the entry was written. */
  root: string;
  dependencies: Dependency[];
  result: ValidationResult;
}

interface Dependency {
  file: string;
  real: string;
  sha256: string;
}

/**
 * Turns the cache on for this process: `folder` is sop's cache folder (the code cache's, see
 * bin/load-bundle.js), `codeId` the content hash of the code that validates. Called by bin/sop.js.
 */
export function useValidationCache(folder: string | undefined, codeId: string | undefined): void {
  store = folder && codeId ? { folder: path.join(folder, 'validated'), codeId } : undefined;
}

/**
 * True when this process validated an SOP instead of taking a kept verdict: the code cache it
 * would keep holds the validators' compiled code, which a run with a kept verdict never needs.
 */
export function hasValidatedAnew(): boolean {
  return validatedAnew;
}

/** `validateSopFile`, answered from the cache when an entry for this very SOP and its files is there. */
export async function validateSopFileCached(file: string, cwd: string): Promise<ValidationResult> {
  const absolute = path.resolve(cwd, file);
  const bytes = store && file.trim() !== '' ? readRegularFile(absolute) : undefined;
  const spec = (): Promise<typeof import('../spec/index.js')> => import('../spec/index.js');
  if (!store || !bytes) {
    validatedAnew = true;
    return (await spec()).validateSopFile(file, { cwd, missingFileHint: shippedSopHint });
  }
  const entryFile = path.join(store.folder, `${entryKey(store.codeId, file, cwd, absolute, bytes)}.v8`);
  const cached = readEntry(entryFile, absolute);
  if (cached) return cached;
  validatedAnew = true;
  // The very bytes the key was made of are validated: an SOP saved meanwhile cannot get this verdict.
  const result = await (await spec()).validateSopBytes(bytes, file, { cwd });
  writeEntry(entryFile, absolute, bytes, result);
  return result;
}

/**
 * `loadResolvedSop` through the cache: the resolved SOP and its warnings, or a SopError carrying
 * every diagnostic (the same three lines as spec's, which is not imported: a kept verdict loads
 * none of the validation modules).
 */
export async function loadResolvedSopCached(file: string, cwd: string): Promise<{ sop: ResolvedSop; warnings: ValidationResult['diagnostics'] }> {
  const result = await validateSopFileCached(file, cwd);
  if (!result.sop) throw SopError.fromDiagnostics(result.diagnostics);
  return { sop: result.sop, warnings: result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning') };
}

/** The bytes of a regular file within the SOP size bound; anything else is left to `validateSopFile` (its messages). */
function readRegularFile(file: string): Buffer | undefined {
  try {
    const info = statSync(file);
    return info.isFile() && info.size <= LIMITS.sopBytes ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function entryKey(codeId: string, file: string, cwd: string, absolute: string, bytes: Buffer): string {
  const context = JSON.stringify([FORMAT, codeId, process.version, process.arch, file, cwd, absolute]);
  return createHash('sha256').update(context).update('\0').update(bytes).digest('hex').slice(0, 40);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The cached verdict, when the entry is readable and every file it depends on is as it was. */
function readEntry(entryFile: string, absolute: string): ValidationResult | undefined {
  try {
    const entry = v8.deserialize(readFileSync(entryFile)) as Entry;
    if (realpathSync(path.dirname(absolute)) !== entry.root) return undefined;
    const unchanged = entry.dependencies.every((dependency) => realpathSync(dependency.file) === dependency.real && sha256(readFileSync(dependency.real)) === dependency.sha256);
    return unchanged && entry.result.sop ? entry.result : undefined;
  } catch {
    return undefined; // No entry, a damaged one, or a referenced file gone.
  }
}

/** Keeps a verdict without errors, with the files it depends on; nothing when it may depend on more. */
function writeEntry(entryFile: string, absolute: string, bytes: Buffer, result: ValidationResult): void {
  if (!result.sop || MAY_USE_PARTIAL.test(bytes.toString('utf8')) || !isPlainData(result)) return;
  try {
    const dependencies: Dependency[] = [];
    for (const [file, recorded] of Object.entries(result.sop.referencedFiles)) {
      const real = realpathSync(file);
      const content = readFileSync(real);
      // Changed while it was validated, or a template that may use partials: not kept.
      if (sha256(content) !== recorded || MAY_USE_PARTIAL.test(content.toString('utf8'))) return;
      dependencies.push({ file, real, sha256: recorded });
    }
    const entry: Entry = { root: realpathSync(path.dirname(absolute)), dependencies, result };
    writeFileAtomicSync(entryFile, v8.serialize(entry), { durable: false });
  } catch {
    // A read-only or full disk, a value V8 cannot serialize: the next command validates again.
  }
}

/**
 * True when `value` is made of primitives, plain objects and arrays only: what V8 serializes and
 * gives back unchanged (a class instance would come back without its methods, a prototype-less
 * dictionary with `Object.prototype`).
 */
function isPlainData(value: unknown): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (value === null || typeof value !== 'object') return true;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype) return false;
  return Object.values(value).every(isPlainData);
}
