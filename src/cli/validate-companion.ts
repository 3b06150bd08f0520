import { CODES, EXIT, isSopError, type Diagnostic, type ErrorCode } from '../errors/index.js';
import { shownPath } from '../files/index.js';
import { declaredApiVersion } from '../spec/declared-format.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { sopCommandWord } from './invocation.js';

/** Which of sop's formats `sop validate` read a file as; `config`: the configuration file a run would read, listed when it is invalid. */
export type ValidatedKind = 'sop' | 'test' | 'dataset' | 'script' | 'config';

/** The formats that sit beside SOPs (`sops/*.yaml` lists them too), by their `apiVersion`. */
const COMPANIONS: Readonly<Record<string, Exclude<ValidatedKind, 'sop' | 'config'>>> = { 'sop-test/v1': 'test', 'sop-eval/v1': 'dataset', 'sop-script/v1': 'script' };

/**
 * What `sop test`, `sop eval` and `--model script:FILE` refuse each kind with when it is invalid
 * (exit 2, as every file a command reads besides the SOP): `sop validate` exits as they do.
 */
const REFUSED_AS: Readonly<Record<Exclude<ValidatedKind, 'sop' | 'config'>, ErrorCode>> = { test: 'TEST_INVALID', dataset: 'DATASET_INVALID', script: 'SCRIPT_INVALID' };

/**
 * The code `diagnostic` of a `kind` file counts as for the exit code: a test file's, dataset's or
 * script's own problem (YAML, schema: codes of exit 3 in an SOP) is its refusal (`REFUSED_AS`,
 * exit 2); a test file's SOP that does not load (at its `/sop`) stays that SOP's problem.
 */
export function ownCode(kind: ValidatedKind, diagnostic: Diagnostic): ErrorCode {
  if (kind === 'sop' || kind === 'config' || diagnostic.pointer === '/sop' || CODES[diagnostic.code] !== EXIT.INVALID_SOP) return diagnostic.code;
  return REFUSED_AS[kind];
}

/** How `sop validate` names each kind beside a valid file. */
export const KIND_NOUNS: Readonly<Record<ValidatedKind, string>> = { sop: 'SOP', test: 'test file', dataset: 'eval dataset', script: 'script', config: 'configuration' };

/** The format a file declares when it is not an SOP but one of the files beside SOPs; undefined for an SOP (or anything else). */
export function companionKind(file: string): Exclude<ValidatedKind, 'sop' | 'config'> | undefined {
  // JSONL and CSV datasets hold cases only, no `apiVersion`: `sop eval` knows them by extension, and so does this.
  if (/\.(jsonl|ndjson|csv)$/i.test(file)) return 'dataset';
  const apiVersion = declaredApiVersion(file);
  return apiVersion !== undefined && Object.hasOwn(COMPANIONS, apiVersion) ? COMPANIONS[apiVersion] : undefined;
}

/**
 * The problems of a test file, an eval dataset or a script, as `sop test`, `sop eval` and
 * `--model script:FILE` would refuse it: a test file is checked against the SOP it tests too. A
 * file too large or unreadable is its diagnostic too.
 */
export async function companionDiagnostics(kind: Exclude<ValidatedKind, 'sop' | 'config'>, file: string, cwd: string): Promise<Diagnostic[]> {
  try {
    if (kind === 'test') return await testFileDiagnostics(file, cwd);
    if (kind === 'dataset') (await import('../eval/dataset.js')).loadDataset(file, cwd);
    else (await import('../providers/script/load-script.js')).loadScript(file, cwd);
    return [];
  } catch (error) {
    if (!isSopError(error)) throw error;
    return error.diagnostics.length > 0 ? error.diagnostics : [{ code: error.code, severity: 'error', message: error.message, file, ...(error.hint ? { hint: error.hint } : {}) }];
  }
}

/** A dataset's cases' inputs against `sop` (a dataset names no SOP: the one given beside it), as `sop eval` would refuse each case's run. */
export async function datasetInputsAgainst(file: string, cwd: string, sop: ResolvedSop): Promise<Diagnostic[]> {
  const dataset = (await import('../eval/dataset.js')).loadDataset(file, cwd);
  const diagnostics = (await import('../eval/case-inputs.js')).datasetInputDiagnostics(dataset, sop);
  // A JSONL or CSV dataset holds cases only: `sop eval --defaults FILE` may give the inputs its cases leave out.
  return dataset.cases[0]?.format === 'yaml' || dataset.cases.length === 0 ? diagnostics : diagnostics.filter((diagnostic) => diagnostic.code !== 'SCHEMA_MISSING_FIELD');
}

/**
 * The configuration a run from `cwd` would read (`sop.config.*`, `.soprc*`, the user's file), as
 * `sop run` refuses it before anything runs (CONFIG_INVALID: a `default_provider` that names no
 * provider, ...); when it loads, the warnings for files under names sop does not read, as `sop run`
 * gives them. Its file is the first problem's.
 */
export async function configProblems(cwd: string): Promise<{ file: string; diagnostics: Diagnostic[] } | { unreadWarnings: string[] }> {
  try {
    const config = await (await import('../config/load-config.js')).loadConfig({ cwd, env: process.env });
    return { unreadWarnings: await (await import('./unread-config.js')).unreadConfigWarnings(config, cwd) };
  } catch (error) {
    if (!isSopError(error)) throw error;
    const diagnostics = error.diagnostics.length > 0 ? error.diagnostics : [{ code: error.code, severity: 'error' as const, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }];
    const file = diagnostics.find((diagnostic) => diagnostic.file !== undefined)?.file;
    // Named as the other files are, relative to the current folder when inside it.
    return { file: file === undefined ? 'configuration' : shownPath(file, cwd), diagnostics: diagnostics.map((diagnostic) => (diagnostic.file === undefined ? diagnostic : { ...diagnostic, file: shownPath(diagnostic.file, cwd) })) };
  }
}

async function testFileDiagnostics(file: string, cwd: string): Promise<Diagnostic[]> {
  const testing = await import('../testing/index.js');
  const read = testing.readTestFiles([file], cwd);
  const { checked, diagnostics } = await testing.checkTestFilesAgainstSops(read.files, undefined, read.broken);
  const warnings = [...checked.values()].flatMap((file) => file.warnings);
  const unloaded = [...checked].flatMap(([testFile, { sop }]) => {
    if (!isSopError(sop)) return [];
    const shown = shownPath(testFile.sop, cwd);
    return [{
      code: sop.code,
      severity: 'error' as const,
      file,
      // At the test file's `sop`: a problem of the SOP it tests (exit 3), not of the test file (`ownCode`).
      pointer: '/sop',
      message: `its cases cannot be checked: the SOP it tests, ${shown}, does not load (${sop.code})`,
      hint: `run \`${sopCommandWord()} validate ${shown}\` for its problems`,
    }];
  });
  const all = [...read.diagnostics, ...diagnostics, ...unloaded, ...warnings];
  // Worded, ordered and each said once, as `sop test` refuses the file.
  return all.length === 0 ? [] : testing.invalidTestFiles(all).diagnostics;
}
