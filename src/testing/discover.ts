/**
 * Which test files `sop test PATH...` runs: an SOP's (`X.test.yaml` beside `X.yaml`, and the files
 * of the `tests/` folder beside it that test it), a test file itself, or every test file under a
 * folder (`*.test.yaml`, and `tests/*.yaml` files of the sop-test/v1 format), skipping dependency,
 * run and output folders.
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError, type Diagnostic } from '../errors/index.js';
import { declaredApiVersion } from '../spec/declared-format.js';
import { quoteArgument } from '../runtime/shell-argument.js';
import type { TestFile } from './test-file.js';

/** Folders never searched: dependencies, run records, workspaces, version control. */
const SKIPPED = new Set(['node_modules', '.sop', 'workspace', '.git', 'dist']);

const TEST_FILE = /\.test\.ya?ml$/;
const YAML = /\.ya?ml$/;

/** The test files for `paths` (relative to `cwd`), each once, in a stable order; none found is a usage error. */
export function discoverTestFiles(paths: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const given of paths.length === 0 ? ['.'] : paths) {
    const absolute = path.resolve(cwd, given);
    if (!existsSync(absolute)) throw new SopError('FILE_NOT_FOUND', `${given} does not exist`, { hint: 'pass an SOP, a test file (`X.test.yaml`) or a folder' });
    const folder = statSync(absolute).isDirectory();
    const files = folder ? underFolder(absolute) : forFile(absolute);
    if (files.length === 0 && !folder && declaredApiVersion(absolute) === 'sop-eval/v1') {
      // An eval dataset is not an SOP: "write its cases in cases.test.yaml" sent the user the wrong way.
      throw new SopError('USAGE', `${given} is an eval dataset (\`apiVersion: sop-eval/v1\`), not an SOP or a test file`, {
        hint: `run its cases with \`sop eval SOP --dataset ${quoteArgument(given)}\`; \`sop test\` takes an SOP, its test file (\`X.test.yaml\`) or a folder (docs/testing.md)`,
      });
    }
    if (files.length === 0) {
      // Given an SOP, the file to write is named: `X.test.yaml` left the user to work out X.
      const beside = folder ? undefined : path.join(path.dirname(given), path.basename(given).replace(YAML, '.test.yaml'));
      throw new SopError('FILE_NOT_FOUND', `no test files for ${given}`, {
        hint: beside !== undefined && beside !== given
          ? `write its cases in ${beside} (\`sop init\` writes an example, sop.test.yaml): see docs/testing.md`
          : 'write `X.test.yaml` beside the SOP `X.yaml` (or `tests/NAME.yaml` beside `sop.yaml`): see docs/testing.md',
      });
    }
    for (const file of files) found.add(file);
  }
  return [...found];
}

/**
 * The test files found for an SOP given by name that test another SOP (their `sop:` field): run,
 * they would pass or fail for that one while the SOP given stays untested.
 */
export function testsOfOtherSops(paths: readonly string[], files: readonly TestFile[], cwd: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const given of paths) {
    const sop = path.resolve(cwd, given);
    if (!existsSync(sop) || statSync(sop).isDirectory() || isTestFile(sop)) continue;
    const found = new Set(forFile(sop));
    for (const file of files) {
      if (!found.has(path.resolve(cwd, file.file)) || path.resolve(file.sop) === sop) continue;
      const other = path.relative(cwd, file.sop) || file.sop;
      problems.push({
        code: 'TEST_INVALID', severity: 'error', file: file.file, pointer: '/sop', ...file.locate('/sop'),
        message: `this test file tests ${other} (its \`sop:\`), not ${given}, the SOP given`,
        expected: `\`sop:\` naming ${given}, or no \`sop:\` (a test file beside the SOP tests it)`,
        hint: `fix \`sop:\`, or run \`sop test ${other}\` to test that one`,
      });
    }
  }
  return problems;
}

/** A test file is itself; an SOP has the test files beside it. */
function forFile(file: string): string[] {
  if (isTestFile(file)) return [file];
  const dir = path.dirname(file);
  const beside = file.replace(YAML, '.test.yaml');
  const tests = path.join(dir, 'tests');
  const inTests = existsSync(tests) && statSync(tests).isDirectory() && ownsTestsFolder(dir, file) ? testsFolderFiles(tests) : [];
  return [...(existsSync(beside) ? [beside] : []), ...inTests];
}

/** `tests/` beside an SOP tests it when it is the folder's `sop.yaml` or its only SOP. */
function ownsTestsFolder(dir: string, file: string): boolean {
  if (path.basename(file) === 'sop.yaml') return true;
  const sops = readdirSync(dir).filter((name) => YAML.test(name) && !TEST_FILE.test(name));
  return sops.length === 1;
}

function isTestFile(file: string): boolean {
  return TEST_FILE.test(file) || (path.basename(path.dirname(file)) === 'tests' && declaresTestFormat(file));
}

function underFolder(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED.has(entry.name)) continue;
      files.push(...(entry.name === 'tests' ? testsFolderFiles(full) : []), ...underFolder(full));
    } else if (entry.isFile() && TEST_FILE.test(entry.name)) files.push(full);
  }
  return [...new Set(files)];
}

/** The YAML files of a `tests/` folder that are test files (a `tests/` folder may hold other YAML). */
function testsFolderFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => YAML.test(name) && !TEST_FILE.test(name))
    .sort()
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile() && declaresTestFormat(file));
}

/** The file says `apiVersion: sop-test/v1` near its top. */
function declaresTestFormat(file: string): boolean {
  return declaredApiVersion(file) === 'sop-test/v1';
}
