import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isSopError, SopError, type Diagnostic } from '../errors/index.js';
import { createTemplateEngine } from '../templates/index.js';
import { RUNNER_VERSION } from '../version.js';
import { reportFieldsInBlockText } from './dedented-fields.js';
import { reportDedentedRoleFields } from './dedented-role-fields.js';
import { DiagnosticSink, sortDiagnostics } from './diagnostic-sink.js';
import { checkEnvelope } from './envelope.js';
import { FileRefReader } from './file-refs.js';
import { formatBytes, LIMITS, readCappedSync, unreadableFile } from './limits.js';
import { resolveSop } from './resolve.js';
import { ResolveContext } from './resolve-context.js';
import type { ResolvedSop } from './resolved.js';
import { isWithin } from './pointer.js';
import { affectsNeed, createRuleContext, RULES } from './rules/index.js';
import { localResolver, reportSchemaErrors } from './schema-errors.js';
import { SOP_SCHEMA, validateAgainstSopSchema } from './schema-validator.js';
import type { SOP } from './sop.types.generated.js';
import { decodeUtf8Text } from './text-encoding.js';
import { declaredApiVersion } from './declared-format.js';
import { wellFormedPart } from './well-formed-part.js';
import { closestMatch } from './suggest.js';
import { loadYaml } from './yaml-loader.js';

export interface ValidateOptions {
  /** Runner version checked against `metadata.requires` (default: this runner's). */
  runnerVersion?: string;
  /** Folder relative paths are resolved from and displayed relative to (default: `process.cwd()`). */
  cwd?: string;
  /**
   * A hint for an SOP file that does not exist, asked when no YAML file of a near name is beside it
   * (the caller knows things the spec layer does not: the CLI names the copy its package ships).
   */
  missingFileHint?: (file: string, absolute: string) => string | undefined;
}

/** Outcome of validating one SOP file: every problem found, and the resolved SOP when none is an error. */
export interface ValidationResult {
  /** The path as the user gave it. */
  file: string;
  /** Errors and warnings, sorted by line. */
  diagnostics: Diagnostic[];
  /** Set if and only if no diagnostic is an error. */
  sop: ResolvedSop | undefined;
}

/**
 * Validates an SOP file: YAML, format version, JSON Schema, referenced files, then the semantic
 * rules, and reports every problem at once. Broken YAML or envelope stops there (nothing after can
 * be trusted); schema errors do not: the rules check the well-formed rest of the document, skipping
 * only what depends on a broken part. Never throws for bad input.
 */
export async function validateSopFile(file: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  if (file.trim() === '') {
    // `path.resolve('')` is the current folder: "cannot read : it is a folder" would be a riddle.
    return { file, diagnostics: [{ code: 'FILE_NOT_FOUND', severity: 'error', file, message: 'the file name is empty', hint: 'give the path of an SOP file, e.g. `sop validate sop.yaml`' }], sop: undefined };
  }
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  let bytes: Buffer;
  try {
    // The size is checked before reading: a 1.5 GB file is refused in a millisecond. Pipes
    // (`sop validate <(generate-sop)`) and devices have no size: they are read with a cap instead.
    const info = await stat(absolute);
    if (info.isFile() && info.size > LIMITS.sopBytes) return tooLarge(file, formatBytes(info.size));
    const read = readCappedSync(absolute, LIMITS.sopBytes);
    if (read === 'too-large') return tooLarge(file, 'endless or larger than that');
    bytes = read;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const diagnostic: Diagnostic =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? { code: 'FILE_NOT_FOUND', severity: 'error', file, message: `no such file: ${file}`, hint: (await nearFileHint(file, absolute)) ?? options.missingFileHint?.(file, absolute) ?? 'check the path (relative paths start from the current folder)' }
        : { code: 'FILE_UNREADABLE', severity: 'error', file, ...unreadableReason(file, code, error as Error), ...(code === 'EISDIR' ? await sopInFolderHint(file, absolute) : {}) };
    return { file, diagnostics: [diagnostic], sop: undefined };
  }
  return validateSopBytes(bytes, file, options);
}

/**
 * `did you mean \`sop.yaml\`?` for `Sop.yaml`, `sop.yml` or `sop.yam`: a YAML file of the same folder
 * whose name is near the one given, written as the path was typed.
 */
async function nearFileHint(file: string, absolute: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(path.dirname(absolute));
  } catch {
    return undefined; // The folder is missing too.
  }
  const stem = (name: string): string => name.replace(/\.ya?ml?$/i, '');
  const yamlFiles = names.filter((name) => /\.ya?ml$/i.test(name));
  const given = path.basename(file);
  const match = yamlFiles.find((name) => stem(name).toLowerCase() === stem(given).toLowerCase()) ?? closestMatch(given, yamlFiles);
  return match === undefined ? undefined : `did you mean \`${path.join(path.dirname(file), match)}\`?`;
}

/**
 * `did you mean \`post/sop.yaml\`?` for a folder given as the SOP (as `sop test post` takes one): the
 * folder's `sop.yaml`, as `sop init` names it, else its only SOP-looking YAML file, else those it holds.
 */
async function sopInFolderHint(file: string, absolute: string): Promise<{ hint: string } | Record<string, never>> {
  let names: string[];
  try {
    names = (await readdir(absolute)).filter((name) => /\.ya?ml$/i.test(name) && !/\.test\.ya?ml$/i.test(name)).sort();
  } catch {
    return {};
  }
  // YAML that is surely another tool's (a workflow, `examples/ci/sop.yml`, declares no `sop/v1`) is
  // not named when an SOP is found in the folders below instead.
  if (!names.some((name) => declaredApiVersion(path.join(absolute, name)) === 'sop/v1')) {
    const below = await sopsInSubfolders(file, absolute);
    if ('hint' in below) return below;
  }
  const shown = (name: string): string => `\`${path.join(file, name)}\``;
  const sop = names.find((name) => /^sop\.ya?ml$/.test(name));
  if (sop !== undefined || names.length === 1) return { hint: `give the path of an SOP file (.yaml): did you mean ${shown(sop ?? (names[0] as string))}?` };
  if (names.length > 1) return { hint: `give the path of an SOP file (.yaml); the folder holds ${names.slice(0, 5).map(shown).join(', ')}${names.length > 5 ? ', ...' : ''}` };
  return {};
}

/**
 * A folder of SOP folders (`examples/`, each example a `sop.yaml` declaring `sop/v1` in its own
 * folder): the command that checks them all (`sop validate` of `examples/` + `*` + `/sop.yaml`, a shell glob), and the first of them.
 */
async function sopsInSubfolders(file: string, absolute: string): Promise<{ hint: string } | Record<string, never>> {
  let folders: string[];
  try {
    folders = (await readdir(absolute, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
  } catch {
    return {};
  }
  const sops: string[] = [];
  for (const folder of folders) {
    const names = await readdir(path.join(absolute, folder)).catch(() => [] as string[]);
    if (names.includes('sop.yaml') && declaredApiVersion(path.join(absolute, folder, 'sop.yaml')) === 'sop/v1') sops.push(path.join(file, folder, 'sop.yaml'));
  }
  if (sops.length === 0) return {};
  if (sops.length === 1) return { hint: `give the path of an SOP file (.yaml): did you mean \`${sops[0] as string}\`?` };
  const listed = `${sops.slice(0, 3).map((sop) => `\`${sop}\``).join(', ')}${sops.length > 3 ? ', ...' : ''}`;
  return { hint: `give the path of an SOP file (.yaml); its folders hold ${sops.length} SOPs (${listed}): \`sop validate ${path.join(file, '*', 'sop.yaml')}\` checks them all` };
}

function tooLarge(file: string, size: string): ValidationResult {
  return { file, sop: undefined, diagnostics: [{ code: 'FILE_TOO_LARGE', severity: 'error', file, message: `cannot read ${file}: it is ${size}; an SOP file is at most ${formatBytes(LIMITS.sopBytes)}`,
    hint: 'give the path of an SOP file (.yaml); an SOP describes a team: keep data in files its actions `reads`' }] };
}

/** Why a file could not be read, in words, and what to do (`ELOOP` is not "check the permissions"). */
function unreadableReason(file: string, code: string | undefined, error: Error): { message: string; hint: string } {
  if (code === 'EISDIR') return { message: `cannot read ${file}: it is a folder`, hint: 'give the path of an SOP file (.yaml)' };
  if (code === 'ELOOP') return { message: `cannot read ${file}: it is a symbolic link that leads back to itself`, hint: 'point the link at a real file (`ls -l` shows where it leads)' };
  if (code === 'EACCES' || code === 'EPERM') return { message: `cannot read ${file}: permission denied`, hint: 'check the file\'s permissions (`chmod u+r`)' };
  if (code === 'ENOTREGULAR' || code === 'ENXIO') return { message: `cannot read ${file}: ${unreadableFile(error).why}`, hint: 'give the path of an SOP file (.yaml)' };
  return { message: `cannot read ${file}: ${error.message}`, hint: 'check the file\'s permissions' };
}

/** Validates SOP text as if read from `file` (relative file references start from its folder). */
export function validateSopText(text: string, file: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  return validateSopBytes(Buffer.from(text, 'utf8'), file, options);
}

/** True when `pointer` is a removed value, inside one, or holds one. */
function nearRemoved(pointer: string | undefined, removed: readonly string[]): boolean {
  if (pointer === undefined) return false;
  return removed.some((target) => isWithin(pointer, target) || isWithin(target, pointer));
}

/** A rule's "missing field" about a field the schema found written with a typo beside it. */
function missingButMisspelled(diagnostic: Diagnostic, misspelled: ReadonlySet<string>): boolean {
  if (diagnostic.code !== 'SCHEMA_MISSING_FIELD' || diagnostic.pointer === undefined) return false;
  const parent = diagnostic.pointer.slice(0, diagnostic.pointer.lastIndexOf('/'));
  return [...misspelled].some((pointer) => pointer.slice(0, pointer.lastIndexOf('/')) === parent && diagnostic.message.includes(`\`${pointer.slice(pointer.lastIndexOf('/') + 1)}\``));
}

/**
 * A rule's "missing field" about an object whose field it names was written but removed as invalid
 * (a gate's `command: [...]` where a mapping belongs): "checks nothing" would contradict the type
 * error reported at that field.
 */
function missingButRemoved(diagnostic: Diagnostic, removed: readonly string[]): boolean {
  if (diagnostic.code !== 'SCHEMA_MISSING_FIELD' || diagnostic.pointer === undefined) return false;
  const parent = diagnostic.pointer.slice(0, diagnostic.pointer.lastIndexOf('/'));
  const said = `${diagnostic.message} ${diagnostic.expected ?? ''}`;
  return removed.some((pointer) => pointer.slice(0, pointer.lastIndexOf('/')) === parent && said.includes(`\`${pointer.slice(pointer.lastIndexOf('/') + 1)}\``));
}

/** Loads an SOP for running: the resolved model and its warnings, or a SopError carrying every diagnostic. */
export async function loadResolvedSop(file: string, options: ValidateOptions = {}): Promise<{ sop: ResolvedSop; warnings: Diagnostic[] }> {
  const result = await validateSopFile(file, options);
  if (!result.sop) throw SopError.fromDiagnostics(result.diagnostics);
  return { sop: result.sop, warnings: result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning') };
}

/** Validates the bytes of an SOP file as read from `file` (what `validateSopFile` does once it has read them). */
export async function validateSopBytes(bytes: Buffer, file: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, file);
  const finish = (diagnostics: Diagnostic[], sop?: ResolvedSop): ValidationResult => {
    const sorted = sortDiagnostics(diagnostics, file);
    return { file, diagnostics: sorted, sop: sorted.some((diagnostic) => diagnostic.severity === 'error') ? undefined : sop };
  };

  if (bytes.length > LIMITS.sopBytes) return tooLarge(file, formatBytes(bytes.length));
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) {
    const { message, hint, line, column } = decoded.problem;
    return finish([{ code: 'FILE_UNREADABLE', severity: 'error', file, message: `cannot read ${file}: ${message}`, hint,
      ...(line !== undefined ? { line, column } : {}) }]);
  }
  const text = decoded.text;
  const loaded = loadYaml(text, file);
  if (!loaded.ok) return finish(loaded.diagnostics);
  const sink = new DiagnosticSink(file, loaded.sourceMap);

  if (!checkEnvelope(loaded.data, sink, options.runnerVersion ?? RUNNER_VERSION)) return finish(sink.diagnostics);

  const schemaErrors = validateAgainstSopSchema(loaded.data);
  const unexplained = reportFieldsInBlockText(loaded.data, reportDedentedRoleFields(loaded.data, schemaErrors, sink), SOP_SCHEMA, sink, localResolver(SOP_SCHEMA));
  const misspelled = reportSchemaErrors(unexplained, SOP_SCHEMA, sink, loaded.data);
  // With schema errors, the rest is still checked on what is well formed: every mistake at once.
  const part = sink.hasErrors ? wellFormedPart(loaded.data, validateAgainstSopSchema, schemaErrors) : { document: loaded.data, removed: [] };
  if (!part) return finish(sink.diagnostics);

  const dir = path.dirname(absolute);
  const display = (target: string): string => (path.isAbsolute(file) ? target : path.relative(cwd, target));
  const reader = new FileRefReader(dir, display);
  const document = part.document as SOP;
  const sop = await resolveSop(
    document,
    { file: absolute, displayPath: file, dir, sha256: createHash('sha256').update(bytes).digest('hex'), source: text },
    new ResolveContext(file, loaded.sourceMap, sink, reader),
  );

  const context = createRuleContext(sop, sink, createTemplateEngine(sop.settings.templates, { partialsRoot: dir }));
  for (const [, rule, needs = []] of RULES) {
    if (part.removed.some((removed) => needs.some((pattern) => affectsNeed(removed, pattern)))) continue;
    const before = sink.diagnostics.length;
    try {
      rule(context);
    } catch (error) {
      // A rule reports through the sink; a SopError escaping it is still a finding, anything else is a bug.
      if (!isSopError(error)) throw error;
      sink.add(...(error.diagnostics.length > 0 ? error.diagnostics : [{ code: error.code, severity: 'error' as const, message: error.message, file }]));
    }
    // Around a removed value, a rule sees its default or its absence: what it finds there is noise.
    if (part.removed.length > 0) sink.diagnostics.splice(before, Infinity, ...sink.diagnostics.slice(before).filter((diagnostic) => !nearRemoved(diagnostic.pointer, part.removed) && !missingButRemoved(diagnostic, part.removed)));
    // `promt` was reported as "did you mean `prompt`?": "neither `prompt` nor `run`" would say it again, less helpfully.
    if (misspelled.size > 0) sink.diagnostics.splice(before, Infinity, ...sink.diagnostics.slice(before).filter((diagnostic) => !missingButMisspelled(diagnostic, misspelled)));
  }
  return finish(sink.diagnostics, sop);
}
