import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResumePoint } from '../../src/runtime/index.js';
import { JOURNAL_FILE } from '../../src/store/index.js';
import { runFixture } from './helpers/run-fixture.js';

/**
 * A queued run taken over by a worker of the same machine: the worker resumes a copy of the run's
 * journal from Redis in a folder of its own, and the journal's run-info names the worker that ran it
 * before, alive when that worker lost its Redis lock (Redis restarted under it). The copy was refused
 * as held by that process ("is in use: sop run (pid N on host H) holds it") and the run failed:
 * seen once in the queue's end-to-end test (a worker SIGKILLed and Redis restarted).
 */
describe('resuming a copy of a journal kept elsewhere (journalReplica: a queued run)', () => {
  it('is not refused for the live process its run-info names; a plain resume of that folder still is', async () => {
    const first = await runFixture('pipeline.yaml', { nRound: 1 });
    expect(first.result.status).toBe('round_limit');
    // As the worker's copy is: the journal alone (no report.json), written just now, naming another live process of this host.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const file = path.join(first.result.runDir, JOURNAL_FILE);
      const journal = readFileSync(file, 'utf8');
      const named = journal.replace(/"holder":\{"pid":\d+,"host":"[^"]*"\}/, `"holder":{"pid":${other.pid},"host":${JSON.stringify(os.hostname())}}`);
      expect(named).not.toBe(journal);
      writeFileSync(file, named);
      rmSync(path.join(first.result.runDir, 'report.json'));
      const resume = { runDir: first.result.runDir, ...readResumePoint(first.result.runDir) };

      await expect(runFixture('pipeline.yaml', { cwd: first.cwd, nRound: 6, resume })).rejects.toMatchObject({
        code: 'RUN_LOCKED',
        message: expect.stringContaining(`sop run (pid ${other.pid} on host ${os.hostname()}) holds it`),
      });
      const appended: Buffer[] = [];
      const copy = await runFixture('pipeline.yaml', { cwd: first.cwd, nRound: 6, resume, journalReplica: { append: async (data) => void appended.push(data) } });
      expect(copy.result.status).toBe('completed');
      expect(Buffer.concat(appended).toString('utf8')).toContain('"type":"run-closed"');
    } finally {
      other.kill('SIGKILL');
    }
  });
});
