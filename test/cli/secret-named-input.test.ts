import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/** An input named like a secret (`api_key`) is kept out of the run's record, as a configured key is. */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: keyed, version: 1.0.0 }
inputs:
  topic: { description: the topic }
  api_key: { description: a key a tool may need, default: "" }
messages:
  Topic: { description: the topic }
  Draft: { description: a draft }
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
roles:
  writer: { profile: Writer, watch: [Topic], actions: [{ id: write, prompt: "Write about {{ message.content }}", output: { type: Draft } }] }
stop_when: { type: Draft }
`;

describe('an input named like a secret', () => {
  it('is masked in journal.jsonl, report.html and the output', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'keyed.yaml'), SOP);
    const secret = 'sk-VERY-SECRET-123456';
    const run = await sop(['run', 'keyed.yaml', '--input', 'topic=rust', '--input', `api_key=${secret}`, '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId;
    const runDir = path.join(cwd, '.sop', 'runs', runId);
    for (const file of ['journal.jsonl', 'report.html']) expect(readFileSync(path.join(runDir, file), 'utf8'), file).not.toContain(secret);
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  });
});
