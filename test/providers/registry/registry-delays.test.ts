import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/providers/chat-model.js';
import { createModelRegistry, providerSettings } from '../../../src/providers/registry.js';
import { type ResilienceEvent } from '../../../src/providers/resilience/index.js';
import { firstRequests, type FaultPlan } from '../../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { cleanTempDirs, errorOf, load, tempDir, writeFiles } from '../../config/helpers.js';

afterAll(cleanTempDirs);

const request: ChatRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Write the PRD for a todo app.' }],
};

async function configWith(openaiSettings: string) {
  const dir = writeFiles(tempDir(), { 'sop.config.yaml': `providers:\n  openai: { ${openaiSettings} }\n` });
  return { dir, config: await load(dir, { env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } }) };
}

/** One call through the registry to a fake server with these faults; the retry events and the time taken. */
async function retriesOf(faults: FaultPlan, openaiSettings: string): Promise<{ delays: number[]; elapsedMs: number }> {
  const server = await startFakeOpenAI({ faults });
  try {
    const events: ResilienceEvent[] = [];
    const { dir, config } = await configWith(`base_url: "${server.url}", ${openaiSettings}`);
    const registry = createModelRegistry(config, { cwd: dir, noCache: true, onEvent: (event) => events.push(event) });
    const started = performance.now();
    const reply = await registry.resolve({ name: 'openai:gpt-4o-mini' }).model.complete(request);
    expect(reply.text.length).toBeGreaterThan(0);
    return { delays: events.flatMap((event) => (event.type === 'llm-call-retry' ? [event.delayMs] : [])), elapsedMs: performance.now() - started };
  } finally {
    await server.close();
  }
}

describe('retry delays from configuration', () => {
  it('min_delay and max_delay are seconds; defaults 0.5 and 30', async () => {
    expect(providerSettings((await configWith('')).config, 'openai')).toMatchObject({ minDelayMs: 500, maxDelayMs: 30_000 });
    expect(providerSettings((await configWith('min_delay: 0.01, max_delay: 2')).config, 'openai')).toMatchObject({ minDelayMs: 10, maxDelayMs: 2000 });
  });

  it('a negative or non-numeric delay is CONFIG_INVALID at its line', async () => {
    for (const [text, pointer] of [['min_delay: -1', '/providers/openai/min_delay'], ['max_delay: "30s"', '/providers/openai/max_delay']] as const) {
      const dir = writeFiles(tempDir(), { 'sop.config.yaml': `providers:\n  openai:\n    ${text}\n` });
      const error = await errorOf(load(dir));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.diagnostics[0]).toMatchObject({ file: path.join(dir, 'sop.config.yaml'), line: 3, pointer });
    }
  });

  it('min_delay sets the first backoff (jitter up to double); a longer Retry-After is still waited for', async () => {
    const { delays, elapsedMs } = await retriesOf(
      firstRequests({ kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfter: '0.3' }),
      'min_delay: 0.01, max_retries: 2',
    );
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBe(300);
    expect(elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('max_delay caps every wait, Retry-After included', async () => {
    const { delays, elapsedMs } = await retriesOf(
      firstRequests({ kind: 'status', status: 429, retryAfter: '20' }, { kind: 'status', status: 503 }),
      'min_delay: 1, max_delay: 0.05, max_retries: 2',
    );
    expect(delays).toEqual([50, 50]);
    expect(elapsedMs).toBeLessThan(5_000);
  });
});
