import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, binPath, removeTempDirs, sop, tempDir } from './run-cli.js';

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
    expect(again.stderr).toContain(`hint: start a new run with \`sop run blog.yaml --input topic='Rust'\\''s lifetimes' --input style=chatty --input api_key=...\``);
    expect(again.stderr).not.toContain(secret);
  });

  it('keeps a workspace of its own (--workspace), and leaves the default one out', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), SOP);
    const own = await sop(['run', 'blog.yaml', '--input', 'topic=owls', '--workspace', 'drafts/owls', '--json'], { cwd });
    expect(own.code, own.stderr).toBe(0);
    const ownAgain = await sop(['resume', (JSON.parse(own.stdout) as { result: { runId: string } }).result.runId], { cwd });
    expect(ownAgain.stderr).toContain('hint: start a new run with `sop run blog.yaml --input topic=owls --workspace drafts/owls`');
    const plain = await sop(['run', 'blog.yaml', '--input', 'topic=owls', '--json'], { cwd });
    const plainAgain = await sop(['resume', (JSON.parse(plain.stdout) as { result: { runId: string } }).result.runId], { cwd });
    expect(plainAgain.stderr).toContain('hint: start a new run with `sop run blog.yaml --input topic=owls`\n');
  });

  it('keeps the model flags the run was started with (--model script:FILE, --no-cache), so the new run calls the same models', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), SOP);
    writeFileSync(path.join(cwd, 'my answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write, output: "a scripted draft" }\n');
    const run = await sop(['run', 'blog.yaml', '--input', 'topic=owls', '--model', 'script:my answers.yaml', '--no-cache', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const again = await sop(['resume', (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("hint: start a new run with `sop run blog.yaml --input topic=owls --model 'script:my answers.yaml' --no-cache`\n");
    const plain = await sop(['run', 'blog.yaml', '--input', 'topic=owls', '--model', 'offline', '--json'], { cwd });
    const plainAgain = await sop(['resume', (JSON.parse(plain.stdout) as { result: { runId: string } }).result.runId], { cwd });
    expect(plainAgain.stderr).toContain('hint: start a new run with `sop run blog.yaml --input topic=owls --model offline`\n');
  });

  it('gives a file input as the file the user named, and the hinted command runs', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'notes.yaml'), SOP.replace('metadata: { name: blog, version: 1.0.0 }', 'metadata: { name: notes, version: 1.0.0, requires: ">=0.2" }')
      .replace('inputs:\n', 'inputs:\n  notes: { type: file, description: the notes the post starts from }\n')
      .replace('{{ inputs.topic }} for', '{{ inputs.topic }} from {{ inputs.notes }} for'));
    mkdirSync(path.join(cwd, 'data'));
    writeFileSync(path.join(cwd, 'data', 'my notes.txt'), 'the notes\n');
    const run = await sop(['run', 'notes.yaml', '--input', 'topic=tests', '--input', 'notes=@data/my notes.txt', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId;

    const again = await sop(['resume', runId], { cwd });
    expect(again.code).toBe(2);
    // Not `--input notes='my notes.txt'`, its copy in the workspace, which `sop run` looks for in the working folder.
    const hinted = /start a new run with `(sop run [^`]+)`/.exec(again.stderr)?.[1];
    expect(hinted).toBe("sop run notes.yaml --input notes='@data/my notes.txt' --input topic=tests");
    // Pasted into a shell as it is, `sop` being this build.
    const env = { ...process.env, NODE_ENV: 'production', VITEST: undefined, VITEST_WORKER_ID: undefined };
    const rerun = spawnSync('sh', ['-c', `"$NODE" "$SOP_BIN" ${(hinted as string).replace(/^sop /, '')}`], { cwd, env: { ...env, NODE: process.execPath, SOP_BIN: binPath }, encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
  });
});
