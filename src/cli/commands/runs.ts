import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../../errors/index.js';
import type { RunSummary } from '../../store/index.js';
import { SopCommand } from '../base-command.js';
import { runFlags } from '../run-flags.js';

/** `sop runs --json`'s result, newest first. */
export interface RunsResult {
  runs: RunSummary[];
}

export default class Runs extends SopCommand<RunsResult> {
  static override summary = 'List past runs, newest first: id, SOP, status, start time, rounds, exit code.';
  static override description = `Run folders that cannot be read (no run.json, or one that is not JSON) are named on stderr;
a run whose report.json is damaged shows the status "unreadable".
A run whose journal.jsonl does not end with its final snapshot and that no live process holds is
"crashed" (killed, also while resuming), whatever an older report.json says: \`sop resume\` continues it.`;
  static override examples = ['<%= config.bin %> runs', '<%= config.bin %> runs --json'];
  static override flags = {
    'runs-dir': runFlags['runs-dir'],
  };

  async run(): Promise<RunsResult> {
    const { flags } = await this.parse(Runs);
    const runsDir = path.resolve(flags['runs-dir']);
    if (existsSync(runsDir) && !statSync(runsDir).isDirectory()) {
      throw new SopError('USAGE', `--runs-dir ${flags['runs-dir']} is a file, not a folder`, {
        hint: 'give the folder run records are written to (default .sop/runs)',
      });
    }
    const { listRuns, RUN_FILES } = await import('../../store/index.js');
    const runs = await listRuns(runsDir);
    // A run of an older version (no journal) whose report cannot be read did not crash: say so.
    for (const run of runs) {
      const report = path.join(run.dir, RUN_FILES.report);
      if (run.status === 'crashed' && !existsSync(path.join(run.dir, RUN_FILES.journal)) && existsSync(report) && !readableJson(report)) {
        run.status = 'unreadable';
        this.warning(`${path.join(flags['runs-dir'], path.basename(run.dir), RUN_FILES.report)} is not valid JSON; its status is unknown`);
      }
    }
    for (const skipped of skippedRunFolders(runsDir, runs.map((run) => run.dir))) {
      this.warning(`skipped ${path.join(flags['runs-dir'], skipped)}: no readable ${RUN_FILES.run} (not a run record, or a damaged one)`);
    }
    if (runs.length === 0) {
      if (!this.jsonEnabled()) this.note(`no runs in ${flags['runs-dir']}`);
      return { runs };
    }
    const { formatTable } = await import('../format-table.js');
    const rows = runs.map((run) => {
      const finished = run.exitCode !== null && run.exitCode !== undefined;
      return [run.id, run.sop, run.status, run.started, finished ? String(run.rounds) : '-', finished ? String(run.exitCode) : '-'];
    });
    this.out(formatTable(['ID', 'SOP', 'STATUS', 'STARTED', 'ROUNDS', 'EXIT'], rows));
    return { runs };
  }
}

/** Sub-folders of the runs folder that are not in the list (their run.json is missing or damaged). */
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
