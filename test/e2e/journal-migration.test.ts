import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { readLines, readRunEvents } from '../../src/store/index.js';
import { artifacts } from './providers-helpers.js';
import { expectResumedLikeAFreshRun, recordedProject } from './run-fixture.js';

/**
 * A run folder written by sop before the run journal (checkpoint.json, events.jsonl,
 * responses.jsonl; see test/fixtures/old-run/README.md) resumes with this version.
 */
afterAll(removeTempDirs);

const RUN_ID = '20261203-131915-3020d0';
const OLD_FILES = ['checkpoint.json', 'events.jsonl', 'responses.jsonl', 'report.json', 'run.json', 'sop.yaml'];

const oldProject = (): { cwd: string; runDir: string } => recordedProject('old-run', RUN_ID);

describe('run folders recorded before the journal', () => {
  it('sop resume migrates one: the old events keep their seq, the old answers follow, the old checkpoint becomes the last snapshot, the old files stay; the run completes like an uninterrupted one', async () => {
    const { cwd, runDir } = oldProject();
    const before = Object.fromEntries(OLD_FILES.map((name) => [name, readFileSync(path.join(runDir, name), 'utf8')]));
    const oldEvents = before['events.jsonl']?.trimEnd().split('\n').map((line) => JSON.parse(line)) ?? [];

    // Completes with the same artifacts as a run of this version that was never stopped.
    await expectResumedLikeAFreshRun('old-run', cwd, RUN_ID);

    const journal = readLines(path.join(runDir, 'journal.jsonl'));
    const lines = journal?.records.map((line) => line.record) ?? [];
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    expect(lines.slice(0, oldEvents.length)).toEqual(oldEvents);
    // The old answer, then the old checkpoint last, as the old run ended with it.
    expect(lines[oldEvents.length]).toMatchObject({ type: 'call-answered', round: 1 });
    expect(lines[oldEvents.length + 1]).toMatchObject({ type: 'snapshot', ...JSON.parse(before['checkpoint.json'] as string) });
    const events = readRunEvents(runDir);
    expect(events.filter((event) => event.type === 'run-resume')).toMatchObject([{ round: 1, previousStatus: 'round_limit', checkpointSeq: 12 }]);
    expect(events.filter((event) => event.type === 'message-published').map((event) => (event['message'] as { id: string }).id)).toEqual(['m0001', 'm0002', 'm0003']);

    // The old files are as they were (report.json is the resumed run's now).
    for (const name of OLD_FILES.filter((file) => file !== 'report.json')) expect(readFileSync(path.join(runDir, name), 'utf8'), name).toBe(before[name]);

    const runs = await sop(['runs', '--json'], { cwd });
    expect(resultOf(runs)).toMatchObject({ runs: [{ id: RUN_ID, status: 'completed', rounds: 2 }] });
  });
});
