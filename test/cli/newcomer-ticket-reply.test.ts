import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A newcomer's ticket-reply SOP, written from the README alone: a triager with a `format: json`
 * output whose schema has an enum `priority` and a file per ticket, a command gate, a responder
 * that answers only high-priority tickets (`when.if`) behind a human approval gate; then its test
 * file and a scripted model. What the newcomer could not see is what these tests pin.
 */
afterAll(removeTempDirs);

const TRIAGE = `apiVersion: sop/v1
kind: SOP
metadata: { name: ticket-reply, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  ticket: { type: string, description: the support ticket text, aliases: [idea] }
messages:
  Ticket: { description: an incoming support ticket }
  Triage:
    schema:
      type: object
      additionalProperties: false
      required: [ticket_id, priority, summary]
      properties:
        ticket_id: { type: string, pattern: "^[a-z0-9-]+$" }
        priority: { type: string, enum: [low, medium, high] }
        summary: { type: string }
  Reply: { description: a reply to a high-priority ticket }
start: [{ type: Ticket, content: "{{ inputs.ticket }}" }]
roles:
  triager:
    profile: Support triager
    watch: [Ticket]
    actions:
      - id: triage
        prompt: "Triage this ticket: {{ message.content }}"
        output: { type: Triage, format: json }
        artifacts:
          - path: "tickets/{{ payload.ticket_id }}.md"
            content: "# {{ payload.summary }}\\n\\npriority: {{ payload.priority }}\\n"
        gates:
          - name: ticket-file-written
            command: { command: [test, -s, "tickets/{{ payload.ticket_id }}.md"] }
  responder:
    profile: Support engineer
    watch: [Triage]
    actions:
      - id: reply
        when: { type: Triage, if: "payload.priority == 'high'" }
        prompt: "Write a reply to the customer about: {{ message.payload.summary }}"
        output: { type: Reply, format: markdown }
        gates:
          - name: approved
            human: { prompt: "Send this reply?" }
stop_when:
  - { type: Reply }
  - { type: Triage, if: "payload.priority != 'high'" }
`;

/** A script (or a test case's answers) whose triage is high priority, and the responder's reply. */
const HIGH = `apiVersion: sop-script/v1
answers:
  - role: triager
    action: triage
    output: { ticket_id: login-crash, priority: high, summary: App crashes on login }
  - role: responder
    action: reply
    output: |
      Dear customer,

      we are sorry: the login crash is fixed in today's release.
`;

function project(files: Record<string, string> = {}): string {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'triage.yaml'), TRIAGE);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(cwd, name), text);
  return cwd;
}

/** A JavaScript stack frame (`sop test` prints its own `at FILE.yaml:LINE:COL` lines, which are not). */
const JS_FRAME = /^\s+at .*\.(?:c?js|ts):\d+:\d+\)?$/m;

function noStack(result: CliResult, frame: RegExp = STACK_LINE): CliResult {
  expect(`${result.stdout}${result.stderr}`).not.toMatch(frame);
  return result;
}

function onlyRun(cwd: string): string {
  const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
  return runId as string;
}

describe('a newcomer\'s ticket-reply SOP', () => {
  it('a scripted triage whose `priority` is not in the schema\'s enum: `sop test` warns at that field with the schema\'s words, beside the case that fails on the offline model\'s re-ask; a `reask` answer makes it deliberate, no warning', async () => {
    const cases = (extra: string): string => `apiVersion: sop-test/v1
defaults:
  inputs: { ticket: "The app crashes on login" }
cases:
  - name: an urgent ticket is answered
    answers:
      - { role: triager, action: triage, output: { ticket_id: login-crash, priority: urgent, summary: App crashes on login } }${extra}
      - { role: responder, action: reply, gate: approved, human: approve }
    expect:
      messages:
        - { type: Reply, count: 1 }
`;
    const cwd = project({ 'triage.test.yaml': cases('') });
    const result = noStack(await sop(['test', 'triage.yaml'], { cwd }), JS_FRAME);
    expect(result.code, result.stdout).toBe(16);
    expect(result.stderr).toContain(
      'triage.test.yaml:7:86: warning ANSWER_MISFIT: this output is not a valid Triage: /priority: "urgent" given; must be one of ["low","medium","high"]; ' +
        'the run asks again, and the offline model answers that (no `reask` answer is scripted): correct the output, or script a `reask` answer if the re-ask is what this tests',
    );
    expect(readFileSync(path.join(cwd, 'triage.test.yaml'), 'utf8').split('\n')[6]?.slice(85, 91)).toBe('urgent');

    // Following the hint (the value the schema allows): no warning, and the case passes.
    const fixed = project({ 'triage.test.yaml': cases('').replace('priority: urgent', 'priority: high') });
    const passed = noStack(await sop(['test', 'triage.yaml'], { cwd: fixed }), JS_FRAME);
    expect(passed.code, `${passed.stdout}${passed.stderr}`).toBe(0);
    expect(passed.stderr).not.toContain('warning');

    // A re-ask the case scripts is what it tests: not warned of.
    const reask = project({ 'triage.test.yaml': cases('\n      - { role: triager, action: triage, reask: { ticket_id: login-crash, priority: high, summary: App crashes on login } }') });
    const deliberate = noStack(await sop(['test', 'triage.yaml'], { cwd: reask }), JS_FRAME);
    expect(deliberate.code, `${deliberate.stdout}${deliberate.stderr}`).toBe(0);
    expect(deliberate.stderr).not.toContain('warning');
  });

  it('the same script given to `sop run --model script:FILE` (strict): warned of before the run, at the field, saying the run fails at the re-ask', async () => {
    const cwd = project({ 'answers.yaml': HIGH.replace('priority: high', 'priority: urgent').replace('answers:', 'strict: true\nanswers:') });
    const result = noStack(await sop(['run', 'triage.yaml', 'The app crashes on login', '--model', 'script:answers.yaml', '--ci'], { cwd }));
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain('answers.yaml:6:49: warning ANSWER_MISFIT: this output is not a valid Triage: /priority: "urgent" given; must be one of ["low","medium","high"]; the run asks again, and the run fails there (SCRIPT_MISS: `strict: true` and no `reask` answer)');
    expect(result.stderr.indexOf('this output is not a valid Triage')).toBeLessThan(result.stderr.indexOf('[round 1]'));
  });

  it('a run paused at the human gate of a reply written to no file: the note shows the reply to review, not only "review the output"', async () => {
    const cwd = project({ 'answers.yaml': HIGH });
    const result = noStack(await sop(['run', 'triage.yaml', 'The app crashes on login', '--model', 'script:answers.yaml', '--ci'], { cwd }));
    expect(result.code, result.stderr).toBe(8);
    expect(result.stderr).toContain(
      'awaiting approval: gate approved (role responder, action reply): Send this reply?\n' +
        '  review the Reply it would publish:\n' +
        '    Dear customer,\n' +
        '\n' +
        '    we are sorry: the login crash is fixed in today\'s release.\n' +
        'hint: review the output, then continue with',
    );
  });

  it('the Markdown summary of a run paused at the human gate: the waiting action is not counted as failed', async () => {
    const cwd = project({ 'answers.yaml': HIGH });
    const paused = noStack(await sop(['run', 'triage.yaml', 'The app crashes on login', '--model', 'script:answers.yaml', '--ci'], { cwd }));
    expect(paused.code, paused.stderr).toBe(8);
    const summary = noStack(await sop(['report', onlyRun(cwd), '--out', 'summary.md'], { cwd }));
    expect(summary.code, summary.stderr).toBe(0);
    const markdown = readFileSync(path.join(cwd, 'summary.md'), 'utf8');
    expect(markdown).toContain('| role | action runs | failed | gates passed |');
    expect(markdown).toMatch(/^\| triager \| 1 \| 0 \| 1 \|/m);
    expect(markdown).toMatch(/^\| responder \| 1 \| 0 \| 0 \|/m);
    // What it waits for: the gate, its question and the reply to review (a PR comment has no terminal).
    expect(markdown).toContain('**Awaiting approval** (1 decision; the hint says how to give it):\n\n- gate `approved` of responder/reply (round 2): Send this reply?\n');
    expect(markdown).toContain('  <details><summary>the Reply it would publish</summary><pre>Dear customer,\n\nwe are sorry: the login crash is fixed in today\'s release.');
  });
});

describe('the newcomer\'s ticket-reply SOP and its test file, checked by `sop validate` before anything runs', () => {
  /** A test case whose answers name an action and a gate as the newcomer guessed them (the SOP's are `triage` and `approved`). */
  const GUESSED = `apiVersion: sop-test/v1
defaults:
  inputs: { ticket: "The app crashes on login" }
cases:
  - name: a high-priority ticket is answered
    answers:
      - { role: triager, action: triage_ticket, output: { ticket_id: login-crash, priority: high, summary: App crashes on login } }
      - { role: responder, action: reply, output: "Dear customer, it is fixed." }
      - { role: responder, action: reply, gate: approval, human: approve }
    expect:
      messages:
        - { type: Reply, count: 1 }
`;

  it('scripted answers naming an action or a gate the SOP lacks: warned of at the misnamed value, as `sop test` warns before running', async () => {
    const cwd = project({ 'triage.test.yaml': GUESSED });
    const result = noStack(await sop(['validate', 'triage.test.yaml'], { cwd }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('triage.test.yaml:7:34: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action `triage_ticket` of role `triager` (it has: `triage`)');
    expect(result.stdout).toContain('triage.test.yaml:9:49: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no human gate `approval` on action `reply` (did you mean `approved`?)');
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');

    // `sop test` says the same, at the same places.
    const tested = noStack(await sop(['test', 'triage.yaml'], { cwd }), JS_FRAME);
    expect(tested.stderr).toContain('triage.test.yaml:7:34: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action `triage_ticket` of role `triager` (it has: `triage`)');

    // Named as the SOP names them: nothing to warn of, and the case passes.
    const fixed = project({ 'triage.test.yaml': GUESSED.replace('triage_ticket', 'triage').replace('gate: approval', 'gate: approved') });
    const valid = noStack(await sop(['validate', 'triage.test.yaml'], { cwd: fixed }));
    expect(valid.code, valid.stdout).toBe(0);
    expect(valid.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 0 warnings');
    expect(noStack(await sop(['test', 'triage.yaml'], { cwd: fixed }), JS_FRAME).code).toBe(0);
  });

  it('the answers of a case\'s `script:` file: warned of in that file, at the misnamed value', async () => {
    const cwd = project({
      'answers.yaml': HIGH.replace('action: triage', 'action: triage_ticket'),
      'triage.test.yaml': 'apiVersion: sop-test/v1\ncases:\n  - name: scripted\n    inputs: { ticket: "The app crashes on login" }\n    script: answers.yaml\n',
    });
    const result = noStack(await sop(['validate', 'triage.test.yaml'], { cwd }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('answers.yaml:4:13: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action `triage_ticket` of role `triager` (it has: `triage`)');
  });

  it('a scripted answer\'s reply written `text:` (or `content:`, `response:`) is hinted `output:`, not "remove it"', async () => {
    for (const written of ['text', 'content', 'response']) {
      const cwd = project({ 'answers.yaml': HIGH.replace('    output: |', `    ${written}: |`) });
      const result = noStack(await sop(['validate', 'answers.yaml'], { cwd }));
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toContain(`error SCHEMA_UNKNOWN_FIELD: unknown field \`${written}\``);
      expect(result.stdout).toContain(`hint: a scripted answer's reply is its \`output\` (text, or the fields of a JSON output): rename \`${written}:\` to \`output:\``);
      // The rename hint alone: not also "the answer says nothing to answer" at the same answer.
      expect(result.stdout).not.toContain('says nothing to answer');
      expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
    }
    // The same in a test case's own answers.
    const cwd = project({ 'triage.test.yaml': 'apiVersion: sop-test/v1\ncases:\n  - name: scripted\n    inputs: { ticket: "The app crashes on login" }\n    answers: [{ role: triager, action: triage, text: "high" }]\n' });
    const result = noStack(await sop(['validate', 'triage.test.yaml'], { cwd }));
    expect(result.stdout).toContain('rename `text:` to `output:`');
    expect(result.stdout).not.toContain('says nothing to answer');
    // An answer with no reply at all is still told so.
    const empty = noStack(await sop(['validate', 'answers.yaml'], { cwd: project({ 'answers.yaml': 'apiVersion: sop-script/v1\nanswers:\n  - { role: triager, action: triage }\n' }) }));
    expect(empty.stdout).toContain('error SCHEMA_VIOLATION: the answer says nothing to answer');
  });

  it('`human: yes`, `true`, `ok` for a scripted decision: did you mean `approve`', async () => {
    for (const written of ['yes', 'true', 'ok']) {
      const cwd = project({ 'triage.test.yaml': GUESSED.replace('triage_ticket', 'triage').replace('gate: approval, human: approve', `gate: approved, human: ${written}`) });
      const result = noStack(await sop(['validate', 'triage.test.yaml'], { cwd }));
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toMatch(new RegExp(`triage\\.test\\.yaml:9:66: error SCHEMA_(ENUM|TYPE): .*\\n  expected: \`approve\` or \\{ reject \\} or \\{ edit \\}\\n  hint: did you mean \`approve\`\\?\\n`));
    }
  });

  it('`human: no`, `false`, `reject`, `rejected` for a scripted decision: the hint writes the rejection with its feedback, and following it is valid', async () => {
    const decided = (human: string): string => GUESSED.replace('triage_ticket', 'triage').replace('gate: approval, human: approve', `gate: approved, human: ${human}`);
    for (const written of ['no', 'false', 'reject', 'rejected']) {
      const cwd = project({ 'triage.test.yaml': decided(written) });
      const result = noStack(await sop(['validate', 'triage.test.yaml'], { cwd }));
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toMatch(new RegExp(`triage\\.test\\.yaml:9:66: error SCHEMA_(ENUM|TYPE): .*\\n  expected: \`approve\` or \\{ reject \\} or \\{ edit \\}\\n`));
      const named = written === 'reject' ? '`reject` is' : `\`${written}\` reads as \`reject\`,`;
      expect(result.stdout).toContain(`  hint: ${named} a field of the mapping form here: write \`human: { reject: "what to change" }\` (see docs/testing.md)\n`);
    }
    const fixed = project({ 'triage.test.yaml': decided('{ reject: "what to change" }') });
    const valid = noStack(await sop(['validate', 'triage.test.yaml'], { cwd: fixed }));
    expect(valid.code, valid.stdout).toBe(0);
  });

  it('fields named as a newcomer guesses them (`stop_on`, `when: { message, condition }`, `human: { question }`, `to:` under `on_fail`): the name meant, not "remove it"', async () => {
    const guessed = TRIAGE.replace('stop_when:', 'stop_on:')
      .replace('when: { type: Triage, if:', 'when: { message: Triage, condition:')
      .replace('human: { prompt: "Send this reply?" }', 'human: { question: "Send this reply?" }\n            on_fail: { revise: 2, route: Triage, to: triager }');
    const cwd = project();
    writeFileSync(path.join(cwd, 'triage.yaml'), guessed);
    const result = noStack(await sop(['validate', 'triage.yaml'], { cwd }));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).not.toContain('remove it');
    expect(result.stdout).toContain('triage.yaml:38:17: error SCHEMA_UNKNOWN_FIELD: unknown field `message`\n  expected: one of: batch, if, type\n  hint: a message is named by its type with `type:` here: rename `message:` to `type:`');
    expect(result.stdout).toContain('triage.yaml:38:34: error SCHEMA_UNKNOWN_FIELD: unknown field `condition`\n  expected: one of: batch, if, type\n  hint: a condition (a CEL expression) is written `if:` here: rename `condition:` to `if:`');
    expect(result.stdout).toContain('triage.yaml:43:22: error SCHEMA_UNKNOWN_FIELD: unknown field `question`\n  expected: one of: enabled, prompt\n  hint: what a human gate asks the reviewer is its `prompt`: rename `question:` to `prompt:`');
    expect(result.stdout).toContain(
      'triage.yaml:44:50: error SCHEMA_UNKNOWN_FIELD: unknown field `to`\n  expected: one of: revise, route, then\n' +
        '  hint: `to` names who takes the work over in the escalation after the revisions: write `on_fail: { revise: 2, then: { route: Triage, to: triager } }`',
    );
    expect(result.stdout).toMatch(/triage\.yaml:45:1: error SCHEMA_UNKNOWN_FIELD: unknown field `stop_on`\n {2}expected: .*\n {2}hint: the messages that end the run are its `stop_when` here: rename `stop_on:` to `stop_when:`/);
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 5 errors');

    // Following each hint keeps the stop condition, the filter, the question and the escalation: a valid SOP.
    writeFileSync(path.join(cwd, 'triage.yaml'), guessed.replace('stop_on:', 'stop_when:').replace('message: Triage, condition:', 'type: Triage, if:')
      .replace('question:', 'prompt:').replace('on_fail: { revise: 2, route: Triage, to: triager }', 'on_fail: { revise: 2, then: { route: Triage, to: triager } }'));
    const valid = noStack(await sop(['validate', 'triage.yaml'], { cwd }));
    expect(valid.code, valid.stdout).toBe(0);
    expect(valid.stdout).toContain('1 valid');
  });
});
