import { closeSync, ftruncateSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SOP, located, project, removeTempDirs, sop, sopWith, STACK_LINE, validateJson } from './qa-helpers.js';

/**
 * Item 8: sizes are checked before reading and values are counted before parsing, so a hostile file
 * is refused at once with a located message (it used to grow past 4 GB or be read whole). How fast
 * and how small the refusals are is measured by `npm run bench`, never asserted here.
 */
afterAll(removeTempDirs);

const MB = 1024 * 1024;

/** A file of `bytes` zero bytes that takes no disk space (sparse): only a read would cost. */
function sparseFile(file: string, bytes: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const descriptor = openSync(file, 'w');
  ftruncateSync(descriptor, bytes);
  closeSync(descriptor);
}

const HEADER = 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: big, version: 1.0.0 }\n';

describe('size and shape bounds of an SOP', () => {
  it('an SOP file over 8 MB: FILE_TOO_LARGE from its size alone, exit 2', async () => {
    const dir = project({});
    sparseFile(path.join(dir, 'sop.yaml'), 1536 * MB);
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(2);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'FILE_TOO_LARGE', message: 'cannot read sop.yaml: it is 1536 MB; an SOP file is at most 8 MB' })]);
  });

  it('`sop migrate` refuses an SOP file over 8 MB from its size too (exit 2, no stack)', async () => {
    const dir = project({});
    sparseFile(path.join(dir, 'sop.yaml'), 1536 * MB);
    const result = await sop(['migrate', 'sop.yaml'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sop.yaml is 1536 MB; an SOP file is at most 8 MB');
  });

  it('a 1 MB flow list (`x: [1,1,...]`): YAML_TOO_LARGE where the 200,001st value is, exit 3', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': `${HEADER}x: [${'1,'.repeat(MB / 2)}1]\n` }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['YAML_TOO_LARGE', 4, expect.any(Number)]]);
    expect(diagnostics[0]?.column).toBeGreaterThan(390_000); // at the comma where the count passes the bound, not at the list's start
    expect(diagnostics[0]?.message).toBe('the YAML holds more than 200,000 values (a generated or pasted data dump?)');
  });

  it('as many values in block style (`- 1` lines) are refused the same way', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': `${HEADER}x:\n${'  - 1\n'.repeat(200_001)}` }));
    expect(result.code).toBe(3);
    // Lines 1-4 hold 4 values and the header's flow mapping one comma: the count passes 200,000 at the end of line 200,000.
    expect(located(diagnostics)).toEqual([['YAML_TOO_LARGE', 200_000, 6]]);
  });

  it('double-quoted text over 1 MB: YAML_TOO_LARGE at the opening quote, with the way out', async () => {
    const text = `${HEADER}small: "fine"\nx: "${'a'.repeat(MB)}"\n`;
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': text }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['YAML_TOO_LARGE', 5, 4]]);
    expect(diagnostics[0]?.hint).toMatch(/block scalar/);
  });

  it('a long prose prompt (80,000 commas in a block scalar) stays inside the bound', async () => {
    const prose = `${'one, two, "three", four, '.repeat(20)}\n`;
    const text = sopWith('        prompt: "Write about {{ message.content }}"\n', `        prompt: |\n${`          ${prose}`.repeat(1000)}          '{{ message.content }}'\n`);
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': text }));
    expect(located(diagnostics)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('quotes, comments, tags and anchors hide neither a long list nor long double-quoted text', async () => {
    const list = await validateJson(project({ 'sop.yaml': `${HEADER}a: 'he said "'\n# "\nb: [${'1,'.repeat(200_001)}1]\n` }));
    expect(located(list.diagnostics)).toEqual([['YAML_TOO_LARGE', 6, expect.any(Number)]]);
    const quoted = await validateJson(project({ 'sop.yaml': `${HEADER}a: 'it"s'\nb: !!str &big "${'a'.repeat(MB)}"\n` }));
    expect(located(quoted.diagnostics)).toEqual([['YAML_TOO_LARGE', 5, 15]]);
  });

  it('a 1.5 GB prompt file: FILE_REF_TOO_LARGE at the reference, nothing read, exit 3', async () => {
    const dir = project({ 'sop.yaml': sopWith('prompt: "Write about {{ message.content }}"', 'prompt: { file: prompts/big.md }') });
    sparseFile(path.join(dir, 'prompts', 'big.md'), 1536 * MB);
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['FILE_REF_TOO_LARGE', 14, 25]]);
    expect(diagnostics[0]?.message).toBe('`prompts/big.md` is 1536 MB; a referenced file is at most 1 MB');
  });

  it('a Liquid partial over 1 MB is refused where the template names it', async () => {
    const dir = project({ 'sop.yaml': sopWith('prompt: "Write about {{ message.content }}"', `prompt: "{% render 'big' %} {{ message.content }}"`) });
    sparseFile(path.join(dir, 'big.liquid'), 2 * MB);
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(diagnostics[0]?.message).toMatch(/partial `big` is 2 MB; a referenced file is at most 1 MB/);
  });

  it('a YAML schema `$ref` holding 300,000 values is refused before it is parsed', async () => {
    const dir = project({
      'sop.yaml': BASE_SOP.replace('  Draft: {}', '  Draft: { schema: { $ref: schemas/draft.yaml } }'),
      'schemas/draft.yaml': `type: object\nenum: [${'1,'.repeat(300_000)}1]\n`,
    });
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    const refused = diagnostics.find((diagnostic) => diagnostic.code === 'YAML_TOO_LARGE');
    expect(refused).toMatchObject({ line: 6, column: 28 });
    expect(refused?.message).toMatch(/^`schemas\/draft\.yaml` \(line 2, column \d+\): the YAML holds more than 200,000 values/);
  });

  it('a workspace file over 1 MB named in `reads`: the action fails with READS_TOO_LARGE (exit 9), nothing read', async () => {
    const dir = project({ 'sop.yaml': sopWith('        prompt: "Write about {{ message.content }}"\n', '        reads: [data.txt]\n        prompt: "Write about {{ files[\'data.txt\'] }}"\n') });
    sparseFile(path.join(dir, 'ws', 'data.txt'), 1536 * MB);
    const result = await sop(['run', 'sop.yaml', 'an idea', '--workspace', 'ws'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('workspace file "data.txt" is 1536 MB; a file read into a prompt is at most 1 MB');
  });
});
