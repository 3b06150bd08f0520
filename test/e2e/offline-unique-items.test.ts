import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { project, run } from './providers-helpers.js';

/*
 * The offline model answering schemas with arrays of unique items: short strings (maxLength) that
 * collided once cut, integers on a coarse multipleOf grid, a pattern with no room for a digit. And
 * a schema no value meets, whose failure tells the user what to do without blaming the prompt.
 */

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'offline-schemas');

function fixtureProject(): string {
  const cwd = project();
  cpSync(FIXTURES, cwd, { recursive: true });
  return cwd;
}

afterAll(removeTempDirs);

describe('the offline model and uniqueItems', () => {
  it('fills minItems with distinct items within maxLength, pattern and multipleOf (the run completes)', async () => {
    const cwd = fixtureProject();
    const result = await run(cwd, ['run', 'plan.yaml', 'a plan'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('invalid output');
    const folder = path.join(cwd, 'workspace', 'offtest');
    const [file] = readdirSync(folder);
    const plan = JSON.parse(readFileSync(path.join(folder, file as string), 'utf8'));
    expect(plan.tags).toHaveLength(3);
    expect(new Set(plan.tags).size).toBe(3);
    for (const tag of plan.tags) expect(tag).toMatch(/^.{3,5}$/u);
    expect(plan.codes).toHaveLength(4);
    expect(new Set(plan.codes).size).toBe(4);
    for (const code of plan.codes) expect(code).toMatch(/^[a-z]{3}$/);
    expect([...plan.slots].sort((a, b) => a - b)).toEqual([0, 5, 10, 15, 20]);
  });

  it('a schema it cannot meet (three unique items of a two-value enum): exit 9, the hint names the offline model and the way on, not the prompt', async () => {
    const cwd = fixtureProject();
    const result = await run(cwd, ['run', 'palette.yaml', 'a shop'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('error OUTPUT_INVALID: role painter, action paint: the output is not a valid Palette after 3 attempts: /colors: must NOT have fewer than 3 items');
    expect(result.stderr).toContain('hint: the offline model does not read the prompt, and could not produce a valid Palette for its schema');
    expect(result.stderr).toContain('--model script:answers.yaml with `- { role: painter, action: paint, output: ... }`, see docs/scripted-model.md');
    expect(result.stderr).not.toContain('make the prompt state');
  });

  it('the same failure from a scripted answer keeps the prompt hint: only the offline model gets the other', async () => {
    const cwd = fixtureProject();
    // A script answering the action with a two-color palette: the answer of a model, not the offline one.
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: painter, action: paint, output: { colors: [red, green] } }\n');
    const result = await run(cwd, ['run', 'palette.yaml', 'a shop', '--model', 'script:answers.yaml'], {});
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('/colors: must NOT have fewer than 3 items');
    expect(result.stderr).not.toContain('the offline model does not read the prompt');
  });
});
