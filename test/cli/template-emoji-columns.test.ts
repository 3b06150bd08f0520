import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A template problem after an emoji on its line is at the column an editor shows: the emoji is one
 * character. A partial's `{{> name}}`, a partial's own variables and Liquid's `{% render %}` counted
 * it as two (UTF-16 units), one column right of every other position (the real CLI).
 */
afterAll(removeTempDirs);

/** `sop init`'s project, its writer's prompt replaced by `prompt`, with `files` beside the SOP. */
async function project(prompt: string, handlebars: boolean, files: Record<string, string> = {}): Promise<string> {
  const dir = tempDir('sop-emoji-columns-');
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const cwd = path.join(dir, 'p');
  const sopFile = path.join(cwd, 'sop.yaml');
  let text = readFileSync(sopFile, 'utf8');
  if (handlebars) text = text.replace('  n_round: 4\n', '  n_round: 4\n  templates: handlebars\n').replaceAll('.liquid', '.hbs');
  writeFileSync(sopFile, text);
  writeFileSync(path.join(cwd, 'prompts', handlebars ? 'write_draft.hbs' : 'write_draft.liquid'), prompt);
  if (handlebars) writeFileSync(path.join(cwd, 'prompts', 'review_draft.hbs'), 'Review {{message.content}}\n');
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(cwd, name), content);
  return cwd;
}

describe('sop validate: a template position after an emoji counts it as one column', () => {
  it.each([
    ['a missing Handlebars partial', true, '🎉 {{> missing}}\n', {}, 'prompts/write_draft.hbs:1:3: error TEMPLATE_SYNTAX: partial `missing` not found'],
    ['Handlebars partials that include each other', true, '🎉 {{> loop}}\n', { 'loop.hbs': '{{> loop}}\n' }, 'prompts/write_draft.hbs:1:3: error TEMPLATE_SYNTAX: {{> loop}}: partials include each other'],
    ['a Handlebars partial\'s unknown variable', true, '{{> part}}\n', { 'part.hbs': '🎉 {{message.contnet}}\n' }, 'part.hbs:1:5: error TEMPLATE_VARIABLE_UNKNOWN: in partial `part`'],
    ['a missing Liquid partial', false, '🎉 {% render "missing" %}\n', {}, 'prompts/write_draft.liquid:1:14: error TEMPLATE_SYNTAX: {% render %}: partial `missing` not found'],
  ])('%s', async (_what, handlebars, prompt, files, expected) => {
    const cwd = await project(prompt, handlebars, files);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout.split('\n').some((line) => line.startsWith(expected)), result.stdout).toBe(true);
  });
});
