import { Flags } from '@oclif/core';
import path from 'node:path';
import { SopCommand } from '../base-command.js';

export const DEFAULT_RUNS_DIR = path.join('.sop', 'runs');

export default class Runs extends SopCommand {
  static override summary = 'List past runs, oldest first: id, SOP, status, start time, rounds, exit code.';
  static override examples = ['<%= config.bin %> runs', '<%= config.bin %> runs --json'];
  static override flags = {
    'runs-dir': Flags.string({ description: 'Folder holding run records.', default: DEFAULT_RUNS_DIR }),
    json: Flags.boolean({ description: 'Print the list as JSON on stdout.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Runs);
    const { listRuns } = await import('../../store/index.js');
    const runs = await listRuns(path.resolve(flags['runs-dir']));
    if (flags.json) {
      this.out(JSON.stringify({ runs }, null, 2));
      return;
    }
    if (runs.length === 0) {
      this.note(`no runs in ${flags['runs-dir']}`);
      return;
    }
    const { formatTable } = await import('../format-table.js');
    const rows = runs.map((run) => [run.id, run.sop, run.status, run.started, run.rounds === undefined ? '-' : String(run.rounds), run.exitCode === undefined ? '-' : String(run.exitCode)]);
    this.out(formatTable(['ID', 'SOP', 'STATUS', 'STARTED', 'ROUNDS', 'EXIT'], rows));
  }
}
