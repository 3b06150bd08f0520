import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { located, project, removeTempDirs, sop, sopWith, validateJson } from './qa-helpers.js';

afterAll(removeTempDirs);

const PROMPT_LINE = 'prompt: "Write about {{ message.content }}"';

describe('referenced files', () => {
  it('a binary prompt file: FILE_REF_INVALID at the reference, exit 3', async () => {
    const dir = project({ 'sop.yaml': sopWith(PROMPT_LINE, 'prompt: {file: prompt.liquid}'), 'prompt.liquid': Buffer.from([0x50, 0, 0xff, 0x10]) });
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['FILE_REF_INVALID', 14, 24]]);
    expect(diagnostics[0]?.message).toMatch(/binary data/);
  });

  it('a Latin-1 prompt file: FILE_REF_INVALID naming the line and column inside it', async () => {
    const dir = project({ 'sop.yaml': sopWith(PROMPT_LINE, 'prompt: {file: prompt.liquid}'), 'prompt.liquid': Buffer.from('Line one\ncaf\u00e9 {{ message.content }}', 'latin1') });
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['FILE_REF_INVALID', 14, 24]]);
    expect(diagnostics[0]?.message).toMatch(/not valid UTF-8 .*\(line 2, column 4\)/);
  });

  it('a prompt file that is a symlink loop: says so (was "does not exist")', async () => {
    const dir = project({ 'sop.yaml': sopWith(PROMPT_LINE, 'prompt: {file: loop.liquid}') });
    symlinkSync('loop.liquid', path.join(dir, 'loop.liquid'));
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['FILE_REF_INVALID', 14, 24]]);
    expect(diagnostics[0]?.message).toMatch(/symbolic link that leads back to itself/);
  });

  it('a $ref to a JSON file holding a list: FILE_REF_INVALID at the $ref (was an ajv "can\'t resolve reference")', async () => {
    const dir = project({ 'sop.yaml': sopWith('  Draft: {}', '  Draft: {schema: {$ref: draft.json}}'), 'draft.json': '[1, 2]' });
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['FILE_REF_INVALID', 6, 26]]);
    expect(diagnostics.find((diagnostic) => diagnostic.code === 'FILE_REF_INVALID')?.message).toMatch(/holds a list, not a JSON Schema/);
  });
});

describe('Liquid templates', () => {
  it('`{% include %}` of a missing partial fails validation at the name (was only at run time, exit 9)', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': sopWith(PROMPT_LINE, `prompt: "{% include 'header' %}"`) }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['TEMPLATE_SYNTAX', 14, 30]]);
    expect(diagnostics[0]?.hint).toMatch(/header\.liquid/);
  });

  it('`{% render %}` of a file outside the SOP folder is refused before the run', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': sopWith(PROMPT_LINE, `prompt: "{% render '../../etc/passwd' %}"`) }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['TEMPLATE_SYNTAX', 14, 29]]);
    expect(diagnostics[0]?.message).toMatch(/outside the SOP's folder/);
  });

  it('an include that exists, or one inside a comment, is fine', async () => {
    const dir = project({
      'sop.yaml': sopWith(PROMPT_LINE, `prompt: "{% include 'header' %}{% comment %}{% include 'gone' %}{% endcomment %}"`),
      'header.liquid': 'About {{ message.content }}',
    });
    expect((await validateJson(dir)).result.code).toBe(0);
  });

  it('an unknown filter is located at the filter, with "did you mean"', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': sopWith(PROMPT_LINE, 'prompt: "Write about {{ message.content | upcas }}"') }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['TEMPLATE_SYNTAX', 14, 51]]);
    expect(diagnostics[0]?.hint).toBe('did you mean `upcase`?');
  });

  it('a partial named by a variable that does not exist: TEMPLATE_RENDER naming the partial, exit 9', async () => {
    const dir = project({ 'sop.yaml': sopWith(PROMPT_LINE, 'prompt: "{% include message.content %}"') });
    const result = await sop(['run', 'sop.yaml', 'nowhere', '--ci'], { cwd: dir });
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(/^sop\.yaml:14:18: error TEMPLATE_RENDER: partial `nowhere` not found in the SOP's folder$/m);
  });
});

describe('Handlebars templates', () => {
  const handlebars = (prompt: string): string => sopWith(PROMPT_LINE, `prompt: "${prompt}"`).replace('metadata:', 'settings: {templates: handlebars}\nmetadata:');

  it('an unknown helper fails validation at the helper (was "undefined variable" at run time)', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': handlebars('{{shout message.content}}') }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['TEMPLATE_SYNTAX', 15, 20]]);
    expect(diagnostics[0]?.message).toBe('unknown helper `shout`');
  });

  it('an unknown block helper too, with "did you mean"', async () => {
    const { diagnostics } = await validateJson(project({ 'sop.yaml': handlebars('{{#iff message.content}}x{{/iff}}') }));
    expect(located(diagnostics)).toEqual([['TEMPLATE_SYNTAX', 15, 21]]);
    expect(diagnostics[0]?.hint).toBe('did you mean `if`?');
  });

  it('known helpers and plain paths still pass', async () => {
    const { result } = await validateJson(project({ 'sop.yaml': handlebars('{{#if message.content}}{{json message.payload}}{{/if}} {{message.content}}') }));
    expect(result.code).toBe(0);
  });
});
