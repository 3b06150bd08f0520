import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { RUN_ID_PATTERN, RUN_LOCK_FILE, RunLock, RunStore, createRunId, listRuns, readPinnedSop, readRunInfo, runStartRecords, type RunRecordStart } from '../../src/store/index.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** What a run's record says it is (its journal's first line); started on the id's day. */
function runInfo(id: string, sop: string): RunRecordStart['runInfo'] {
  const day = id.slice(0, 8);
  return {
    id,
    sop: { name: sop, version: '1.0.0', file: `${sop}.yaml`, sha256: 'a'.repeat(64) },
    inputs: {},
    model: 'offline',
    models: ['offline'],
    provider: 'offline',
    workspace: '/tmp/ws',
    started: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00.000Z`,
  };
}

/** A run folder whose journal begins as a run's does. */
function started(runsDir: string, id: string, sop: string): RunStore {
  const store = RunStore.create(runsDir, id);
  store.journal.appendBatch(runStartRecords({ sopText: `name: ${sop}\n`, runInfo: runInfo(id, sop) }));
  return store;
}

function tempRunsDir(): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'sop-runs-'));
  folders.push(base);
  return path.join(base, '.sop', 'runs');
}

describe('run ids', () => {
  it('are YYYYMMDD-HHMMSS-<6 hex> in UTC', () => {
    expect(createRunId(new Date(Date.UTC(2025, 10, 24, 9, 5, 7)), 'a1b2c3')).toBe('20251124-090507-a1b2c3');
    expect(createRunId(new Date())).toMatch(RUN_ID_PATTERN);
  });
});

describe('RunStore', () => {
  it('appends numbered events, one JSON object per line, across batches', () => {
    const store = RunStore.create(tempRunsDir(), '20250101-000000-000001');
    store.journal.appendBatch([{ type: 'run-start' }, { type: 'round-start', round: 1 }]);
    store.journal.appendBatch([]);
    store.journal.appendBatch([{ type: 'run-end' }]);
    store.close();
    const lines = readFileSync(path.join(store.dir, 'journal.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { seq: 1, type: 'run-start' },
      { seq: 2, type: 'round-start', round: 1 },
      { seq: 3, type: 'run-end' },
    ]);
  });

  it('begin/finish: the journal starts with what the run is (written by begin) and the SOP as run, then the events appended before it was open, in order; the folder holds the journal and the report only', async () => {
    const runsDir = tempRunsDir();
    const store = RunStore.begin(runsDir, '20250101-000000-000002', { sopText: 'apiVersion: sop/v1\n', runInfo: runInfo('20250101-000000-000002', 'one') });
    // What the run is (and who holds it) is on disk when begin returns: a kill at once leaves a journal that names its run.
    expect(readRunInfo(store.dir)).toEqual(runInfo('20250101-000000-000002', 'one'));
    expect(readPinnedSop(store.dir)).toBeUndefined();
    store.journal.appendBatch([{ type: 'run-start' }]);
    store.journal.appendBatch([{ type: 'round-start', round: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    store.journal.appendBatch([{ type: 'run-end' }]);
    await store.finish({ status: 'completed' });
    const lines = readFileSync(path.join(store.dir, 'journal.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.seq, line.type])).toEqual([[1, 'run-info'], [2, 'sop-text'], [3, 'run-start'], [4, 'round-start'], [5, 'run-end']]);
    expect(lines[0]).toEqual({ seq: 1, type: 'run-info', journalVersion: 5, ...runInfo('20250101-000000-000002', 'one') });
    expect(readRunInfo(store.dir)).toEqual(runInfo('20250101-000000-000002', 'one'));
    expect(readPinnedSop(store.dir)).toBe('apiVersion: sop/v1\n');
    expect(readdirSync(store.dir).sort()).toEqual(['journal.jsonl', 'report.json']);
    expect(JSON.parse(readFileSync(path.join(store.dir, 'report.json'), 'utf8'))).toEqual({ status: 'completed' });
    expect(() => RunStore.begin(runsDir, '20250101-000000-000002', { sopText: '', runInfo: runInfo('x', 'x') })).toThrowError(expect.objectContaining({ code: 'USAGE' }));
  });

  it('refuses to reuse a run folder', () => {
    const runsDir = tempRunsDir();
    RunStore.create(runsDir, 'same').close();
    expect(() => RunStore.create(runsDir, 'same')).toThrowError(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('listRuns', () => {
  it('lists runs newest first with status, rounds and exit code; a held run is running, an unfinished one nobody holds crashed', async () => {
    const runsDir = tempRunsDir();
    const finished = started(runsDir, '20250101-000000-aaaaaa', 'one');
    finished.journal.appendBatch([{ type: 'run-end' }], { build: () => ({ round: 3, status: 'stalled' }), force: true });
    finished.writeReport({ status: 'stalled', exitCode: 4, rounds: 3 });
    finished.close();
    const running = started(runsDir, '20250102-000000-bbbbbb', 'two');
    running.close();
    const lock = RunLock.acquire(running.dir, 'run');
    const killed = started(runsDir, '20250103-000000-cccccc', 'three');
    killed.close();
    // What a SIGKILLed run leaves: its lock, naming a process that is gone.
    writeFileSync(path.join(killed.dir, RUN_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), since: '2025-01-03T00:00:00.000Z', command: 'run' }));
    mkdirSync(path.join(runsDir, 'not-a-run'));
    writeFileSync(path.join(runsDir, 'stray.txt'), 'x');
    try {
      const runs = await listRuns(runsDir);
      expect(runs.map(({ runId, sop, status, rounds, exitCode }) => ({ runId, sop, status, rounds, exitCode }))).toEqual([
        { runId: '20250103-000000-cccccc', sop: 'three', status: 'crashed', rounds: 0, exitCode: null },
        { runId: '20250102-000000-bbbbbb', sop: 'two', status: 'running', rounds: 0, exitCode: null },
        { runId: '20250101-000000-aaaaaa', sop: 'one', status: 'stalled', rounds: 3, exitCode: 4 },
      ]);
    } finally {
      lock.release();
    }
  });

  it('a killed resume is crashed, whatever the report of the attempt before says; a run of an older version (no journal) is its report', async () => {
    const runsDir = tempRunsDir();
    const resumed = started(runsDir, '20250101-000000-aaaaaa', 'one');
    resumed.journal.appendBatch([{ type: 'run-end' }], { build: () => ({ round: 1, status: 'round_limit' }), force: true });
    resumed.writeReport({ status: 'round_limit', exitCode: 5, rounds: 1 });
    // The resume's first round, saved; then the process was killed (no final snapshot, no lock holder).
    resumed.journal.appendBatch([{ type: 'run-resume' }, { type: 'round-commit', round: 2 }]);
    resumed.close();
    const old = path.join(runsDir, '20250102-000000-bbbbbb');
    mkdirSync(old);
    writeFileSync(path.join(old, 'run.json'), JSON.stringify({ id: '20250102-000000-bbbbbb', sop: { name: 'two' }, started: '2025-01-02T00:00:00.000Z' }));
    writeFileSync(path.join(old, 'report.json'), JSON.stringify({ status: 'budget_exhausted', exitCode: 6, rounds: 2 }));
    const runs = await listRuns(runsDir);
    expect(runs.map(({ runId, status, rounds, exitCode }) => ({ runId, status, rounds, exitCode }))).toEqual([
      { runId: '20250102-000000-bbbbbb', status: 'budget_exhausted', rounds: 2, exitCode: 6 },
      // The rounds its journal committed (the resume's round 2), not the report's.
      { runId: '20250101-000000-aaaaaa', status: 'crashed', rounds: 2, exitCode: null },
    ]);
  });

  it('returns nothing for a missing folder', async () => {
    expect(await listRuns(path.join(os.tmpdir(), 'sop-no-such-folder-xyz'))).toEqual([]);
  });
});
