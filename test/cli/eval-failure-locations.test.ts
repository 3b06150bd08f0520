import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A failed check of `sop eval` is named where the dataset writes it (the real CLI, offline model):
 * the expectation is the dataset's, so `file:line:col` is the dataset's; the SOP part it is about
 * comes after it, labelled.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

function withDataset(name: string, text: string): string {
  const dir = tempDir('sop-eval-locations-');
  writeFileSync(path.join(dir, name), text);
  return dir;
}

const YAML_DATASET = [
  'apiVersion: sop-eval/v1',
  'cases:',
  '  - name: passes',
  '    inputs: { idea: spring }',
  '  - name: wrong-answer',
  '    inputs: { idea: autumn }',
  '    expect:',
  '      messages:',
  '        - type: Answer',
  '          count: 3',
  '      artifacts:',
  '        - path: answer.md',
  '          contains: "never written"',
  '    judge:',
  '      - { rubric: cites a source, of: docs/sources.md }',
  '',
].join('\n');

describe('sop eval names a failed check at the dataset line and column of what failed', () => {
  it('YAML: the failed field of each expectation and the judge rubric, under the case; the SOP part after, labelled', async () => {
    const dir = withDataset('cases.yaml', YAML_DATASET);
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const failed = result.stdout.slice(result.stdout.indexOf('failed:'));
    expect(failed).toMatch(/^wrong-answer on offline \(run \S+, completed\):$/m);
    // `count: 3` is on line 10, its value at column 18; `contains:` on line 13, its value at column 21.
    expect(failed).toContain('\n  cases.yaml:10:18: expect.messages[0]: 1 Answer message(s), expected 3 ');
    expect(failed).toMatch(/\(SOP: .*answer\.yaml:15:9\)$/m);
    expect(failed).toContain('\n  cases.yaml:13:21: expect.artifacts[0]: answer.md: does not contain "never written"');
    expect(failed).toContain('\n  cases.yaml:15:9: judge[0]: docs/sources.md scored nothing');
    expect(failed).not.toContain('passes on offline');
    // Exit 0 (no --threshold) says so, so a CI job does not pass on failed cases unawares.
    expect(result.stderr).toContain('note: 1 of 2 runs failed; the exit code is 0 without --threshold (e.g. --threshold 1 fails the eval, exit 17, when any run fails)');

    const runs = envelopeOf<any>(await sop(['eval', SOP, '--dataset', 'cases.yaml', '--json'], { cwd: dir })).result.runs;
    expect(runs[1].case).toBe('wrong-answer');
    expect(runs[1].failures.map((failure: any) => [failure.path, failure.location])).toEqual([
      ['expect.messages[0]', 'cases.yaml:10:18'],
      ['expect.artifacts[0]', 'cases.yaml:13:21'],
      ['judge[0]', 'cases.yaml:15:9'],
    ]);
    expect(runs[1].failures[0].sopLocation).toMatch(/answer\.yaml:15:9$/);
  });

  it('a long artifact a check quotes is cut to one line of 200 characters, not printed whole', async () => {
    const dir = withDataset('cases.yaml', ['apiVersion: sop-eval/v1', 'cases:', '  - name: long', '    inputs: { idea: x }', '    expect:', '      artifacts:', '        - { path: answer.md, contains: "never written" }', ''].join('\n'));
    const long = Array.from({ length: 400 }, (_, index) => `line ${index}`).join('\\n');
    writeFileSync(path.join(dir, 'long.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: answerer, action: answer, output: "${long}" }\n`);
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'script:long.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const failure = result.stdout.split('\n').find((line) => line.includes('does not contain')) ?? '';
    expect(failure).toContain('got line 0 line 1 line 2');
    expect(failure).toContain('...)');
    expect(failure).not.toContain('line 399');
    expect(result.stdout.split('\n').length).toBeLessThan(40);
  });

  it('JSONL: the line of the case and the column of the failed field', async () => {
    const line = '{"name": "j1", "inputs": {"idea": "q"}, "expect": {"artifacts": [{"path": "answer.md", "contains": "nope"}]}}';
    const dir = withDataset('cases.jsonl', `{"name": "j0", "inputs": {"idea": "p"}}\n${line}\n`);
    const result = await sop(['eval', SOP, '--dataset', 'cases.jsonl'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`\n  cases.jsonl:2:${line.indexOf('"nope"') + 1}: expect.artifacts[0]: answer.md: does not contain "nope"`);
  });

  it('a status the case implies (it says nothing of how the run ends) is located at the case; the SOP error that caused it stays in the message', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - name: breaks\n    inputs: { idea: winter }\n');
    // The answer's artifact path is rendered from the output: a template error in the SOP fails the run.
    writeFileSync(path.join(dir, 'answer.yaml'), readFileSync(SOP, 'utf8').replace('content: "{{ output }}"', 'content: "{{ output.missing.deeper }}"'));
    const result = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}cases\.yaml:3:5: expect\.status: status was failed, expected completed \(TEMPLATE_RENDER: answer\.yaml:20:\d+: /m);
  });
});
