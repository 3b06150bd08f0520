import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, RunJournal, type JournalEntry, type JournalReplica } from '../../src/store/index.js';

/**
 * A journal replica (a queued run's Redis copy) receives every write in file order, and an answered
 * call is not handed back until the replica holds it: a worker killed after that never pays twice.
 */
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function journalFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-replica-'));
  folders.push(dir);
  return path.join(dir, JOURNAL_FILE);
}

const answer = (key: string): JournalEntry => ({ round: 1, key, text: `answer ${key}`, model: 'm', promptTokens: 1, completionTokens: 1, estimated: false });

/** A replica whose appends complete only when the test says so. */
function heldReplica(): JournalReplica & { chunks: Buffer[]; release(): void; fail(error: Error): void } {
  const chunks: Buffer[] = [];
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  return {
    chunks,
    append(data) {
      chunks.push(Buffer.from(data));
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    release: () => waiting.splice(0).forEach(({ resolve }) => resolve()),
    fail: (error) => waiting.splice(0).forEach(({ reject }) => reject(error)),
  };
}

describe('a journal replica', () => {
  it('holds the same bytes as the file, and an answer is saved only once the replica has it', async () => {
    const file = journalFile();
    const replica = heldReplica();
    const journal = new RunJournal(file, { replica });
    journal.appendBatch([{ type: 'run-start' }], { build: (seq) => ({ round: 0, eventSeq: seq - 1 }) });
    let saved = false;
    const answered = journal.answers.append(answer('a')).then(() => (saved = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // On disk, but not yet in the replica: the caller still waits.
    expect(readFileSync(file, 'utf8')).toContain('call-answered');
    expect(saved).toBe(false);
    replica.release();
    await answered;
    expect(saved).toBe(true);
    journal.appendBatch([{ type: 'round-commit', round: 1 }]);
    replica.release();
    await journal.replicaSynced();
    journal.close();
    expect(Buffer.concat(replica.chunks).toString('utf8')).toBe(readFileSync(file, 'utf8'));
  });

  it('a failed replica write rejects that answer and every later one (no gap is skipped)', async () => {
    const replica = heldReplica();
    const journal = new RunJournal(journalFile(), { replica });
    const outcome = (saved: Promise<void>): Promise<string> => saved.then(() => 'saved', (error: Error) => error.message);
    const first = outcome(journal.answers.append(answer('a')));
    await new Promise((resolve) => setImmediate(resolve));
    replica.fail(new Error('redis went away'));
    expect(await first).toBe('redis went away');
    const second = outcome(journal.answers.append(answer('b')));
    await new Promise((resolve) => setImmediate(resolve));
    replica.release();
    expect(await second).toBe('redis went away');
    journal.close();
  });
});
