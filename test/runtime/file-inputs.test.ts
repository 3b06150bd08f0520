import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors/index.js';
import { planFileInputs } from '../../src/runtime/file-inputs.js';
import type { ResolvedSop } from '../../src/spec/resolved.js';
import { cleanTempDirs, tempDir, validateText } from '../spec/helpers.js';

afterAll(cleanTempDirs);

/** An SOP with two file inputs, `one` and `two` (`two` copied to `path` when given). */
async function twoFileInputs(twoPath?: string): Promise<ResolvedSop> {
  const text = `apiVersion: sop/v1
kind: SOP
metadata: { name: files, version: 1.0.0 }
inputs:
  one: { type: file }
  two: { type: file${twoPath === undefined ? '' : `, path: ${twoPath}`} }
messages: { Go: {}, Report: {} }
start: [{ type: Go }]
roles:
  analyst:
    profile: Analyst
    watch: [Go]
    actions:
      - { id: check, prompt: "{{ inputs.one }} {{ inputs.two }}", output: { type: Report } }
stop_when: { type: Report }
`;
  const result = await validateText(text);
  if (!result.sop) throw new Error(`fixture invalid: ${JSON.stringify(result.diagnostics)}`);
  return result.sop;
}

function refusal(run: () => unknown): SopError {
  try {
    run();
  } catch (error) {
    if (error instanceof SopError) return error;
    throw error;
  }
  throw new Error('not refused');
}

/** A folder with a/x.csv and b/x.csv: two files of the same base name. */
function sameNames(): string {
  const cwd = tempDir();
  for (const folder of ['a', 'b']) {
    mkdirSync(path.join(cwd, folder));
    writeFileSync(path.join(cwd, folder, 'x.csv'), `${folder}\n`);
  }
  return cwd;
}

describe('file inputs copied into the workspace', () => {
  it('two files of one base name would land on one workspace path: refused before the run, naming both inputs', async () => {
    const sop = await twoFileInputs();
    const cwd = sameNames();
    const error = refusal(() => planFileInputs(sop, { one: '@a/x.csv', two: '@b/x.csv' }, cwd));
    expect(error.code).toBe('INPUT_FILE_INVALID');
    expect(error.message).toBe('file inputs "one" and "two" would both be copied to x.csv in the workspace');
    expect(error.hint).toContain('`path:`');
  });

  it('a declared `path` keeps them apart: each is copied to its own place', async () => {
    const sop = await twoFileInputs('second/x.csv');
    const cwd = sameNames();
    const { inputs, seeds } = planFileInputs(sop, { one: '@a/x.csv', two: '@b/x.csv' }, cwd);
    expect(inputs).toMatchObject({ one: 'x.csv', two: 'second/x.csv' });
    expect(seeds.map((seed) => seed.to)).toEqual(['x.csv', 'second/x.csv']);
  });

  it('`--input one=@` (no file named) says so instead of reading the folder sop runs in', async () => {
    const sop = await twoFileInputs();
    const cwd = sameNames();
    for (const given of ['@', '']) {
      const error = refusal(() => planFileInputs(sop, { one: given, two: '@a/x.csv' }, cwd));
      expect(error.code).toBe('INPUT_FILE_INVALID');
      expect(error.message).toBe('file input "one": no file named after "one="');
      expect(error.hint).toBe('pass --input one=@path/to/file, relative to the folder sop runs in');
    }
  });
});
