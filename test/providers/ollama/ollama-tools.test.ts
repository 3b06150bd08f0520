import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall } from '../../../src/providers/chat-model.js';
import { createOllamaModel } from '../../../src/providers/ollama/index.js';
import { always } from '../../support/fake-llm/faults.js';
import type { WireRequest } from '../../support/fake-llm/offline-answer.js';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../../support/fake-llm/ollama-server.js';
import { callThenAnswer, SAMPLE_CALLS, SAMPLE_TOOLS } from '../../support/fake-llm/tool-script.js';
import { chatRequest } from './ollama-test-helpers.js';

const started: FakeOllama[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
});
async function serve(options: FakeOllamaOptions): Promise<FakeOllama> {
  const server = await startFakeOllama(options);
  started.push(server);
  return server;
}

const WIRE_TOOLS = SAMPLE_TOOLS.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));

function history(calls: ToolCall[], text = ''): ChatMessage[] {
  return [
    ...chatRequest().messages,
    { role: 'assistant', content: text, toolCalls: calls },
    { role: 'tool', toolCallId: calls[0]!.id, toolName: calls[0]!.name, content: '# PRD v1' },
    { role: 'tool', toolCallId: calls[1]!.id, toolName: calls[1]!.name, content: 'fetch refused', isError: true },
  ];
}

describe.each([true, false])('ollama provider: tool calls (stream: %s)', (stream) => {
  it('sends the tools, reads calls with object arguments (ids call_1, call_2), and sends the history back', async () => {
    const seen: WireRequest[] = [];
    const script = callThenAnswer(SAMPLE_CALLS, { text: 'Checking.' });
    const server = await serve({ answer: (wire) => (seen.push(wire), script(wire)) });
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream });
    const response = await model.complete(chatRequest({ tools: SAMPLE_TOOLS }));

    expect(response.text).toBe('Checking.');
    expect(response.toolCalls?.map((call) => ({ ...call, arguments: JSON.parse(call.arguments) }))).toEqual([
      { id: 'call_1', name: 'fs_read', arguments: SAMPLE_CALLS[0]!.arguments },
      { id: 'call_2', name: 'web_get', arguments: SAMPLE_CALLS[1]!.arguments },
    ]);
    expect(server.requests[0]!.body.tools).toEqual(WIRE_TOOLS);
    expect(seen[0]!.tools.map((tool) => tool.name)).toEqual(['fs_read', 'web_get']);

    const second = await model.complete(chatRequest({ tools: SAMPLE_TOOLS, messages: history(response.toolCalls!, response.text) }));
    expect(second.text).toBe('done with fs_read=# PRD v1, web_get=fetch refused');
    expect(second.toolCalls).toBeUndefined();
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { function: { name: 'fs_read', arguments: SAMPLE_CALLS[0]!.arguments } },
          { function: { name: 'web_get', arguments: SAMPLE_CALLS[1]!.arguments } },
        ],
      },
      { role: 'tool', content: '# PRD v1', tool_name: 'fs_read' },
      { role: 'tool', content: 'fetch refused', tool_name: 'web_get' },
    ]);
    expect(seen[1]!.toolResults).toEqual([
      { id: undefined, name: 'fs_read', content: '# PRD v1', isError: false },
      { id: undefined, name: 'web_get', content: 'fetch refused', isError: false },
    ]);
  });

  it('leaves the tools out for toolChoice none (Ollama has no tool_choice) but keeps the tool history', async () => {
    const server = await serve({ answer: () => ({ text: 'final answer', toolCalls: SAMPLE_CALLS }) });
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream });
    const calls: ToolCall[] = [
      { id: 'call_1', name: 'fs_read', arguments: '{"path":"a"}' },
      { id: 'call_2', name: 'web_get', arguments: 'not json' },
    ];
    const response = await model.complete(chatRequest({ tools: SAMPLE_TOOLS, toolChoice: 'none', messages: history(calls) }));
    expect(response.text).toBe('final answer');
    expect(response.toolCalls).toBeUndefined();
    const body = server.requests[0]!.body;
    expect(body).not.toHaveProperty('tools');
    expect(body.messages[2]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'fs_read', arguments: { path: 'a' } } }, { function: { name: 'web_get', arguments: {} } }],
    });
    expect(body.messages.slice(3).map((message: { role: string }) => message.role)).toEqual(['tool', 'tool']);
  });

  it('counts the calls in the usage estimate when Ollama reports no counts, and keeps structured output beside tools', async () => {
    const server = await serve({ answer: callThenAnswer([SAMPLE_CALLS[0]!]), faults: always({ kind: 'no-usage' }) });
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream });
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    const response = await model.complete(chatRequest({ tools: SAMPLE_TOOLS, responseSchema: { name: 'PRD', schema } }));
    expect(response.toolCalls).toEqual([{ id: 'call_1', name: 'fs_read', arguments: JSON.stringify(SAMPLE_CALLS[0]!.arguments) }]);
    expect(server.requests[0]!.body).toMatchObject({ format: schema, tools: WIRE_TOOLS });
    expect(response.text).toBe('');
    expect(response.usage).toMatchObject({ estimated: true, completionTokens: expect.any(Number) });
    expect(response.usage.completionTokens).toBeGreaterThan(5);
  });
});

describe('ollama provider: tool-call replies from other servers', () => {
  it('accepts arguments sent as JSON text', async () => {
    const server = await serve({ answer: () => ({ toolCalls: [{ name: 'fs_read', arguments: '["not an object"]' }] }) });
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream: false });
    const response = await model.complete(chatRequest({ tools: SAMPLE_TOOLS }));
    expect(response.toolCalls).toEqual([{ id: 'call_1', name: 'fs_read', arguments: '["not an object"]' }]);
  });
});
