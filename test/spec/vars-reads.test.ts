import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP, warnings } from './helpers.js';

afterAll(cleanTempDirs);

/** VALID_SOP with `vars` and the writer's action replaced by `action` (YAML lines at 6 spaces), requiring the runner that reads them. */
function sop(vars: string | undefined, action: string): string {
  const withAction = VALID_SOP.replace('version: 1.0.0 }', 'version: 1.0.0, requires: ">=0.2" }').replace(
    '      - id: summarize\n        prompt: "Summarize {{ message.content }}"\n        output: { type: Summary }\n',
    `      - id: summarize\n${action}`,
  );
  return vars === undefined ? withAction : withAction.replace('messages:\n', `vars:\n${vars}\nmessages:\n`);
}

const VARS = '  greeting: Hello\n  test_command:\n    python: [python3, -m, unittest]\n    javascript: [node, --test]';

describe('vars', () => {
  test('read in templates, CEL and a command expression: valid, and resolved as written', async () => {
    const text = sop(VARS, [
      '        when: { if: "size(vars.test_command) > 0" }',
      '        prompt: "{{ vars.greeting }} {{ message.content }}"',
      '        output: { type: Summary }',
      '        gates:',
      '          - name: tests-pass',
      '            if: payload.language in vars.test_command',
      '            command: { command: "vars.test_command[payload.language]" }',
      '',
    ].join('\n'));
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toEqual([]);
    expect(result.sop?.vars).toEqual({ greeting: 'Hello', test_command: { python: ['python3', '-m', 'unittest'], javascript: ['node', '--test'] } });
    expect(result.sop?.roles[0]?.actions[0]?.gates[0]?.command).toMatchObject({ command: [], argv: { source: 'vars.test_command[payload.language]' } });
  });

  test('an undeclared var is an error at the reference, with the declared ones and a did-you-mean', async () => {
    const text = sop(VARS, [
      '        prompt: "{{ vars.greting }}"',
      '        output: { type: Summary }',
      '        gates:',
      '          - if: payload.language in vars.test_comand',
      '            assert: "true"',
      '',
    ].join('\n'));
    const found = errors(await validateText(text));
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column])).toEqual([
      ['TEMPLATE_VARIABLE_UNKNOWN', ...Object.values(positionOf(text, 'vars.greting'))],
      ['EXPRESSION_VARIABLE_UNKNOWN', ...Object.values(positionOf(text, 'vars.test_comand'))],
    ]);
    expect(found[0]).toMatchObject({ message: 'var `greting` is not declared', expected: expect.stringContaining('greeting'), hint: expect.stringContaining('greeting') });
    expect(found[1]?.hint).toContain('test_command');
  });

  test('vars read by an SOP without a `vars` block: the error says none are declared and how to add one', async () => {
    const found = errors(await validateText(sop(undefined, '        prompt: "{{ vars.greeting }}"\n        output: { type: Summary }\n')));
    expect(found).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', expected: expect.stringContaining('no `vars:` block'), hint: expect.stringContaining('vars:') }]);
  });

  test('a command or `reads` list looked up in vars must find lists of strings there: the bad entry is the error', async () => {
    const vars = '  runner:\n    js: [node, --test]\n    broken: node --version\n  sources: docs/a.md';
    const text = sop(vars, [
      '        reads: [{ each: vars.sources }]',
      '        run: { command: "vars.runner[message.content]" }',
      '        output: { type: Summary }',
      '',
    ].join('\n'));
    const found = errors(await validateText(text));
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line])).toEqual([
      ['EXPRESSION_TYPE', '/vars/runner/broken', positionOf(text, 'broken:').line],
      ['EXPRESSION_TYPE', '/vars/sources', positionOf(text, 'sources:').line],
    ]);
    expect(found[0]?.message).toContain('`vars.runner.broken` is "node --version", not an argv');
    expect(found[0]?.message).toContain(`\`vars.runner[message.content]\` at ${found[0]?.file}:${positionOf(text, 'vars.runner[').line}`);
    expect(found[1]?.hint).toContain('[docs/a.md, docs/b.md]');
  });

  test('a precondition command written as CEL is checked like `run`: syntax, variables, and the vars entry it picks', async () => {
    const vars = '  check: [true]';
    const text = sop(vars, [
      '        precondition: { command: { command: "vars.check" } }',
      '        prompt: p',
      '        output: { type: Summary }',
      '',
    ].join('\n'));
    const found = errors(await validateText(text));
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line])).toEqual([['EXPRESSION_TYPE', '/vars/check', positionOf(text, 'check:').line]]);
    expect(found[0]?.message).toContain('`vars.check` is [true], not an argv');
    const broken = sop(VARS, '        precondition: { command: { command: "nosuch.argv +" } }\n        prompt: p\n        output: { type: Summary }\n');
    expect(errors(await validateText(broken))).toMatchObject([{ code: 'EXPRESSION_SYNTAX', pointer: '/roles/writer/actions/0/precondition/command/command' }]);
    const unknown = sop(VARS, '        precondition: { command: { command: "nosuch.argv" } }\n        prompt: p\n        output: { type: Summary }\n');
    expect(errors(await validateText(unknown))).toMatchObject([{ code: 'EXPRESSION_VARIABLE_UNKNOWN', pointer: '/roles/writer/actions/0/precondition/command/command' }]);
  });

  test('a `reads: { each }` list from vars with a path leaving the workspace is refused at that entry', async () => {
    const text = sop('  sources: [docs/a.md, ../../etc/passwd]', '        reads: [{ each: vars.sources }]\n        prompt: p\n        output: { type: Summary }\n');
    const found = errors(await validateText(text));
    expect(found).toMatchObject([{ code: 'ARTIFACT_PATH_ESCAPE', pointer: '/vars/sources/1', line: positionOf(text, 'sources:').line, message: '`vars.sources[1]` (`../../etc/passwd`), read by `reads: { each }`, leaves the workspace' }]);
  });

  test('a command expression built from model text (not picked from vars) is TOOL_UNSAFE; a declared tool cannot use one', async () => {
    const gate = sop(VARS, '        prompt: p\n        output: { type: Summary, format: json }\n        gates:\n          - command: { command: "payload.argv" }\n');
    // `Summary` has no schema, so `payload.argv` is also unchecked (PAYLOAD_UNCHECKED).
    expect(warnings(await validateText(gate))).toMatchObject([
      { code: 'PAYLOAD_UNCHECKED', pointer: '/roles/writer/actions/0/output/format' },
      { code: 'TOOL_UNSAFE', pointer: '/roles/writer/actions/0/gates/0/command/command' },
    ]);
    const tool = `${sop(VARS, '        prompt: p\n        output: { type: Summary }\n')}tools:\n  count:\n    description: count\n    parameters: { type: object }\n    command: { command: "vars.test_command.python" }\n`;
    expect(errors(await validateText(tool))).toMatchObject([{ code: 'FEATURE_UNSUPPORTED', pointer: '/tools/count/command/command' }]);
  });
});

describe('reads lists and globs', () => {
  test('a path, a CEL list and a glob with max_files are valid and resolved in order', async () => {
    const text = sop(VARS, [
      '        reads:',
      '          - docs/prd.md',
      '          - each: "[message.content + \'.md\']"',
      '          - { glob: "src/**/*.py", max_files: 20 }',
      '        prompt: "{{ files | size }}"',
      '        output: { type: Summary }',
      '',
    ].join('\n'));
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(result.sop?.roles[0]?.actions[0]?.reads).toMatchObject([
      { kind: 'path', path: { text: 'docs/prd.md' } },
      { kind: 'each', paths: { source: "[message.content + '.md']" }, maxFiles: 50 },
      { kind: 'glob', pattern: { text: 'src/**/*.py' }, maxFiles: 20 },
    ]);
  });

  test('`each` must give a list and reads only what exists in `reads`; a glob is a strict template', async () => {
    const text = sop(VARS, [
      '        reads:',
      '          - each: "\'docs/prd.md\'"',
      '          - each: payload.files',
      '          - glob: "{{ output }}/*.py"',
      '        prompt: p',
      '        output: { type: Summary }',
      '',
    ].join('\n'));
    const found = errors(await validateText(text));
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual(expect.arrayContaining([
      ['EXPRESSION_TYPE', '/roles/writer/actions/0/reads/0/each'],
      ['EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/reads/1/each'],
      ['TEMPLATE_VARIABLE_UNKNOWN', '/roles/writer/actions/0/reads/2/glob'],
    ]));
    expect(found.find((diagnostic) => diagnostic.pointer.endsWith('/reads/0/each'))?.message).toContain('must give a list');
  });

  test('an entry with both `each` and `glob`, or max_files outside 1..1000, is a located schema error', async () => {
    for (const entry of ['{ each: item, glob: "*.md" }', '{ glob: "*.md", max_files: 0 }', '{ glob: "*.md", max_files: 5000 }']) {
      const text = sop(VARS, `        reads: [${entry}]\n        prompt: p\n        output: { type: Summary }\n`);
      const found = errors(await validateText(text));
      expect(found.length, entry).toBeGreaterThan(0);
      expect(found[0]?.pointer, entry).toMatch(/^\/roles\/writer\/actions\/0\/reads\/0/);
      expect(found[0]?.line, entry).toBe(positionOf(text, 'reads:').line);
    }
  });
});
