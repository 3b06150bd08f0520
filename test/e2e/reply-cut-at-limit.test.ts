import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY, lastRun, noteSop, project, run } from './providers-helpers.js';

describe('a reply the model stopped at its token limit', () => {
  it('is used as it came, and the progress output says it may be cut short and what to raise', async (context) => {
    const server = await startFakeOpenAI();
    context.onTestFinished(() => server.close());
    const cwd = project();
    // The fake server cuts a reply at max_completion_tokens and says `finish_reason: length`.
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop({ settings: 'settings:\n  model: { name: openai:gpt-4o-mini, max_tokens: 5 }\n', artifact: true }));
    const result = await run(cwd, ['run', 'sop.yaml', 'tides'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests.at(-1)?.body.max_completion_tokens).toBe(5);
    expect(lastRun(cwd).events.find((event) => event.type === 'llm-call-end')).toMatchObject({ finishReason: 'length' });
    expect(result.stderr).toContain(
      '[round 1] writer write: the reply of openai:gpt-4o-mini stopped at its token limit (finish reason `length`) and may be cut short; raise `max_tokens` in its model settings (`model: { name: ..., max_tokens: N }`)',
    );
  });
});
