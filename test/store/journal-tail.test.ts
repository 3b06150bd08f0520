import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, readJournalEnd } from '../../src/store/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A run folder whose journal.jsonl is `text`. */
function runDirWith(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-journal-tail-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, JOURNAL_FILE), text);
  return dir;
}

const line = (record: object): string => `${JSON.stringify(record)}\n`;
const event = (seq: number): string => line({ seq, type: 'action-end', round: 1 });

describe('readJournalEnd: how a run journal ends, from its last line', () => {
  it('a final snapshot: the run ended, with its status and round', () => {
    const dir = runDirWith(event(1) + line({ seq: 2, type: 'snapshot', round: 3, status: 'round_limit' }));
    expect(readJournalEnd(dir)).toEqual({ ended: true, status: 'round_limit', round: 3 });
  });

  it('a run-closed line (journal version 5): the run ended, with its status and the round of its last boundary', () => {
    const dir = runDirWith(event(1) + line({ seq: 2, type: 'run-closed', status: 'awaiting_approval', round: 2, awaiting: [{ gate: 'g' }] }));
    expect(readJournalEnd(dir)).toEqual({ ended: true, status: 'awaiting_approval', round: 2 });
  });

  it.each([
    ['an event after the run-closed line (a resume went on)', line({ seq: 1, type: 'run-closed', round: 1, status: 'interrupted' }) + event(2)],
    ['an event after the final snapshot (a resume went on)', line({ seq: 1, type: 'snapshot', round: 1, status: 'round_limit' }) + event(2)],
    ['a round-commit', event(1) + line({ seq: 2, type: 'round-commit', round: 2 })],
    ['a snapshot of a running run', line({ seq: 1, type: 'snapshot', round: 2, status: 'running' })],
    ['a torn last line (no newline)', line({ seq: 1, type: 'snapshot', round: 1, status: 'completed' }).trimEnd()],
    ['a last line that is not JSON (zeros after a power loss)', `${line({ seq: 1, type: 'snapshot', round: 1, status: 'completed' })}\0\0\0\n`],
    ['nothing yet', ''],
  ])('%s: not ended', (_what, text) => {
    expect(readJournalEnd(runDirWith(text))).toEqual({ ended: false });
  });

  it('a final snapshot far longer than one read, after a long journal: read whole', () => {
    const dir = runDirWith('');
    for (let seq = 1; seq <= 2000; seq += 1) appendFileSync(path.join(dir, JOURNAL_FILE), event(seq));
    const messages = Array.from({ length: 3000 }, (_, index) => ({ id: index, content: 'x'.repeat(60) }));
    appendFileSync(path.join(dir, JOURNAL_FILE), line({ seq: 2001, type: 'snapshot', round: 7, status: 'completed', messages }));
    expect(readJournalEnd(dir)).toEqual({ ended: true, status: 'completed', round: 7 });
  });

  it('a journal that is one line: read from its start', () => {
    expect(readJournalEnd(runDirWith(line({ seq: 1, type: 'snapshot', round: 0, status: 'failed' })))).toEqual({ ended: true, status: 'failed', round: 0 });
  });

  it('no journal (a run folder of an older version): undefined', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-journal-tail-'));
    dirs.push(dir);
    expect(readJournalEnd(dir)).toBeUndefined();
  });
});
