import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadResolvedSop, validateSopFile } from '../../src/index.js';
import { cleanTempDirs, errors, positionOf, REPO_ROOT, validateText, warnings } from './helpers.js';

/**
 * Format reach (issue #13, items 1, 3, 4, 10): dynamic recipients, gate sets and message-type
 * gates, escalation after revisions, and the lint for loops without a bound, as `sop validate`
 * reports them: located (file:line:col and pointer), with what was expected and a hint.
 */
afterAll(cleanTempDirs);

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'reach');
const at = (text: string, needle: string, occurrence = 1): { line: number; column: number } => positionOf(text, needle, occurrence);

const HEAD = `apiVersion: sop/v1
kind: SOP
metadata: { name: demo, version: 1.0.0, requires: ">=0.2" }
settings: { n_round: 4 }
`;

describe('dynamic recipients (`to` as a template)', () => {
  const DELEGATE = `${HEAD}messages:
  Request: {}
  Assignment:
    schema:
      type: object
      additionalProperties: false
      required: [assignee]
      properties:
        assignee: { enum: [frontend, designer] }
  Done: {}
start: [{ type: Request, content: "{{ inputs.idea }}" }]
roles:
  manager:
    profile: Manager
    watch: [Request]
    actions:
      - id: delegate
        when: { type: Request }
        prompt: "Assign: {{ message.content }}"
        output: { type: Assignment, format: json, to: "{{ payload.assignee }}" }
  frontend:
    profile: Frontend
    watch: []
    actions:
      - id: build
        prompt: "Build"
        output: { type: Done, to: "{{ message.from }}" }
stop_when: { type: Done }
`;

  test('the delegate fixture (a manager picks the worker by payload, the worker replies to the sender) is valid, without warnings', async () => {
    const result = await validateSopFile(path.join(FIXTURES, 'delegate.yaml'));
    expect(result.diagnostics).toEqual([]);
  });

  test('an enum value of the payload field that names no role is refused at `to`, naming the value', async () => {
    const result = await validateText(DELEGATE);
    expect(errors(result)).toMatchObject([
      {
        code: 'ADDRESS_UNKNOWN',
        pointer: '/roles/manager/actions/0/output/to',
        ...at(DELEGATE, '"{{ payload.assignee }}"'),
        message: '`to` can render to `designer` (an `enum` value of `payload.assignee`), which names no role',
      },
    ]);
    expect(errors(result)[0]?.expected).toContain('frontend');
  });

  test('`{{ message.payload.field }}` is checked against the enum of the field in the types that trigger the action', async () => {
    const text = DELEGATE.replace('    watch: []', '    watch: [Assignment]').replace('to: "{{ message.from }}"', 'to: "{{ message.payload.assignee }}"');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.pointer, diagnostic.message])).toEqual([
      ['/roles/manager/actions/0/output/to', '`to` can render to `designer` (an `enum` value of `payload.assignee`), which names no role'],
      ['/roles/frontend/actions/0/output/to', '`to` can render to `designer` (an `enum` value of `message.payload.assignee`), which names no role'],
    ]);
  });

  test('a field the payload schema does not have is refused inside `to`, as in any template over the output', async () => {
    const text = DELEGATE.replace('designer', 'frontend').replace('{{ payload.assignee }}', '{{ payload.asignee }}');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', pointer: '/roles/manager/actions/0/output/to', line: at(text, 'payload.asignee').line }]);
    expect(errors(result)[0]?.hint).toContain('assignee');
  });

  test('`to` sees what artifacts see: an unknown root is refused, naming `output.to`', async () => {
    const text = DELEGATE.replace('designer', 'frontend').replace('{{ payload.assignee }}', '{{ ticket.owner }}');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', pointer: '/roles/manager/actions/0/output/to', message: 'unknown variable `ticket` in `output.to`' }]);
  });

  test('`{{ message.from }}` on an action the start message triggers would reply to `user`: refused at `to`; a `when.if` lets it pass', async () => {
    const text = DELEGATE.replace('designer', 'frontend').replace('to: "{{ payload.assignee }}"', 'to: "{{ message.from }}"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([
      {
        code: 'ADDRESS_UNKNOWN',
        pointer: '/roles/manager/actions/0/output/to',
        ...at(text, '"{{ message.from }}"'),
        message: '`to: {{ message.from }}` replies to the sender, and the start message `Request` (from `user`, no role) triggers action `delegate`',
      },
    ]);
    expect(errors(result)[0]?.hint).toContain("when.if: from != 'user'");
    const guarded = text.replace('when: { type: Request }', 'when: { type: Request, if: "from != \'user\'" }');
    expect(errors(await validateText(guarded))).toEqual([]);
  });

  test('`to: message.from` (a field path without braces) gets the hint to write it as a template, not `message_from`', async () => {
    const text = DELEGATE.replace('designer', 'frontend').replace('to: "{{ message.from }}"', 'to: message.from');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([
      { code: 'SCHEMA_PATTERN', pointer: '/roles/frontend/actions/0/output/to', ...at(text, 'message.from }'), hint: 'write `{{ message.from }}`' },
    ]);
    expect(errors(result)[0]?.expected).toContain('one template output');
  });
});

describe('gate sets and message-type gates', () => {
  const SETS = `${HEAD}gates:
  review:
    - { name: has-title, matches: "^# ", on_fail: { revise: 1 } }
messages:
  Brief: {}
  Draft:
    gates:
      - { name: long-enough, length: { min: 40 } }
  Notes: {}
start: [{ type: Brief, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Brief, Notes]
    actions:
      - id: draft
        when: { type: Brief }
        prompt: "Write"
        output: { type: Draft }
        gates: [{ use: review }, { name: own, contains: "x" }]
      - id: revise
        when: { type: Notes }
        max_runs: 1
        prompt: "Revise"
        output: { type: Draft }
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - id: comment
        max_runs: 1
        prompt: "Comment"
        output: { type: Notes }
`;

  test('an action passes its own gates with each set in place of its `use`, then its output type\'s gates; a revise path the type\'s', async () => {
    const result = await validateText(SETS);
    expect(result.diagnostics).toEqual([]);
    const { sop } = await loadResolvedSop(result.path);
    const [draft, revise] = sop.roles[0]!.actions;
    expect(draft!.gates.map((gate) => [gate.name, gate.pointer])).toEqual([
      ['has-title', '/gates/review/0'],
      ['own', '/roles/writer/actions/0/gates/1'],
      ['long-enough', '/messages/Draft/gates/0'],
    ]);
    expect(revise!.gates.map((gate) => gate.name)).toEqual(['long-enough']);
  });

  test('`use` naming no set is refused at the name, with the nearest set', async () => {
    const text = SETS.replace('{ use: review }', '{ use: reviw }');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'GATE_SET_UNKNOWN', pointer: '/roles/writer/actions/0/gates/0/use', ...at(text, 'reviw'), hint: 'did you mean `review`?' }]);
  });

  test('`use` beside a check, and a set using itself, are refused', async () => {
    const text = SETS.replace('{ use: review }', '{ use: review, assert: "true" }').replace(
      '    - { name: has-title',
      '    - { use: review }\n    - { name: has-title',
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['GATE_SET_CYCLE', '/gates/review/0/use'],
      ['GATE_SET_UNKNOWN', '/roles/writer/actions/0/gates/0/assert'],
    ]);
  });

  test('a gate in a set or on a message type is checked like an action\'s, located where it is written', async () => {
    const text = SETS.replace('{ name: long-enough, length: { min: 40 } }', '{ name: long-enough, length: { min: 40 }, assert: "true" }').replace('matches: "^# "', 'matches: "(?=x)"');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.message])).toEqual([
      ['SCHEMA_PATTERN', '/gates/review/0/matches', expect.stringContaining('not a valid regular expression')],
      ['SCHEMA_VIOLATION', '/messages/Draft/gates/0/length', 'gate `long-enough` of message type `Draft` has `assert` and `length`'],
    ]);
  });
});

describe('escalation when revisions run out (`then: { route, to }`)', () => {
  test('the escalate fixture is valid, without warnings', async () => {
    expect((await validateSopFile(path.join(FIXTURES, 'escalate.yaml'))).diagnostics).toEqual([]);
  });

  test('`then.to` must name a role and `then.route` a declared type; `then` beside `route` is refused', async () => {
    const base = readFileSync(path.join(FIXTURES, 'escalate.yaml'), 'utf8');
    const text = base.replace('on_fail: { revise: 1, then: { route: Escalated, to: senior_editor } }', 'on_fail: { revise: 1, then: { route: Escalatd, to: senior_edtor } }');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column])).toEqual([
      ['MESSAGE_TYPE_UNDECLARED', '/roles/writer/actions/0/gates/0/on_fail/then/route', ...Object.values(at(text, 'Escalatd'))],
      ['ADDRESS_UNKNOWN', '/roles/writer/actions/0/gates/0/on_fail/then/to', ...Object.values(at(text, 'senior_edtor'))],
    ]);
    expect(errors(result)[1]?.hint).toBe('did you mean `senior_editor`?');
    // `then.to` names a role as written: a template there is refused without the `message_from` "fix".
    const templated = base.replace('on_fail: { revise: 1, then: { route: Escalated, to: senior_editor } }', 'on_fail: { revise: 1, then: { route: Escalated, to: "{{ message.from }}" } }');
    const refused = errors(await validateText(templated));
    expect(refused.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.hint])).toEqual([['SCHEMA_PATTERN', '/roles/writer/actions/0/gates/0/on_fail/then/to', undefined]]);
    const both = base.replace('on_fail: { revise: 1, then:', 'on_fail: { revise: 1, route: Escalated, then:');
    expect(errors(await validateText(both))).toMatchObject([{ code: 'SCHEMA_VIOLATION', pointer: '/roles/writer/actions/0/gates/0/on_fail/then' }]);
  });
});

describe('LOOP_UNBOUNDED', () => {
  const read = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

  test('a debate whose two sides answer each other with no bound is warned about at the loop\'s first action', async () => {
    const text = read('debate-unbounded.yaml');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toMatchObject([
      {
        code: 'LOOP_UNBOUNDED',
        pointer: '/roles/pro/actions/0/output/type',
        ...at(text, 'ProArgument }'),
        message: 'loop without a bound: `pro.argue_for` → `con.argue_against` → `pro.argue_for` can run until the round limit ends the run (20 rounds, exit 5)',
      },
    ]);
    expect(warnings(result)[0]?.hint).toContain('max_runs');
  });

  test('a loop through three roles is printed in the order its messages travel', async () => {
    const text = `${HEAD.replace('settings: { n_round: 4 }\n', '')}messages: { A: {}, B: {}, C: {} }
start: [{ type: A, content: "x" }]
roles:
  r1: { profile: R1, watch: [A], actions: [{ id: one, prompt: p, output: { type: C } }] }
  r2: { profile: R2, watch: [B], actions: [{ id: two, prompt: p, output: { type: A } }] }
  r3: { profile: R3, watch: [C], actions: [{ id: three, prompt: p, output: { type: B } }] }
`;
    const result = await validateText(text);
    expect(warnings(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.message])).toEqual([
      ['LOOP_UNBOUNDED', '/roles/r1/actions/0/output/type', 'loop without a bound: `r1.one` → `r3.three` → `r2.two` → `r1.one` can run until the round limit ends the run (20 rounds, exit 5)'],
    ]);
  });

  test.each([
    ['`max_runs` on one of its actions', (text: string) => text.replace('        output: { type: ConArgument }', '        max_runs: 3\n        output: { type: ConArgument }')],
    ['a `when.if` condition', (text: string) => text.replace('      - id: argue_against\n', '      - id: argue_against\n        when: { if: "round < 6" }\n')],
    ['`settings.n_round` written in the SOP', (text: string) => text.replace('messages:\n', 'settings: { n_round: 8 }\nmessages:\n')],
    ['a `stop_when` on a type the loop publishes', (text: string) => text.replace('stop_when: { type: Verdict }', 'stop_when: [{ type: Verdict }, { type: ConArgument, if: "content.contains(\'I concede\')" }]')],
  ])('%s bounds the loop: no warning', async (_bound, edit) => {
    const text = edit(read('debate-unbounded.yaml'));
    const result = await validateText(text);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'LOOP_UNBOUNDED')).toEqual([]);
    expect(errors(result)).toEqual([]);
  });

  test.each([
    ['a constant', 'true'],
    ['a condition on the run\'s inputs alone', 'inputs.idea != ""'],
  ])('a `when.if` that cannot change as the loop turns (%s) does not bound it', async (_kind, condition) => {
    const text = read('debate-unbounded.yaml').replace('      - id: argue_against\n', `      - id: argue_against\n        when: { if: ${JSON.stringify(condition)} }\n`);
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((diagnostic) => diagnostic.code)).toEqual(['LOOP_UNBOUNDED']);
  });

  test('examples/debate is bounded by `max_runs: { input: exchanges }`; without it `sop validate` warns', async () => {
    const text = readFileSync(path.join(REPO_ROOT, 'examples', 'debate', 'sop.yaml'), 'utf8');
    expect(warnings(await validateText(text))).toEqual([]);
    const unbounded = text.replace(/^ *max_runs: \{ input: exchanges \}\n/gm, '');
    expect(unbounded).not.toMatch(/^ +max_runs:/m);
    const result = await validateText(unbounded);
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.message])).toEqual([
      ['LOOP_UNBOUNDED', '/roles/proposition/actions/0/output/type', 'loop without a bound: `proposition.speak` → `opposition.respond` → `proposition.speak` can run until the round limit ends the run (20 rounds, exit 5)'],
    ]);
  });

  test('the software-company SOP and every example stay at 0 warnings', async () => {
    const files = [
      path.join(REPO_ROOT, 'sops', 'software-company.yaml'),
      ...readdirSync(path.join(REPO_ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
        .filter((name) => /\.ya?ml$/.test(name) && !/script|config|cassette|\.github/.test(name))
        .map((name) => path.join(REPO_ROOT, 'examples', name)),
    ];
    for (const file of files) {
      const result = await validateSopFile(file);
      if (!result.sop) continue; // not an SOP (a workflow, a config)
      expect(warnings(result), file).toEqual([]);
    }
  });
});

describe('FORMAT_NEWER_THAN_REQUIRES', () => {
  /** An SOP whose metadata is `metadata` and whose writer uses `vars`, `role.turn` and `message.thread`. */
  const newer = (metadata: string): string => `apiVersion: sop/v1
kind: SOP
metadata: ${metadata}
vars: { style: short }
messages:
  Brief: {}
  Draft: {}
start: [{ type: Brief, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Brief]
    actions:
      - id: draft
        prompt: "Turn {{ role.turn }}, exchange {{ message.thread.turn }}: write {{ vars.style }}"
        output: { type: Draft }
stop_when: { type: Draft }
`;

  test('a file using 0.2 fields without `requires`: a warning at metadata naming each field and where, with the range to add', async () => {
    const text = newer('{ name: demo, version: 1.0.0 }');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column, diagnostic.message, diagnostic.hint])).toEqual([
      ['FORMAT_NEWER_THAN_REQUIRES', '/metadata', ...Object.values(positionOf(text, '{ name: demo')),
        'this SOP uses fields that sop reads from 0.2 on, and states no `requires`: `vars` (/vars), `role.turn` (/roles/writer/actions/0/prompt), `message.thread` (/roles/writer/actions/0/prompt)',
        'add `requires: ">=0.2"` to metadata: an older runner then names the version to install instead of refusing the fields one by one'],
    ]);
  });

  test('a range admitting a runner older than 0.2: the warning at `requires`, suggesting the range with its upper bound kept', async () => {
    const text = newer('{ name: demo, version: 1.0.0, requires: ">=0.1 <1" }');
    const [warning] = warnings(await validateText(text));
    expect(warning).toMatchObject({ code: 'FORMAT_NEWER_THAN_REQUIRES', pointer: '/metadata/requires', ...positionOf(text, '">=0.1 <1"'), hint: 'raise its lower bound to 0.2, e.g. `requires: ">=0.2 <1"`' });
    expect(warning?.message).toMatch(/^`requires: ">=0\.1 <1"` admits runners older than 0\.2, which do not read fields this SOP uses: `vars` \(\/vars\)/);
  });

  test.each(['>=0.2', '^0.2.0', '>=0.2 <1'])('`requires: "%s"` admits only runners that read them: no warning', async (range) => {
    expect(warnings(await validateText(newer(`{ name: demo, version: 1.0.0, requires: "${range}" }`)))).toEqual([]);
  });

  test('a file using only fields of the first runner needs no `requires`', async () => {
    const text = newer('{ name: demo, version: 1.0.0 }').replace('vars: { style: short }\n', '').replace('Turn {{ role.turn }}, exchange {{ message.thread.turn }}: write {{ vars.style }}', 'Write about {{ message.content }}');
    expect(warnings(await validateText(text))).toEqual([]);
  });
});

describe('an action waiting for a type that never reaches its role', () => {
  const SOP = `${HEAD}messages:
  Request: {}
  Draft: {}
  Note: {}
  Done: {}
start: [{ type: Request, content: "{{ inputs.idea }}" }]
stop_when: { type: Done }
roles:
  writer:
    profile: Writer
    watch: [Request]
    actions:
      - { id: draft, prompt: "Draft", output: { type: Draft } }
      - { id: note, when: { type: Request }, prompt: "Note", output: { type: Note, to: editor } }
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - { id: edit, when: { type: [Draft, Note, Request] }, prompt: "Edit", output: { type: Done } }
`;

  test('WHEN_TYPE_UNWATCHED at the type in `when.type`: not watched and never addressed to the role (Note is addressed to it: no warning)', async () => {
    const result = await validateText(SOP);
    expect(errors(result)).toEqual([]);
    const found = warnings(result).filter((diagnostic) => diagnostic.code === 'WHEN_TYPE_UNWATCHED');
    expect(found).toMatchObject([{ pointer: '/roles/editor/actions/0/when/type/2', ...at(SOP, 'Request] }') }]);
    expect(found[0]?.message).toBe('action `edit` waits for `Request`, which never reaches role `editor`: the role does not watch it and no `Request` is addressed to it');
    expect(found[0]?.hint).toBe('add `Request` to `editor`\'s `watch`, or address it to `editor` with `to`');
  });

  test('a watched type, or none written (every watched type), is never warned about', async () => {
    const result = await validateText(SOP.replace('when: { type: [Draft, Note, Request] }, ', ''));
    expect(warnings(result).filter((diagnostic) => diagnostic.code === 'WHEN_TYPE_UNWATCHED')).toEqual([]);
  });
});

/** Warnings derived from the message flow are judged as if misspelled names were what "did you mean" says. */
describe('flow warnings after a misspelled name', () => {
  const flow = (watch: string, extra = '') => `${HEAD}messages:
  Idea: {}
  Draft: {}
  Note: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write {{ message.content }}", output: { type: Draft } }
  reviewer:
    profile: Reviewer
    watch: [${watch}]
    actions:
      - { id: review, prompt: "Review {{ message.content }}", output: { type: Note } }
${extra}stop_when: { type: Note }
`;

  test('a watch that is fixed by the suggestion reaches the role: the error only', async () => {
    const result = await validateText(flow('Draf'));
    expect(errors(result).map((diagnostic) => diagnostic.code)).toEqual(['MESSAGE_TYPE_UNDECLARED']);
    expect(warnings(result)).toEqual([]);
  });

  test('a misspelled `when.type` has its error only, not also "never reaches the role"', async () => {
    const result = await validateText(flow('Draft').replace('{ id: review, prompt', '{ id: review, when: { type: Draf }, prompt'));
    expect(errors(result).map((diagnostic) => diagnostic.hint)).toEqual(['did you mean `Draft`?']);
    expect(warnings(result)).toEqual([]);
  });

  test('a role still unreached once the name is fixed is still warned about, by the fixed name', async () => {
    const result = await validateText(flow('Nte'));
    expect(errors(result).map((diagnostic) => diagnostic.hint)).toEqual(['did you mean `Note`?']);
    expect(warnings(result)).toMatchObject([
      { code: 'MESSAGE_UNWATCHED', message: 'message type `Draft` (published by role `writer`) is watched by no other role' },
      { code: 'ROLE_UNREACHABLE', message: 'role `reviewer` never acts: nothing emits `Note`, and no message is addressed to it' },
    ]);
  });
});
