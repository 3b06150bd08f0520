import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { TEST_KEY, lastRun, project, run } from './providers-helpers.js';

/** Two calls of one model: a writer's note, then a reviewer's reply to it. */
const TWO_CALLS = `apiVersion: sop/v1
kind: SOP
metadata: { name: note, version: 0.1.0 }
messages:
  Idea: {}
  Note: {}
  Review: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Review }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write a note about {{ message.content }}", output: { type: Note, format: markdown } }
  reviewer:
    profile: Reviewer
    watch: [Note]
    actions:
      - { id: review, prompt: "Review this note: {{ message.content }}", output: { type: Review, format: markdown } }
`;

describe('what the Anthropic SDK would print itself', () => {
  // The SDK lists claude-sonnet-4-5 as deprecated and console.warns two lines on each call of it.
  it("a deprecated model is warned of once, as a sop warning after the progress lines, not by the SDK on every call", async (context) => {
    const server = await startFakeAnthropic();
    context.onTestFinished(() => server.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), TWO_CALLS);
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'anthropic:claude-sonnet-4-5'], { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    const lines = result.stderr.split('\n');
    const deprecation = lines.filter((line) => line.includes("The model 'claude-sonnet-4-5' is deprecated"));
    expect(deprecation).toEqual([expect.stringMatching(new RegExp(`^warning: anthropic ${server.url}: The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on .+ Please migrate to a newer model\\.`))]);
    expect(lines.filter((line) => line.startsWith('Please migrate'))).toEqual([]);
    const lastProgress = lines.findLastIndex((line) => line.startsWith('[round '));
    expect(lines.indexOf(deprecation[0] as string)).toBeGreaterThan(lastProgress);
  });

  it('ANTHROPIC_LOG=debug in the environment: `sop run --json` prints only its envelope on stdout, no SDK request logs', async (context) => {
    const server = await startFakeAnthropic();
    context.onTestFinished(() => server.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), TWO_CALLS);
    const env = { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_LOG: 'debug' };
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'anthropic:claude-haiku-4-5', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, result: { status: 'completed' } });
    expect(result.stdout + result.stderr).not.toContain('sending request');
  });

  it('sop resume warns of it too, once, after its progress lines', async (context) => {
    const server = await startFakeAnthropic();
    context.onTestFinished(() => server.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), TWO_CALLS);
    const env = { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url };
    // One round: the writer's call; the resume makes the reviewer's.
    await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'anthropic:claude-sonnet-4-5', '--n-round', '1'], env);
    const runId = path.basename(lastRun(cwd).dir);
    const resumed = await run(cwd, ['resume', runId, '--n-round', '2'], env);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    const lines = resumed.stderr.split('\n');
    const deprecation = lines.filter((line) => line.includes("The model 'claude-sonnet-4-5' is deprecated"));
    expect(deprecation).toHaveLength(1);
    expect(deprecation[0]).toMatch(/^warning: anthropic /);
    expect(lines.indexOf(deprecation[0] as string)).toBeGreaterThan(lines.findLastIndex((line) => line.startsWith('[round ')));
  });
});
