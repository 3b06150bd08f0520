import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** `sop init`'s project, its writer's prompt replaced by `prompt` (a Handlebars SOP when `handlebars`). */
async function project(prompt: string, handlebars: boolean): Promise<string> {
  const dir = tempDir();
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const cwd = path.join(dir, 'p');
  const sopFile = path.join(cwd, 'sop.yaml');
  let text = readFileSync(sopFile, 'utf8');
  if (handlebars) text = text.replace('  n_round: 4\n', '  n_round: 4\n  templates: handlebars\n').replace('prompts/write_draft.liquid', 'prompts/write_draft.hbs').replace('prompts/review_draft.liquid', 'prompts/review_draft.hbs');
  writeFileSync(sopFile, text);
  writeFileSync(path.join(cwd, 'prompts', handlebars ? 'write_draft.hbs' : 'write_draft.liquid'), prompt);
  if (handlebars) writeFileSync(path.join(cwd, 'prompts', 'review_draft.hbs'), 'Review {{message.content}}\n');
  return cwd;
}

describe('sop validate: a missing partial does not hide the typos beside it', () => {
  it.each([
    ['Handlebars', true, 'Write {{> missing}} {{message.contnet}} {{#if inputs.idae}}x{{/if}}\n', ['1:7: error TEMPLATE_SYNTAX: partial `missing` not found', '1:23: error TEMPLATE_VARIABLE_UNKNOWN', '1:47: error INPUT_UNDECLARED']],
    ['Liquid', false, '{% render "missing" %}\nWrite {{ message.contnet }} {% if inputs.idae %}x{% endif %}\n', ['1:12: error TEMPLATE_SYNTAX: {% render %}: partial `missing` not found', '2:10: error TEMPLATE_VARIABLE_UNKNOWN', '2:35: error INPUT_UNDECLARED']],
  ])('%s: the partial, `message.contnet` and `inputs.idae`, each at its place', async (_engine, handlebars, prompt, expected) => {
    const cwd = await project(prompt, handlebars);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    const file = path.join('prompts', handlebars ? 'write_draft.hbs' : 'write_draft.liquid');
    const found = result.stdout.split('\n').filter((line) => line.startsWith(`${file}:`)).map((line) => line.slice(file.length + 1));
    expect(found.map((line, index) => line.startsWith(expected[index] as string))).toEqual([true, true, true]);
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 3 errors, 0 warnings');
  });
});
