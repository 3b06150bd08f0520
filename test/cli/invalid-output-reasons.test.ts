import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A reply that breaks its output's schema is asked again; the progress line says why, under it, as
 * a failed gate's does (it said only "invalid output, asking again", the reason was in the journal).
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: verdicts, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Verdict:
    schema:
      type: object
      required: [approved]
      properties: { approved: { type: boolean } }
stop_when: { type: Verdict }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  judge:
    profile: Judge
    watch: [Idea]
    actions:
      - id: decide
        prompt: "Decide on {{ message.content }}"
        output: { type: Verdict, format: json }
`;

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: judge, action: decide, output: { approved: "yes" } }
  - { role: judge, action: decide, reask: { approved: true } }
`;

describe('an invalid output asked again', () => {
  it('prints what was wrong with it under the re-ask line', async () => {
    const cwd = tempDir('sop-invalid-output-');
    writeFileSync(path.join(cwd, 'verdicts.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
    const result = await sop(['run', 'verdicts.yaml', 'tides', '--model', 'script:answers.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('[round 1] judge decide: invalid output, asking again (attempt 1 of 3)\n    /approved: must be boolean\n');
  });
});
