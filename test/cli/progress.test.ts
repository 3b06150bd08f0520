import { describe, expect, it, vi } from 'vitest';
import { OFFLINE_MODEL_NOTE, ProgressPrinter } from '../../src/cli/progress.js';
import type { RunEvent } from '../../src/runtime/index.js';

/** A stderr stand-in that records what was written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    text: '',
    isTTY,
    columns: 60,
    write(chunk: string): boolean {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

const time = '2026-01-01T00:00:00.000Z';
const events: RunEvent[] = [
  { type: 'run-start', time, runId: 'r1', sop: 'demo', version: '1.0.0', file: 'demo.yaml', workspace: 'ws', model: 'offline', offline: true, inputs: {} },
  { type: 'round-start', time, round: 1, roles: ['architect'] },
  { type: 'action-start', time, round: 1, role: 'architect', action: 'write_design', message: 'm0001' },
  { type: 'llm-call-end', time, round: 1, role: 'architect', action: 'write_design', purpose: 'action', model: 'offline', promptTokens: 200, completionTokens: 112, estimated: true, durationMs: 3 },
  { type: 'gate-failed', time, round: 1, role: 'architect', action: 'write_design', message: 'm0001', gate: 'has_diagram', onFail: 'revise', feedback: 'no diagram', attempt: 1 },
  { type: 'action-end', time, round: 1, role: 'architect', action: 'write_design', message: 'm0001', outcome: 'published', durationMs: 2500 },
  { type: 'round-end', time, round: 1, published: 1 },
  { type: 'round-start', time, round: 2, roles: ['qa'] },
  { type: 'action-start', time, round: 2, role: 'qa', action: 'run_tests', message: 'm0002' },
  { type: 'command-end', time, round: 2, role: 'qa', action: 'run_tests', message: 'm0002', exitCode: 1, passed: false, timedOut: false, durationMs: 5 },
  { type: 'action-end', time, round: 2, role: 'qa', action: 'run_tests', message: 'm0002', outcome: 'failed', durationMs: 5 },
  { type: 'round-end', time, round: 2, published: 0 },
  { type: 'run-end', time, status: 'failed', exitCode: 9, rounds: 2, durationMs: 3000 },
];

describe('ProgressPrinter', () => {
  it('a resume says which run it continues, after which round, what stopped it and what the journal answers', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    progress.onEvent({ type: 'run-resume', time, runId: 'r1', round: 2, checkpointSeq: 40, journaled: 3, previousStatus: 'round_limit', investment: null, nRound: 5 });
    expect(stream.text).toBe('resume r1: after 2 rounds (was round limit), at most 5 rounds; 3 answered calls from the journal\n');
    progress.onEvent({ type: 'run-resume', time, runId: 'r1', round: 2, checkpointSeq: 40, journaled: 1, previousStatus: 'round_limit', investment: null, nRound: 5 });
    expect(stream.text).toContain('; 1 answered call from the journal\n');
  });

  it('says which calls of an action the cache or a cassette answered, counting only that run of the action', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    const at = { time, round: 1, role: 'writer', action: 'write', message: 'm0001' } as const;
    const call = (cached?: 'cache' | 'replay') =>
      ({ type: 'llm-call-end', ...at, purpose: 'action', model: 'gpt-4o-mini', promptTokens: 10, completionTokens: 5, estimated: false, durationMs: 1, ...(cached ? { cached } : {}) }) as RunEvent;
    const runOf = (calls: RunEvent[]) => {
      progress.onEvent({ type: 'action-start', ...at } as RunEvent);
      for (const event of calls) progress.onEvent(event);
      progress.onEvent({ type: 'action-end', ...at, outcome: 'published', durationMs: 1000 } as RunEvent);
    };
    runOf([call('cache')]);
    runOf([call('replay'), call('replay')]);
    runOf([call('cache'), call('replay'), call()]);
    runOf([call()]);
    expect(stream.text.split('\n').filter(Boolean)).toEqual([
      '[round 1] writer write ... done (cached, 15 tokens, 1.0s)',
      '[round 1] writer write ... done (2 calls, replayed, 30 tokens, 1.0s)',
      '[round 1] writer write ... done (3 calls, 2 cached or replayed, 45 tokens, 1.0s)',
      '[round 1] writer write ... done (15 tokens, 1.0s)',
    ]);
  });

  it('counts an action\'s tool calls and names the tools that failed; asks for approval on its own line', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    const at = { time, round: 1, role: 'support', action: 'answer', message: 'm0001' } as const;
    for (const event of [
      { type: 'action-start', ...at },
      { type: 'tool-call-end', ...at, tool: 'notes.get_note', call: 'c1', ok: true, resultBytes: 12, durationMs: 4 },
      { type: 'tool-call-end', ...at, tool: 'shell', call: 'c2', ok: false, resultBytes: 30, error: '"sh" is not an allowed program', durationMs: 1 },
      { type: 'approval-requested', ...at, gate: 'approve', prompt: 'Ship it?', artifacts: ['answer.md'] },
      { type: 'action-end', ...at, outcome: 'awaiting-approval', durationMs: 1200 },
    ] as RunEvent[]) {
      progress.onEvent(event);
    }
    expect(stream.text).toBe(
      [
        '[round 1] support answer: tool shell failed: "sh" is not an allowed program',
        '[round 1] support answer: gate approve asks for approval: Ship it?',
        '[round 1] support answer ... awaiting approval (2 tool calls, 1.2s)',
        '',
      ].join('\n'),
    );
  });

  it('plain mode (CI, not a TTY): only permanent lines, one per finished action', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    for (const event of events) progress.onEvent(event);
    expect(stream.text).toBe(
      [
        'run r1: demo 1.0.0',
        OFFLINE_MODEL_NOTE,
        'workspace: ws',
        '[round 1] architect write_design: gate has_diagram failed (revise)',
        '    no diagram',
        '[round 1] architect write_design ... done (312 tokens, 2.5s)',
        '[round 2] qa run_tests ... FAILED (command exit 1)',
        '',
      ].join('\n'),
    );
  });

  it('live mode (TTY): a status line redrawn in place, cleared before permanent lines and at the end', () => {
    const stream = fakeStream(true);
    const progress = new ProgressPrinter({ stream, live: true });
    for (const event of events) progress.onEvent(event);
    expect(stream.text).toMatch(/\r\x1b\[2Kround 1 · \d+s · architect write_design · 312 tokens/);
    expect(stream.text).toContain('\r\x1b[2K[round 1] architect write_design ... done (312 tokens, 2.5s)\n');
    // After run-end the status line is gone: the last thing written is the clearing sequence.
    expect(stream.text.endsWith('\r\x1b[2K')).toBe(true);
    const visible = stream.text.split('\n').map((line) => line.split('\r\x1b[2K').at(-1));
    expect(visible).toContain('[round 2] qa run_tests ... FAILED (command exit 1)');
  });

  it('a failing gate prints why: the first lines of its feedback, colour sequences and control bytes removed, the rest counted', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    const feedback = ['\u001b[31mFAIL\u001b[0m: test_add (test_calc.CalcTest)', '', 'Traceback (most recent call last):', `  ${'x'.repeat(200)}`, 'AssertionError: 1 != 2', 'Ran 3 tests\u0000'].join('\n');
    progress.onEvent({ type: 'gate-failed', time, round: 4, role: 'engineer', action: 'fix_code', index: 1, message: 'm0007', gate: 'tests', kind: 'command', onFail: 'revise', feedback, attempt: 1 } as RunEvent);
    expect(stream.text).toBe(
      [
        '[round 4] engineer fix_code #1: gate tests failed (revise)',
        '    FAIL: test_add (test_calc.CalcTest)',
        '    Traceback (most recent call last):',
        `      ${'x'.repeat(157)}…`,
        "    … 2 more lines (in the run's journal.jsonl)",
        '',
      ].join('\n'),
    );
  });

  it('an invalid output says it is asked again and why, except at the last attempt, after which the action fails (its error says why)', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    const at = { time, round: 2, role: 'qa', action: 'review', message: 'm0003', errors: ['/verdict: required'], raw: '{}', maxAttempts: 3 };
    for (const attempt of [1, 2, 3]) progress.onEvent({ type: 'output-invalid', ...at, attempt } as RunEvent);
    expect(stream.text.split('\n')).toEqual([
      '[round 2] qa review: invalid output, asking again (attempt 1 of 3)',
      '    /verdict: required',
      '[round 2] qa review: invalid output, asking again (attempt 2 of 3)',
      '    /verdict: required',
      '[round 2] qa review: invalid output (attempt 3 of 3, the last)',
      '',
    ]);
  });

  it('a foreach item is numbered from 0 on every line, as sop resume and the approval summary number it', () => {
    const stream = fakeStream(false);
    const progress = new ProgressPrinter({ stream, live: false });
    const at = { time, round: 1, role: 'engineer', action: 'write_code', message: 'm0002', index: 0 };
    progress.onEvent({ type: 'action-start', ...at } as RunEvent);
    progress.onEvent({ type: 'approval-requested', ...at, gate: 'ship', prompt: 'Ship it?', artifacts: [] } as RunEvent);
    progress.onEvent({ type: 'approval-decided', ...at, gate: 'ship', decision: 'reject', by: 'resume', feedback: 'no' } as RunEvent);
    progress.onEvent({ type: 'action-end', ...at, outcome: 'awaiting-approval', durationMs: 1000 } as RunEvent);
    expect(stream.text.split('\n')).toEqual([
      '[round 1] engineer write_code #0: gate ship asks for approval: Ship it?',
      '[round 1] engineer write_code #0: gate ship: reject (given to sop resume)',
      '[round 1] engineer write_code #0 ... awaiting approval (1.0s)',
      '',
    ]);
  });

  it('live mode: the status line shows the seconds elapsed and keeps counting while nothing else happens', async () => {
    const stream = fakeStream(true);
    const progress = new ProgressPrinter({ stream, live: true });
    for (const event of events.slice(0, 3)) progress.onEvent(event);
    const drawn = stream.text.length;
    expect(stream.text.slice(stream.text.lastIndexOf('\r'))).toMatch(/^\r\x1b\[2Kround 1 · \d+s · architect write_design · 0 tokens$/);
    // No event arrives during a long call: the clock alone redraws the line (an unchanged line is never redrawn).
    await vi.waitFor(() => expect(stream.text.length).toBeGreaterThan(drawn), { timeout: 20_000, interval: 50 });
    expect(stream.text.slice(stream.text.lastIndexOf('\r'))).toMatch(/^\r\x1b\[2Kround 1 · [1-9]\d*s · architect write_design · 0 tokens$/);
    progress.finish();
    const written = stream.text.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Once finished (the run's end, or a prompt taking the terminal) the clock no longer draws.
    expect(stream.text.length).toBe(written);
  });
});
