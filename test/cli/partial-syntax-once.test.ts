import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A Handlebars partial that does not parse, included by two prompts, was reported twice (once per
 * includer, at the same line of the partial): "2 errors" for one mistake. Liquid reported it once.
 * Both now report it once, in the partial's file, naming the first template that includes it.
 */
async function project(handlebars: boolean): Promise<string> {
  const dir = tempDir();
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const cwd = path.join(dir, 'p');
  const sopFile = path.join(cwd, 'sop.yaml');
  const ext = handlebars ? 'hbs' : 'liquid';
  let text = readFileSync(sopFile, 'utf8');
  if (handlebars) text = text.replace('  n_round: 4\n', '  n_round: 4\n  templates: handlebars\n').replaceAll('.liquid', '.hbs');
  writeFileSync(sopFile, text);
  const include = handlebars ? '{{> house}}' : "{% include 'partials/house' %}";
  writeFileSync(path.join(cwd, 'prompts', `write_draft.${ext}`), `${include}\nWrite about {{${handlebars ? '' : ' '}message.content${handlebars ? '' : ' '}}}\n`);
  writeFileSync(path.join(cwd, 'prompts', `review_draft.${ext}`), `${include}\nReview {{${handlebars ? '' : ' '}message.content${handlebars ? '' : ' '}}}\n`);
  mkdirSync(path.join(cwd, 'partials'));
  writeFileSync(path.join(cwd, 'partials', `house.${ext}`), handlebars ? 'Style: {{#if message}}short\n' : 'Style: {% if message %}short\n');
  return cwd;
}

describe('sop validate: a partial that does not parse, included by two prompts', () => {
  it.each([['Handlebars', true], ['Liquid', false]])('%s: one error, in the partial', async (_engine, handlebars) => {
    const cwd = await project(handlebars);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    const file = path.join('partials', handlebars ? 'house.hbs' : 'house.liquid');
    const errorLines = result.stdout.split('\n').filter((line) => / error [A-Z_]+:/.test(line));
    expect(errorLines, result.stdout).toHaveLength(1);
    expect(errorLines[0]).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: error TEMPLATE_SYNTAX: in partial \`(partials/)?house\` \\(included by prompts/write_draft\\.${handlebars ? 'hbs' : 'liquid'}:1\\): template syntax error: `));
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });
});
