import { Args, Flags, type Interfaces } from '@oclif/core';
import { EXIT, eachError, isSopError, plural, SopError } from '../../errors/index.js';
import { evalResumeCommand } from '../../eval/resume-command.js';
import type { EvalResult } from '../../eval/results.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { SopCommand } from '../base-command.js';
import { metricsHostFlag, metricsPortFlag, runFlags } from '../run-flags.js';
import { queueFlags, queueKeepFlag, refuseWithQueue } from '../queue-flags.js';
import type { TravellingModels } from '../queued-runs.js';
import type { EvalSetup } from '../eval-setup.js';
import type { OutputFormat } from '../output-file.js';

export default class Eval extends SopCommand<EvalResult> {
  /** Set once the eval's own JUnit file is written: a failure after it is no refusal to report in its place. */
  private reportsWritten = false;
  /** The eval's record folder, once `prepareEval` made (or opened) it: what Ctrl-C's note names. */
  private evalDir: string | undefined;

  static override summary = 'Run an SOP over a dataset of cases on one or more models, and score the runs.';
  static override description = [
    'Each case (inputs, `expect` in the `sop test` vocabulary, `judge` rubrics) runs on every model, --repeat times, --concurrency runs at a time; each run is an ordinary run with its record in --runs-dir. Prints a case × model table and, per model, the pass rate with its 95 % (Wilson) interval, cost and p50/p95 latency (docs/eval.md).',
    'Answers come from the response cache when the same request was answered before: rerunning an eval makes no model call, adding a model pays only for it. --max-cost stops the eval before it spends more (exit 6); Ctrl-C stops it (exit 130); `sop eval --resume ID` continues either where it stopped.',
    'Exit codes: 0 when the eval ran (whatever the pass rates, unless --threshold), 17 when a model\'s pass rate is below --threshold, 6 stopped by --max-cost, 130 interrupted, 2 invalid dataset, 10 a model (or the judge) without the API key its provider needs (before the first run), or runs that failed on the model provider (the eval is incomplete: --resume runs them again), 13 the eval record (or a case\'s run) is in use by another process.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> eval sops/software-company.yaml --dataset cases.yaml',
    '<%= config.bin %> eval my.yaml --dataset cases.jsonl --model openai:gpt-4o-mini --model anthropic:claude-sonnet-4-5 --concurrency 8',
    '<%= config.bin %> eval my.yaml --dataset cases.csv --defaults eval-defaults.yaml --repeat 3 --threshold 0.9',
    '<%= config.bin %> eval my.yaml --dataset cases.yaml --out results.json && <%= config.bin %> eval my.yaml --dataset cases.yaml --baseline results.json',
    '<%= config.bin %> eval --resume 20260101-120000-a1b2c3 --max-cost 5',
  ];
  static override args = {
    file: Args.string({ description: 'SOP file (not with --resume: the eval record names it).' }),
  };
  static override flags = {
    dataset: Flags.string({ char: 'd', description: 'The cases: cases.yaml (sop-eval/v1), cases.jsonl (one case per line) or cases.csv (one case per row).' }),
    defaults: Flags.string({ description: 'For a JSONL or CSV dataset: a sop-eval/v1 file with `defaults`, `models` and `judge_model` (no cases).' }),
    model: Flags.string({ description: 'A model every case runs on (repeatable; replaces the dataset\'s `models`): provider:model, an alias, offline, script:FILE.', multiple: true }),
    'judge-model': Flags.string({ description: 'The model that scores `judge` rubrics (default: the dataset\'s judge_model, else the model of the run).' }),
    repeat: Flags.integer({ description: 'Runs of each case on each model, for variance (default 1).', min: 1 }),
    concurrency: Flags.integer({ description: 'Runs at a time (they share the provider limits and breakers of one runtime).', default: 4, min: 1 }),
    'max-cost': Flags.custom<number>({ description: 'USD the eval may spend in all (runs and judges); it stops before spending more (exit 6).', parse: async (text) => positive(text, '--max-cost') })(),
    threshold: Flags.custom<number>({ description: 'Lowest pass rate (0..1) each model must reach; below it, exit 17.', parse: async (text) => rate(text) })(),
    baseline: Flags.string({ description: 'A results file of an earlier eval (--out, or .sop/evals/ID/results.json; its folder .sop/evals/ID too): regressions and improvements per case and model.' }),
    out: Flags.string({ description: 'Also write the results file here (it is always kept as .sop/evals/ID/results.json).' }),
    junit: Flags.string({ description: 'Write a JUnit XML report: a suite per model, a test case per case.' }),
    resume: Flags.string({ description: 'Continue an eval that stopped (--max-cost, Ctrl-C, a kill): judged runs are kept, started ones resumed. ID: the eval id, or its beginning.', helpValue: 'ID' }),
    // No oclif default: a storage error names --evals-dir only when the user gave it (`namingFlag`).
    'evals-dir': Flags.string({ description: 'Folder of eval records (default: .sop/evals).' }),
    'runs-dir': runFlags['runs-dir'],
    provider: runFlags.provider,
    cache: runFlags.cache,
    'cache-dir': runFlags['cache-dir'],
    quiet: runFlags.quiet,
    'metrics-port': metricsPortFlag(),
    'metrics-host': metricsHostFlag(),
    // Queued runs (docs/queue.md): one job per case × model × repeat on `sop worker` processes.
    ...queueFlags,
    'queue-keep-days': queueKeepFlag,
    'event-prompts': Flags.boolean({ description: 'Model-call events in each run\'s journal (--runs-dir) carry the rendered prompts, secrets masked: see what each role was asked in a run of the eval. Off by default.' }),
  };

  /** A refusal of the flags themselves still gets the CI reports a refused eval gets (below). */
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const refusal = this.flagsRead ? undefined : await this.flagRefusal(error);
    if (refusal) await (await import('../refused-reports.js')).reportFlagRefusal('sop eval', refusal, this.argv);
    return super.catch(error);
  }

  /** A dataset given as a second argument (`sop eval sop.yaml cases.csv`): it goes after `--dataset`. */
  protected override extraArgumentsHint(extra: string[]): string | undefined {
    const [given] = extra;
    if (extra.length !== 1 || !/\.(ya?ml|jsonl|ndjson|csv)$/i.test(given as string)) return undefined;
    return `a dataset is given with --dataset: \`--dataset ${quoteArgument(given as string)}\``;
  }

  /** Set once oclif has read the flags: later refusals are reported by `run` itself. */
  private flagsRead = false;

  async run(): Promise<EvalResult> {
    const { args, flags } = await this.parse(Eval);
    this.flagsRead = true;
    refuseWithQueue(flags, ['resume']);
    // Written when the eval ends: refused now if they cannot be, not after every run.
    if (flags.out !== undefined || flags.junit !== undefined) {
      const outputFile = await import('../output-file.js');
      if (flags.out !== undefined) outputFile.refuseOtherFormat('--out', flags.out, RESULTS_FORMAT);
      if (flags.junit !== undefined) outputFile.refuseOtherFormat('--junit', flags.junit, outputFile.junitFormat('sop eval'));
      outputFile.checkOutputFiles({ '--out': flags.out, '--junit': flags.junit });
    }
    // Ctrl-C is taken before the eval is set up (SOP, dataset, models): one pressed then ends it as
    // any interrupted eval ends (after 0 runs, said so, exit 130), not by the signal in silence.
    const { interruptOnSignals } = await import('../interrupts.js');
    // An eval goes on with `sop eval --resume ID` (its record), not with `sop resume` of each run.
    // A queued case's run is not stopped: it goes on on its worker, and is waited for and brought home.
    const stopping = flags.queue === undefined ? 'stopping the running cases\' runs' : 'queueing no more cases, waiting for the runs on the workers to end';
    // The eval's own command once its record is made (`sop eval --resume 20261207-...`); `ID` before.
    const resume = (): string => (this.evalDir === undefined ? `${this.sopCommand} eval --resume ID` : evalResumeCommand(this.evalDir, this.sopCommand));
    const interrupts = interruptOnSignals((_text, quitNow) => this.note(`\ninterrupting: ${stopping} and saving the eval's record; \`${resume()}\` continues it${flags.queue === undefined ? '' : ' on this machine'} (${quitNow})`));
    try {
      return await this.evaluate(args, flags, interrupts.signal);
    } catch (error) {
      // A refused eval (a broken or missing dataset, an invalid case) still gets its JUnit file (and its
      // annotations and step summary under Actions), as a refused `sop test` does: a CI job must not
      // read an earlier eval's file as this one's.
      if (isSopError(error) && !this.reportsWritten) await (await import('../refused-reports.js')).reportRefusal('sop eval', error, { junit: flags.junit, subject: evalSubject(args, flags), redact: this.redact });
      throw error;
    } finally {
      interrupts.dispose();
    }
  }

  private async evaluate(args: EvalArgs, flags: EvalFlags, signal: AbortSignal): Promise<EvalResult> {
    const { readBaseline } = await import('../../eval/evaluate.js');
    // Read first: a wrong baseline is refused before the eval record is made.
    const baseline = flags.baseline === undefined ? undefined : readBaseline(flags.baseline, process.cwd());
    const { prepareEval } = await import('../eval-setup.js');
    const setup = await prepareEval({
      ...(args.file === undefined ? {} : { sopFile: args.file }),
      ...(flags.dataset === undefined ? {} : { dataset: flags.dataset }),
      ...(flags.defaults === undefined ? {} : { defaults: flags.defaults }),
      ...(flags.model === undefined ? {} : { models: flags.model }),
      ...(flags['judge-model'] === undefined ? {} : { judgeModel: flags['judge-model'] }),
      ...(flags.resume === undefined ? {} : { resume: flags.resume }),
      ...(flags.provider === undefined ? {} : { provider: flags.provider }),
      ...(flags['cache-dir'] === undefined ? {} : { cacheDir: flags['cache-dir'] }),
      cache: flags.cache,
      ...(flags.repeat === undefined ? {} : { repeat: flags.repeat }),
      ...(flags['evals-dir'] === undefined ? {} : { evalsDir: flags['evals-dir'] }),
      runsDir: flags['runs-dir'],
      loadSop: (file) => this.loadSopPrintingWarnings(file),
    });
    this.evalDir = setup.record.dir;
    try {
      return await this.evaluateHeld(setup, flags, baseline, signal);
    } finally {
      // Held since the record was made or opened: another process may resume the eval now.
      setup.record.release();
    }
  }

  private async evaluateHeld(setup: EvalSetup, flags: EvalFlags, baseline: ReturnType<typeof import('../../eval/evaluate.js').readBaseline> | undefined, signal: AbortSignal): Promise<EvalResult> {
    const { evaluate } = await import('../../eval/evaluate.js');
    this.redact = setup.context.runtime.secrets.mask;
    for (const warning of setup.unreadConfig) this.warning(warning);
    for (const mistake of setup.mistakes) this.warning(mistake);
    await this.warnDiagnostics(setup.answerMisfits);
    // Each run of the eval gets its own trace; --metrics-port serves the metrics of all of them.
    const { startCommandTelemetry } = await import('../command-telemetry.js');
    const { telemetry } = await startCommandTelemetry(flags, { warning: (text) => this.warning(text), note: (text) => this.note(text), redact: this.redact });
    let queue: Awaited<ReturnType<typeof import('../queued-runs.js').openQueue>> | undefined;
    if (flags.queue !== undefined) {
      const { openQueue, maskingAlso, queuedCaseRunner, submitterKey, travellingModels } = await import('../queued-runs.js');
      // Every case's secret inputs travel sealed with SOP_QUEUE_KEY: without one, refused before anything is queued.
      const key = await submitterKey(setup.context.sop, setup.dataset.cases.map((evalCase) => evalCase.inputs), process.env);
      // Each script model is read and checked before anything is queued; it travels in every case's bundle.
      const travelling: TravellingModels = new Map();
      for (const model of setup.models) travelling.set(model, await travellingModels(setup.context.sop, { ...(setup.usesSopModels(model) ? {} : { model }), ...(flags.provider === undefined ? {} : { provider: flags.provider }) }, process.cwd()));
      queue = await openQueue(flags.queue, flags['queue-name'], { keepDays: flags['queue-keep-days'], key, sopCommand: this.sopCommand, warning: (text) => this.warning(text) });
      this.redact = await maskingAlso(queue.address, this.redact);
      setup.context.queued = queuedCaseRunner(queue.client, setup.context.sop, travelling);
      // Cases no worker takes wait without a word (none started, or on another queue name).
      if (!flags.quiet) void queue.client.noWorkerNote().then((note) => note !== undefined && this.note(note), () => undefined);
    }
    const { formatRunLine, formatEvalReport, formatEvalFiles } = await import('../eval-output.js');
    const { sopModelsRenamed } = await import('../eval-setup.js');
    if (!flags.quiet && !this.jsonEnabled()) this.note(`eval ${setup.record.spec.evalId}: ${plural(setup.dataset.cases.length, 'case')} × ${plural(setup.models.length, 'model')} × ${setup.record.spec.repeat} (record: ${setup.record.dir})`);
    // A Ctrl-C pressed while the set-up read its files (synchronously) reaches its handler only
    // when the event loop polls: one turn first, so such an eval stops before its first case.
    await new Promise((resolve) => setImmediate(resolve));
    let result: EvalResult;
    try {
      result = await evaluate({
        dataset: setup.dataset,
        models: setup.models,
        repeat: setup.record.spec.repeat,
        concurrency: flags.concurrency,
        record: setup.record,
        context: { ...setup.context, signal, sopCommand: this.sopCommand, ...(telemetry ? { listenRun: () => telemetry.run().onEvent } : {}), ...(flags['event-prompts'] ? { eventPrompts: true } : {}) },
        ...(flags['max-cost'] === undefined ? {} : { maxCost: flags['max-cost'] }),
        ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }),
        ...(baseline ? { baseline: sopModelsRenamed(baseline, setup.sopModels?.label) } : {}),
        onRun: (run, finished, planned) => {
          if (!flags.quiet && !this.jsonEnabled()) this.note(formatRunLine(run, finished, planned));
        },
      });
    } finally {
      await telemetry?.shutdown();
      await queue?.client.close();
    }
    for (const warning of setup.warnings()) this.warning(warning);
    const { writeEvalFiles } = await import('../eval-setup.js');
    // One that cannot be written (a full disk) is said after the results, not instead of them.
    const unwritten = await writeEvalFiles(result, { ...(flags.out === undefined ? {} : { out: flags.out }), ...(flags.junit === undefined ? {} : { junit: flags.junit }) });
    const written = (flag: string, file: string | undefined): string | undefined => (unwritten.some((failure) => failure.message.startsWith(`${flag}: `)) ? undefined : file);
    const junit = written('--junit', flags.junit);
    const out = written('--out', flags.out);
    this.reportsWritten = true;
    // Interrupted before any case ended: no results to show (a table of 0/0 and an empty page
    // read as an eval that ran nothing), only what the error below says and how to continue.
    const nothingEnded = interruptedBeforeAnyRun(result);
    let report: string | undefined;
    if (!nothingEnded) {
      const { writeEvalHtmlReport } = await import('../eval-html.js');
      const html = await writeEvalHtmlReport(result, { runsDir: setup.context.runsDir, sop: setup.context.sop, redact: setup.context.runtime.secrets.mask });
      for (const warning of html.warnings) this.warning(warning);
      report = html.file;
      this.out(formatEvalReport(result, setup.sopModels));
    } else if (this.jsonEnabled()) this.out(formatEvalReport(result, setup.sopModels));
    // Where the eval's files are, as `sop run` names its run record: the page to open first.
    const files = formatEvalFiles({ ...(report === undefined ? {} : { report }), ...(junit === undefined ? {} : { junit }), ...(out === undefined ? {} : { results: out }) });
    if (!this.jsonEnabled() && files !== '') this.note(files);
    const outcome = evalOutcome(result, flags.queue !== undefined, this.sopCommand);
    const { evalCasesOutcome, reportCasesUnderActions } = await import('../case-ci-reports.js');
    await reportCasesUnderActions(() => evalCasesOutcome(result, setup.dataset, outcome), this.redact);
    if (outcome) this.note(await (await import('../base-command.js')).describeSopError(outcome));
    // Its "exit code is 0" would be untrue beside a file the eval could not write (exit 14, said below).
    else if (!this.jsonEnabled() && unwritten.length === 0) {
      const note = failedWithoutThreshold(result);
      if (note) this.note(note);
    }
    for (const failure of unwritten) this.note(this.redact(await (await import('../base-command.js')).describeSopError(failure)));
    this.concludeWith(eachError(unwritten) ?? outcome);
    return result;
  }
}

type EvalFlags = Interfaces.InferredFlags<typeof Eval.flags>;
type EvalArgs = Interfaces.InferredArgs<typeof Eval.args>;

/**
 * What `--out` writes: the results, JSON. `--out results.xml` or `--out report.html` wrote that JSON
 * under a name saying XML or HTML, silently, where `--junit` and the eval's own page are meant.
 */
const PAGE = "the eval's HTML page is always written into its record, .sop/evals/ID/report.html (or under --evals-dir), and named on its last lines";
const RESULTS_FORMAT: OutputFormat = {
  command: 'sop eval',
  writes: 'the results file as JSON (FILE.json)',
  elsewhere: {
    xml: 'JUnit XML is written by `sop eval --junit FILE`',
    html: PAGE,
    htm: PAGE,
    md: 'a Markdown summary is written per run by `sop report RUN --out FILE.md`',
  },
  instead: { what: 'the results', extension: '.json' },
};

/** What `sop eval` was given, for its step summary's title: the SOP and its dataset, or the eval it resumes. */
function evalSubject(args: EvalArgs, flags: EvalFlags): string {
  if (flags.resume !== undefined) return `--resume ${flags.resume}`;
  return [args.file, flags.dataset === undefined ? undefined : `--dataset ${flags.dataset}`].filter(Boolean).join(' ') || 'sop eval';
}

/** How the eval ended when it is not a success: stopped early, or a model below the threshold (hints type `sop` as `sopCommand`). */
function evalOutcome(result: EvalResult, queued: boolean, sopCommand: string): SopError | undefined {
  // `--resume` cannot go with `--queue` yet: a queued eval's resume runs the cases left locally, which the hint says.
  const resume = evalResumeCommand(result.evalDir, sopCommand);
  const where = queued ? ' (the cases left run on this machine: a queued eval is not resumed through the queue yet)' : '';
  if (result.stopped?.reason === 'max_cost') {
    return new SopError('RUN_BUDGET_EXHAUSTED', `eval stopped by --max-cost after ${result.stopped.ran} of ${result.stopped.planned} runs ($${result.stopped.spentUsd.toFixed(4)} spent)`, {
      hint: `continue with: ${resume} --max-cost <a higher amount> (answers already paid for come from the cache)${where}`,
    });
  }
  if (result.stopped?.reason === 'interrupted') {
    const when = interruptedBeforeAnyRun(result) ? `before any case ended (0 of ${plural(result.stopped.planned, 'run')} done)` : `after ${result.stopped.ran} of ${result.stopped.planned} runs`;
    return new SopError('RUN_INTERRUPTED', `eval interrupted ${when}`, { hint: `continue with: ${resume}${where}` });
  }
  // An eval some of whose runs the provider failed is incomplete: its pass rates say nothing of the SOP yet.
  const providerFailed = result.runs.filter((run) => run.exitCode === EXIT.PROVIDER_FAILED).length;
  if (providerFailed > 0) {
    return new SopError('PROVIDER_FAILED', `${providerFailed} of ${plural(result.runs.length, 'run')} failed on the model provider, not on a check: the eval is incomplete`, {
      hint: `once the provider answers, \`${resume}\` runs ${providerFailed === 1 ? 'it' : 'them'} again (calls already answered are not paid again)`,
    });
  }
  if (result.belowThreshold.length > 0) {
    const rates = result.summary.filter((model) => result.belowThreshold.includes(model.model)).map((model) => `${model.model} ${(model.passRate * 100).toFixed(1)} %`);
    return new SopError('EVAL_BELOW_THRESHOLD', `pass rate below --threshold ${result.threshold}: ${rates.join(', ')}`, {
      hint: 'see the failed cases above (or in --json / --junit); compare with an earlier eval with --baseline',
    });
  }
  return undefined;
}

/** Interrupted (Ctrl-C, SIGTERM) before the first run of any case ended: nothing to show but how to continue. */
function interruptedBeforeAnyRun(result: EvalResult): boolean {
  return result.stopped?.reason === 'interrupted' && result.stopped.ran === 0 && result.runs.length === 0;
}

/**
 * Said when runs failed and no --threshold makes the exit code say so: a CI job (as promptfoo's
 * does) would otherwise pass on an eval whose every case failed, exit 0 being documented only.
 */
function failedWithoutThreshold(result: EvalResult): string | undefined {
  if (result.threshold !== undefined) return undefined;
  const failed = result.summary.reduce((sum, model) => sum + model.failed, 0);
  if (failed === 0) return undefined;
  const runs = result.summary.reduce((sum, model) => sum + model.runs, 0);
  return `note: ${failed} of ${plural(runs, 'run')} failed; the exit code is 0 without --threshold (e.g. --threshold 1 fails the eval, exit 17, when any run fails)`;
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new SopError('USAGE', `${flag} must be a positive number, got "${text}"`, { hint: `e.g. ${flag} 2.5` });
  return value;
}

function rate(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new SopError('USAGE', `--threshold must be a pass rate from 0 to 1, got "${text}"`, { hint: 'e.g. --threshold 0.9 (90 % of the runs of each model pass)' });
  return value;
}
