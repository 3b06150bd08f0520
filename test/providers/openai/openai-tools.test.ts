import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest, ToolCall } from '../../../src/providers/chat-model.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { ToolCallAssembler } from '../../../src/providers/openai/tool-calls.js';
import { always } from '../../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY } from '../../support/fake-llm/openai-server.js';
import { callThenAnswer, SAMPLE_CALLS, SAMPLE_TOOLS } from '../../support/fake-llm/tool-script.js';
import { chatRequest, fakeServers, PRD_SCHEMA } from './openai-test-helpers.js';

const startServer = fakeServers();

const WIRE_TOOLS = SAMPLE_TOOLS.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));

/** The history after the model's tool calls: its turn, then one result per call (the second failed). */
function followUp(first: ChatRequest, text: string, calls: ToolCall[] | undefined): ChatMessage[] {
  return [
    ...first.messages,
    { role: 'assistant', content: text, toolCalls: calls },
    { role: 'tool', toolCallId: calls![0]!.id, toolName: calls![0]!.name, content: '# PRD v1' },
    { role: 'tool', toolCallId: calls![1]!.id, toolName: calls![1]!.name, content: 'fetch refused: host not allowed', isError: true },
  ];
}

describe.each([true, false])('OpenAI-compatible provider: tool calls (stream: %s)', (stream) => {
  it('sends the tools, reads the calls back, and sends the follow-up history in wire form', async () => {
    const server = await startServer({ answer: callThenAnswer(SAMPLE_CALLS, { text: 'Let me look.' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const deltas: string[] = [];
    const first = chatRequest({ tools: SAMPLE_TOOLS, onDelta: (delta) => deltas.push(delta) });
    const response = await model.complete(first);

    expect(response.text).toBe('Let me look.');
    expect(response.toolCalls).toEqual([
      { id: 'call_0_1', name: 'fs_read', arguments: expect.any(String) },
      { id: 'call_0_2', name: 'web_get', arguments: expect.any(String) },
    ]);
    expect(response.toolCalls!.map((call) => JSON.parse(call.arguments))).toEqual(SAMPLE_CALLS.map((call) => call.arguments));
    expect(deltas.join('')).toBe(stream ? 'Let me look.' : '');
    expect(server.requests[0]!.body.tools).toEqual(WIRE_TOOLS);
    expect(server.requests[0]!.body).not.toHaveProperty('tool_choice');

    const second = await model.complete(chatRequest({ tools: SAMPLE_TOOLS, messages: followUp(first, response.text, response.toolCalls) }));
    expect(second.text).toBe('done with fs_read=# PRD v1, web_get=fetch refused: host not allowed');
    expect(second.toolCalls).toBeUndefined();
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: response.toolCalls!.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      },
      { role: 'tool', tool_call_id: 'call_0_1', content: '# PRD v1' },
      { role: 'tool', tool_call_id: 'call_0_2', content: 'fetch refused: host not allowed' },
    ]);
  });

  it('sends content null for an assistant turn that only calls tools, and tool_choice none when asked', async () => {
    const server = await startServer({ answer: callThenAnswer() });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const first = chatRequest({ tools: SAMPLE_TOOLS });
    const response = await model.complete(first);
    expect(response.text).toBe('');
    expect(response.toolCalls).toHaveLength(2);

    // The script would call again; with tool_choice none the server must answer in text.
    const history = followUp(first, '', response.toolCalls).slice(0, -1);
    const scriptedAgain = await startServer({ answer: () => ({ text: 'final answer', toolCalls: SAMPLE_CALLS }) });
    const final = await createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: scriptedAgain.url, stream }).complete(
      chatRequest({ tools: SAMPLE_TOOLS, toolChoice: 'none', messages: history }),
    );
    expect(final).toMatchObject({ text: 'final answer' });
    expect(final.toolCalls).toBeUndefined();
    const body = scriptedAgain.requests[0]!.body;
    expect(body.tool_choice).toBe('none');
    expect(body.tools).toEqual(WIRE_TOOLS);
    expect(body.messages[2]).toEqual({ role: 'assistant', content: null, tool_calls: expect.any(Array) });
    expect(body.messages[3]).toEqual({ role: 'tool', tool_call_id: response.toolCalls![0]!.id, content: '# PRD v1' });
  });

  it('sends response_format and tools together, and reads the JSON answer after the tools ran', async () => {
    const server = await startServer({ answer: callThenAnswer([SAMPLE_CALLS[0]!], { final: () => '{"title":"Todo","goals":["ship"]}' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const request = chatRequest({ tools: SAMPLE_TOOLS, responseSchema: { name: 'prd', schema: PRD_SCHEMA } });
    const calls = (await model.complete(request)).toolCalls!;
    expect(calls.map((call) => call.name)).toEqual(['fs_read']);
    expect(server.requests[0]!.body).toMatchObject({ tools: WIRE_TOOLS, response_format: { type: 'json_schema' } });
    const answer = await model.complete({
      ...request,
      messages: [...request.messages, { role: 'assistant', content: '', toolCalls: calls }, { role: 'tool', toolCallId: calls[0]!.id, toolName: 'fs_read', content: 'x' }],
    });
    expect(JSON.parse(answer.text)).toEqual({ title: 'Todo', goals: ['ship'] });
  });

  it('estimates completion tokens from the calls when the server reports no usage', async () => {
    const server = await startServer({ answer: callThenAnswer(), faults: always({ kind: 'no-usage' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const response = await model.complete(chatRequest({ tools: SAMPLE_TOOLS }));
    expect(response.text).toBe('');
    expect(response.usage.estimated).toBe(true);
    expect(response.usage.completionTokens).toBeGreaterThan(5);
  });
});

describe('OpenAI-compatible provider: tool-call fragments from other servers', () => {
  it('gets the arguments of each call from the fake server in several fragments (what the stream test assembles)', async () => {
    const server = await startServer({ requireKey: false, answer: callThenAnswer() });
    const raw = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'fs_read', parameters: {} } }] }),
    }).then((response) => response.text());
    const chunks = raw.split('\n\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)));
    const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []).filter((fragment: any) => fragment.index === 0);
    expect(fragments[0]).toMatchObject({ index: 0, id: 'call_0_1', function: { name: 'fs_read', arguments: '' } });
    expect(fragments.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(fragments.map((fragment: any) => fragment.function.arguments).join('')).toBe(JSON.stringify(SAMPLE_CALLS[0]!.arguments));
    expect(chunks.at(-1)?.choices[0]?.finish_reason ?? chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('joins fragments by index and tolerates whole calls, repeated ids and names, missing index and ids', () => {
    const assembler = new ToolCallAssembler();
    assembler.add([{ index: 1, id: 'b', type: 'function', function: { name: 'web_get', arguments: '{"url":' } }]);
    assembler.add([{ index: 0, id: 'a', type: 'function', function: { name: 'fs_', arguments: '' } }]);
    assembler.add([{ index: 0, id: 'a', function: { name: 'read', arguments: '{"path":"x"}' } }]);
    assembler.add([{ index: 1, id: 'b', function: { name: 'web_get', arguments: '"u"}' } }]);
    assembler.add([{ index: 2, function: { name: 'noargs' } }]);
    expect(assembler.result()).toEqual([
      { id: 'a', name: 'fs_read', arguments: '{"path":"x"}' },
      { id: 'b', name: 'web_get', arguments: '{"url":"u"}' },
      { id: 'call_3', name: 'noargs', arguments: '{}' },
    ]);
    const unindexed = new ToolCallAssembler();
    unindexed.add([{ function: { name: 'a', arguments: '{}' } }, { function: { name: 'b', arguments: '{"k":1}' } }] as never);
    expect(unindexed.result()).toEqual([
      { id: 'call_1', name: 'a', arguments: '{}' },
      { id: 'call_2', name: 'b', arguments: '{"k":1}' },
    ]);
  });
});
