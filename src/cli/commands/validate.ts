import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { CODES, EXIT, SopError, type Diagnostic } from '../../errors/index.js';
import { withTypedHint } from '../../runtime/resume-target.js';
import { SopCommand } from '../base-command.js';
import { rawFlagValue } from '../raw-flag.js';
import { companionDiagnostics, companionKind, KIND_NOUNS, type ValidatedKind } from '../validate-companion.js';
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
}

export default class Validate extends SopCommand<ValidateResult> {
  static override summary = 'Check SOP files: YAML, schema and semantic rules, every problem at once.';
  static override description = `Test files (sop-test/v1), eval datasets (sop-eval/v1) and scripts (sop-script/v1) given among them are checked as what they are: a test file against the SOP it tests too.

Exit 0 when no file has an error (warnings are printed), 3 when any file is invalid, 2 when a file is missing or unreadable and nothing is invalid (and, as \`sop test\` exits, when a test file's only mistakes are inputs its SOP would refuse).`;
  static override examples = [
    '<%= config.bin %> validate sops/software-company.yaml',
    '<%= config.bin %> validate sops/*.yaml --format github',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'SOP file(s) to check.', required: true }),
  };
  static override flags = {
    format: Flags.string({ description: 'Output format (json: the same as --json).', options: ['text', 'json', 'github'], default: 'text' }),
  };

  /** `--format json` is another way to ask for the `--json` envelope. */
  override jsonEnabled(): boolean {
    return super.jsonEnabled() || rawFlagValue(this.argv, 'format') === 'json';
  }

  async run(): Promise<ValidateResult> {
    const { argv, flags } = await this.parse(Validate);
    const files = argv as string[];
    const results: ValidatedFile[] = [];
    for (const file of files) {
      const validated = await validateOne(file);
      // Typed as printed, so `--json` and `--format github` give the command a person would paste.
      results.push({ ...validated, diagnostics: validated.diagnostics.map((diagnostic) => withTypedHint(diagnostic, this.sopCommand)) });
    }

    if (this.jsonEnabled()) this.note(summarize(results));
    else await (flags.format === 'github' ? this.printGithub(results) : this.printText(results));
    this.concludeWith(validationFailure(results));
    return { files: results };
  }

  private async printText(results: ValidatedFile[]): Promise<void> {
    const { DiagnosticRenderer } = await import('../render-diagnostics.js');
    const renderer = new DiagnosticRenderer();
    for (const result of results) {
      if (result.diagnostics.length === 0) this.out(`${result.file}: valid${result.kind === 'sop' ? '' : ` (${KIND_NOUNS[result.kind]})`}`);
      for (const diagnostic of result.diagnostics) this.out(await renderer.render(diagnostic));
    }
    this.out(summarize(results));
  }

  private async printGithub(results: ValidatedFile[]): Promise<void> {
    const [{ diagnosticAnnotation }, { annotationBase }] = await Promise.all([import('../../reporting/index.js'), import('../annotation-base.js')]);
    const base = annotationBase();
    for (const result of results) {
      for (const diagnostic of result.diagnostics) this.out(diagnosticAnnotation(diagnostic, base));
    }
    this.note(summarize(results));
  }
}

/** Validates one file; a thrown `SopError` (unreadable file) becomes that file's diagnostics. */
async function validateOne(file: string): Promise<ValidatedFile> {
  const cwd = process.cwd();
  const kind = companionKind(path.resolve(cwd, file));
  if (kind !== undefined) {
    const diagnostics = await companionDiagnostics(kind, file, cwd);
    return { file, kind, valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
  }
  try {
    const result = await validateSopFileCached(file, cwd);
    return {
      file: result.file,
      kind: 'sop',
      valid: !result.diagnostics.some((d) => d.severity === 'error'),
      diagnostics: result.diagnostics,
    };
  } catch (error) {
    if (!(error instanceof SopError)) throw error;
    const diagnostics: Diagnostic[] =
      error.diagnostics.length > 0
        ? error.diagnostics
        : [{ code: error.code, severity: 'error', message: error.message, file, ...(error.hint ? { hint: error.hint } : {}) }];
    return { file, kind: 'sop', valid: false, diagnostics };
  }
}

/** Why validation failed, with every diagnostic of every file; none when the exit code is 0. */
function validationFailure(results: ValidatedFile[]): SopError | undefined {
  const exitCode = exitCodeFor(results);
  if (exitCode === EXIT.OK) return undefined;
  const diagnostics = results.flatMap((result) => result.diagnostics);
  const first = diagnostics.find((diagnostic) => diagnostic.severity === 'error' && CODES[diagnostic.code] === exitCode) as Diagnostic;
  return new SopError(first.code, summarize(results), { diagnostics, ...(first.hint ? { hint: first.hint } : {}) });
}

/** 3 when any file is invalid, else 2 when a file could not be read, else 0 (warnings do not fail). */
export function exitCodeFor(results: ValidatedFile[]): number {
  const errors = results.flatMap((result) => result.diagnostics.filter((d) => d.severity === 'error'));
  if (errors.some((d) => CODES[d.code] !== EXIT.USAGE)) return EXIT.INVALID_SOP;
  if (errors.length > 0) return EXIT.USAGE;
  return EXIT.OK;
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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
