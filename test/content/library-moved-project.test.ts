import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResolvedSop, readResumePoint, readRunEvents, readRunInfo, resumePlaces, runSop, type RunEvent } from '../../src/index.js';
import { removeTempDirs, repoRoot, tempDir } from '../cli/run-cli.js';

/**
 * A program resuming a run of a project moved or copied with its `.sop/` (docs/library.md "Stop and
 * continue"): `resumePlaces` finds the SOP where `sop resume` finds it, `runSop` goes on in the
 * workspace where it is now, and the `run-resume` event names the recorded paths it did not take.
 * test/fixtures/resume-slow on the offline model: alice writes a.md in round 1, bob's command waits
 * for the file `go` (there from the start), carol writes c.md from a prompt file.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');

/** The fixture at `<parent>/project`, run by the library until its round limit stops it after round 1. */
async function stoppedProject(parent: string): Promise<{ dir: string; runId: string }> {
  const dir = path.join(parent, 'project');
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(path.join(dir, 'workspace', 'slow'), { recursive: true });
  writeFileSync(path.join(dir, 'workspace', 'slow', 'go'), '');
  const { sop } = await loadResolvedSop(path.join(dir, 'slow.yaml'));
  const stopped = await runSop(sop, { cwd: dir, inputs: { idea: 'a note' }, nRound: 1 });
  expect(stopped.status).toBe('round_limit');
  return { dir, runId: stopped.runId };
}

const runFolder = (dir: string, runId: string): string => path.join(dir, '.sop', 'runs', runId);

describe('runSop resuming a run of a moved or copied project', () => {
  it('copied: resumePlaces finds the copy\'s SOP, the run ends in the copy\'s workspace, and run-resume says what it followed', async () => {
    const { dir: original, runId } = await stoppedProject(tempDir('sop-library-moved-'));
    const copy = path.join(tempDir('sop-library-copy-'), 'copy');
    cpSync(original, copy, { recursive: true });
    const runDir = runFolder(copy, runId);

    const point = readResumePoint(runDir);
    const followed = [
      { what: 'SOP', from: path.join(original, 'slow.yaml'), to: path.join(copy, 'slow.yaml'), why: 'moved' },
      { what: 'workspace', from: path.join(original, 'workspace', 'slow'), to: path.join(copy, 'workspace', 'slow'), why: 'moved' },
    ];
    const places = resumePlaces(runDir, point.checkpoint, { cwd: copy });
    expect(places).toEqual({ sopFile: path.join(copy, 'slow.yaml'), workspace: path.join(copy, 'workspace', 'slow'), followed });

    const { sop } = await loadResolvedSop(places.sopFile);
    const events: RunEvent[] = [];
    const resumed = await runSop(sop, { cwd: copy, inputs: {}, nRound: 6, resume: { runDir, ...point }, onEvent: (event) => events.push(event) });
    expect(resumed).toMatchObject({ status: 'completed', workspace: path.join(copy, 'workspace', 'slow') });
    expect(readFileSync(path.join(copy, 'workspace', 'slow', 'c.md'), 'utf8')).not.toBe('');
    // The original is left as it was: its workspace has round 1's file only.
    expect(readdirSync(path.join(original, 'workspace', 'slow')).sort()).toEqual(['a.md', 'go']);
    // Told once, as an event (the library prints nothing), and kept in the run's journal.
    expect(events.filter((event) => event.type === 'run-resume')).toEqual([expect.objectContaining({ followed })]);
    expect(readRunEvents(runDir).filter((event) => event.type === 'run-resume')).toEqual([expect.objectContaining({ followed })]);
  });

  it('moved: the SOP loaded from the moved project is enough, runSop finds the workspace itself; gone from both places, refused before anything is written', async () => {
    const parent = tempDir('sop-library-moved-');
    const { dir: original, runId } = await stoppedProject(parent);
    const moved = path.join(parent, 'moved');
    renameSync(original, moved);
    const runDir = runFolder(moved, runId);
    const { sop } = await loadResolvedSop(path.join(moved, 'slow.yaml'));

    renameSync(path.join(moved, 'workspace'), path.join(moved, 'elsewhere'));
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8');
    const refused = await runSop(sop, { cwd: moved, inputs: {}, nRound: 6, resume: { runDir, ...readResumePoint(runDir) } }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'FILE_NOT_FOUND',
      exitCode: 2,
      // Named as `sop resume` names it: relative to the working folder (`cwd`) when under it.
      message: `the workspace of run ${runId} is gone: not at ${path.join(original, 'workspace', 'slow')}, where the run recorded it, nor at ${path.join('workspace', 'slow')}, the same place in the project its run folder is in now`,
    });
    expect(readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8')).toBe(journal);
    expect(existsSync(original)).toBe(false);

    // `workspace` gives where it is now, as `sop resume --workspace` does.
    const events: RunEvent[] = [];
    const given = path.join(moved, 'elsewhere', 'slow');
    const resumed = await runSop(sop, { cwd: moved, inputs: {}, nRound: 6, workspace: given, resume: { runDir, ...readResumePoint(runDir) }, onEvent: (event) => events.push(event) });
    expect(resumed).toMatchObject({ status: 'completed', workspace: given });
    expect(readFileSync(path.join(given, 'c.md'), 'utf8')).not.toBe('');
    expect(events.find((event) => event.type === 'run-resume')).toMatchObject({
      followed: [
        { what: 'SOP', from: path.join(original, 'slow.yaml'), to: path.join(moved, 'slow.yaml'), why: 'moved' },
        { what: 'workspace', from: path.join(original, 'workspace', 'slow'), to: given, why: 'given' },
      ],
    });
    expect(existsSync(original)).toBe(false);
  });

  it('a runs folder inside the project, wherever in it, moves with it; an SOP outside the project is recorded by its absolute path and stays there', async () => {
    const parent = tempDir('sop-library-moved-');
    const sops = path.join(parent, 'sops');
    cpSync(FIXTURE, sops, { recursive: true });
    const original = path.join(parent, 'project');
    mkdirSync(path.join(original, 'workspace', 'slow'), { recursive: true });
    writeFileSync(path.join(original, 'workspace', 'slow', 'go'), '');
    const { sop } = await loadResolvedSop(path.join(sops, 'slow.yaml'));
    const stopped = await runSop(sop, { cwd: original, runsDir: path.join(original, 'records'), inputs: { idea: 'a note' }, nRound: 1 });
    expect(stopped.status).toBe('round_limit');
    expect(readRunInfo(stopped.runDir)?.['relative']).toEqual({ project: path.join('..', '..'), sop: path.join(sops, 'slow.yaml'), workspace: path.join('workspace', 'slow') });

    const moved = path.join(parent, 'moved');
    renameSync(original, moved);
    const runDir = path.join(moved, 'records', stopped.runId);
    const point = readResumePoint(runDir);
    const followed = [{ what: 'workspace', from: path.join(original, 'workspace', 'slow'), to: path.join(moved, 'workspace', 'slow'), why: 'moved' }];
    expect(resumePlaces(runDir, point.checkpoint, { cwd: moved })).toEqual({ sopFile: path.join(sops, 'slow.yaml'), workspace: path.join(moved, 'workspace', 'slow'), followed });
    const resumed = await runSop(sop, { cwd: moved, inputs: {}, nRound: 6, resume: { runDir, ...point } });
    expect(resumed).toMatchObject({ status: 'completed', workspace: path.join(moved, 'workspace', 'slow') });
    expect(readFileSync(path.join(moved, 'workspace', 'slow', 'c.md'), 'utf8')).not.toBe('');
    expect(existsSync(original)).toBe(false);
  });
});
