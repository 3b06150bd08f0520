import type { ResolvedSop } from '../spec/resolved.js';
import { buildReport, compactReport } from './report.js';
import { asRunError } from './run-error.js';
import { openRun, type HeldLocks, type OpenRun } from './run-open.js';
import { exitCodeFor } from './status.js';
import { runTeam, type TeamResult } from './team.js';
import type { RunOptions, RunResult } from './types.js';

/**
 * Runs an SOP to its end and records it under `<runsDir>/<run-id>/`. Run-time failures do not
 * throw: they end the run with status `failed` and the error, with the record on disk. Throws
 * (SopError) only for bad options, before anything is recorded: inputs, round limit, budget,
 * unusable folders (exit 2), model references `resolveModel` refuses (its error's code), a
 * run folder another process holds (`RUN_LOCKED`, exit 13), and a resume of a completed run or of
 * a journal another process wrote to since its resume point was read (`RUN_NOT_RESUMABLE`, exit 2),
 * and a workspace another live run holds (`WORKSPACE_LOCKED`, exit 13). The run holds its folder's
 * lock from its creation (or, resuming, before reading it) until it returns, and its workspace's
 * from before it writes there.
 * A new run and a resumed one differ only in where they start (`openRun`); the loop is the same.
 */
export async function runSop(sop: ResolvedSop, options: RunOptions): Promise<RunResult> {
  const held: HeldLocks = {};
  try {
    const run = await openRun(sop, options, held);
    const clock = performance.now();
    let result: TeamResult;
    try {
      result = await runTeam(run.state, run.root, run.core, {
        nRound: run.facts.settings.nRound,
        resumed: run.resumed,
        record: run.record,
      });
    } catch (error) {
      result = { status: 'failed', error: asRunError(error), rounds: run.core.round, messageCounts: run.core.messageCounts };
    }
    // A resumed run's duration is its working time over every attempt (the pauses between them not counted).
    return await finishRun(run, result, (options.resume?.earlierMs ?? 0) + Math.round(performance.now() - clock));
  } finally {
    // Released on every way out; a lock the caller took (`sop resume`) is the caller's to release.
    if (held.lock !== options.resume?.lock) held.lock?.release();
    held.workspace?.release();
  }
}

/** Reports how the run ended, closes what it opened and writes the last of its record. */
async function finishRun(run: OpenRun, result: TeamResult, durationMs: number): Promise<RunResult> {
  const { state, facts, root, redact } = run;
  const exitCode = exitCodeFor(result.status, result.error);
  const report = redact(buildReport(state, result, { exitCode, modelName: run.main.key, started: facts.started, ended: state.now(), durationMs }));
  const tokens = result.status === 'budget_exhausted' ? state.usage.tokenLimitReached() : undefined;
  root.emit({
    type: 'run-end',
    status: result.status,
    exitCode,
    rounds: result.rounds,
    ...(result.stoppedInRound === undefined ? {} : { stoppedInRound: result.stoppedInRound }),
    ...(report.error ? { error: report.error } : {}),
    ...(report.hint ? { hint: report.hint } : {}),
    costUsd: report.costUsd,
    ...(tokens ? { tokens } : {}),
    durationMs,
  });
  await state.toolbox.close();
  // The last clean boundary stays the resume point; the journal's run-closed line says how the run ended.
  try {
    run.record.end(run.core, root.drain(), result.status, state.approvals.pending);
  } catch (error) {
    // A record that cannot be written (a full disk) is closed all the same: its file stays a journal a resume reads.
    run.store.close();
    throw error;
  }
  await run.store.finish(report, { compact: compactReport(report) });
  return { runId: facts.runId, runDir: run.store.dir, workspace: state.workspace.root, status: result.status, exitCode, report, durability: facts.settings.durability, ...(result.error ? { error: result.error } : {}) };
}
