import { afterAll, describe, expect, it } from 'vitest';
import { located, project, removeTempDirs, sop, sopWith, STACK_LINE, validateJson } from './qa-helpers.js';

afterAll(removeTempDirs);

/** Validates BASE_SOP with one line changed; returns the exit code and the errors as [code, line, column]. */
async function check(from: string, to: string): Promise<{ code: number | null; errors: ReturnType<typeof located>; hints: string[] }> {
  const { result, diagnostics } = await validateJson(project({ 'sop.yaml': sopWith(from, to) }));
  expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  return { code: result.code, errors: located(diagnostics), hints: diagnostics.map((diagnostic) => diagnostic.hint ?? '') };
}

describe('YAML the parser reads but an SOP cannot hold', () => {
  it('a tab in the indentation is one error at the tab, saying to use spaces (it was four: the parser lost its way on the following lines)', async () => {
    const found = await check('    profile: Writer', '\tprofile: Writer');
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['YAML_SYNTAX', 10, 1]]);
    expect(found.hints).toEqual([expect.stringContaining('replace the tab with spaces')]);
    expect((await check('    watch: [Idea]', '  \twatch: [Idea]')).errors).toEqual([['YAML_SYNTAX', 11, 3]]);
  });

  it('`!!js/function` and custom tags are refused at the tag, not read as plain text', async () => {
    const found = await check('profile: Writer', 'profile: !!js/function "function () {}"');
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['YAML_SYNTAX', 10, 14]]);
    expect((await check('profile: Writer', 'profile: !shout Writer')).errors).toEqual([['YAML_SYNTAX', 10, 14]]);
  });

  it('an alias to an anchor that does not exist is located at the alias (was YAML_ALIAS_LIMIT at 1:1)', async () => {
    const found = await check('    profile: Writer', '    <<: *base\n    profile: Writer');
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['YAML_SYNTAX', 10, 9]]);
    expect(found.hints[0]).toMatch(/&base/);
  });

  it('a merge key whose value is not a mapping is located at the merge source', async () => {
    const dir = project({ 'sop.yaml': sopWith('metadata: {name: qa, version: 1.0.0}', 'metadata: {name: &n qa, version: 1.0.0}').replace('    profile: Writer', '    <<: *n\n    profile: Writer') });
    const { result, diagnostics } = await validateJson(dir);
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['YAML_SYNTAX', 10, 9]]);
  });

  it('`1` and `"1"` are the same key once read: a duplicate, pointing at the first', async () => {
    const found = await check('  Draft: {}', '  Draft: {}\n  "1": {}\n  1: {}');
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['YAML_DUPLICATE_KEY', 8, 3]]);
    expect(found.hints[0]).toMatch(/already at line 7/);
  });

  it('a key that is a list is refused at the key', async () => {
    const found = await check('  Draft: {}', '  Draft: {}\n  ? [a, b]\n  : {}');
    expect(found.errors).toEqual([['YAML_SYNTAX', 7, 5]]);
  });

  it('`.inf`, `.nan` and `1e400` are not numbers JSON can hold', async () => {
    expect((await check('stop_when: {type: Draft}', 'stop_when: {type: Draft}\nsettings: {n_round: .inf}')).errors).toEqual([['SCHEMA_TYPE', 17, 21]]);
    expect((await check('stop_when: {type: Draft}', 'stop_when: {type: Draft}\nsettings: {max_tokens: 1e400}')).errors).toEqual([['SCHEMA_TYPE', 17, 24]]);
  });

  it('nesting deeper than 100 levels is refused where it crosses the limit, with no stack overflow', async () => {
    const deep = `${'['.repeat(150)}${']'.repeat(150)}`;
    const found = await check('stop_when: {type: Draft}', `stop_when: {type: Draft}\nx: ${deep}`);
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['YAML_SYNTAX', 17, 103]]);
    // Far deeper than the parser can go: still one located error, no "Maximum call stack".
    const deeper = await validateJson(project({ 'sop.yaml': `${sopWith('stop_when: {type: Draft}', `stop_when: {type: Draft}\nx: ${'['.repeat(5000)}${']'.repeat(5000)}`)}` }));
    expect(deeper.result.code).toBe(3);
    expect(deeper.diagnostics.map((d) => d.code)).toEqual(['YAML_SYNTAX']);
    expect(deeper.diagnostics[0]?.message).not.toMatch(/call stack/);
  });

  it('a single-quoted value with a quote inside: the hint says how to write it', async () => {
    const found = await check('prompt: "Write about {{ message.content }}"', "prompt: '{% include 'part' %}'");
    expect(found.errors).toEqual([['YAML_SYNTAX', 14, 30]]);
    expect(found.hints[0]).toMatch(/two \(''\)/);
  });

  it('an empty list where one item is needed: SCHEMA_VIOLATION with a hint (there was none)', async () => {
    const found = await check('stop_when: {type: Draft}', 'stop_when: []');
    expect(found.code).toBe(3);
    expect(found.errors).toEqual([['SCHEMA_VIOLATION', 16, 12]]);
    expect(found.hints[0]).toBe('add items to the list, or remove the field if it is optional');
  });

  it('a file holding one huge value: the hint shows a short excerpt, not the whole value', async () => {
    const dir = project({ 'sop.yaml': `${'x'.repeat(100_000)}\n` });
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^sop\.yaml:1:1: error YAML_NOT_MAPPING/m);
    expect(result.stdout.length).toBeLessThan(1500);
  });
});
