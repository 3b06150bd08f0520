import { describe, expect, it } from 'vitest';
import { ProgressPrinter } from '../../src/cli/progress.js';
import { createRedactor } from '../../src/providers/redact.js';
import type { RunEvent } from '../../src/runtime/index.js';

/** A stderr stand-in that records what was written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    text: '',
    isTTY,
    columns: 200,
    write(chunk: string): boolean {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

const time = '2026-01-01T00:00:00.000Z';
const SECRET = 'sk-test-SECRET-123456';
const where = { round: 1, role: 'architect', action: 'write_design' };
const events: RunEvent[] = [
  {
    type: 'run-start', time, runId: 'r1', sop: 'demo', version: '1.0.0', file: 'demo.yaml', workspace: 'ws', model: 'openai:gpt-4o-mini', offline: false, inputs: {},
    models: [{ key: 'openai:gpt-4o-mini', endpoint: `https://proxy.example/v1?key=${SECRET}` }, { key: 'ollama:llama3.2', endpoint: 'http://127.0.0.1:11434' }],
  },
  { type: 'round-start', time, round: 1, roles: ['architect'] },
  { type: 'action-start', time, ...where, message: 'm0001' },
  { type: 'llm-call-start', time, ...where, purpose: 'action', model: 'openai:gpt-4o-mini', attempt: 1 },
  { type: 'llm-call-retry', time, ...where, attempt: 1, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 1500, endpoint: 'openai https://api.openai.com/v1' },
  { type: 'breaker-open', time, ...where, endpoint: 'openai https://api.openai.com/v1' },
  { type: 'output-repaired', time, ...where, message: 'm0001', attempt: 1, repairs: ['code fence', 'trailing comma'], raw: '```json\n{"a": 1,}\n```', rawLength: 20, repairedLength: 10 },
  { type: 'llm-call-end', time, ...where, purpose: 'action', model: 'openai:gpt-4o-mini', promptTokens: 1000, completionTokens: 200, estimated: false, costUsd: 0.0003, durationMs: 3 },
  { type: 'action-end', time, ...where, message: 'm0001', outcome: 'published', durationMs: 20 },
  { type: 'run-end', time, status: 'budget_exhausted', exitCode: 6, rounds: 1, costUsd: 0.0003, hint: 'rerun with a larger --investment', durationMs: 30 },
];

describe('ProgressPrinter with real providers', () => {
  it('names each model and where its calls go, retries, breaker changes, repairs, cost and the budget stop (its hint ends the summary); secrets masked', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false, redact: createRedactor([SECRET]) });
    for (const event of events) progress.onEvent(event);
    progress.onDelta({ ...where, chars: 40 });
    expect(stream.text).toBe(
      [
        'run r1: demo 1.0.0',
        'model: openai:gpt-4o-mini via https://proxy.example/v1?key=***',
        'model: ollama:llama3.2 via http://127.0.0.1:11434',
        'workspace: ws',
        '[round 1] architect write_design: PROVIDER_RATE_LIMITED (429) from openai https://api.openai.com/v1, retrying in 1.5s (attempt 2)',
        '[round 1] architect write_design: circuit open for openai https://api.openai.com/v1: calls to it fail fast for a while',
        '[round 1] architect write_design: repaired the JSON reply (code fence, trailing comma)',
        '[round 1] architect write_design ... done (1200 tokens, $0.00030)',
        'budget exhausted after $0.00030',
        '',
      ].join('\n'),
    );
  });

  it('live mode: the status line shows the characters streamed so far for the running call, and the cost', () => {
    const stream = fakeStream(true);
    const progress = new ProgressPrinter({ stream, live: true });
    for (const event of events.slice(0, 4)) progress.onEvent(event);
    progress.onDelta({ ...where, chars: 1234 });
    expect(stream.text).toMatch(/\r\x1b\[2Kround 1 · \d+s · architect write_design \(1234 chars\) · 0 tokens/);
    progress.onEvent(events[7] as RunEvent);
    expect(stream.text).toMatch(/\r\x1b\[2Kround 1 · \d+s · architect write_design · 1200 tokens · \$0\.00030$/);
    progress.finish();
  });
});
