import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval` given no model runs each call on the model the SOP names. Its results were labelled
 * `default`, which a user reads as a model named default; now `sop models`, with a line saying
 * which models those are, and a baseline of older results (`default`) still compares with it.
 */
const ANSWER = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), 'utf8');

function project(): string {
  const dir = tempDir('sop-eval-label-');
  writeFileSync(path.join(dir, 'answer.yaml'), ANSWER.replace('roles:', 'settings: { model: "script:answers.yaml" }\nroles:'));
  writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: answerer, action: answer, output: "42" }\n');
  writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
  return dir;
}

describe('sop eval without --model', () => {
  it('labels the SOP\'s own models `sop models`, not `default`, and says which models they are', async () => {
    const dir = project();
    const result = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^case +sop models\nfirst +pass\n/);
    expect(result.stdout).toMatch(/^sop models +1\/1 +100\.0 % /m);
    expect(result.stdout).toContain('\nsop models: the models the SOP (or the configuration) names: script:answers.yaml\n');
    expect(result.stdout).not.toContain('default');
    const json = envelopeOf<any>(await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--json'], { cwd: dir }));
    expect(json.result.models).toEqual(['sop models']);
    expect(json.result.runs.map((run: { model: string }) => run.model)).toEqual(['sop models']);
  });

  it('compares with a baseline whose runs are labelled `default` (results before the label changed) as the same model', async () => {
    const dir = project();
    const first = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--out', 'results.json', '--quiet'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    writeFileSync(path.join(dir, 'old.json'), readFileSync(path.join(dir, 'results.json'), 'utf8').replaceAll('"sop models"', '"default"'));
    const compared = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--baseline', 'old.json', '--quiet'], { cwd: dir });
    expect(compared.code, compared.stdout + compared.stderr).toBe(0);
    expect(compared.stdout).toContain('against baseline old.json: 0 regressions, 0 improvements, 1 unchanged, 0 new, 0 gone');
  });
});
