import { afterAll, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest } from '../../src/providers/chat-model.js';
import { createAnthropicModel } from '../../src/providers/anthropic/index.js';
import { finishReasonOf } from '../../src/providers/finish-reason.js';
import { createOfflineModel } from '../../src/providers/offline/index.js';
import { createOllamaModel } from '../../src/providers/ollama/index.js';
import { createOpenAIModel } from '../../src/providers/openai/index.js';
import { startFakeAnthropic, TEST_ANTHROPIC_KEY } from '../support/fake-llm/anthropic-server.js';
import type { WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOllama } from '../support/fake-llm/ollama-server.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { SAMPLE_CALLS, SAMPLE_TOOLS } from '../support/fake-llm/tool-script.js';

/**
 * Why a model stopped, as each provider's real SDK reads it from a loopback server speaking its
 * wire protocol, normalised to the GenAI conventions' words (`stop`, `length`, `tool_calls`).
 */
const LONG_ANSWER = 'The plan has three steps: list the files, write the code, and test it well. '.repeat(4);

/** Tool calls when the prompt asks for them; else a long text answer (the servers cut it at max_tokens). */
function answer(request: WireRequest) {
  return request.messages.some((message) => message.content.includes('use the tools')) ? { toolCalls: SAMPLE_CALLS } : LONG_ANSWER;
}

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

type Maker = (stream: boolean) => Promise<ChatModel>;
const providers: Array<{ name: string; model: string; make: Maker }> = [
  {
    name: 'OpenAI-compatible',
    model: 'gpt-4o-mini',
    make: async (stream) => {
      const server = await startFakeOpenAI({ answer });
      closers.push(server.close);
      return createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    },
  },
  {
    name: 'Anthropic',
    model: 'claude-test-1',
    make: async (stream) => {
      const server = await startFakeAnthropic({ answer });
      closers.push(server.close);
      return createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: server.url, stream });
    },
  },
  {
    name: 'Ollama',
    model: 'llama3.2',
    make: async (stream) => {
      const server = await startFakeOllama({ answer });
      closers.push(server.close);
      return createOllamaModel({ name: 'ollama', host: server.url, stream });
    },
  },
];

function request(model: string, prompt: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'system', content: 'You are the engineer.' }, { role: 'user', content: prompt }], ...extra };
}

describe('finish reasons from the wire', () => {
  for (const provider of providers) {
    for (const stream of [true, false]) {
      it(`${provider.name} (${stream ? 'streamed' : 'whole'}): stop, tool_calls, and length for an answer cut at max_tokens`, async () => {
        const model = await provider.make(stream);

        const done = await model.complete(request(provider.model, 'Write the plan.'));
        expect(done.text).toBe(LONG_ANSWER);
        expect(done.finishReason).toBe('stop');

        const calling = await model.complete(request(provider.model, 'First use the tools.', { tools: SAMPLE_TOOLS }));
        expect(calling.toolCalls?.map((call) => call.name)).toEqual(['fs_read', 'web_get']);
        expect(calling.finishReason).toBe('tool_calls');

        const cut = await model.complete(request(provider.model, 'Write the plan.', { maxTokens: 5 }));
        expect(cut.text).toBe(LONG_ANSWER.slice(0, 20));
        expect(cut.finishReason).toBe('length');
      });
    }
  }

  it('the offline model: stop for an answer, tool_calls when it calls the tools', async () => {
    const model = createOfflineModel();
    expect((await model.complete(request('offline', 'Write the plan.'))).finishReason).toBe('stop');
    expect((await model.complete(request('offline', 'Write the plan.', { tools: SAMPLE_TOOLS }))).finishReason).toBe('tool_calls');
  });
});

describe('finishReasonOf', () => {
  it('maps the providers’ words to the conventions’ and keeps any other as sent', () => {
    expect(finishReasonOf('end_turn', false)).toBe('stop');
    expect(finishReasonOf('stop_sequence', false)).toBe('stop');
    expect(finishReasonOf('max_tokens', false)).toBe('length');
    expect(finishReasonOf('refusal', false)).toBe('content_filter');
    expect(finishReasonOf('content_filter', false)).toBe('content_filter');
    expect(finishReasonOf('pause_turn', false)).toBe('pause_turn');
    expect(finishReasonOf(undefined, false)).toBe('stop');
  });

  it('decides stop or tool_calls by whether the reply asks for tools', () => {
    // Ollama says `stop` with tool calls; Anthropic says `tool_use` when only sop's output tool was used.
    expect(finishReasonOf('stop', true)).toBe('tool_calls');
    expect(finishReasonOf('tool_use', false)).toBe('stop');
    expect(finishReasonOf('length', true)).toBe('length');
  });
});
