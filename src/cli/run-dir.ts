import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { RUN_FILES } from '../store/run-store.js';
import { sopCommandWord } from './invocation.js';

/** RUN is a run folder's path, else a run id under the runs folder (`sop resume`, `sop runs --sop`). */
export function findRunDir(run: string, runsDir: string): string {
  // An empty id would name the working folder (or the runs folder) itself.
  if (run.trim() === '') throw new SopError('USAGE', 'no run given: expected a run id or the path of a run folder', { hint: `list runs with \`${sopCommandWord()} runs\`` });
  const candidates = [path.resolve(run), path.resolve(runsDir, run)];
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      // try the next
    }
  }
  throw new SopError('RUN_NOT_FOUND', `no run ${run} (looked for the folder ${candidates[1]} and ${candidates[0]})`, {
    hint: `list runs with \`${sopCommandWord()} runs\`, or pass the path of a run folder`,
  });
}

/**
 * The runs folder a listing reads (`sop runs`, `sop view`), absolute: a file there is refused; a
 * missing folder comes with a warning naming it, so a mistyped --runs-dir is not an empty list
 * without a word.
 */
export function runsFolderToList(given: string): { dir: string; warning?: string } {
  const dir = path.resolve(given);
  if (!existsSync(dir)) {
    return { dir, warning: `the runs folder ${dir} does not exist: no run was recorded there (--runs-dir names the folder runs write to; default .sop/runs)` };
  }
  if (!statSync(dir).isDirectory()) {
    throw new SopError('USAGE', `--runs-dir ${given} is a file, not a folder`, { hint: 'give the folder run records are written to (default .sop/runs)' });
  }
  return { dir };
}

/**
 * A queued run's copy, brought home by `sop run --queue` (`RUN_FILES.queued`), is not resumed here:
 * the run's state is its journal in Redis, which a worker continues (the copy names the SOP as
 * submitted and the local workspace, yet a local resume would fork the run); it goes on through its
 * queue, on a worker.
 */
export function refuseQueuedCopy(runDir: string): void {
  let queued: unknown;
  try {
    queued = JSON.parse(readFileSync(path.join(runDir, RUN_FILES.queued), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    queued = undefined;
  }
  const runId = path.basename(runDir);
  const sop = sopCommandWord();
  const given = (queued as { queueArgs?: unknown } | undefined)?.queueArgs;
  // A damaged marker still says the run was queued; the URL is then the user's to give.
  const queueArgs = typeof given === 'string' && /^--queue \S+( --queue-name [\w-]+)?$/.test(given) ? given : '--queue URL';
  throw new SopError('RUN_NOT_RESUMABLE', `run ${runId} ran on a queue's worker: this folder is its copy, brought home when it ended; the run itself is in its queue`, {
    hint: `continue it through the queue: ${sop} resume ${runId} ${queueArgs} (${queueArgs.includes('***') ? 'the URL\'s credentials are masked: add your own; ' : ''}\`${sop} runs ${queueArgs}\` lists queued runs)`,
  });
}

/**
 * A hint recorded in a run folder (its report's, its journal's run-end) as said for the folder it is
 * in: a copied folder's records name the run it was copied from, and following `sop resume ID` there
 * would act on that run. (`sop` is typed the way the run's user started it: matched from `resume`.)
 */
export function hintForFolder(hint: string, recordedId: string | undefined, runDir: string): string {
  const folder = path.basename(path.resolve(runDir));
  if (recordedId === undefined || recordedId === '' || recordedId === folder) return hint;
  return hint.replaceAll(` resume ${recordedId}`, ` resume ${folder}`);
}
