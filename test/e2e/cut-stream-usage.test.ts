import { writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { always, firstRequests, type FaultPlan } from '../support/fake-llm/faults.js';
import { startFakeOllama } from '../support/fake-llm/ollama-server.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { FAST_RETRIES, TEST_KEY, lastRun, noteSop, project, run } from './providers-helpers.js';

/**
 * A reply cut off mid-stream is billed by the provider: its tokens count in the run's usage, cost
 * and budget (`llm-call-cut`), on each wire protocol, through the real SDKs and `bin/sop.js`.
 */

afterAll(removeTempDirs);

interface Protocol {
  name: string;
  model: string;
  /** The provider's settings key in sop.config.yaml. */
  provider: string;
  start: (faults: FaultPlan, context: TestContext) => Promise<{ env: Record<string, string>; requests: () => number }>;
  /** The provider sends the prompt's count before the reply (Anthropic's message_start). */
  promptReported: boolean;
  priced: boolean;
}

const protocols: Protocol[] = [
  {
    name: 'OpenAI-compatible',
    model: 'openai:gpt-4o-mini',
    provider: 'openai',
    start: async (faults, context) => {
      const server = await startFakeOpenAI({ faults });
      context.onTestFinished(() => server.close());
      return { env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url }, requests: () => server.requests.filter((request) => request.path === '/v1/chat/completions').length };
    },
    promptReported: false,
    priced: true,
  },
  {
    name: 'Anthropic',
    model: 'anthropic:claude-sonnet-4-5',
    provider: 'anthropic',
    start: async (faults, context) => {
      const server = await startFakeAnthropic({ faults });
      context.onTestFinished(() => server.close());
      return { env: { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url }, requests: () => server.requests.length };
    },
    promptReported: true,
    priced: true,
  },
  {
    name: 'Ollama',
    model: 'ollama:llama3.2',
    provider: 'ollama',
    start: async (faults, context) => {
      const server = await startFakeOllama({ faults });
      context.onTestFinished(() => server.close());
      return { env: { OLLAMA_HOST: server.url }, requests: () => server.requests.length };
    },
    promptReported: false,
    priced: false,
  },
];

const sum = (events: any[], field: string): number => events.reduce((total, event) => total + (event[field] ?? 0), 0);

describe.concurrent('a reply cut off mid-stream', () => {
  for (const protocol of protocols) {
    it(`${protocol.name}: the cut attempt's tokens and cost count in the report, by action, and in an llm-call-cut event; the retry answers`, async (context) => {
      const server = await protocol.start(firstRequests({ kind: 'truncate' }), context);
      const cwd = project(`providers:\n  ${protocol.provider}: { max_retries: 2, ${FAST_RETRIES} }\n`);
      writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
      const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', protocol.model, '--json'], server.env);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(0);
      expect(server.requests()).toBe(2);

      const { events } = lastRun(cwd);
      const cuts = events.filter((event) => event.type === 'llm-call-cut');
      const ends = events.filter((event) => event.type === 'llm-call-end');
      expect(cuts).toHaveLength(1);
      expect(ends).toHaveLength(1);
      const [cut] = cuts;
      expect(cut).toMatchObject({ role: 'writer', action: 'write', model: protocol.model, attempt: 1, code: 'PROVIDER_UNAVAILABLE', estimated: true });
      expect(cut.completionTokens).toBeGreaterThan(0);
      // The prompt is the same as the answered call's: counted by the provider, or estimated close to it.
      if (protocol.promptReported) expect(cut.promptTokens).toBe(ends[0].promptTokens);
      else expect(cut.promptTokens).toBeGreaterThan(0);
      // The progress output says so, with the tokens counted.
      expect(result.stderr).toContain(`writer write: PROVIDER_UNAVAILABLE: the reply from ${protocol.provider} `);
      expect(result.stderr).toContain(`was cut off; its ${cut.promptTokens + cut.completionTokens} tokens (estimated)`);
      // The cut event comes before the retry it caused.
      const retry = events.findIndex((event) => event.type === 'llm-call-retry');
      expect(retry).toBeGreaterThan(events.indexOf(cut));

      const report = resultOf(result);
      const tokens = { promptTokens: sum([...ends, cut], 'promptTokens'), completionTokens: sum([...ends, cut], 'completionTokens') };
      // One call answered; the cut attempt is usage, not a call.
      expect(report.usage.total).toMatchObject({ calls: 1, retries: 1, estimated: true, ...tokens });
      expect(report.usage.byAction.write).toMatchObject({ calls: 1, ...tokens });
      expect(report.usage.byRole.writer).toMatchObject(tokens);
      if (protocol.priced) {
        expect(cut.costUsd).toBeGreaterThan(0);
        expect(report.costUsd).toBeCloseTo(ends[0].costUsd + cut.costUsd, 12);
        expect(report.costUsd).toBeGreaterThan(ends[0].costUsd);
      } else {
        expect(report.costUsd).toBe(0);
      }
    });

    it(`${protocol.name}: a max_tokens budget stops a run whose streams keep getting cut (exit 6), not after every retry`, async (context) => {
      const server = await protocol.start(always({ kind: 'truncate' }), context);
      const cwd = project(`providers:\n  ${protocol.provider}: { max_retries: 20, ${FAST_RETRIES} }\n`);
      writeFileSync(path.join(cwd, 'sop.yaml'), noteSop({ settings: 'settings:\n  max_tokens: 100\n' }));
      const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', protocol.model, '--json'], server.env);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(6);
      const report = resultOf(result);
      expect(report).toMatchObject({ status: 'budget_exhausted', budget: { maxTokens: 100 } });
      expect(report.hint).toMatch(/^the run used \d+ tokens of its max_tokens 100; raise `settings\.max_tokens`/);

      const cuts = lastRun(cwd).events.filter((event) => event.type === 'llm-call-cut');
      const used = report.usage.total.promptTokens + report.usage.total.completionTokens;
      // Every cut attempt is counted, and no attempt starts once they have used up the budget.
      expect(cuts).toHaveLength(server.requests());
      expect(used).toBe(sum(cuts, 'promptTokens') + sum(cuts, 'completionTokens'));
      expect(used).toBeGreaterThanOrEqual(100);
      expect(used - (cuts.at(-1).promptTokens + cuts.at(-1).completionTokens)).toBeLessThan(100);
      expect(server.requests()).toBeLessThan(21);
      expect(report.usage.total.calls).toBe(0);
    });
  }
});

/** A loopback server answering every request with `stream` (which ends the response, or leaves it open); counts the requests. */
async function startStreaming(contentType: string, stream: (response: ServerResponse) => void, context: TestContext): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': contentType });
      stream(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  context.onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('an investment and streams that keep getting cut', () => {
  it('no retry is made once another attempt could cost more than is left: the run stops budget_exhausted (exit 6), within the investment', async (context) => {
    const server = await protocols[0]!.start(always({ kind: 'truncate' }), context);
    // $1 per thousand tokens: a cut try costs about $0.09, a call's estimate (1024 tokens of reply allowed) about $1.04.
    const cwd = project(`providers:\n  openai: { max_retries: 20, ${FAST_RETRIES} }\nprices:\n  "openai:gpt-4o-mini": { input: 1000, output: 1000 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'openai:gpt-4o-mini', '--investment', '1.3', '--json'], server.env);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(6);
    const report = resultOf(result);
    const cuts = lastRun(cwd).events.filter((event) => event.type === 'llm-call-cut');
    expect(cuts).toHaveLength(server.requests());
    expect(server.requests()).toBeGreaterThan(1);
    expect(server.requests()).toBeLessThan(21);
    expect(report.costUsd).toBeCloseTo(sum(cuts, 'costUsd'), 10);
    expect(report.costUsd).toBeLessThanOrEqual(1.3);
    expect(report).toMatchObject({ status: 'budget_exhausted', budget: { investment: 1.3, stopped: { reason: 'estimate', role: 'writer', action: 'write' } } });
    // The refused retry's estimate did not fit in what was left.
    expect(report.costUsd + report.budget.stopped.estimateUsd).toBeGreaterThan(1.3);
    expect(report.hint).toMatch(/^the next call \(writer write\) was estimated at \$[\d.]+ with \$[\d.]+ left; resume with a larger budget/);
  });
});

describe.concurrent('a reply cut after the provider sent its counts (an error event, the timeout)', () => {
  it('OpenAI-compatible (usage on every chunk, as vLLM sends it): each try is counted with the counts sent, not estimated', async (context) => {
    const server = await startStreaming('text/event-stream', (response) => {
      const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini' };
      for (const [index, content] of ['# Tides', ' are'].entries()) {
        response.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }], usage: { prompt_tokens: 50, completion_tokens: index + 2, total_tokens: 52 + index } })}\n\n`);
      }
      response.end(`data: ${JSON.stringify({ error: { message: 'the engine stopped', type: 'server_error' } })}\n\n`);
    }, context);
    const cwd = project(`providers:\n  openai: { max_retries: 1, ${FAST_RETRIES} }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'openai:gpt-4o-mini'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: `${server.url}/v1` });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain('reported an error while streaming');
    expect(server.requests()).toBe(2);
    const { report, events } = lastRun(cwd);
    const cuts = events.filter((event) => event.type === 'llm-call-cut');
    expect(cuts.map((cut) => [cut.attempt, cut.promptTokens, cut.completionTokens, cut.estimated])).toEqual([[1, 50, 3, false], [2, 50, 3, false]]);
    expect(report.usage.total).toMatchObject({ calls: 0, promptTokens: 100, completionTokens: 6, estimated: false });
    expect(report.costUsd).toBeCloseTo((2 * (50 * 0.15 + 3 * 0.6)) / 1e6, 12);
  });

  it('Anthropic (message_start gave the input tokens): the prompt as counted, the text received estimated', async (context) => {
    const server = await startStreaming('text/event-stream', (response) => {
      const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 42, output_tokens: 1 } } });
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '# Tides' } });
      send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      response.end();
    }, context);
    const cwd = project(`providers:\n  anthropic: { max_retries: 0 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'anthropic:claude-sonnet-4-5'], { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    const { report, events } = lastRun(cwd);
    // '# Tides' is 3 tokens by the estimate.
    expect(events.filter((event) => event.type === 'llm-call-cut')).toMatchObject([{ attempt: 1, code: 'PROVIDER_UNAVAILABLE', promptTokens: 42, completionTokens: 3, estimated: true }]);
    expect(report.usage.total).toMatchObject({ calls: 0, promptTokens: 42, completionTokens: 3, estimated: true });
    expect(report.costUsd).toBeCloseTo((42 * 3 + 3 * 15) / 1e6, 12);
  });

  it('Anthropic, still streaming when the provider timeout ends the call: the input tokens message_start gave are kept', async (context) => {
    const server = await startStreaming('text/event-stream', (response) => {
      const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 42, output_tokens: 1 } } });
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '# Tides' } });
    }, context);
    const cwd = project(`providers:\n  anthropic: { timeout: 1, max_retries: 2 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'anthropic:claude-sonnet-4-5'], { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain('was still streaming its reply after 1s');
    const { report, events } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'llm-call-cut')).toMatchObject([{ attempt: 1, code: 'PROVIDER_TIMEOUT', promptTokens: 42, completionTokens: 3, estimated: true }]);
    expect(report.usage.total).toMatchObject({ calls: 0, promptTokens: 42, completionTokens: 3 });
  });

  it('OpenAI-compatible, cut while it streamed a tool call (no text): the call\'s arguments are counted, estimated', async (context) => {
    const server = await startStreaming('text/event-stream', (response) => {
      const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini' };
      const toolCall = (fragment: Record<string, unknown>) => response.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...fragment }] }, finish_reason: null }] })}\n\n`);
      toolCall({ id: 'call_1', type: 'function', function: { name: 'fs_read', arguments: '' } });
      toolCall({ function: { arguments: '{"path": "notes/' } });
      response.end(`data: ${JSON.stringify({ error: { message: 'the engine stopped', type: 'server_error' } })}\n\n`);
    }, context);
    const cwd = project(`providers:\n  openai: { max_retries: 0 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'openai:gpt-4o-mini'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: `${server.url}/v1` });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    const { report, events } = lastRun(cwd);
    const cuts = events.filter((event) => event.type === 'llm-call-cut');
    expect(cuts).toMatchObject([{ attempt: 1, estimated: true }]);
    // 'fs_read {"path": "notes/' by the estimate.
    expect(cuts[0].completionTokens).toBeGreaterThanOrEqual(5);
    expect(report.usage.total).toMatchObject({ calls: 0, completionTokens: cuts[0].completionTokens });
  });
});
