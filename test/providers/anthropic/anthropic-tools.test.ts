import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall } from '../../../src/providers/chat-model.js';
import { createAnthropicModel } from '../../../src/providers/anthropic/index.js';
import { startFakeAnthropic, TEST_ANTHROPIC_KEY, type FakeAnthropic, type FakeAnthropicOptions } from '../../support/fake-llm/anthropic-server.js';
import { always } from '../../support/fake-llm/faults.js';
import type { WireRequest } from '../../support/fake-llm/offline-answer.js';
import { callThenAnswer, SAMPLE_CALLS, SAMPLE_TOOLS } from '../../support/fake-llm/tool-script.js';
import { chatRequest } from './helpers.js';

const started: FakeAnthropic[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
});
async function serve(options: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const server = await startFakeAnthropic(options);
  started.push(server);
  return server;
}

const WIRE_TOOLS = SAMPLE_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
const PROMPT: ChatMessage[] = [
  { role: 'system', content: 'You are the product manager.' },
  { role: 'user', content: 'Write the PRD.' },
];
const SCHEMA = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };

function results(calls: ToolCall[]): ChatMessage[] {
  return [
    { role: 'tool', toolCallId: calls[0]!.id, toolName: calls[0]!.name, content: '# PRD v1' },
    { role: 'tool', toolCallId: calls[1]!.id, toolName: calls[1]!.name, content: 'fetch refused', isError: true },
  ];
}

describe.each([true, false])('Anthropic provider: tool calls (stream: %s)', (stream) => {
  const model = (server: FakeAnthropic) => createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: server.url, stream });

  it('sends the tools, reads tool_use blocks back, and sends tool_use / tool_result turns', async () => {
    const seen: WireRequest[] = [];
    const script = callThenAnswer(SAMPLE_CALLS, { text: 'Let me look.' });
    const server = await serve({ answer: (wire) => (seen.push(wire), script(wire)) });
    const deltas: string[] = [];
    const response = await model(server).complete(chatRequest(PROMPT, { tools: SAMPLE_TOOLS, onDelta: (delta) => deltas.push(delta) }));

    expect(response.text).toBe('Let me look.');
    expect(response.toolCalls?.map((call) => ({ ...call, arguments: JSON.parse(call.arguments) }))).toEqual([
      { id: 'toolu_0_1', name: 'fs_read', arguments: SAMPLE_CALLS[0]!.arguments },
      { id: 'toolu_0_2', name: 'web_get', arguments: SAMPLE_CALLS[1]!.arguments },
    ]);
    // Tool input is not progress text.
    expect(deltas.join('')).toBe(stream ? 'Let me look.' : '');
    expect(server.requests[0]!.body.tools).toEqual(WIRE_TOOLS);
    expect(server.requests[0]!.body).not.toHaveProperty('tool_choice');

    const calls = response.toolCalls!;
    const messages: ChatMessage[] = [...PROMPT, { role: 'assistant', content: response.text, toolCalls: calls }, ...results(calls)];
    const second = await model(server).complete(chatRequest(messages, { tools: SAMPLE_TOOLS }));
    expect(second.text).toBe('done with fs_read=# PRD v1, web_get=fetch refused');
    expect(second.toolCalls).toBeUndefined();
    expect(server.requests[1]!.body.messages).toEqual([
      { role: 'user', content: 'Write the PRD.' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_0_1', name: 'fs_read', input: SAMPLE_CALLS[0]!.arguments },
          { type: 'tool_use', id: 'toolu_0_2', name: 'web_get', input: SAMPLE_CALLS[1]!.arguments },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_0_1', content: '# PRD v1' },
          { type: 'tool_result', tool_use_id: 'toolu_0_2', content: 'fetch refused', is_error: true },
        ],
      },
    ]);
    expect(seen[1]!.toolResults).toEqual([
      { id: 'toolu_0_1', name: 'fs_read', content: '# PRD v1', isError: false },
      { id: 'toolu_0_2', name: 'web_get', content: 'fetch refused', isError: true },
    ]);
  });

  it('sends tool_choice none, only tool_use blocks for a turn without text, {} for unparsable arguments, and user text after the results', async () => {
    const server = await serve({ answer: () => ({ text: 'final answer', toolCalls: SAMPLE_CALLS }) });
    const calls: ToolCall[] = [
      { id: 'toolu_a', name: 'fs_read', arguments: '{"path":"a"}' },
      { id: 'toolu_b', name: 'web_get', arguments: '{"url": truncated' },
    ];
    const messages: ChatMessage[] = [
      ...PROMPT,
      { role: 'assistant', content: '', toolCalls: calls },
      ...results(calls),
      { role: 'user', content: 'You reached the tool call limit: answer now.' },
    ];
    const response = await model(server).complete(chatRequest(messages, { tools: SAMPLE_TOOLS, toolChoice: 'none' }));
    expect(response.text).toBe('final answer');
    expect(response.toolCalls).toBeUndefined();
    const body = server.requests[0]!.body;
    expect(body.tool_choice).toEqual({ type: 'none' });
    expect(body.tools).toEqual(WIRE_TOOLS);
    expect(body.messages[1].content).toEqual([
      { type: 'tool_use', id: 'toolu_a', name: 'fs_read', input: { path: 'a' } },
      { type: 'tool_use', id: 'toolu_b', name: 'web_get', input: {} },
    ]);
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2].content.map((block: { type: string }) => block.type)).toEqual(['tool_result', 'tool_result', 'text']);
  });

  it('offers the output tool beside user tools (tool_choice any): calls come back as calls, the output tool as the JSON text', async () => {
    const server = await serve({ answer: callThenAnswer([SAMPLE_CALLS[0]!, SAMPLE_CALLS[1]!], { final: () => '{"title":"Todo"}' }) });
    const request = chatRequest(PROMPT, { tools: SAMPLE_TOOLS, responseSchema: { name: 'PRD', schema: SCHEMA } });
    const first = await model(server).complete(request);
    expect(first.toolCalls?.map((call) => call.name)).toEqual(['fs_read', 'web_get']);
    expect(server.requests[0]!.body.tools).toEqual([...WIRE_TOOLS, { name: 'PRD', description: 'Reply by calling this tool with the output', input_schema: SCHEMA }]);
    expect(server.requests[0]!.body.tool_choice).toEqual({ type: 'any' });

    const calls = first.toolCalls!;
    const final = await model(server).complete({ ...request, messages: [...PROMPT, { role: 'assistant', content: first.text, toolCalls: calls }, ...results(calls)] });
    expect(JSON.parse(final.text)).toEqual({ title: 'Todo' });
    expect(final.toolCalls).toBeUndefined();
  });

  it('forces the output tool when toolChoice is none, and renames it when a user tool has its name', async () => {
    const server = await serve({ answer: () => '{"title":"Forced"}' });
    const tools = [...SAMPLE_TOOLS, { name: 'PRD', description: 'a user tool named like the schema', parameters: { type: 'object' } }];
    const response = await model(server).complete(chatRequest(PROMPT, { tools, toolChoice: 'none', responseSchema: { name: 'PRD', schema: SCHEMA } }));
    expect(JSON.parse(response.text)).toEqual({ title: 'Forced' });
    const body = server.requests[0]!.body;
    expect(body.tools.map((tool: { name: string }) => tool.name)).toEqual(['fs_read', 'web_get', 'PRD', 'PRD_output']);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'PRD_output' });
  });

  it('estimates completion tokens from the calls when the server reports no usage', async () => {
    const server = await serve({ answer: callThenAnswer(), faults: always({ kind: 'no-usage' }) });
    const response = await model(server).complete(chatRequest(PROMPT, { tools: SAMPLE_TOOLS }));
    expect(response.text).toBe('');
    expect(response.usage.estimated).toBe(true);
    expect(response.usage.completionTokens).toBeGreaterThan(5);
  });
});
