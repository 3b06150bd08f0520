import { describe, expect, test } from 'vitest';
import { validateSopText } from '../../src/spec/index.js';
import { closestMatch } from '../../src/spec/suggest.js';
import { positionOf, VALID_SOP } from './helpers.js';

const BROKEN = `apiVersion: sop/v1
kind: SOPP
metadata: { name: Demo Thing, version: 1.0 }
settings: { n_round: 0, templates: jinja }
messages:
  user_req: { description: x }
  Summary: { description: a summary }
start: [{ type: Summary, content: 5 }]
roles:
  Writer:
    profile: Writer
    constraints: 5
    watch: Summary
    actions:
      - id: Sum
        prompt: { fle: x.md }
        foreach: 5
        output: { type: Summary, format: jsn }
        gates: [{ assert: "true", on_fail: stahp }, { assert: "true", on_fail: { revize: 2 } }]
      - id: two
        prompt: 12
        output: {}
stop_when: { type: Summary, iff: "x" }
`;

describe('JSON Schema errors, all at once, located and explained', async () => {
  const result = await validateSopText(BROKEN, 'broken.yaml');
  const at = (pointer: string) => result.diagnostics.filter((diagnostic) => diagnostic.pointer === pointer);
  const one = (pointer: string) => {
    const found = at(pointer);
    expect(found, pointer).toHaveLength(1);
    return found[0]!;
  };

  test('every problem is reported once, sorted by line and column, no "must match exactly one schema"', () => {
    expect(result.sop).toBeUndefined();
    expect(result.diagnostics.map((diagnostic) => diagnostic.pointer)).toEqual([
      '/kind', '/metadata/name', '/metadata/version', '/settings/n_round', '/settings/templates', '/messages/user_req',
      '/start/0/content', '/roles/Writer', '/roles/Writer/constraints', '/roles/Writer/watch', '/roles/Writer/actions/0/id',
      '/roles/Writer/actions/0/prompt/fle', '/roles/Writer/actions/0/foreach', '/roles/Writer/actions/0/output/format',
      '/roles/Writer/actions/0/gates/0/on_fail', '/roles/Writer/actions/0/gates/1/on_fail/revize', '/roles/Writer/actions/1/prompt',
      '/roles/Writer/actions/1/output/type', '/stop_when/iff',
    ]);
    const lines = result.diagnostics.map((diagnostic) => diagnostic.line!);
    expect(lines).toEqual([...lines].sort((left, right) => left - right));
    expect(result.diagnostics.some((diagnostic) => /exactly one|oneOf|anyOf/.test(diagnostic.message))).toBe(false);
  });

  test('const and enum: SCHEMA_ENUM with the allowed values sorted', () => {
    expect(one('/kind')).toMatchObject({ code: 'SCHEMA_ENUM', line: 2, column: 7, expected: '`SOP`' });
    expect(one('/roles/Writer/actions/0/output/format')).toMatchObject({
      code: 'SCHEMA_ENUM', expected: 'one of: code, json, markdown, text', hint: 'did you mean `json`?',
      ...positionOf(BROKEN, 'jsn'),
    });
    expect(one('/settings/templates')).toMatchObject({ code: 'SCHEMA_ENUM', expected: 'one of: handlebars, liquid' });
  });

  test('patterns are explained in words with a suggested spelling', () => {
    expect(one('/roles/Writer')).toMatchObject({ code: 'SCHEMA_PATTERN', hint: 'write `writer`', line: 10, column: 3 });
    expect(one('/roles/Writer').message).toBe('`Writer` is not a valid role id');
    expect(one('/roles/Writer').expected).toContain('snake_case');
    expect(one('/messages/user_req')).toMatchObject({ code: 'SCHEMA_PATTERN', hint: 'write `UserReq`', line: 6, column: 3 });
    expect(one('/messages/user_req').expected).toContain('PascalCase');
    expect(one('/roles/Writer/actions/0/id')).toMatchObject({ code: 'SCHEMA_PATTERN', hint: 'write `sum`' });
    expect(one('/metadata/name')).toMatchObject({ code: 'SCHEMA_PATTERN', hint: 'write `demo-thing`' });
  });

  test('types: SCHEMA_TYPE with a hint for the usual slips', () => {
    expect(one('/metadata/version')).toMatchObject({ code: 'SCHEMA_TYPE', hint: 'write "1.0.0"', ...positionOf(BROKEN, '1.0 }') });
    expect(one('/roles/Writer/watch')).toMatchObject({ code: 'SCHEMA_TYPE', hint: 'write a list: [Summary]' });
    expect(one('/roles/Writer/constraints')).toMatchObject({ code: 'SCHEMA_TYPE', expected: 'a string or a list of strings' });
  });

  test('a template source of the wrong type says "a template string or { file: path }"', () => {
    expect(one('/roles/Writer/actions/1/prompt')).toMatchObject({
      code: 'SCHEMA_TYPE', expected: 'a template string or { file: path }', ...positionOf(BROKEN, '12'),
    });
    expect(one('/roles/Writer/actions/0/foreach').expected).toBe('a CEL expression (string) or { items, concurrency }');
  });

  test('inside a oneOf, only the alternative that fits the data speaks', () => {
    expect(one('/roles/Writer/actions/0/prompt/fle')).toMatchObject({ code: 'SCHEMA_UNKNOWN_FIELD', hint: 'did you mean `file`?', ...positionOf(BROKEN, 'fle') });
    expect(one('/roles/Writer/actions/0/gates/0/on_fail')).toMatchObject({ code: 'SCHEMA_ENUM', hint: 'did you mean `stop`?' });
    expect(one('/roles/Writer/actions/0/gates/1/on_fail/revize')).toMatchObject({ code: 'SCHEMA_UNKNOWN_FIELD', hint: 'did you mean `revise`?' });
    expect(one('/stop_when/iff')).toMatchObject({ code: 'SCHEMA_UNKNOWN_FIELD', hint: 'did you mean `if`?', ...positionOf(BROKEN, 'iff') });
  });

  test('unknown fields point at the key and list the allowed fields', () => {
    expect(one('/stop_when/iff').expected).toBe('one of: if, type');
  });

  test('a missing required field is located at its parent mapping', () => {
    expect(one('/roles/Writer/actions/1/output/type')).toMatchObject({
      code: 'SCHEMA_MISSING_FIELD', message: 'missing required field `type`', ...positionOf(BROKEN, '{}'),
    });
  });

  test('limits are said in words', () => {
    expect(one('/settings/n_round')).toMatchObject({ code: 'SCHEMA_VIOLATION', message: 'must be at least 1' });
  });
});

describe('more schema cases', () => {
  test('a misspelled `prompt` is one error, did-you-mean, not also "neither `prompt` nor `run`"', async () => {
    const text = VALID_SOP.replace(/( +)prompt:/, '$1promt:');
    const result = await validateSopText(text, 'p.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'SCHEMA_UNKNOWN_FIELD', hint: 'did you mean `prompt`?', ...positionOf(text, 'promt') }]);
    const withoutAny = await validateSopText(VALID_SOP.replace(/ +prompt:.*\n/, ''), 'n.yaml');
    expect(withoutAny.diagnostics).toMatchObject([{ code: 'SCHEMA_MISSING_FIELD', message: expect.stringContaining('neither `prompt` nor `run`') }]);
  });

  test('two swapped letters in a short field name still get "did you mean" (`gaol`, `wehn`, `fiel`)', async () => {
    const text = VALID_SOP.replace('    profile: Writer\n', '    profile: Writer\n    gaol: Write well\n');
    const result = await validateSopText(text, 's.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'SCHEMA_UNKNOWN_FIELD', hint: 'did you mean `goal`?', ...positionOf(text, 'gaol') }]);
    expect(closestMatch('wehn', ['when', 'id', 'prompt'])).toBe('when');
    expect(closestMatch('fiel', ['file'])).toBe('file');
    expect(closestMatch('gloa', ['goal'])).toBeUndefined();
  });

  test('an empty roles mapping must have at least one entry', async () => {
    const text = VALID_SOP.slice(0, VALID_SOP.indexOf('roles:')) + 'roles: {}\n';
    const result = await validateSopText(text, 'e.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'SCHEMA_VIOLATION', pointer: '/roles', message: 'must have at least 1 entry', ...positionOf(text, '{}') }]);
  });

  test('a missing top-level field is located at the top mapping', async () => {
    const text = VALID_SOP.replace('metadata: { name: demo, version: 1.0.0 }\n', '');
    const result = await validateSopText(text, 'e.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'SCHEMA_MISSING_FIELD', pointer: '/metadata', line: 1, column: 1 }]);
  });

  test('an unknown top-level field far from any allowed one gets a generic hint', async () => {
    const text = `${VALID_SOP}zebra: 1\n`;
    const result = await validateSopText(text, 'e.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'SCHEMA_UNKNOWN_FIELD', pointer: '/zebra', ...positionOf(text, 'zebra') }]);
    expect(result.diagnostics[0]?.hint).toMatch(/remove it/);
  });

  test('a stop_when list reports problems per item', async () => {
    const text = `${VALID_SOP.replace('stop_when: { type: Summary }', 'stop_when: [{ type: Summary, iff: x }, 5]')}`;
    const result = await validateSopText(text, 'e.yaml');
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['SCHEMA_UNKNOWN_FIELD', '/stop_when/0/iff'],
      ['SCHEMA_TYPE', '/stop_when/1'],
    ]);
  });

  test('an entry of one form among several is checked against the form its fields name, not every form', async () => {
    const text = VALID_SOP.replace('        prompt: "Summarize', '        reads: [{ path: notes.md, required: true, max_file: 3 }, { glob: "*.md", requird: true }]\n        prompt: "Summarize');
    const result = await validateSopText(text, 'e.yaml');
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['SCHEMA_UNKNOWN_FIELD', '/roles/writer/actions/0/reads/0/max_file'],
      ['SCHEMA_UNKNOWN_FIELD', '/roles/writer/actions/0/reads/1/requird'],
    ]);
    expect(result.diagnostics[0]?.expected).toBe('one of: path, required');
  });
});

describe('a gate or precondition whose `command` is the argv list itself', () => {
  test('is one type error at the list, saying the argv goes inside `command: { command: [...] }`; not also "checks nothing"', async () => {
    const text = VALID_SOP.replace('        output: { type: Summary }\n', '        output: { type: Summary }\n        precondition: { command: [ls] }\n        gates:\n          - { name: tests, command: ["sh", "-c", "true"] }\n');
    const result = await validateSopText(text, 'demo.yaml');
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map(({ code, pointer, hint }) => ({ code, pointer, hint }))).toEqual([
      { code: 'SCHEMA_TYPE', pointer: '/roles/writer/actions/0/precondition/command', hint: 'the argv goes inside it, beside `timeout`, `cwd` and `env`: `command: { command: ["ls"] }`' },
      { code: 'SCHEMA_TYPE', pointer: '/roles/writer/actions/0/gates/0/command', hint: 'the argv goes inside it, beside `timeout`, `cwd` and `env`: `command: { command: ["sh", "-c", "true"] }`' },
    ]);
  });
});
