import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { CODES, EXIT, firstProblems, moreProblems, plural, SopError, type Diagnostic, type ErrorCode } from '../../errors/index.js';
import { withTypedHint } from '../../runtime/resume-target.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import type { ResolvedSop } from '../../spec/resolved.js';
import { SopCommand } from '../base-command.js';
import { rawFlagValue } from '../raw-flag.js';
import { companionDiagnostics, companionKind, KIND_NOUNS, ownCode, type ValidatedKind } from '../validate-companion.js';
import { validateSopFileCached } from '../validation-cache.js';

/** `sop validate --json`'s result. */
export interface ValidateResult {
  files: ValidatedFile[];
}

/** One validated file, as `--json` prints it. */
export interface ValidatedFile {
  file: string;
  /** What it was read as: an SOP, or a test file, eval dataset or script beside the SOPs (by its `apiVersion`). */
  kind: ValidatedKind;
  valid: boolean;
  diagnostics: Diagnostic[];
  /**
   * A script given with `--script`: the SOP its answers were checked against. A script given alone is checked as a file only.
   * An eval dataset given with one SOP: the SOP its cases' inputs were checked against.
   */
  checkedAgainst?: string;
}

export default class Validate extends SopCommand<ValidateResult> {
  static override summary = 'Check SOP files: YAML, schema and semantic rules, every problem at once.';
  static override description = `Test files (sop-test/v1), eval datasets (sop-eval/v1; .jsonl and .csv ones by their extension) and scripts (sop-script/v1) given among them are checked as what they are: a test file against the SOP it tests too, an eval dataset given with one SOP its cases' inputs against that SOP. A script names no SOP: \`--script FILE\` checks its answers against the one SOP given (roles, actions and gates it lacks, outputs its schemas refuse), as \`sop run --model script:FILE\` warns of them.

The configuration a run from the current folder would read (sop.config.*, .soprc*, the user's file) is checked too, as \`sop run\` checks it before anything runs (a \`default_provider\` that names no provider, ...): listed only when it is invalid.

Exit 0 when no file has an error (warnings are printed), 3 when any SOP is invalid, 11 when the configuration is and no SOP, 2 when only test files, eval datasets or scripts are invalid (as \`sop test\`, \`sop eval\` and \`--model script:FILE\` refuse them: TEST_INVALID, DATASET_INVALID, SCRIPT_INVALID) or a file is missing or unreadable.`;
  static override examples = [
    '<%= config.bin %> validate sops/software-company.yaml',
    '<%= config.bin %> validate sops/*.yaml --format github',
    '<%= config.bin %> validate sop.yaml --script answers.yaml',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'SOP file(s) to check.', required: true }),
  };
  static override flags = {
    format: Flags.string({ description: 'Output format (json: the same as --json).', options: ['text', 'json', 'github'], default: 'text' }),
    script: Flags.string({ description: 'A script (--model script:FILE) whose answers are checked against the SOP given (repeatable).', multiple: true, multipleNonGreedy: true }),
  };

  /** `--format json` is another way to ask for the `--json` envelope. */
  override jsonEnabled(): boolean {
    return super.jsonEnabled() || rawFlagValue(this.argv, 'format') === 'json';
  }

  async run(): Promise<ValidateResult> {
    const { argv, flags } = await this.parse(Validate);
    const scripts = flags.script ?? [];
    // A script given with --script is checked there: not a second time alone.
    const files = (argv as string[]).filter((file) => !scripts.includes(file));
    const validatedFiles: Array<{ validated: ValidatedFile; sop?: ResolvedSop }> = [];
    for (const file of files) validatedFiles.push(await validateOne(file));
    await checkDatasetsAgainstSop(validatedFiles);
    // The configuration the SOP would run with: `sop run` refuses it before anything runs.
    const config = await (await import('../validate-companion.js')).configProblems(process.cwd());
    if ('unreadWarnings' in config) for (const warning of config.unreadWarnings) this.warning(warning);
    else validatedFiles.push({ validated: { file: config.file, kind: 'config', valid: false, diagnostics: config.diagnostics } });
    if (scripts.length > 0) {
      const sops = validatedFiles.filter(({ validated }) => validated.kind === 'sop');
      if (sops.length !== 1) throw scriptWithoutOneSop(sops.map(({ validated }) => validated.file), scripts);
      const [target] = sops as [(typeof sops)[number]];
      for (const script of scripts) validatedFiles.push({ validated: await validateScriptAgainst(script, target) });
    }
    const results: ValidatedFile[] = validatedFiles.map(({ validated }) => ({
      ...validated,
      // Typed as printed, so `--json` and `--format github` give the command a person would paste.
      diagnostics: validated.diagnostics.map((diagnostic) => withTypedHint(diagnostic, this.sopCommand)),
    }));

    if (this.jsonEnabled()) this.note(summarize(results));
    else await (flags.format === 'github' ? this.printGithub(results) : this.printText(results, sopToCheckScriptsWith(files, validatedFiles)));
    this.concludeWith(validationFailure(results));
    return { files: results };
  }

  /** `sop`: the SOP named in the command a script checked alone is told to check it with. */
  private async printText(results: ValidatedFile[], sop: string): Promise<void> {
    const { DiagnosticRenderer, renderProblems } = await import('../render-diagnostics.js');
    const renderer = new DiagnosticRenderer();
    for (const result of results) {
      if (result.diagnostics.length === 0) this.out(`${result.file}: valid${result.kind === 'sop' ? '' : ` (${KIND_NOUNS[result.kind]}${this.scriptNote(result, sop)}${this.datasetNote(result, sop)})`}`);
      for (const line of await renderProblems(renderer, result.diagnostics)) this.out(line);
    }
    this.out(summarize(results));
  }

  /** A valid script's line says what was checked: its answers against an SOP (`--script`), or the file alone (and the command to check them against `sop`). */
  private scriptNote(result: ValidatedFile, sop: string): string {
    if (result.kind !== 'script') return '';
    if (result.checkedAgainst !== undefined) return `, its answers checked against ${result.checkedAgainst}`;
    return `; its roles, actions and gates are not checked against an SOP: \`${this.sopCommand} validate ${sop} --script ${quoteArgument(result.file)}\``;
  }

  /** A valid dataset's line says whether its cases' inputs were checked against an SOP, and how to check them when not. */
  private datasetNote(result: ValidatedFile, sop: string): string {
    if (result.kind !== 'dataset') return '';
    if (result.checkedAgainst !== undefined) return `, its inputs checked against ${result.checkedAgainst}`;
    if (sop !== 'SOP') return `; its inputs are not checked: ${sop} does not load`;
    return `; its inputs are not checked against an SOP: \`${this.sopCommand} validate SOP ${quoteArgument(result.file)}\``;
  }

  private async printGithub(results: ValidatedFile[]): Promise<void> {
    const [{ diagnosticAnnotation }, { annotationBase }] = await Promise.all([import('../../reporting/index.js'), import('../annotation-base.js')]);
    const base = annotationBase();
    for (const result of results) {
      // Capped as the text output is: GitHub shows a step's first 10 errors, the rest only flood its log.
      const { shown, rest } = firstProblems(result.diagnostics);
      for (const diagnostic of shown) this.out(diagnosticAnnotation(diagnostic, base));
      if (rest.length > 0) this.note(`${result.file}: ${moreProblems(rest)}`);
    }
    this.note(summarize(results));
  }
}

/** The SOP a script checked alone is to be checked against: the one SOP file given (as typed, quoted), else `SOP` for the user to fill in. */
function sopToCheckScriptsWith(files: readonly string[], validatedFiles: ReadonlyArray<{ validated: ValidatedFile }>): string {
  const sops = files.filter((file) => validatedFiles.some(({ validated }) => validated.file === file && validated.kind === 'sop'));
  return sops.length === 1 ? quoteArgument(sops[0] as string) : 'SOP';
}

/** Validates one file (an SOP: with its resolved form when valid); a thrown `SopError` (unreadable file) becomes that file's diagnostics. */
async function validateOne(file: string): Promise<{ validated: ValidatedFile; sop?: ResolvedSop }> {
  const cwd = process.cwd();
  const kind = companionKind(path.resolve(cwd, file));
  if (kind !== undefined) {
    const diagnostics = await companionDiagnostics(kind, file, cwd);
    return { validated: { file, kind, valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics } };
  }
  try {
    const result = await validateSopFileCached(file, cwd);
    const validated: ValidatedFile = { file: result.file, kind: 'sop', valid: !result.diagnostics.some((d) => d.severity === 'error'), diagnostics: result.diagnostics };
    return result.sop === undefined ? { validated } : { validated, sop: result.sop };
  } catch (error) {
    if (!(error instanceof SopError)) throw error;
    return { validated: { file, kind: 'sop', valid: false, diagnostics: diagnosticsOf(error, file) } };
  }
}

/**
 * A dataset names no SOP: given with one SOP (`sop validate sop.yaml cases.yaml`), its cases' inputs
 * are checked against that SOP, as `sop eval` would refuse each case's run. With none or several, it is checked as a file only.
 */
async function checkDatasetsAgainstSop(validatedFiles: Array<{ validated: ValidatedFile; sop?: ResolvedSop }>): Promise<void> {
  const sops = validatedFiles.filter(({ validated }) => validated.kind === 'sop');
  const sop = sops.length === 1 ? sops[0]?.sop : undefined;
  if (sop === undefined) return;
  for (const entry of validatedFiles) {
    if (entry.validated.kind !== 'dataset' || !entry.validated.valid) continue;
    const { datasetInputsAgainst } = await import('../validate-companion.js');
    const diagnostics = await datasetInputsAgainst(entry.validated.file, process.cwd(), sop);
    entry.validated = { ...entry.validated, checkedAgainst: (sops[0] as (typeof sops)[number]).validated.file, valid: diagnostics.length === 0, diagnostics };
  }
}

/** A script given with `--script`: read as `--model script:FILE` reads it, then its answers checked against `sop` (`scriptMisfitWarnings`, the run's check). */
async function validateScriptAgainst(file: string, target: { validated: ValidatedFile; sop?: ResolvedSop }): Promise<ValidatedFile> {
  const checked = { file, kind: 'script' as const, checkedAgainst: target.validated.file };
  let diagnostics: Diagnostic[];
  try {
    const cwd = process.cwd();
    // Read as `--model script:FILE` reads it: relative to the current folder; one beside the SOP instead is named with the `--script` to type.
    const { scriptBesideSopHint } = await import('../script-beside-sop.js');
    const beside = scriptBesideSopHint(file, cwd, path.dirname(path.resolve(cwd, target.validated.file)), (shown) => `--script ${shown}`);
    // Else the flag typed here, not `--model script:...` (a run's flag).
    const pathHint = beside ?? 'pass the path of a script file: --script path/to/answers.yaml (see docs/scripted-model.md)';
    const script = (await import('../../providers/script/load-script.js')).loadScript(file, cwd, pathHint);
    diagnostics = target.sop === undefined ? [unloadedSop(file, target.validated)] : (await import('../../runtime/script-fit.js')).scriptMisfitWarnings(script, target.sop);
  } catch (error) {
    if (!(error instanceof SopError)) throw error;
    diagnostics = diagnosticsOf(error, file);
  }
  return { ...checked, valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

/** The script's answers cannot be checked against an SOP that does not load: said as a test file's cases are. */
function unloadedSop(file: string, sop: ValidatedFile): Diagnostic {
  const code = sop.diagnostics.find((diagnostic) => diagnostic.severity === 'error')?.code ?? 'SCHEMA_VIOLATION';
  return { code, severity: 'error', file, message: `its answers cannot be checked: the SOP it is checked against, ${sop.file}, does not load (${code})`, hint: `fix the problems of ${sop.file} listed above, then check again` };
}

/** `--script` checks a script against one SOP: none given, or several, is a usage error naming the command to type. */
function scriptWithoutOneSop(sops: string[], scripts: string[]): SopError {
  const flags = scripts.map((script) => `--script ${quoteArgument(script)}`).join(' ');
  if (sops.length === 0) return new SopError('USAGE', '--script checks a script against an SOP, and no SOP file was given', { hint: `give the SOP the script is for: sop validate SOP ${flags}` });
  return new SopError('USAGE', `--script checks a script against one SOP, and ${sops.length} were given (${sops.join(', ')})`, { hint: `check it against each SOP in its own command: sop validate ${quoteArgument(sops[0] as string)} ${flags}` });
}

function diagnosticsOf(error: SopError, file: string): Diagnostic[] {
  return error.diagnostics.length > 0 ? error.diagnostics : [{ code: error.code, severity: 'error', message: error.message, file, ...(error.hint ? { hint: error.hint } : {}) }];
}

/** Why validation failed, with every diagnostic of every file; none when the exit code is 0. */
function validationFailure(results: ValidatedFile[]): SopError | undefined {
  const exitCode = exitCodeFor(results);
  if (exitCode === EXIT.OK) return undefined;
  const diagnostics = results.flatMap((result) => result.diagnostics);
  // The error's code is the first error's that gives this exit (a dataset's: DATASET_INVALID, as `sop eval` refuses it).
  const first = errorCodes(results).find(({ code }) => CODES[code] === exitCode) as { code: ErrorCode; diagnostic: Diagnostic };
  return new SopError(first.code, summarize(results), { diagnostics, ...(first.diagnostic.hint ? { hint: first.diagnostic.hint } : {}) });
}

/**
 * 3 when any SOP is invalid, else 11 when the configuration is (as `sop run` exits), else 2 when a
 * test file, dataset or script is invalid (as `sop test`, `sop eval` and `--model script:FILE`
 * refuse it) or a file could not be read, else 0 (warnings do not fail).
 */
function exitCodeFor(results: ValidatedFile[]): number {
  const codes = errorCodes(results).map(({ code }) => CODES[code]);
  if (codes.some((code) => code !== EXIT.USAGE && code !== EXIT.CONFIG_INVALID)) return EXIT.INVALID_SOP;
  if (codes.some((code) => code === EXIT.CONFIG_INVALID)) return EXIT.CONFIG_INVALID;
  if (codes.length > 0) return EXIT.USAGE;
  return EXIT.OK;
}

/** Each error and the code it counts as (`ownCode`: a dataset's schema error is DATASET_INVALID). */
function errorCodes(results: ValidatedFile[]): Array<{ code: ErrorCode; diagnostic: Diagnostic }> {
  return results.flatMap((result) => result.diagnostics.filter((d) => d.severity === 'error').map((diagnostic) => ({ code: ownCode(result.kind, diagnostic), diagnostic })));
}

/** "2 files: 1 valid, 1 invalid, 3 errors, 1 warning" (and "1 unreadable" when a file could not be read). */
export function summarize(results: ValidatedFile[]): string {
  const unreadable = results.filter((r) => !r.valid && isUnreadable(r)).length;
  const invalid = results.filter((r) => !r.valid).length - unreadable;
  const valid = results.length - invalid - unreadable;
  const all = results.flatMap((r) => r.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  const parts = [`${valid} valid`, `${invalid} invalid`];
  if (unreadable > 0) parts.push(`${unreadable} unreadable`);
  parts.push(plural(errors, 'error'), plural(warnings, 'warning'));
  return `${plural(results.length, 'file')}: ${parts.join(', ')}`;
}

function isUnreadable(result: ValidatedFile): boolean {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return false;
  // A test file's inputs that miss its SOP are USAGE errors too (as \`sop test\` refuses them), but mistakes in the file.
  return result.kind === 'sop' ? errors.every((d) => CODES[d.code] === EXIT.USAGE) : errors.every((d) => READ_CODES.has(d.code) && d.line === undefined);
}

/** Why a file could not be read at all. */
const READ_CODES: ReadonlySet<string> = new Set(['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_TOO_LARGE']);
