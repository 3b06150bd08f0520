import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { envelopeOf, resultOf } from '../support/cli-envelope.js';
import { project } from './providers-helpers.js';
import { FAN_OUT_CALLS, journalLines, journalRecords, runDirOf, start, waitFor, writeSop, fakeFor, gateFor } from './resume-helpers.js';

/**
 * One run at a time per workspace, with real processes: a second `sop run` of the same SOP in the
 * same project while the first waits for its model is refused (exit 13) before it writes anything,
 * naming the run that holds the workspace; another workspace is not held; the hold ends with the
 * run, and a SIGKILLed run's hold is taken over at once.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];
const IDEA = 'a todo app';

const runsDir = (cwd: string): string => path.join(cwd, '.sop', 'runs');
const runFolders = (cwd: string): string[] => readdirSync(runsDir(cwd), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const lockFiles = (cwd: string): string[] => readdirSync(runsDir(cwd)).filter((name) => name.startsWith('.workspace-'));

describe.concurrent('workspace lock', () => {
  it('a second `sop run` into the workspace of a live run is refused (exit 13, names the workspace and the run); another workspace runs; the hold ends with the run', async (context) => {
    const server = await fakeFor(context);
    const proxy = await gateFor(context, server);
    const cwd = project();
    const sop = writeSop(cwd);
    const first = start(cwd, ['run', sop, IDEA, ...MODEL, '--json'], proxy.url);
    // The first run waits for its first answer: it holds its workspace.
    await waitFor(() => proxy.held() > 0 && runDirOf(cwd) !== undefined, () => `CLI stderr: ${first.stderr() || '(nothing)'}`);
    const runId = path.basename(runDirOf(cwd) as string);
    const workspace = realpathSync(path.join(cwd, 'workspace', 'fan-out'));

    const refused = await start(cwd, ['run', sop, 'another idea', ...MODEL, '--json'], proxy.url).done;
    expect(refused.code, refused.stderr).toBe(13);
    expect(refused.stderr).toMatch(
      new RegExp(`^error WORKSPACE_LOCKED: workspace ${workspace} is in use: sop run ${runId} \\(pid ${first.child.pid} on host ${os.hostname()}\\) holds it since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`, 'm'),
    );
    expect(refused.stderr).toContain('hint: wait for that run to end (or stop it), or give this run a workspace of its own (--workspace DIR; runSop\'s `workspace` option)');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(envelopeOf(refused)).toMatchObject({ ok: false, exitCode: 13, error: { code: 'WORKSPACE_LOCKED' } });
    // Refused before it made a run folder or asked the model.
    expect(runFolders(cwd)).toEqual([runId]);
    expect(proxy.held()).toBe(1);

    const elsewhere = start(cwd, ['run', sop, 'another idea', ...MODEL, '--workspace', 'other', '--json'], proxy.url);
    await waitFor(() => proxy.held() > 1, () => `CLI stderr: ${elsewhere.stderr() || '(nothing)'}`);
    proxy.open();
    for (const done of [await first.done, await elsewhere.done]) {
      expect(done.code, done.stderr).toBe(0);
      expect(resultOf(done)).toMatchObject({ status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
    }
    expect(lockFiles(cwd)).toEqual([]);

    const again = await start(cwd, ['run', sop, 'a third idea', ...MODEL, '--json'], proxy.url).done;
    expect(again.code, again.stderr).toBe(0);
    expect(runFolders(cwd)).toHaveLength(3);
  });

  it('a SIGKILLed run leaves its hold behind: the next run in its workspace takes it over at once, and the killed run resumes', async (context) => {
    const server = await fakeFor(context);
    const proxy = await gateFor(context, server);
    const cwd = project();
    const sop = writeSop(cwd);
    const killed = start(cwd, ['run', sop, IDEA, ...MODEL], proxy.url);
    // Killed once its start is saved (the first boundary's snapshot, written while its first call is out): a run killed before it has nothing to resume.
    const saved = (): boolean => {
      const dir = runDirOf(cwd);
      return dir !== undefined && journalRecords(dir).some((record) => record.type === 'snapshot');
    };
    await waitFor(() => proxy.held() > 0 && saved(), () => `CLI stderr: ${killed.stderr() || '(nothing)'}`);
    const killedId = path.basename(runDirOf(cwd) as string);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(lockFiles(cwd)).toHaveLength(1);
    expect(journalLines(runDirOf(cwd))).toBe(0);

    proxy.open();
    const next = await start(cwd, ['run', sop, 'another idea', ...MODEL, '--json'], proxy.url).done;
    expect(next.code, next.stderr).toBe(0);
    const resumed = await start(cwd, ['resume', killedId, '--json'], proxy.url).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resultOf(resumed)).toMatchObject({ runId: killedId, status: 'completed' });
    expect(lockFiles(cwd)).toEqual([]);
    expect(existsSync(path.join(runsDir(cwd), killedId, 'report.json'))).toBe(true);
  });

  it("a running run's folder removed (rm -rf): its hold still refuses others; the run ends with one storage error (exit 14), not an internal one, and leaves no hold", async (context) => {
    const server = await fakeFor(context);
    const proxy = await gateFor(context, server);
    const cwd = project();
    const sop = writeSop(cwd);
    const removed = start(cwd, ['run', sop, IDEA, ...MODEL], proxy.url);
    await waitFor(() => proxy.held() > 0 && runDirOf(cwd) !== undefined, () => `CLI stderr: ${removed.stderr() || '(nothing)'}`);
    const runDir = runDirOf(cwd) as string;
    rmSync(runDir, { recursive: true, force: true });

    const refused = await start(cwd, ['run', sop, 'another idea', ...MODEL], proxy.url).done;
    expect(refused.code, refused.stderr).toBe(13);
    expect(refused.stderr).toContain(`sop run ${path.basename(runDir)} (pid ${removed.child.pid} on host ${os.hostname()})`);

    proxy.open();
    const done = await removed.done;
    expect(done.code, done.stderr).toBe(14);
    expect(done.stderr).toContain(`error STORAGE_FOLDER_GONE: cannot write ${path.join(runDir, 'report.json')}: its folder is gone (removed while sop was writing there) (ENOENT)`);
    expect(done.stderr).not.toMatch(STACK_LINE);
    expect(lockFiles(cwd)).toEqual([]);
  });
});
