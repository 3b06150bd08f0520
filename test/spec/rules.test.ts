import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP, warnings } from './helpers.js';

afterAll(cleanTempDirs);

const HEAD = `apiVersion: sop/v1
kind: SOP
metadata: { name: demo, version: 1.0.0 }
`;

describe('MESSAGE_TYPE_UNDECLARED', () => {
  const text = `${HEAD}messages:
  UserRequirement: { description: the idea }
  Summary: { description: a summary }
start: [{ type: UserRequest, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement, Sumary]
    actions:
      - id: summarize
        when: { type: [UserRequirment] }
        prompt: "Summarize {{ message.content }}"
        output: { type: Summari }
        gates: [{ assert: "true", on_fail: { route: Feedback } }]
      - id: again
        when: { type: Summry }
        prompt: "Again"
        output: { type: Summary }
stop_when: { type: Done }
`;

  test('every place a type is named is checked, at the name', async () => {
    const result = await validateText(text);
    const found = errors(result);
    expect(found.every((diagnostic) => diagnostic.code === 'MESSAGE_TYPE_UNDECLARED')).toBe(true);
    expect(found.map((diagnostic) => [diagnostic.pointer, diagnostic.line, diagnostic.column])).toEqual([
      ['/start/0/type', ...Object.values(positionOf(text, 'UserRequest,'))],
      ['/roles/writer/watch/1', ...Object.values(positionOf(text, 'Sumary'))],
      ['/roles/writer/actions/0/when/type/0', ...Object.values(positionOf(text, 'UserRequirment'))],
      ['/roles/writer/actions/0/output/type', ...Object.values(positionOf(text, 'Summari }'))],
      ['/roles/writer/actions/0/gates/0/on_fail/route', ...Object.values(positionOf(text, 'Feedback'))],
      ['/roles/writer/actions/1/when/type', ...Object.values(positionOf(text, 'Summry'))],
      ['/stop_when/type', ...Object.values(positionOf(text, 'Done'))],
    ]);
  });

  test('lists the declared types sorted, the same whatever was misspelt, and suggests the closest', async () => {
    const result = await validateText(text);
    const watch = errors(result).find((diagnostic) => diagnostic.pointer === '/roles/writer/watch/1');
    expect(watch).toMatchObject({
      message: 'message type `Sumary` is not declared',
      expected: 'declared: Summary, UserRequirement',
      hint: 'did you mean `Summary`?',
    });
    const start = errors(result).find((diagnostic) => diagnostic.pointer === '/start/0/type');
    expect(start?.expected).toBe('declared: Summary, UserRequirement');
  });
});

describe('DUPLICATE_ID', () => {
  test('an action id used twice (across roles) is reported at the second, naming the first', async () => {
    const text = VALID_SOP.replace('stop_when: { type: Summary }\n', `  editor:
    profile: Editor
    watch: [UserRequirement]
    actions:
      - id: summarize
        prompt: "Again"
        output: { type: Summary }
stop_when: { type: Summary }
`);
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'DUPLICATE_ID', pointer: '/roles/editor/actions/0/id', ...positionOf(text, 'summarize', 2) }]);
    expect(errors(result)[0]?.hint).toContain(`line ${positionOf(text, 'summarize').line}`);
    expect(errors(result)[0]?.hint).toContain('`writer`');
  });
});

describe('ADDRESS_UNKNOWN', () => {
  test('output.to and start.to must name a role', async () => {
    const text = VALID_SOP.replace('content: "{{ inputs.idea }}" }', 'content: "{{ inputs.idea }}", to: writr }').replace(
      'output: { type: Summary }',
      'output: { type: Summary, to: nobody }',
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column])).toEqual([
      ['ADDRESS_UNKNOWN', '/start/0/to', ...Object.values(positionOf(text, 'writr'))],
      ['ADDRESS_UNKNOWN', '/roles/writer/actions/0/output/to', ...Object.values(positionOf(text, 'nobody'))],
    ]);
    expect(errors(result)[0]).toMatchObject({ expected: 'a role id: writer', hint: 'did you mean `writer`?' });
  });
});

describe('action and gate kinds', () => {
  test('an action with both prompt and run, or neither, is refused', async () => {
    const text = VALID_SOP.replace(
      '        output: { type: Summary }\n',
      `        run: { command: [echo, hi] }
        output: { type: Summary }
      - id: nothing
        output: { type: Summary }
`,
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column])).toEqual([
      ['SCHEMA_VIOLATION', '/roles/writer/actions/0/run', ...Object.values(positionOf(text, 'run:'))],
      ['SCHEMA_MISSING_FIELD', '/roles/writer/actions/1/prompt', ...Object.values(positionOf(text, 'id: nothing'))],
    ]);
  });

  test('a gate checks exactly one thing', async () => {
    const text = VALID_SOP.replace(
      '        output: { type: Summary }\n',
      `        output: { type: Summary }
        gates:
          - { name: nothing }
          - { assert: "true", judge: { rubric: good } }
`,
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['SCHEMA_MISSING_FIELD', '/roles/writer/actions/0/gates/0/assert'],
      ['SCHEMA_VIOLATION', '/roles/writer/actions/0/gates/1/judge'],
    ]);
    expect(errors(result)[1]).toMatchObject(positionOf(text, 'judge'));
  });

  test('an artifact takes content or a template file, not both', async () => {
    const text = VALID_SOP.replace(
      '        output: { type: Summary }\n',
      '        output: { type: Summary }\n        artifacts: [{ path: a.md, content: "x", template: { file: t.md } }]\n',
    );
    const result = await validateText(text, { 't.md': 'T' });
    expect(errors(result)).toMatchObject([{ code: 'SCHEMA_VIOLATION', pointer: '/roles/writer/actions/0/artifacts/0/template', ...positionOf(text, 'template') }]);
  });
});

describe('ARTIFACT_PATH_ESCAPE', () => {
  const withPath = (path: string) =>
    VALID_SOP.replace('        output: { type: Summary }\n', `        output: { type: Summary }\n        artifacts: [{ path: "${path}" }]\n`);

  test.each(['../x.md', '/etc/passwd', 'C:/Windows/x', '{{ inputs.idea }}/../../x', 'a/../../b'])('%s is refused', async (path) => {
    const text = withPath(path);
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'ARTIFACT_PATH_ESCAPE', line: positionOf(text, path).line, column: positionOf(text, path).column }]);
  });

  test.each(['docs/{{ inputs.idea }}.md', 'a/../b.md', '{{ item }}', 'src/{% if true %}x{% endif %}.py'])('%s is accepted', async (path) => {
    const result = await validateText(withPath(path).replace('Summarize', '{% assign item = 1 %}Summarize'));
    expect(errors(result).filter((diagnostic) => diagnostic.code === 'ARTIFACT_PATH_ESCAPE')).toEqual([]);
  });
});

describe('ARTIFACT_PATH_ESCAPE in reads (validate refused nothing; the run failed the action with WORKSPACE_ESCAPE)', () => {
  const withReads = (entry: string) => VALID_SOP.replace('        output: { type: Summary }\n', `        reads: [${entry}]\n        output: { type: Summary }\n`);

  test.each([
    ['"../secret.md"', '../secret.md', 'read path `../secret.md` leaves the workspace'],
    ['{ path: /etc/passwd, required: true }', '/etc/passwd', 'read path `/etc/passwd` is absolute'],
    ['{ glob: "../*.yaml" }', '../*.yaml', 'reads glob `../*.yaml` leaves the workspace'],
    // The run refuses `..` anywhere in a glob (a pattern is not normalised), so validate does too.
    ['{ glob: "docs/../src/*.py" }', 'docs/../src/*.py', 'reads glob `docs/../src/*.py` climbs with `..`'],
  ])('%s is refused where it is written', async (entry, path, message) => {
    const text = withReads(entry);
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'ARTIFACT_PATH_ESCAPE', message, line: positionOf(text, path).line, column: positionOf(text, path).column }]);
  });

  test.each(['docs/{{ inputs.idea }}.md', '{ glob: "src/**/*.py" }', '{ path: a/../b.md, required: true }'])('%s is accepted', async (entry) => {
    const result = await validateText(withReads(entry));
    expect(errors(result).filter((diagnostic) => diagnostic.code === 'ARTIFACT_PATH_ESCAPE')).toEqual([]);
  });
});

describe('PAYLOAD_SCHEMA_INVALID', () => {
  const withSchema = (schema: string) => VALID_SOP.replace('Summary: { description: a summary }', `Summary:\n    schema: ${schema}`);

  test('an unknown keyword (strict mode) is located at its key', async () => {
    const text = withSchema('{ type: object, propertees: { title: { type: string } } }');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'PAYLOAD_SCHEMA_INVALID', pointer: '/messages/Summary/schema/propertees', ...positionOf(text, 'propertees') }]);
    expect(errors(result)[0]?.hint).toBe('did you mean `properties`?');
  });

  test('a nested invalid keyword value names its path inside the schema', async () => {
    const text = withSchema('{ type: object, properties: { n: { type: integer, minimum: "one" } } }');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'PAYLOAD_SCHEMA_INVALID', pointer: '/messages/Summary/schema/properties/n/minimum', ...positionOf(text, '"one"') }]);
  });

  test('ordinary schemas (formats, required without properties) are accepted', async () => {
    const text = withSchema('{ type: object, required: [email], properties: { email: { type: string, format: email } } }');
    expect(errors(await validateText(text))).toEqual([]);
  });
});

describe('ROLE_UNREACHABLE and MESSAGE_UNWATCHED', () => {
  const text = `${HEAD}messages:
  UserRequirement: { description: the idea }
  Draft: { description: x }
  Review: { description: x }
  Note: { description: x }
  Final: { description: x }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    actions:
      - { id: draft, prompt: "x", output: { type: Draft } }
      - { id: note, prompt: "x", output: { type: Note, to: archivist } }
  archivist:
    profile: Archivist
    watch: []
    actions:
      - { id: archive, prompt: "x", output: { type: Final } }
  reviewer:
    profile: Reviewer
    watch: [Review]
    actions:
      - { id: review, prompt: "x", output: { type: Draft } }
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - { id: edit, prompt: "x", output: { type: Review } }
  orphan:
    profile: Orphan
    watch: [Final]
    actions:
      - { id: orphaned, prompt: "x", output: { type: Final } }
stop_when: { type: Final }
`;

  test('reachability follows messages from the start, including addressed ones', async () => {
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(result.sop).toBeDefined();
    const unreachable = warnings(result).filter((warning) => warning.code === 'ROLE_UNREACHABLE');
    // archivist is reached by `to`; reviewer by editor's Review; orphan's Final comes from archivist.
    expect(unreachable).toEqual([]);
  });

  test('a role fed only by an unreachable role is unreachable too', async () => {
    const variant = text.replace('output: { type: Note, to: archivist }', 'output: { type: Note }');
    const result = await validateText(variant);
    const unreachable = warnings(result).filter((warning) => warning.code === 'ROLE_UNREACHABLE');
    expect(unreachable.map((warning) => [warning.pointer, warning.line, warning.column])).toEqual([
      ['/roles/archivist', ...Object.values(positionOf(variant, 'archivist:'))],
      ['/roles/orphan', ...Object.values(positionOf(variant, 'orphan:'))],
    ]);
    expect(unreachable[1]?.message).toContain('only emitted by roles that are never reached');
  });

  test('a role watching nothing, addressed only by a role never reached: the message and hint say so in words', async () => {
    // archivist watches nothing; its only address (`to: archivist`) now comes from reviewer, which nothing reaches.
    const variant = text
      .replace('output: { type: Note, to: archivist }', 'output: { type: Note }')
      .replace("      - { id: review, prompt: \"x\", output: { type: Draft } }", "      - { id: review, prompt: \"x\", output: { type: Note, to: archivist } }")
      .replace('      - { id: edit, prompt: "x", output: { type: Review } }', '      - { id: edit, prompt: "x", output: { type: Final } }');
    const result = await validateText(variant);
    const archivist = warnings(result).find((warning) => warning.code === 'ROLE_UNREACHABLE' && warning.pointer === '/roles/archivist');
    expect(archivist?.message).toBe('role `archivist` never acts: it watches no message type, and only roles that are never reached address messages to it');
    expect(archivist?.hint).toBe('address a message to `archivist` with `to` from a role that acts, watch a type another role emits, or remove the role');
  });

  test('a published type nobody watches is a warning unless it ends the run or is addressed', async () => {
    const variant = text.replace('output: { type: Note, to: archivist }', 'output: { type: Note }');
    const result = await validateText(variant);
    const unwatched = warnings(result).filter((warning) => warning.code === 'MESSAGE_UNWATCHED');
    expect(unwatched.map((warning) => warning.pointer)).toEqual(['/roles/writer/actions/1/output/type']);
    expect(unwatched[0]?.message).toContain('`Note`');
  });
});

describe('START_MISSING', () => {
  test('an SOP without `start:` can never act: one located error with the start to add, not a ROLE_UNREACHABLE per role', async () => {
    const text = `${HEAD}messages:
  Idea: { description: the idea }
  Draft: { description: a draft }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions: [{ id: draft, prompt: "Draft {{ message.content }}", output: { type: Draft } }]
stop_when: { type: Draft }
`;
    const result = await validateText(text);
    expect(result.diagnostics.map(({ code, severity, line, column }) => [code, severity, line, column])).toEqual([['START_MISSING', 'error', ...Object.values(positionOf(text, 'roles:'))]]);
    expect(result.diagnostics[0]?.hint).toBe('add `start: [{ type: Idea, content: "{{ inputs.idea }}" }]` above `roles:`');
    const started = await validateText(text.replace('roles:', 'start: [{ type: Idea, content: "{{ inputs.idea }}" }]\nroles:'));
    expect(started.diagnostics).toEqual([]);
  });
});

describe('regular expressions written as literals in CEL', () => {
  test('a literal pattern that does not compile is refused at validate time, located at the pattern (a run failed on it after paid calls)', async () => {
    const text = VALID_SOP.replace('stop_when: { type: Summary }', `stop_when: { type: Summary, if: "content.matches('(')" }`);
    expect(errors(await validateText(text))).toMatchObject([
      { code: 'EXPRESSION_SYNTAX', message: expect.stringContaining('invalid regular expression "(" in `matches`'), ...positionOf(text, `'('`) },
    ]);
  });

  test('a pattern built from data is checked when the run evaluates it; a gate shorthand is reported once, in its own words', async () => {
    const dynamic = VALID_SOP.replace('stop_when: { type: Summary }', `stop_when: { type: Summary, if: "content.matches(inputs.idea)" }`);
    expect(errors(await validateText(dynamic))).toEqual([]);
    const gate = VALID_SOP.replace('output: { type: Summary }', 'output: { type: Summary }\n        gates: [{ matches: "(?<=a)b" }]');
    expect(errors(await validateText(gate)).map((diagnostic) => diagnostic.code)).toEqual(['SCHEMA_PATTERN']);
  });
});
