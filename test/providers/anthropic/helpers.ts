import type { ChatMessage, ChatRequest } from '../../../src/providers/chat-model.js';

/** A ChatRequest for an action, with what the test cares about filled in. */
export function chatRequest(messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-test-1',
    messages,
    ...extra,
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
