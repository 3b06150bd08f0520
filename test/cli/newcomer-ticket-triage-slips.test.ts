import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A newcomer's support-ticket triage SOP, written from the README alone: a triager classifying the
 * ticket (an input, `ticket`, that is also the positional argument), a responder replying to the
 * urgent ones behind an escalation. Each test breaks it the way the newcomer did, and pins that the
 * message names the mistake and the fix.
 */
afterAll(removeTempDirs);

const TRIAGE = `apiVersion: sop/v1
kind: SOP
metadata: { name: ticket-triage, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  ticket: { type: string, description: the support ticket text, aliases: [idea] }
messages:
  Ticket: { description: an incoming support ticket }
  Triage:
    schema:
      type: object
      additionalProperties: false
      required: [priority, summary]
      properties:
        priority: { type: string, enum: [low, urgent] }
        summary: { type: string }
  Escalation: { description: a triage a senior must redo }
  Reply: { description: a reply to an urgent ticket }
start: [{ type: Ticket, content: "{{ inputs.ticket }}" }]
roles:
  triager:
    profile: Support triager
    watch: [Ticket]
    actions:
      - id: triage
        prompt: "Triage this ticket: {{ message.content }}"
        output: { type: Triage, format: json }
        gates:
          - name: has-summary
            assert: "payload.summary != ''"
            on_fail: { revise: 1, then: { route: Escalation, to: responder } }
  responder:
    profile: Support engineer
    watch: [Triage, Escalation]
    actions:
      - id: reply
        when: { type: [Triage, Escalation], if: "message.type == 'Escalation' || payload.priority == 'urgent'" }
        prompt: "Write a reply about: {{ message.content }}"
        output: { type: Reply, format: markdown }
stop_when:
  - { type: Reply }
  - { type: Triage, if: "payload.priority != 'urgent'" }
`;

/** The SOP with `from` replaced once; a `from` it lacks fails the test, not the SOP. */
function edited(from: string, to: string): string {
  expect(TRIAGE).toContain(from);
  return TRIAGE.replace(from, to);
}

async function cli(args: string[], sopText: string): Promise<CliResult> {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'triage.yaml'), sopText);
  const result = await sop(args, { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

const validate = (sopText: string): Promise<CliResult> => cli(['validate', 'triage.yaml'], sopText);

describe('a newcomer\'s ticket-triage SOP', () => {
  it('is valid as written', async () => {
    const result = await validate(TRIAGE);
    expect(result.code, result.stdout).toBe(0);
  });

  it('`actions:` dedented to the role ids\' level: one error at that line, naming the role to indent it under and by how much', async () => {
    const result = await validate(edited('    watch: [Ticket]\n    actions:', '    watch: [Ticket]\n  actions:'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:23:3: error SCHEMA_MISSING_FIELD: `actions:` lines up with the role ids, so it is read as a role named `actions`, and role `triager` above it has no `actions`\n'
      + '  expected: `actions:` inside role `triager`, at column 5 as its `watch:` on line 22\n'
      + '  hint: indent `actions:` under role `triager`: move it and the lines under it 2 spaces right\n');
    // Not the two errors that followed from it: "missing `actions`" at the profile, "expected a mapping, got a list".
    expect(result.stdout).not.toContain('expected a mapping');
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('inputs written as a list of named entries (as CrewAI and GitHub Actions list them): the hint writes the mapping keyed by the name, and following it gives a valid SOP', async () => {
    const result = await validate(edited('  ticket: { type: string, description: the support ticket text, aliases: [idea] }', '  - { name: ticket, type: string, description: "the support ticket: its text", aliases: [idea] }'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:5:3: error SCHEMA_TYPE: expected a mapping, got a list\n'
      + '  expected: a mapping\n'
      + '  hint: write it as a mapping keyed by each entry\'s `name`: `ticket: { type: string, description: "the support ticket: its text", aliases: ... }`\n');
    const followed = await validate(edited('  ticket: { type: string, description: the support ticket text, aliases: [idea] }', '  ticket: { type: string, description: "the support ticket: its text", aliases: [idea] }'));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`{{ ticket }}` in a prompt, `ticket` a declared input: the hint writes `inputs.ticket`', async () => {
    const result = await validate(edited('Triage this ticket: {{ message.content }}', 'Triage this ticket: {{ ticket }}'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error TEMPLATE_VARIABLE_UNKNOWN: unknown variable `ticket` in a prompt\n');
    expect(result.stdout).toContain('  hint: `ticket` is an input of this SOP: write `inputs.ticket`\n');
  });

  it('`ticket` in a `when.if` condition: the same hint, for CEL', async () => {
    const result = await validate(edited('if: "message.type == \'Escalation\' || payload.priority == \'urgent\'"', 'if: "ticket != \'\'"'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error EXPRESSION_VARIABLE_UNKNOWN: unknown variable `ticket` in `when.if`');
    expect(result.stdout).toContain('  hint: `ticket` is an input of this SOP: write `inputs.ticket`\n');
  });

  it('`then: { to: reply }` naming an action: the hint names the role whose action it is, as `route: reply` does for a type', async () => {
    const result = await validate(edited('then: { route: Escalation, to: responder }', 'then: { route: Escalation, to: reply }'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error ADDRESS_UNKNOWN: `to: reply` names no role\n  expected: a role id: responder, triager\n'
      + '  hint: `reply` is an action (of role `responder`), not a role: write `to: responder`, the role that does it\n');
  });

  it('`to:` naming no role on the only way to the responder: the error at each `to:`, and the responder\'s warning says where `Triage` goes, not that its emitter is never reached', async () => {
    const result = await validate(edited('output: { type: Triage, format: json }', 'output: { type: Triage, format: json, to: support }')
      .replace('then: { route: Escalation, to: responder }', 'then: { route: Escalation, to: support }'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:26:51: error ADDRESS_UNKNOWN: `to: support` names no role\n');
    expect(result.stdout).toContain('triage.yaml:30:66: error ADDRESS_UNKNOWN: `to: support` names no role\n');
    expect(result.stdout).toContain('triage.yaml:31:3: warning ROLE_UNREACHABLE: role `responder` never acts: `Triage` is addressed elsewhere (`to: support`, which names no role), and no message is addressed to it\n'
      + '  expected: a watched type that a start message, another role\'s action or a gate route emits\n'
      + '  hint: address `Triage` to `responder` (or remove its `to` to deliver it by type), or remove the role\n');
    expect(result.stdout).not.toContain('never reached');
  });

  it('`stop_on:` for `stop_when:`: the rename hinted, and no warning that `Reply` is watched by no role (it ends the run once renamed)', async () => {
    const result = await validate(edited('stop_when:', 'stop_on:'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('  hint: the messages that end the run are its `stop_when` here: rename `stop_on:` to `stop_when:`\n');
    expect(result.stdout).not.toContain('MESSAGE_UNWATCHED');
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('`sop run` without the ticket: the hint gives the command with this SOP file and the input\'s two forms', async () => {
    const result = await cli(['run', 'triage.yaml', '--model', 'offline'], TRIAGE);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: input "ticket" (string) is required: the support ticket text\n'
      + '  hint: give it as the argument after the SOP file: sop run triage.yaml "the ticket" (or as --input ticket=<string>)\n');
  });

  it('an input without the `idea` alias: the hint gives the flag, in the command with this SOP file', async () => {
    const result = await cli(['run', 'triage.yaml', '--model', 'offline'], edited(', aliases: [idea]', ''));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('  hint: pass it as a flag: sop run triage.yaml --input ticket=<string>\n');
  });
});
