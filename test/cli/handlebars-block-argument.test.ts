import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A Handlebars `{{#each}}` with nothing to loop over parses, so `sop validate` passed it, and the run
 * failed at the action ("Must pass iterator to #each", exit 9). It is now a syntax error located in
 * the file that holds it, as `{{#if}}`, `{{#unless}}`, `{{#with}}` without their one argument are.
 */
async function handlebarsProject(prompt: string, partial?: string): Promise<string> {
  const dir = tempDir('sop-hbs-block-');
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const cwd = path.join(dir, 'p');
  const sopFile = path.join(cwd, 'sop.yaml');
  writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('  n_round: 4\n', '  n_round: 4\n  templates: handlebars\n').replaceAll('.liquid', '.hbs'));
  writeFileSync(path.join(cwd, 'prompts', 'write_draft.hbs'), prompt);
  writeFileSync(path.join(cwd, 'prompts', 'review_draft.hbs'), 'Review {{message.content}}\n');
  if (partial !== undefined) {
    mkdirSync(path.join(cwd, 'partials'));
    writeFileSync(path.join(cwd, 'partials', 'house.hbs'), partial);
  }
  return cwd;
}

describe('Handlebars block helpers without their argument', () => {
  it('`{{#each}}` with no argument: sop validate refuses it at its line and column (exit 3), and sop run before anything runs', async () => {
    const cwd = await handlebarsProject('Write about {{message.content}}.\nPoints:\n  {{#each}}- {{this}}\n{{/each}}\n');
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toContain([
      'prompts/write_draft.hbs:3:3: error TEMPLATE_SYNTAX: `{{#each}}` has no argument: it takes one, the list to loop over',
      '  hint: write it as `{{#each inputs.items}}- {{this}}{{/each}}`',
    ].join('\n'));
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);

    const run = await sop(['run', 'sop.yaml', 'tides'], { cwd });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('prompts/write_draft.hbs:3:3: error TEMPLATE_SYNTAX: `{{#each}}` has no argument');
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('`{{#if a b}}` in a partial: located in the partial, naming the prompt that includes it', async () => {
    const cwd = await handlebarsProject('{{> house}}\nWrite about {{message.content}}\n', 'Style:\n{{#if message run}}short{{/if}}\n');
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toContain('partials/house.hbs:2:1: error TEMPLATE_SYNTAX: in partial `house` (included by prompts/write_draft.hbs:1): `{{#if}}` has 2 arguments: it takes one, the condition');
  });
});
