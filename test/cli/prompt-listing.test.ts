import { describe, expect, it } from 'vitest';
import { PromptCollector, filterCalls, formatCalls } from '../../src/cli/prompt-listing.js';
import type { RunEvent } from '../../src/runtime/index.js';

/** `sop prompts`' pure part: a run's events to its calls, and the calls to text. */
const TIME = '2026-12-03T00:00:00.000Z';
const where = { round: 1, role: 'pm', action: 'write_prd', message: 'm1' };
const system = { role: 'system', content: 'You are PM.' };
const user = { role: 'user', content: 'Write the PRD.' };

function call(purpose: 'action' | 'judge' | 'react-choice', attempt: number, messages: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): RunEvent {
  return { type: 'llm-call-start', time: TIME, ...where, purpose, model: 'openai:gpt-4o', attempt, messages, ...extra } as RunEvent;
}

describe('PromptCollector', () => {
  it('names each call by kind and counts the output attempt from the revisions gates ask for', () => {
    const collector = new PromptCollector();
    const events: RunEvent[] = [
      { type: 'action-start', time: TIME, ...where } as RunEvent,
      call('action', 1, [system, user]),
      call('action', 1, [system, user, { role: 'assistant', content: '', toolCalls: [{ name: 'fs_read', arguments: '{}' }] }, { role: 'tool', toolName: 'fs_read', content: 'faq' }]),
      call('action', 2, [system, user, { role: 'assistant', content: 'bad' }, { role: 'user', content: 'not valid' }]),
      call('judge', 1, [system, { role: 'user', content: 'Rubric' }]),
      { type: 'gate-failed', time: TIME, ...where, gate: 'g', kind: 'judge', onFail: 'revise', feedback: 'no', attempt: 1 } as RunEvent,
      call('action', 1, [system, { role: 'user', content: 'Write the PRD. Feedback: no' }]),
      { type: 'gate-failed', time: TIME, ...where, gate: 'g', kind: 'judge', onFail: 'warn', feedback: 'meh', attempt: 2 } as RunEvent,
      call('react-choice', 1, [system, user], { action: undefined }),
    ];
    for (const event of events) collector.onEvent(event);
    expect(collector.calls.map(({ n, kind, attempt, reask }) => [n, kind, attempt, reask])).toEqual([
      [1, 'output', 1, undefined],
      [2, 'tool-results', 1, undefined],
      [3, 'reask', 1, 2],
      [4, 'judge', 1, undefined],
      [5, 'revision', 2, undefined],
      [6, 'react-choice', 1, undefined],
    ]);
    expect(collector.calls[0]).toMatchObject({ round: 1, role: 'pm', action: 'write_prd', model: 'openai:gpt-4o', messages: [system, user] });
    expect(filterCalls(collector.calls, { action: 'write_prd' }).map((kept) => kept.n)).toEqual([1, 2, 3, 4, 5]);
    expect(filterCalls(collector.calls, { role: 'architect' })).toEqual([]);
  });
});

describe('formatCalls', () => {
  it('heads each call, shows only the new messages of a call that goes on from the one before, and folds at maxChars', () => {
    const collector = new PromptCollector();
    collector.onEvent({ type: 'action-start', time: TIME, ...where, index: 0 } as RunEvent);
    collector.onEvent(call('action', 1, [system, user], { index: 0 }));
    collector.onEvent(call('action', 2, [system, user, { role: 'assistant', content: 'x'.repeat(30) }, { role: 'user', content: 'again' }], { index: 0 }));
    expect(formatCalls(collector.calls, { maxChars: 10 })).toBe(
      [
        '=== #1 round 1 | role pm | action write_prd | item 0 | output | attempt 1 | model openai:gpt-4o ===',
        '--- system',
        'You are PM',
        '[... 1 more characters]',
        '--- user',
        'Write the ',
        '[... 4 more characters]',
        '',
        '=== #2 round 1 | role pm | action write_prd | item 0 | reask | attempt 1 | re-ask 2 | model openai:gpt-4o ===',
        '(messages 1-2 as in #1)',
        '--- assistant',
        'xxxxxxxxxx',
        '[... 20 more characters]',
        '--- user',
        'again',
      ].join('\n'),
    );
  });
});
