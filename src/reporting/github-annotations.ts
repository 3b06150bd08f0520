import path from 'node:path';
import type { Diagnostic } from '../errors/index.js';
import { pathWithin } from '../files/index.js';
import type { FailedCase } from './case-outcome.js';
import { valueAt } from '../spec/pointer.js';
import type { ResolvedSop, SourceOrigin } from '../spec/resolved.js';
import type { SourceMap } from '../spec/source-map.js';
import { withoutControlBytes } from '../spec/text-encoding.js';
import { loadYaml } from '../spec/yaml-loader.js';

/** Where an annotation points: a file, and a line when known. */
export interface AnnotationPlace {
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/** Where GitHub places annotations from: the checkout (`GITHUB_WORKSPACE`), and the folder the command runs in. */
export interface AnnotationBase {
  root: string;
  cwd: string;
}

/**
 * A GitHub Actions workflow command (`::error file=x,line=3,title=T::message`), escaped as the
 * actions toolkit does. The runner reads commands on stdout and stderr alike; `sop` writes them to
 * stderr so stdout stays for `--json` and `--events -`. With `base`, the file is named relative to
 * the checkout, which is how GitHub finds it for the pull request's diff.
 */
export function formatAnnotation(level: 'error' | 'warning' | 'notice', title: string, message: string, place: AnnotationPlace = {}, base?: AnnotationBase): string {
  const properties: string[] = [];
  if (place.file) properties.push(`file=${escapeProperty(placedFile(place.file, base))}`);
  if (place.file && place.line) properties.push(`line=${place.line}`);
  if (place.file && place.line && place.column) properties.push(`col=${place.column}`);
  properties.push(`title=${escapeProperty(title)}`);
  return `::${level} ${properties.join(',')}::${escapeData(message)}`;
}

/** A place written `file:line:col` or `file:line` (a test case's, a dataset case's), as an annotation's; a bare file when no line follows. */
function placeOf(location: string): AnnotationPlace {
  const match = /^(.+?):(\d+)(?::(\d+))?$/.exec(location);
  if (!match) return { file: location };
  return { file: match[1], line: Number(match[2]), ...(match[3] === undefined ? {} : { column: Number(match[3]) }) };
}

/**
 * A file as GitHub places it: relative to the checkout, with `/`, when it lies inside it (a path
 * given absolute, or relative to a subfolder, is not found there); else as it is.
 */
function placedFile(file: string, base: AnnotationBase | undefined): string {
  if (!base) return file;
  // By real paths too: the working folder is the real one, GITHUB_WORKSPACE may go through a symlink.
  const relative = pathWithin(path.resolve(base.cwd, base.root), path.resolve(base.cwd, file));
  return relative === undefined || relative === '' ? file : relative.split(path.sep).join('/');
}

/**
 * A folder as the job's reader knows it: relative to the checkout (`.` for the checkout itself,
 * with `/`) when it lies inside it; else its absolute path. The runner's own absolute path
 * (`/home/runner/work/repo/repo/...`) reads as noise on the job's page.
 */
export function folderInCheckout(folder: string, base: AnnotationBase): string {
  const absolute = path.resolve(base.cwd, folder);
  const relative = pathWithin(path.resolve(base.cwd, base.root), absolute);
  return relative === undefined ? absolute : relative.split(path.sep).join('/') || '.';
}

/** A validation diagnostic (a warning of a run's SOP, or every problem of a refused one). */
export function diagnosticAnnotation(diagnostic: Diagnostic, base?: AnnotationBase): string {
  let message = diagnostic.message;
  if (!diagnostic.line && diagnostic.pointer !== undefined) message += ` at ${diagnostic.pointer || '/'}`;
  if (diagnostic.expected) message += `\nexpected: ${diagnostic.expected}`;
  if (diagnostic.hint) message += `\nhint: ${diagnostic.hint}`;
  return formatAnnotation(diagnostic.severity, diagnostic.code, message, diagnostic, base);
}

/** A failed case of `sop test` or `sop eval`: an `::error` at the case in its test file or dataset, listing what failed. */
export function failedCaseAnnotation(command: string, failed: FailedCase, base?: AnnotationBase): string {
  return formatAnnotation('error', `${command}: ${failed.name} failed`, failed.details.join('\n'), placeOf(failed.location), base);
}

/**
 * Where a gate is written: its `assert` expression or its command, else its entry in the SOP (a
 * judge or human gate), else the SOP file.
 */
export function gatePlace(sop: ResolvedSop | undefined, role: string, action: string, gate: string): AnnotationPlace {
  if (!sop) return {};
  const declared = sop.roles.find((candidate) => candidate.id === role)?.actions.find((candidate) => candidate.id === action)?.gates.find((candidate) => candidate.name === gate);
  const origin: SourceOrigin | undefined = declared?.assert?.origin ?? declared?.command?.command[0]?.origin;
  if (origin) return { file: origin.file, line: origin.line, column: origin.column };
  return declared ? sopFieldPlace(sop, declared.pointer) : { file: sop.displayPath };
}

/** Each SOP's text parsed once: a run's annotations may locate many of its fields. */
const sourceMaps = new WeakMap<ResolvedSop, { data: unknown; sourceMap: SourceMap } | null>();

/**
 * Where the SOP's own text writes the field at `pointer` (`/settings/n_round`), line and column;
 * the SOP file alone when its text does not (a field from a file it extends, a default).
 */
export function sopFieldPlace(sop: ResolvedSop, pointer: string): AnnotationPlace {
  let parsed = sourceMaps.get(sop);
  if (parsed === undefined) {
    const loaded = sop.source === undefined ? undefined : loadYaml(sop.source, sop.displayPath);
    parsed = loaded?.ok ? { data: loaded.data, sourceMap: loaded.sourceMap } : null;
    sourceMaps.set(sop, parsed);
  }
  if (!parsed || valueAt(parsed.data, pointer) === undefined) return { file: sop.displayPath };
  const { line, column } = parsed.sourceMap.locate(pointer);
  return { file: sop.displayPath, line, column };
}

/**
 * Escaping of workflow command data (actions/toolkit `command.ts`), after removing terminal escape
 * sequences (a command's coloured output) and the control bytes left (NUL, ESC, BEL, ...): the
 * runner would show them raw, and a NUL can cut the annotation short.
 */
function escapeData(text: string): string {
  return withoutControlBytes(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

