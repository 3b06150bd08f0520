import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A field read from the payload of a message that only a `format: markdown` answer publishes:
 * such a payload is `{artifacts, language, item}`, so the read failed the run (EXPRESSION_EVAL, exit 9) once the work before it was done and paid
 * for, while `sop validate` said the SOP was valid.
 */
function sopFile(stopWhen: string, replyPrompt = 'Reply to {{ message.content }}'): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: desk, version: 0.1.0 }
messages:
  Ticket: { description: the ticket as given }
  Reply: { description: the reply in Markdown }
start: [{ type: Ticket, content: "{{ inputs.idea }}" }]
roles:
  agent:
    profile: Support agent
    watch: [Ticket]
    actions:
      - id: reply
        prompt: "${replyPrompt}"
        output: { type: Reply, format: markdown }
        artifacts: [{ path: reply.md }]
stop_when: ${stopWhen}
`;
}

function write(text: string): string {
  const dir = tempDir('sop-text-payload-');
  writeFileSync(path.join(dir, 'sop.yaml'), text);
  return dir;
}

describe('sop validate: payload fields a markdown answer does not have', () => {
  it('refuses `payload.ok` of a markdown answer in stop_when, at the field, saying what the payload holds', async () => {
    const cwd = write(sopFile('{ type: Reply, if: payload.ok }'));
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('sop.yaml:17:31: error EXPRESSION_VARIABLE_UNKNOWN: `payload.ok`: `Reply` is published only by text outputs (action `reply`), whose payload holds');
    expect(result.stdout).toContain('hint: read the text as `message.content` (`output` in the action\'s own gates), or make the output `format: json` with a `schema` on `Reply` that declares `ok`');
    // And the run it spares: the same SOP ran the model, then failed at the condition.
    const run = await sop(['run', 'sop.yaml', 'my printer is on fire', '--no-cache'], { cwd });
    expect(run.code).toBe(3);
  });

  it('takes the fields a text answer\'s payload has (`payload.artifacts`)', async () => {
    const cwd = write(sopFile('{ type: Reply, if: "size(payload.artifacts) > 0" }'));
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.stdout).toContain('sop.yaml: valid');
    expect(result.code, result.stdout).toBe(0);
    const run = await sop(['run', 'sop.yaml', 'my printer is on fire', '--no-cache'], { cwd });
    expect(run.code, run.stderr).toBe(0);
  });
});
