import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { SopError } from '../../errors/index.js';
import type { RunSummary } from '../../store/index.js';
import { Flags } from '@oclif/core';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { SopCommand } from '../base-command.js';
import { findRunDir, runsFolderToList } from '../run-dir.js';
import { runFlags } from '../run-flags.js';
import { queueFlags, refuseWithQueue } from '../queue-flags.js';
import { givenFilters, runFilter, runFilterFlags, type RunFilter } from '../run-filters.js';
import type { QueuedRunSummary } from '../../queue/index.js';

/** `sop runs --json`'s result, newest first; with `--sop RUN`, that run's SOP text (and no list). */
export interface RunsResult {
  /** The local runs; with `--queue URL`, the queue's runs (named by `runId` and `id` too, so one query reads both). */
  runs: ListedRun[] | QueuedRun[];
  sop?: string;
  /** With `--sop RUN`, when a resume went on with a changed SOP file: the SOP text the run was started with (`sop` is the one it last ran with). */
  sopAtStart?: string;
  /** With `--queue URL`: the queue's jobs by state (`waiting`, `active`, ...). */
  depth?: Record<string, number>;
  /** With `--queue URL`: how many runs the queue lists in all (`runs` holds the newest `--limit`, default 100). */
  total?: number;
}

/** `sop runs --queue`'s list without `--limit`: each run listed is a few Redis reads. */
const QUEUED_LIST_DEFAULT = 100;

/**
 * A local run as `sop runs --json` lists it: its id as `runId`, the name every other command's JSON
 * gives it (`sop run`, `sop report`, ...), and as `id`, kept for the scripts written before; its
 * folder as `dir` (the library's `RunSummary` names them `runId` and `runDir`, as `RunResult` does;
 * the JSON output keeps its keys so scripts reading it go on working).
 */
export type ListedRun = { id: string; runId: string } & Omit<RunSummary, 'runId' | 'runDir'> & { dir: string; eval?: ListedEval };

/** A run `sop eval` started: its eval's id (`sop eval --resume ID`), and the case, model and repeat it ran. Absent for a run of `sop run`. */
interface ListedEval {
  id: string;
  case: string;
  model: string;
  repeat: number;
}

/** A queued run as `sop runs --queue URL --json` lists it (`runId` and `id`: the same, as for a local run). */
interface QueuedRun {
  id: string;
  runId: string;
  sop: string;
  /** BullMQ's state of its latest job (`waiting`, `active`, `completed`, `failed`, `gone`), or `interrupted`: handed back by a draining worker, waiting for one. */
  state: string;
  /** The run's status once it ended; absent before. */
  status?: string;
  submitted: string;
  /** With `state` `interrupted`: when the draining worker handed it back. */
  handedBack?: string;
}

export default class Runs extends SopCommand<RunsResult> {
  static override summary = 'List past runs, newest first: id, SOP, status, start time, rounds, exit code, duration (a resumed run: its total over every attempt).';
  static override description = `--status (repeated, or a comma list), --sop-name, --since (a duration back from now: 2h, 3d; or a UTC date or time: 2026-12-01) and --limit N (the newest N of those left), --started-by run|eval and --eval ID (the runs sop eval started, or one eval's) narrow the list; --json gives the same envelope with the runs left. A bad value is a usage error (exit 2) that says what each takes. With --queue URL they narrow the queue's runs (newest 100 by default): --status matches how a run ended, else its job's state (waiting, active, gone; interrupted: handed back by a draining worker, waiting for one), --since its submission.

A run sop eval started is marked with its eval and case (the EVAL and CASE columns, shown when such a run is listed; --json: eval, with its id, case, model and repeat); sop test runs its cases in a temporary folder, never listed here.

Run folders that cannot be read (no journal.jsonl whose first line says what the run is, nor the run.json of an older version) are named on stderr; a run whose report.json is damaged, or whose journal.jsonl is damaged before its last line (which \`sop report\` and \`sop resume\` refuse) with no report.json that tells how it ended, shows the status "unreadable" (a warning names the line). A run whose journal.jsonl does not end with how it ended (its run-closed line) and that no live process holds is "crashed" (killed, also while resuming), whatever an older report.json says: \`sop resume\` continues it. A run whose journal a newer sop wrote is "newer" (a warning names it). With --sop RUN, prints the SOP text that run last ran with (kept in its journal) instead of the list: the text it was started with, or the one a \`sop resume --allow-changed-sop\` went on with (what a later resume compares with; stderr says so, and --json gives both).`;
  static override examples = [
    '<%= config.bin %> runs',
    '<%= config.bin %> runs --status failed,crashed --since 3d',
    '<%= config.bin %> runs --sop-name software-company --limit 5 --json',
    '<%= config.bin %> runs --sop 20260101-120000-a1b2c3 > sop-as-run.yaml',
  ];
  static override flags = {
    'runs-dir': runFlags['runs-dir'],
    ...runFilterFlags,
    sop: Flags.string({ description: 'Print the SOP text this run (id in --runs-dir or its beginning, or a run folder) last ran with, instead of the list.', helpValue: 'RUN' }),
    ...queueFlags,
  };

  async run(): Promise<RunsResult> {
    const { flags } = await this.parse(Runs);
    refuseWithQueue(flags, ['sop', 'started-by', 'eval']);
    // The same filters narrow the queue's list (--limit there defaults to the newest QUEUED_LIST_DEFAULT).
    const filters = givenFilters(flags);
    if (filters.length > 0 && flags.sop !== undefined) {
      const flag = filters[0]?.split(' ')[0] as string;
      throw new SopError('USAGE', `${flag} filters the list of the runs in --runs-dir; --sop RUN prints one run's SOP text instead of a list`, { hint: `drop ${flag} or --sop` });
    }
    if (flags.sop !== undefined) return this.pinnedSop(flags.sop, flags['runs-dir']);
    // Before Redis is reached: a bad filter is one usage error.
    if (flags.queue !== undefined) return this.queuedRuns(flags.queue, flags['queue-name'], runFilter(flags, new Date(), { queued: true }), filters);
    // Before anything is read: a bad filter is one usage error, not a list.
    const filter = runFilter(flags);
    const { dir: runsDir, warning } = runsFolderToList(flags['runs-dir'], 'runs');
    if (warning !== undefined) {
      this.warning(warning);
      return { runs: [] };
    }
    const { listRunHeads, withStanding, RUN_FILES } = await import('../../store/index.js');
    const all = listRunHeads(runsDir);
    // A run `sop eval` started is marked with its eval and case: listed alike, they could not be told from the user's own.
    const originOf = (await import('../../eval/eval-record.js')).evalOrigins();
    const origins = new Map<RunSummary, ListedEval>();
    // How a run stands is read of the runs the SOP and start filters keep, newest first, until the
    // limit has its runs: of thousands of runs, `--limit 20` reads about 20.
    const badReports = new Set<RunSummary>();
    const runs: RunSummary[] = [];
    for (const head of all) {
      if (filter.limit !== undefined && runs.length >= filter.limit) break;
      const origin = originOf(head.runId, head.workspace);
      if (!filter.keepsHead({ ...head, eval: origin })) continue;
      const run = withStanding(head);
      // A run of an older version (no journal) whose report cannot be read did not crash: say so
      // (before the status filter, so --status finds it by the status shown).
      const report = path.join(run.runDir, RUN_FILES.report);
      if (run.status === 'crashed' && !existsSync(path.join(run.runDir, RUN_FILES.journal)) && existsSync(report) && !readableJson(report)) {
        run.status = 'unreadable';
        badReports.add(run);
      }
      if (!filter.keepsStatus(run.status)) continue;
      runs.push(run);
      if (origin) origins.set(run, { id: origin.id, case: origin.case, model: origin.model, repeat: origin.repeat });
    }
    // Warnings name only the runs listed: a filter leaves the others out of sight.
    for (const run of runs.filter((listed) => badReports.has(listed))) {
      this.warning(`${path.join(flags['runs-dir'], path.basename(run.runDir), RUN_FILES.report)} is not valid JSON; its status is unknown`);
    }
    for (const run of runs.filter((listed) => listed.damage !== undefined)) {
      this.warning(`${run.damage}: run ${run.runId} is unreadable (\`${this.sopCommand} report\` and \`${this.sopCommand} resume\` refuse it); its status is unknown`);
    }
    for (const run of runs.filter((listed) => listed.status === 'newer')) {
      this.warning(`${path.join(flags['runs-dir'], path.basename(run.runDir), RUN_FILES.journal)} was written by a newer sop: list, report or resume run ${run.runId} with that version, or upgrade sop`);
    }
    for (const skipped of skippedRunFolders(runsDir, all.map((run) => run.runDir))) {
      this.warning(`skipped ${path.join(flags['runs-dir'], skipped)}: no readable run record (${RUN_FILES.journal}'s first line, or an older version's run.json): not a run folder, a damaged one, or a run killed before its first write`);
    }
    if (runs.length === 0) {
      if (!this.jsonEnabled()) this.note(filters.length === 0 || all.length === 0 ? `no runs in ${flags['runs-dir']}` : `none of the ${all.length} runs in ${flags['runs-dir']} match ${filters.join(', ')}`);
      return { runs: [] };
    }
    const { formatTable } = await import('../format-table.js');
    const rows = runs.map((run) => {
      const finished = run.exitCode !== null && run.exitCode !== undefined;
      // A running or crashed run has no exit code, but the rounds its journal (before the journal: its checkpoint.json) committed.
      const recorded = existsSync(path.join(run.runDir, RUN_FILES.journal)) || existsSync(path.join(run.runDir, 'checkpoint.json'));
      const roundsKnown = finished || ((run.status === 'running' || run.status === 'crashed') && recorded);
      // An ended run's working time, a resumed run's over every attempt (as its report says).
      const duration = finished && run.durationMs !== undefined ? shownDuration(run.durationMs) : '-';
      const row = [run.runId, run.sop, run.status, run.started, roundsKnown ? String(run.rounds) : '-', finished ? String(run.exitCode) : '-', duration];
      if (origins.size === 0) return row;
      // Last, so the columns before read as they always did; only when an eval's run is listed.
      const origin = origins.get(run);
      return [...row, origin?.id ?? '-', origin ? caseCell(origin) : '-'];
    });
    this.out(formatTable(['ID', 'SOP', 'STATUS', 'STARTED', 'ROUNDS', 'EXIT', 'DURATION', ...(origins.size === 0 ? [] : ['EVAL', 'CASE'])], rows));
    return { runs: runs.map((run) => listed(run, origins.get(run))) };
  }

  /**
   * `--queue URL`: the queue's runs, newest first, and its depth; `filter` keeps runs by SOP name,
   * submission time and status (how it ended, else its job's state), `filters` as typed.
   */
  private async queuedRuns(url: string, given: string | undefined, filter: RunFilter, filters: string[]): Promise<RunsResult> {
    const limit = filter.limit ?? QUEUED_LIST_DEFAULT;
    const { openQueue, maskingAlso } = await import('../queued-runs.js');
    const { client, address, name } = await openQueue(url, given, { sopCommand: this.sopCommand, warning: (text) => this.warning(text) });
    this.redact = await maskingAlso(address, this.redact);
    // --limit alone keeps every run: the list is read as before, one page.
    const narrowed = filters.some((typed) => !typed.startsWith('--limit '));
    const keep = narrowed ? (run: QueuedRunSummary) => filter.keepsHead({ sop: run.sop, started: run.submitted }) && filter.keepsStatus(run.status ?? run.state) : undefined;
    try {
      const [queued, depth] = await Promise.all([client.runs(limit, { ...(filter.since === undefined ? {} : { since: filter.since }), ...(keep ? { keep } : {}) }), client.depth()]);
      // Counted after the listing dropped the expired runs it met: the list is cut, and says so.
      const total = queued.length < limit && !narrowed ? queued.length : await client.runCount();
      const { formatTable } = await import('../format-table.js');
      if (queued.length > 0) this.out(formatTable(['ID', 'SOP', 'STATE', 'STATUS', 'SUBMITTED'], queued.map((run) => [run.runId, run.sop, run.state, run.status ?? '-', run.submitted])));
      if (!this.jsonEnabled()) {
        this.note(`queue ${name} on ${address.shown}: ${Object.entries(depth).map(([state, count]) => `${count} ${state}`).join(', ')}`);
        const matching = filters.filter((typed) => !typed.startsWith('--limit '));
        if (narrowed && queued.length === 0) this.note(`none of the queue's ${total} runs match ${matching.join(', ')}`);
        else if (narrowed && queued.length === limit) this.note(`listed the newest ${limit} of its runs that match ${matching.join(', ')}: \`--limit N\` lists more, if more match`);
        else if (!narrowed && total > queued.length) this.note(`listed the newest ${queued.length} of its ${total} runs: \`--limit N\` lists more`);
        const interrupted = queued.flatMap((run) => (run.handedBack === undefined ? [] : [`${run.runId} at ${run.handedBack}`]));
        const more = interrupted.length > 5 ? ` and ${interrupted.length - 5} more` : '';
        if (interrupted.length > 0) this.note(`interrupted: handed back by a draining worker (SIGTERM), waiting for a worker to continue ${interrupted.length === 1 ? 'it' : 'them'} from the journal: ${interrupted.slice(0, 5).join(', ')}${more}`);
      }
      return { runs: queued.map(asListed), depth, total };
    } finally {
      await client.close();
    }
  }

  /**
   * `--sop RUN`: the SOP text as run, from the run's journal (or an older version's sop.yaml): the
   * one it last ran with, which a resume compares with and the refusal says to restore.
   */
  private async pinnedSop(run: string, runsDir: string): Promise<RunsResult> {
    let runDir: string;
    try {
      runDir = findRunDir(run, runsDir, (dir) => `runs --sop ${quoteArgument(run)} --runs-dir ${dir}`);
    } catch (error) {
      // `--sop ask.yaml`: an SOP file where a run was expected; the list of its runs is --sop-name.
      if (error instanceof SopError && error.code === 'RUN_NOT_FOUND' && looksLikeSopFile(run)) {
        const name = sopNameOf(run);
        throw new SopError('RUN_NOT_FOUND', error.message, {
          hint: `--sop RUN takes a run and prints the SOP text it ran with; ${run} looks like an SOP file: to list its runs, filter by its metadata.name with --sop-name (\`${this.sopCommand} runs --sop-name ${name === undefined ? 'NAME' : quoteArgument(name)}\`)`,
        });
      }
      throw error;
    }
    const { readSopAsRun } = await import('../../store/index.js');
    const asRun = readSopAsRun(runDir);
    if (asRun === undefined) {
      throw new SopError('RUN_NOT_FOUND', `run ${run} has no SOP text: ${runDir} has no journal.jsonl that records it (nor an older version's sop.yaml)`, {
        hint: `list runs with \`${this.sopCommand} runs\`; a run killed before its first write recorded nothing`,
      });
    }
    const { text, changed } = asRun;
    if (changed && !this.jsonEnabled()) this.note(`run ${run} was resumed with a changed SOP at ${changed.resumed} (--allow-changed-sop): this is the SOP it went on with, not the one it was started with (\`${this.sopCommand} runs --sop ${run} --json\` gives both)`);
    // As is (not through `out`, which ends text with a newline): the file restored hashes to the run's sha256.
    if (!this.jsonEnabled()) process.stdout.write(text);
    return { runs: [], sop: text, ...(changed ? { sopAtStart: changed.startedWith } : {}) };
  }
}

/** A file name an SOP has (.yaml/.yml), or an existing file: no run folder is either. */
function looksLikeSopFile(run: string): boolean {
  if (/\.ya?ml$/i.test(run)) return true;
  try {
    return statSync(run).isFile();
  } catch {
    return false;
  }
}

/** The file's metadata.name when it reads as YAML holding one; only for a file small enough to read for a hint. */
function sopNameOf(file: string): string | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > 1_000_000) return undefined;
    const name = (parseYaml(readFileSync(file, 'utf8')) as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Sub-folders of the runs folder that are not in the list (no readable run record). */
function skippedRunFolders(runsDir: string, listed: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const known = new Set(listed.map((dir) => path.basename(dir)));
  return entries.filter((entry) => entry.isDirectory() && !known.has(entry.name)).map((entry) => entry.name).sort();
}

function readableJson(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

function listed(run: RunSummary, origin?: ListedEval): ListedRun {
  const { runId, runDir, ...rest } = run;
  return { id: runId, runId, ...rest, dir: runDir, ...(origin ? { eval: origin } : {}) };
}

/** The CASE column: the case, the model it ran on, and which repeat (`--repeat N`) when not the first. */
function caseCell(origin: ListedEval): string {
  return `${origin.case} (${origin.model}${origin.repeat > 1 ? `, #${origin.repeat}` : ''})`;
}

function asListed(run: QueuedRunSummary): QueuedRun {
  return { id: run.runId, runId: run.runId, sop: run.sop, state: run.state, ...(run.status === undefined ? {} : { status: run.status }), submitted: run.submitted, ...(run.handedBack === undefined ? {} : { handedBack: run.handedBack }) };
}

/** `12ms` under a second (`0.0s` told nothing of a short run), `3.4s` from there. */
function shownDuration(durationMs: number): string {
  const ms = Math.round(durationMs);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}
