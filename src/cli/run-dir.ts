import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { shownPath } from '../files/index.js';
import { ambiguousIdError, matchIdPrefix } from '../store/id-prefix.js';
import { RUN_FILES } from '../store/run-store.js';
import { quoteArgument } from '../runtime/shell-argument.js';
import { sopCommandWord } from './invocation.js';

/**
 * RUN is a run folder's path, else a run id under the runs folder (`sop resume`, `sop runs --sop`),
 * else the beginning of one such id that names one run (several: a usage error listing them).
 * `retype`: the command again with `--runs-dir DIR` (`report ID --runs-dir DIR`, without the command
 * word), given when a run id not found here is in a folder above's runs folder (typed from a subfolder
 * of the project).
 */
export function findRunDir(run: string, runsDir: string, retype?: (runsDir: string) => string): string {
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
  // The beginning of an id (`20261206-232643`, without its random suffix), as git and docker take one.
  const match = matchIdPrefix(path.resolve(runsDir), run);
  if (match.kind === 'one') return path.resolve(runsDir, match.name);
  if (match.kind === 'several') {
    throw ambiguousIdError('run', run, match.names, runsDir, `give more of the id, enough to name one run (\`${sopCommandWord()} runs\` lists them)`);
  }
  const evalDir = evalFolderBeside(runsDir, run);
  if (evalDir !== undefined) {
    // `sop eval` prints its id and page as a run prints its own: its id is taken for a run's.
    const shown = shownPath(evalDir);
    throw new SopError('RUN_NOT_FOUND', `no run ${run}: ${shown} is an eval's record, not a run's`, {
      hint: `its page is ${shown}/report.html; \`${sopCommandWord()} eval --resume ${quoteArgument(path.basename(evalDir))}\` continues it if it stopped, \`${sopCommandWord()} runs\` lists the runs (its cases' runs among them)`,
    });
  }
  const above = retype === undefined ? undefined : runsFolderAbove(process.cwd(), run);
  throw new SopError('RUN_NOT_FOUND', `no run ${run} (looked for the folder ${candidates[1]} and ${candidates[0]}, and for a run whose id begins so)`, {
    hint:
      above === undefined || retype === undefined
        ? `${match.near === undefined ? '' : `did you mean ${match.near}? Else `}list runs with \`${sopCommandWord()} runs\`, or pass the path of a run folder`
        : `the run is in ${above}, the runs folder of a folder above this one (runs are recorded under the folder \`sop run\` was started in): add --runs-dir ${quoteArgument(shownRunsDir(above))} (\`${sopCommandWord()} ${retype(quoteArgument(shownRunsDir(above)))}\`), or \`cd ${quoteArgument(shownRunsDir(path.dirname(path.dirname(above))))}\` first`,
  });
}

/** The eval record `run` names (an id, or its beginning) in the evals folder beside the runs folder (`.sop/evals`), if any. */
function evalFolderBeside(runsDir: string, run: string): string | undefined {
  if (run.includes('/') || run.includes(path.sep) || run === '.' || run === '..') return undefined;
  const evals = path.join(path.dirname(path.resolve(runsDir)), 'evals');
  if (isFolder(path.join(evals, run))) return path.join(evals, run);
  const match = matchIdPrefix(evals, run);
  return match.kind === 'one' ? path.join(evals, match.name) : undefined;
}

/**
 * The nearest `.sop/runs` above `cwd` (its parent's, then theirs...) that holds `entry` (a run id or
 * an id's beginning, as RUN takes it; '' for the runs folder itself), absolute. Bounded: it stops at
 * the project's git root (a folder holding `.git`) or the filesystem root, and reads one path per
 * folder (and, for a beginning no folder is named, that runs folder's list).
 */
function runsFolderAbove(cwd: string, entry = ''): string | undefined {
  // A path (`runs/ID`, `../x`) is looked for where it points, not above.
  if (entry.includes('/') || entry.includes(path.sep) || entry === '.' || entry === '..') return undefined;
  for (let dir = path.resolve(cwd); !existsSync(path.join(dir, '.git')); ) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
    const runs = path.join(dir, '.sop', 'runs');
    if (isFolder(path.join(runs, entry)) || (entry !== '' && matchIdPrefix(runs, entry).kind !== 'none')) return runs;
  }
  return undefined;
}

/** A folder above, as typed from here: `../.sop/runs` (relative while within a few levels), else absolute. */
function shownRunsDir(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative.split(path.sep).filter((part) => part === '..').length <= 3 ? relative || '.' : dir;
}

function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The runs folder a listing reads (`sop runs`, `sop view`), absolute: a file there is refused; a
 * missing folder comes with a warning naming it, so a mistyped --runs-dir is not an empty list
 * without a word.
 */
export function runsFolderToList(given: string, command: 'runs' | 'view'): { dir: string; warning?: string } {
  const dir = path.resolve(given);
  if (!existsSync(dir)) {
    // From a subfolder of the project: the runs are in a folder above.
    const above = runsFolderAbove(process.cwd());
    const there = above === undefined ? '' : `; ${above} is the runs folder of a folder above this one: ${sopCommandWord()} ${command} --runs-dir ${quoteArgument(shownRunsDir(above))}`;
    return { dir, warning: `the runs folder ${dir} does not exist: no run was recorded there (--runs-dir names the folder runs write to; default .sop/runs)${there}` };
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
