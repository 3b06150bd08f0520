import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { shownPath } from '../../files/index.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { SopCommand } from '../base-command.js';
import { findRunDir, runsFolderToList } from '../run-dir.js';
import { runFlags } from '../run-flags.js';

/** `sop view --json`'s result, printed when the server stops. */
export interface ViewResult {
  url: string;
  runsDir: string;
  /** The page of the run named by RUN, when one was. */
  runUrl?: string;
}

export default class View extends SopCommand<ViewResult> {
  static override summary = 'Serve the runs folder on localhost: the list of runs and each run\'s report, updated live while a run is in progress.';
  static override description = `Read-only. Each run's page is its report.html built from the journal at each request; pages reload when their run writes (server-sent events), so a run in progress can be watched. Bound to 127.0.0.1 unless --host says otherwise (the pages show prompts and answers: keep them local); there it answers only requests naming localhost or 127.0.0.1, so a web page of another site cannot read them through DNS rebinding. Stops on Ctrl-C.`;
  static override examples = ['<%= config.bin %> view', '<%= config.bin %> view 20260101-120000', '<%= config.bin %> view --port 8080 --runs-dir ci/.sop/runs'];
  static override args = {
    run: Args.string({ description: 'A run whose page to print the URL of: its id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder, whose runs folder is served.' }),
  };
  static override flags = {
    'runs-dir': runFlags['runs-dir'],
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on (0: any free port).', default: 4700, min: 0, max: 65535 }),
  };

  async run(): Promise<ViewResult> {
    const { args, flags } = await this.parse(View);
    // A run named is found as `sop report` finds it (an id's beginning, a folder's path) before the server starts.
    const runDir = args.run === undefined ? undefined : findRunDir(args.run, flags['runs-dir'], (runsDir) => `view ${quoteArgument(args.run as string)} --runs-dir ${runsDir}`);
    const shownRunsDir = runDir === undefined ? flags['runs-dir'] : shownPath(path.dirname(runDir));
    // Served even when missing: a run started later makes it, and the list then shows it.
    const { dir: runsDir, warning } = runsFolderToList(shownRunsDir, 'view');
    if (warning !== undefined) this.warning(warning);
    const { loadRunConfig } = await import('../model-choice.js');
    const { createRedactor } = await import('../../providers/redact.js');
    const config = await loadRunConfig({ cache: true }, process.cwd(), process.env, { models: false });
    const { startViewServer } = await import('../view-server.js');
    let server;
    try {
      server = await startViewServer({ runsDir, host: flags.host, port: flags.port, redact: createRedactor(config.secrets()) });
    } catch (error) {
      const { listenError } = await import('../../errors/index.js');
      throw listenError(error, { host: flags.host, port: flags.port, flag: '--port', hostFlag: '--host', who: 'another sop view', anyPort: true }, listenHint);
    }
    // Ctrl-C is taken before the URL is shown: one pressed as the line appears stops the server cleanly.
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const runUrl = runDir === undefined ? undefined : `${server.url}runs/${encodeURIComponent(path.basename(runDir))}/`;
    this.note(`sop view: ${runUrl ?? server.url} (runs in ${shownRunsDir}; Ctrl-C to stop)`);
    await stopped;
    await server.close();
    return { url: server.url, runsDir, ...(runUrl === undefined ? {} : { runUrl }) };
  }
}

/** What to change when the server cannot listen for another reason than its port (taken, privileged): the host when it is not this machine's. */
function listenHint(code: string | undefined): string {
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') return 'choose a --host of this machine (127.0.0.1, the default; 0.0.0.0: every interface)';
  return 'choose another --port (0: any free port)';
}
