import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A `where` on a JSON output's enum (`payload.level == 'critical'`) that no message met failed with
 * "0 Severity message(s) where ..., expected 1 (1 before `where`)": the level the run gave was not
 * said, and finding it meant opening the run's record. Now the payload `where` left out is shown.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: bug-sorter, version: 0.1.0 }
inputs:
  report: { type: string }
messages:
  Report: {}
  Severity:
    schema:
      type: object
      additionalProperties: false
      required: [level]
      properties:
        level: { type: string, enum: [low, critical] }
start: [{ type: Report, content: "{{ inputs.report }}" }]
stop_when: { type: Severity }
roles:
  triager:
    profile: Bug triager
    watch: [Report]
    actions:
      - id: rate
        prompt: "Rate: {{ message.content }}"
        output: { type: Severity, format: json }
`;

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: triager, action: rate, output: { level: low } }
`;

const DATASET = `apiVersion: sop-eval/v1
cases:
  - name: login crash
    inputs: { report: "App crashes on login" }
    expect:
      messages: [{ type: Severity, count: 1, where: "payload.level == 'critical'" }]
`;

describe('sop eval: a `where` no message met says what the message carried', () => {
  it('the failure line and the JUnit failure name the payload `where` left out', async () => {
    const dir = tempDir('sop-eval-where-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    writeFileSync(path.join(dir, 'answers.yaml'), SCRIPT);
    writeFileSync(path.join(dir, 'cases.yaml'), DATASET);
    const result = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--junit', 'junit.xml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      "  cases.yaml:6:43: expect.messages[0]: 0 Severity message(s) where payload.level == 'critical', expected 1 (1 before `where`, payload {\"level\":\"low\"}) (messages published: Report 1, Severity 1)",
    );
    const junit = (await import('node:fs')).readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('expected 1 (1 before `where`, payload {&quot;level&quot;:&quot;low&quot;})');
  });
});
