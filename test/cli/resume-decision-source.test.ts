import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: dep-review, version: 0.1.0 }
messages:
  Request: { description: the manifest }
  Inventory:
    schema: { type: object, additionalProperties: false, required: [packages], properties: { packages: { type: array, items: { type: string } } } }
  Review: { description: one package's verdict }
start: [{ type: Request, content: "{{ inputs.idea }}" }]
roles:
  analyst:
    profile: Analyst
    watch: [Request]
    actions:
      - { id: inventory, prompt: "List the packages of {{ message.content }}", output: { type: Inventory, format: json } }
  reviewer:
    profile: Reviewer
    watch: [Inventory]
    actions:
      - id: review
        foreach: message.payload.packages
        prompt: "Review the upgrade of {{ item }}"
        output: { type: Review }
        gates: [{ name: lead-approval, human: { prompt: "Upgrade {{ item }}?" } }]
stop_when: { type: Review }
`;

/** The script decides lodash's gate; express's is left to a person, so the run pauses. */
const ANSWERS = `apiVersion: sop-script/v1
answers:
  - { role: analyst, action: inventory, output: { packages: [lodash, express] } }
  - { role: reviewer, action: review, output: "upgrade" }
  - { role: reviewer, action: review, item: lodash, human: approve }
`;

describe('sop resume of a round with decisions given before it stopped', () => {
  // Was: `review #0: gate lead-approval: approve (given to sop resume)` for the script's decision,
  // read back from the journal when the round ran again, as if the person resuming had given it.
  it('says each decision as who gave it: the script\'s without "(given to sop resume)", the resume\'s with it', async () => {
    const cwd = tempDir('sop-decision-source-');
    writeFileSync(path.join(cwd, 'review.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), ANSWERS);
    const paused = await sop(['run', 'review.yaml', 'package.json', '--model', 'script:answers.yaml', '--ci'], { cwd });
    expect(paused.code, paused.stderr).toBe(8);
    expect(paused.stderr).toContain('[round 2] reviewer review #0: gate lead-approval: approve\n');
    const runId = /^run (\S+):/m.exec(paused.stderr)?.[1] as string;

    const resumed = await sop(['resume', runId, '--approve', '--ci'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('[round 2] reviewer review #0: gate lead-approval: approve\n');
    expect(resumed.stderr).toContain('[round 2] reviewer review #1: gate lead-approval: approve (given to sop resume)\n');
    expect(resumed.stderr).not.toMatch(STACK_LINE);
  });
});
