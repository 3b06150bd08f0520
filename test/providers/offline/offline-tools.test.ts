import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest, ToolSpec } from '../../../src/providers/chat-model.js';
import { createOfflineModel } from '../../../src/providers/offline/index.js';

const TOOLS: ToolSpec[] = [
  {
    name: 'fs_read',
    description: 'Read a workspace file',
    parameters: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string', examples: ['README.md'] } } },
  },
  {
    name: 'add',
    description: 'Add two numbers',
    parameters: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'number', minimum: 1 }, b: { type: 'integer', maximum: 3 } } },
  },
];

function request(messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'offline',
    messages: [{ role: 'system', content: 'You are an engineer.' }, { role: 'user', content: 'Write notes about the project.' }, ...messages],
    providerOptions: { offline: { kind: 'action', role: 'engineer', action: 'write', format: 'text', outputType: 'Notes', language: undefined, artifactPaths: [], attempt: 1 } },
    tools: TOOLS,
    ...extra,
  };
}

describe('offline model with tools', () => {
  it('first calls each offered tool once, in order, with arguments valid against its schema', async () => {
    const model = createOfflineModel();
    expect(model.capabilities.tools).toBe(true);
    const reply = await model.complete(request([]));
    expect(reply.toolCalls?.map((call) => [call.id, call.name])).toEqual([
      ['offline_call_1', 'fs_read'],
      ['offline_call_2', 'add'],
    ]);
    const ajv = new Ajv2020({ strict: false });
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      expect(ajv.validate(TOOLS[index]!.parameters, JSON.parse(call.arguments)), call.arguments).toBe(true);
    }
    expect(JSON.parse(reply.toolCalls?.[0]?.arguments ?? '{}')).toEqual({ path: 'README.md' });
    expect(reply.text).toContain('fs_read, add');
    // Deterministic: the same request, the same calls.
    expect((await model.complete(request([]))).toolCalls).toEqual(reply.toolCalls);
  });

  it('fills required arguments only; optional ones when the schema asks for more than the required ones', async () => {
    const read: ToolSpec = {
      name: 'read_text_file',
      description: 'Read a file',
      // As the official filesystem server declares it: head and tail may not both be given.
      parameters: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, head: { type: 'number' }, tail: { type: 'number' } } },
    };
    const oneOf: ToolSpec = {
      name: 'find',
      description: 'Find by name or id',
      parameters: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, id: { type: 'integer' } }, minProperties: 1 },
    };
    const reply = await createOfflineModel().complete(request([], { tools: [read, oneOf] }));
    const [first, second] = (reply.toolCalls ?? []).map((call) => JSON.parse(call.arguments) as Record<string, unknown>);
    expect(Object.keys(first ?? {})).toEqual(['path']);
    expect(Object.keys(second ?? {}).length).toBeGreaterThan(0);
    expect(new Ajv2020({ strict: false }).validate(oneOf.parameters, second)).toBe(true);
  });

  it('answers the contract once every tool has been called, or when tools are closed', async () => {
    const model = createOfflineModel();
    const history: ChatMessage[] = [
      { role: 'assistant', content: '', toolCalls: [{ id: 'offline_call_1', name: 'fs_read', arguments: '{"path":"README.md"}' }] },
      { role: 'tool', toolCallId: 'offline_call_1', toolName: 'fs_read', content: '# readme' },
    ];
    const partly = await model.complete(request(history));
    expect(partly.toolCalls?.map((call) => [call.id, call.name])).toEqual([['offline_call_2', 'add']]);
    const all: ChatMessage[] = [
      ...history,
      { role: 'assistant', content: '', toolCalls: [{ id: 'offline_call_2', name: 'add', arguments: '{"a":1,"b":2}' }] },
      { role: 'tool', toolCallId: 'offline_call_2', toolName: 'add', content: '3' },
    ];
    const answer = await model.complete(request(all));
    expect(answer.toolCalls).toBeUndefined();
    expect(answer.text.length).toBeGreaterThan(0);
    const closed = await model.complete(request([], { toolChoice: 'none' }));
    expect(closed.toolCalls).toBeUndefined();
  });

  it('scores every output 10 as a judge, and says no review was made', async () => {
    const reply = await createOfflineModel().complete({
      model: 'offline',
      messages: [{ role: 'user', content: 'Rubric: good.' }],
      providerOptions: { offline: { kind: 'judge', role: 'pm', action: 'write_prd', gate: 'good', minScore: 7 } },
    });
    expect(JSON.parse(reply.text)).toEqual({ score: 10, reasons: ['offline model: no review made'] });
  });
});
