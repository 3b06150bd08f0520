import { afterAll } from 'vitest';
import type { ChatRequest } from '../../../src/providers/chat-model.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../../support/fake-llm/openai-server.js';

export const PRD_SCHEMA = {
  type: 'object',
  required: ['title', 'goals'],
  properties: { title: { type: 'string' }, goals: { type: 'array', items: { type: 'string' }, minItems: 1 } },
} as const;

/** Starts fake servers for one test file and closes them all in afterAll. */
export function fakeServers(): (options?: FakeOpenAIOptions) => Promise<FakeOpenAI> {
  const started: FakeOpenAI[] = [];
  afterAll(async () => {
    await Promise.all(started.map((server) => server.close()));
  });
  return async (options) => {
    const server = await startFakeOpenAI(options);
    started.push(server);
    return server;
  };
}

export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are the product manager. Your reply becomes a PRD message.' },
      { role: 'user', content: 'Write the PRD for a todo app in `docs/prd.md`.' },
    ],
    ...overrides,
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
