import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { SopCommand } from '../base-command.js';
import type { HtmlReportResult } from '../html-report.js';
import type { OutputFormat } from '../output-file.js';
import { resumeCommand, resumeTarget } from '../../runtime/resume-target.js';
import { findRunDir } from '../run-dir.js';
import { runFlags } from '../run-flags.js';
import { isSopError, plural } from '../../errors/index.js';

export default class Report extends SopCommand<HtmlReportResult> {
  static override summary = "(Re)build a run's report.html: status, timeline, team graph, prompts and answers, gates, tools, cost.";
  static override description = `One self-contained HTML file (no network; opens from file:// and as a CI artifact), built from the run's journal. Every run writes it into its record when it ends; this command builds it again (for a run recorded by an older version, or to write it elsewhere with --out). Secrets known to the configuration (API keys) are masked. Prompts are shown when the run recorded them (--event-prompts). A run that has not ended is reported so far (status running while a process holds it, else crashed): the rounds its journal committed, with their calls and cost.`;
  static override examples = [
    '<%= config.bin %> report 20260101-120000-a1b2c3',
    '<%= config.bin %> report .sop/runs/20260101-120000-a1b2c3 --out run.html --open',
    '<%= config.bin %> report 20260101-120000-a1b2c3 --out summary.md',
  ];
  static override args = {
    run: Args.string({ description: 'Run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder.', required: true }),
  };
  static override flags = {
    'runs-dir': runFlags['runs-dir'],
    out: Flags.string({ description: 'Write the report to this file instead of report.html in the run folder; a FILE.md gets the run\'s Markdown summary (as a GitHub step summary shows it) instead of the HTML page; a FILE.json or FILE.xml is refused (the run\'s report.json is in its folder, JUnit comes from sop run --junit).', helpValue: 'FILE' }),
    open: Flags.boolean({ description: 'Open the report in the default browser.', default: false }),
  };

  async run(): Promise<HtmlReportResult> {
    const { args, flags } = await this.parse(Report);
    const runDir = findRunDir(args.run, flags['runs-dir'], (runsDir) => `report ${quoteArgument(args.run)} --runs-dir ${runsDir}`);
    if (flags.out !== undefined) {
      const outputFile = await import('../output-file.js');
      outputFile.refuseOtherFormat('--out', flags.out, pageFormat(runDir));
      outputFile.checkOutputFile('--out', flags.out);
    }
    const { loadRunConfig } = await import('../model-choice.js');
    const { createRedactor } = await import('../../providers/redact.js');
    const config = await loadRunConfig({ cache: true }, process.cwd(), process.env, { models: false });
    const redact = createRedactor(config.secrets());
    // A `.md` file gets the run's Markdown summary (as in a GitHub step summary); anything else the HTML page.
    const out = flags.out === undefined ? undefined : path.resolve(flags.out);
    let result: HtmlReportResult;
    try {
      result = out !== undefined && /\.(md|markdown)$/i.test(out)
        ? await (await import('../markdown-report.js')).writeRunMarkdownReport(runDir, out, redact, this.sopCommand)
        : await (await import('../html-report.js')).writeRunHtmlReport(runDir, { redact, ...(out === undefined ? {} : { out }) });
    } catch (error) {
      // The --out file that cannot be written (a full disk) is named by its flag, as other file flags' are.
      if (out === undefined || !isSopError(error) || !error.message.includes(out)) throw error;
      throw (await import('../../files/index.js')).namingFlag(error, '--out');
    }
    this.out(result.file);
    // A killed run is named as `sop resume` finds it from here: by its id in ./.sop/runs, else by its folder's path.
    const soFar = await progressNote(result, resumeTarget(runDir, process.cwd()), this.sopCommand);
    if (soFar !== undefined) this.note(soFar);
    if (flags.open) {
      const { openInBrowser } = await import('../open-file.js');
      const problem = await openInBrowser(result.file);
      if (problem) this.warning(problem);
    }
    return result;
  }
}

/**
 * What `--out` writes: `--out run.json` or `--out run.xml` would get the HTML page under a name that says JSON or XML,
 * refused before the work, naming where the run's JSON report and JUnit file come from.
 */
function pageFormat(runDir: string): OutputFormat {
  return {
    command: 'sop report',
    writes: 'the HTML page (FILE.html) or the Markdown summary (FILE.md)',
    elsewhere: {
      json: `the run's JSON report is ${path.relative(process.cwd(), path.join(runDir, 'report.json')) || 'report.json'} (the result of \`sop run --json\`)`,
      xml: 'JUnit XML is written by `sop run --junit FILE` (or `sop resume RUN --junit FILE`)',
    },
    instead: { what: 'the page', extension: '.html' },
  };
}

/** What a report of a run without an end is (stderr): the report so far of a run in progress, or of a killed one. */
async function progressNote(result: HtmlReportResult, target: string, sopCommand: string): Promise<string | undefined> {
  if (result.status !== 'running' && result.status !== 'crashed') return undefined;
  const { usd } = await import('../../providers/cost/estimate.js');
  const rounds = `${plural(result.rounds, 'round')} committed`;
  const after = result.answeredAfter;
  // Answers after the last committed round were paid: said, or the note reads as if nothing was spent.
  const answered = after ? `; ${plural(after.calls, 'more call')} answered since (${usd(after.costUsd)}), kept in the journal: a resume uses ${after.calls === 1 ? 'it' : 'them'} without asking again` : '';
  const sofar = `${rounds}, ${plural(result.calls, 'model call')}, ${usd(result.costUsd)}${answered}`;
  if (result.status === 'running') return `run ${result.runId} is still running: this is its report so far (${sofar}); the run writes its final report when it ends`;
  // `sop resume` refuses a run with no snapshot (RUN_NOT_RESUMABLE): naming it would send the user there for nothing.
  if (result.resumable === false) return `run ${result.runId} was killed before its start was saved: this is its report up to there (${sofar}); it cannot be resumed: start it again with \`${sopCommand} run\``;
  return `run ${result.runId} was killed before it ended: this is its report up to there (${sofar}); \`${resumeCommand(target, sopCommand)}\` continues it`;
}
