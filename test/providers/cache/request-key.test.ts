import { describe, expect, it } from 'vitest';
import { requestKey } from '../../../src/providers/cache/index.js';
import { chatRequest } from '../resilience/scripted-model.js';

describe('requestKey', () => {
  it('is the sha256 hex of the request body, blind to signal, callbacks, label and provider options', () => {
    const base = requestKey('openai', chatRequest());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const noisy = chatRequest({
      signal: new AbortController().signal,
      onDelta: () => {},
      onEvent: () => {},
      label: 'role "qa", react-choice call',
      providerOptions: { offline: { kind: 'react-choice', role: 'qa', options: ['a', 'done'], chosen: [] } },
    });
    expect(requestKey('openai', noisy)).toBe(base);
  });

  it('ignores key order inside the response schema', () => {
    const a = chatRequest({ responseSchema: { name: 'prd', schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } } });
    const b = chatRequest({ responseSchema: { schema: { properties: { title: { type: 'string' } }, required: ['title'], type: 'object' }, name: 'prd' } });
    expect(requestKey('openai', a)).toBe(requestKey('openai', b));
  });

  it('changes with provider, model, messages, temperature, maxTokens and schema', () => {
    const base = requestKey('openai', chatRequest());
    const variants = [
      requestKey('groq', chatRequest()),
      requestKey('openai', chatRequest({ model: 'gpt-4o' })),
      requestKey('openai', chatRequest({ messages: [{ role: 'user', content: 'other' }] })),
      requestKey('openai', chatRequest({ temperature: 0.2 })),
      requestKey('openai', chatRequest({ maxTokens: 100 })),
      requestKey('openai', chatRequest({ responseSchema: { name: 'x', schema: {} } })),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
