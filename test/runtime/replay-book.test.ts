import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/providers/chat-model.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ReplayBook, RequestKey, requestKey } from '../../src/runtime/replay-book.js';

const request = (attempt: number): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are Writer.' },
    { role: 'user', content: 'Write a draft about: tea' },
  ],
  providerOptions: {
    offline: { kind: 'action', role: 'writer', action: 'write_draft', format: 'markdown', outputType: 'Draft', language: undefined, artifactPaths: ['docs/draft.md'], attempt },
  },
  label: 'role "writer", action "write_draft"',
});

const OLD_KEY = Buffer.from('ed802ee83381d1b68170c35bef90ae85bb0f7ef6f1ebee371a4fe12fdd0a5b36', 'hex').toString('base64url');

describe('the response journal key', () => {
  it('is the key sop gave the same call when its hints were `ChatRequest.purpose`: journals of older runs still answer on resume', () => {
    // Computed by `requestKey` of commit 6374456 for this request with `purpose` set to the same
    // hints, in hex then (journals read a hex key back in base64url, as the key is made now).
    expect(requestKey('openai:gpt-4o-mini', request(1))).toBe(OLD_KEY);
  });

  it('tells apart calls that differ only in their offline hints, and ignores the label and callbacks', () => {
    expect(requestKey('openai:gpt-4o-mini', request(2))).not.toBe(requestKey('openai:gpt-4o-mini', request(1)));
    const noisy = { ...request(1), label: 'another label', onEvent: () => {}, onDelta: () => {} };
    expect(requestKey('openai:gpt-4o-mini', noisy)).toBe(requestKey('openai:gpt-4o-mini', request(1)));
  });
});

describe('a request key made later (the journal needs it only with the answer)', () => {
  it('is the key of the request as it was asked, whether read at once or made after the turn', async () => {
    const atOnce = new RequestKey('openai:gpt-4o-mini', request(1));
    const later = new RequestKey('openai:gpt-4o-mini', request(2)).soon();
    await nextTurn();
    expect(atOnce.value).toBe(OLD_KEY);
    expect(later.value).toBe(requestKey('openai:gpt-4o-mini', request(2)));
  });
});

describe('the replay book', () => {
  it('gives back why the model stopped: `length` as journaled, `stop` for an entry without it (every entry written before the field)', () => {
    const entry = { round: 2, key: 'k', model: 'gpt-4o-mini', promptTokens: 5, completionTokens: 8, estimated: false };
    const book = new ReplayBook([{ ...entry, text: 'cut sho', finishReason: 'length' }, { ...entry, text: 'whole.' }], 1);
    expect(book.take('k')?.response).toMatchObject({ text: 'cut sho', finishReason: 'length' });
    expect(book.take('k')?.response).toMatchObject({ text: 'whole.', finishReason: 'stop' });
  });

  it('gives back the attempts retried and cut before an answer; a line edited into nonsense there gives the answer without them', () => {
    const entry = { round: 2, key: 'k', model: 'gpt-4o-mini', text: 'ok', promptTokens: 5, completionTokens: 8, estimated: false };
    const cut = { promptTokens: 5, completionTokens: 3, estimated: true, costUsd: 0.0002 };
    const book = new ReplayBook([{ ...entry, retries: 1, cut }, { ...entry, retries: -2, cut: { promptTokens: 'many', completionTokens: 3 } } as never, entry], 1);
    expect(book.take('k')).toMatchObject({ retries: 1, cut });
    for (const bare of [book.take('k'), book.take('k')]) {
      expect(bare?.response.text).toBe('ok');
      expect(bare).not.toHaveProperty('retries');
      expect(bare).not.toHaveProperty('cut');
    }
  });
});

describe('a run a runner before 2026-12-08 interrupted (its system prompt doubled a description\'s full stop)', () => {
  const asked = (content: string): ChatRequest => ({ ...request(1), messages: [{ role: 'system', content: `You are Writer.\n\n${content}` }, { role: 'user', content: 'Write a spec' }] });
  const answer = { round: 2, model: 'gpt-4o-mini', text: 'the spec', promptTokens: 5, completionTokens: 8, estimated: false };

  it('is given back, once, the answer its journal holds under the older wording, not asked again', () => {
    const older = requestKey('openai:gpt-4o-mini', asked('Your reply becomes a Spec message: it pins the design down..'));
    const book = new ReplayBook([{ ...answer, key: older }], 1);
    const now = asked('Your reply becomes a Spec message: it pins the design down.');
    expect(book.take(requestKey('openai:gpt-4o-mini', now))).toBeUndefined();
    expect(book.takeOlderWording('openai:gpt-4o-mini', now)?.response.text).toBe('the spec');
    expect(book.size).toBe(0);
    expect(book.takeOlderWording('openai:gpt-4o-mini', now)).toBeUndefined();
  });

  it('gives nothing for a request the older runner worded the same (no description ending the sentence)', () => {
    const same = asked('Your reply becomes a Spec message: the design');
    const book = new ReplayBook([{ ...answer, key: requestKey('openai:gpt-4o-mini', same) }], 1);
    expect(book.takeOlderWording('openai:gpt-4o-mini', same)).toBeUndefined();
    expect(book.size).toBe(1);
  });
});
