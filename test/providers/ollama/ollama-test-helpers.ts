import type { ChatRequest } from '../../../src/providers/chat-model.js';
import { ProviderError } from '../../../src/providers/provider-error.js';

/** A runtime-shaped request; `schema` makes it a JSON action with structured output. */
export function chatRequest(overrides: Partial<ChatRequest> = {}, schema?: Record<string, unknown>): ChatRequest {
  return {
    model: 'llama3.2',
    messages: [
      { role: 'system', content: schema ? 'You are a product manager. Your reply becomes a PRD message.' : 'You are a helpful assistant.' },
      { role: 'user', content: 'Requirement: a todo CLI that stores tasks in a file.' },
    ],
    ...(schema ? { responseSchema: { name: 'PRD', schema } } : {}),
    ...overrides,
  };
}

/** Runs the call and returns the ProviderError it must fail with. */
export async function failure(call: Promise<unknown>): Promise<ProviderError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}
