import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A test file's message `where` reading a payload field its type's closed schema does not allow
 * (`payload.sevrity`) fails every case whatever the run does ("No such key"), found only after the
 * run: `sop validate` and `sop test` name it before any case runs, located, with the fields
 * declared there and the nearest.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: postmortem, version: 1.0.0 }
inputs:
  incident: { description: what happened }
messages:
  Incident: { description: the incident }
  PostMortem:
    schema:
      type: object
      additionalProperties: false
      required: [title, severity]
      properties:
        title: { type: string }
        severity: { enum: [sev1, sev2] }
        action_items: { type: array, items: { type: string } }
start: [{ type: Incident, content: "{{ inputs.incident }}" }]
roles:
  writer:
    profile: Post-mortem writer
    watch: [Incident]
    actions:
      - id: write
        prompt: "Write a post-mortem of: {{ message.content }}"
        output: { type: PostMortem, format: json }
stop_when: { type: PostMortem }
`;

const TEST_FILE = `apiVersion: sop-test/v1
sop: postmortem.yaml
cases:
  - name: writes the post-mortem
    inputs: { incident: the database failed over slowly }
    answers:
      - { role: writer, action: write, output: { title: DB failover, severity: sev2, action_items: [tune checks] } }
    expect:
      messages:
        - { type: PostMortem, where: "payload.severity == 'sev2'" }
`;

function project(testFile: string): string {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'postmortem.yaml'), SOP);
  writeFileSync(path.join(cwd, 'postmortem.test.yaml'), testFile);
  return cwd;
}

const MISSPELT = `postmortem.test.yaml:10:39: error EXPRESSION_VARIABLE_UNKNOWN: \`payload.sevrity\`: the payload of \`PostMortem\` has no field \`sevrity\` (its schema allows no other fields)
  expected: fields declared there: action_items, severity, title
  hint: did you mean \`severity\`?`;

describe('a test file\'s `where` reading a field its message type does not have', () => {
  it('passes as written (the field is declared)', async () => {
    const result = await sop(['test', 'postmortem.test.yaml'], { cwd: project(TEST_FILE) });
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('`sop validate` names the misspelt field where it is written, with the nearest: exit 2, as `sop test` refuses it', async () => {
    const result = await sop(['validate', 'postmortem.test.yaml'], { cwd: project(TEST_FILE.replace('payload.severity', 'payload.sevrity')) });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(MISSPELT);
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  });

  it('`sop test` refuses the file before any case runs (TEST_INVALID, exit 2), with the same message', async () => {
    const result = await sop(['test', 'postmortem.test.yaml'], { cwd: project(TEST_FILE.replace('payload.severity', 'payload.sevrity')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(MISSPELT);
    // No case ran: no case line, no kept run record.
    expect(result.stdout + result.stderr).not.toContain('writes the post-mortem');
    expect(result.stdout + result.stderr).not.toContain('run record kept');
  });

  it('`message.payload.x` too, on the line of a block scalar where it is written', async () => {
    const broken = TEST_FILE.replace(`        - { type: PostMortem, where: "payload.severity == 'sev2'" }\n`, `        - type: PostMortem\n          where: >-\n            message.payload.severity == 'sev2' &&\n            size(message.payload.action_item) == 1\n`);
    const result = await sop(['validate', 'postmortem.test.yaml'], { cwd: project(broken) });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('postmortem.test.yaml:13:18: error EXPRESSION_VARIABLE_UNKNOWN: `message.payload.action_item`: the payload of `PostMortem` has no field `action_item`');
    expect(result.stdout).toContain('hint: did you mean `action_items`?');
  });
});

describe('a test file\'s expectation naming what the SOP does not have', () => {
  it('`sop validate` warns of it at the name, with the nearest, as `sop test` does before its cases: exit 0', async () => {
    const misnamed = TEST_FILE.replace("- { type: PostMortem, where: \"payload.severity == 'sev2'\" }", '- { type: PostMortem }\n      not_ran: [{ role: writter }]');
    const result = await sop(['validate', 'postmortem.test.yaml'], { cwd: project(misnamed) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('postmortem.test.yaml:11:25: warning EXPECT_UNMATCHABLE: expect.not_ran[0] can match nothing: the SOP has no role `writter` (did you mean `writer`?)');
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 1 warning');
  });
});
