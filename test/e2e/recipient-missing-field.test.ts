import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * A dynamic `to` (`to: "{{ payload.team }}"`) over a JSON answer without `team`: the answer says
 * nothing about whom it goes to, so it is re-asked like one that breaks its schema, within
 * `output.max_attempts`, and the run fails only once every attempt lacked it, at the `to`'s place
 * in the SOP (OUTPUT_INVALID, exit 9), not with TEMPLATE_RENDER at the first answer.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: router, version: 1.0.0, requires: ">=0.2" }
messages:
  Ticket: { description: A ticket }
  Triage:
    description: Whom the ticket goes to
    schema:
      type: object
      properties:
        team: { type: string, enum: [billing, tech] }
        note: { type: string }
      required: [note]
  Answer: { description: The answer }
start:
  - { type: Ticket, content: "{{ inputs.idea }}" }
stop_when: { type: Answer }
roles:
  triage:
    profile: Triage
    goal: Route tickets
    watch: [Ticket]
    actions:
      - id: route
        prompt: "Route {{ message.content }}"
        output: { type: Triage, format: json, to: "{{ payload.team }}" }
  billing:
    profile: Billing
    goal: Answer billing tickets
    watch: [Triage]
    actions:
      - { id: answer_billing, prompt: "Answer {{ message.content }}", output: { type: Answer } }
  tech:
    profile: Tech
    goal: Answer technical tickets
    watch: [Triage]
    actions:
      - { id: answer_tech, prompt: "Answer {{ message.content }}", output: { type: Answer } }
`;

/** A project folder with the SOP and a script of these answers. */
function projectWith(answers: string[]): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'router.sop.yaml'), SOP);
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n${answers.map((answer) => `  - ${answer}\n`).join('')}`);
  return cwd;
}

const RUN = ['run', 'router.sop.yaml', 'my invoice is wrong', '--model', 'script:answers.yaml', '--workspace', 'out'];

describe.concurrent('a dynamic `to` reading a field the answer lacks', () => {
  it('is asked again with the field named; the answer that has it goes to the role it names', async () => {
    const cwd = projectWith([
      '{ role: triage, action: route, output: { note: "about money" } }',
      '{ role: triage, action: route, reask: { note: "about money", team: billing } }',
    ]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('[round 1] triage route: invalid output, asking again (attempt 1 of 3)');
    expect(result.stderr).toContain('[round 2] billing answer_billing ... done');
    const { events, report } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'output-invalid').map((event) => event.errors)).toEqual([
      ['`team` is missing: the message is addressed to the role that `payload.team` names (`to: {{ payload.team }}`)'],
    ]);
    expect(events.find((event) => event.type === 'message-published' && event.message.type === 'Triage')?.message).toMatchObject({ to: 'billing' });
    expect(report.status).toBe('completed');
    expect(report.usage.byAction.route).toMatchObject({ calls: 2, reasks: 1 });
  });

  it('fails the run once every attempt lacks it: one message at the `to` naming role, action and field (exit 9)', async () => {
    const cwd = projectWith([
      '{ role: triage, action: route, output: { note: "about money" } }',
      '{ role: triage, action: route, reask: { note: "still no team" } }',
    ]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain(
      'router.sop.yaml:26:55: error OUTPUT_INVALID: role triage, action route: the output cannot be addressed after 3 attempts: ' +
        '`to: {{ payload.team }}` reads `payload.team`, and the output has no field `team`\n' +
        '  hint: list `team` under `required` in the schema of message type Triage (the model is then asked for it up front), ' +
        'or let the template fall back to a role when it is absent\n',
    );
    expect(result.stderr.match(/error /g)).toHaveLength(1);
    expect(result.stderr).not.toContain('TEMPLATE_RENDER');
    const { report } = lastRun(cwd);
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'OUTPUT_INVALID' });
    expect(report.usage.byAction.route).toMatchObject({ calls: 3, reasks: 2 });
  });
});
