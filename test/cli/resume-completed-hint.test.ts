import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/** `sop resume` of a completed run hints the whole `sop run` command that runs it again, inputs included. */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 1.0.0 }
inputs:
  topic: { description: what the post is about }
  audience: { description: who reads it, default: developers }
  style: { description: the tone, default: plain }
  api_key: { description: a key the writer may need, default: "" }
messages:
  Topic: { description: the topic }
  Draft: { description: a draft }
start: [{ type: Topic, content: "{{ inputs.topic }} for {{ inputs.audience }} in {{ inputs.style }}" }]
roles:
  writer: { profile: Writer, watch: [Topic], actions: [{ id: write, prompt: "Write about {{ message.content }}", output: { type: Draft } }] }
stop_when: { type: Draft }
`;

describe('sop resume of a completed run', () => {
  it('hints sop run with the inputs the run was given, a secret as a placeholder, a default left out', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), SOP);
    const secret = 'sk-secret-123456789';
    const run = await sop(['run', 'blog.yaml', '--input', "topic=Rust's lifetimes", '--input', 'style=chatty', '--input', `api_key=${secret}`, '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId;

    const again = await sop(['resume', runId], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).not.toMatch(STACK_LINE);
    expect(again.stderr).toContain(`error RUN_NOT_RESUMABLE: run ${runId} already completed: there is nothing to resume`);
    expect(again.stderr).toContain(`hint: start a new run with \`sop run blog.yaml --input 'topic=Rust'\\''s lifetimes' --input style=chatty --input api_key=...\``);
    expect(again.stderr).not.toContain(secret);
  });
});
