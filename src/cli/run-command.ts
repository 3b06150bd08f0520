import { EXIT, EXIT_CODE_TABLE, eachError, isSopError, plural, SopError } from '../errors/index.js';
import type { RunReporters } from '../reporting/index.js';
import { RUN_STATUS_CODES } from '../reporting/index.js';
import type { ScriptedModel } from '../providers/script/index.js';
import type { QueueClient } from '../queue/index.js';
import type { RunEvent, RunReport, RunResult } from '../runtime/index.js';
import type { JsonLog, RunTelemetry, Telemetry } from '../telemetry/index.js';
import type { EnvelopeError, EnvelopeWarning } from './json-envelope.js';
import type { TelemetryFlags } from './command-telemetry.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { githubActions } from './annotation-base.js';
import { errorOfSopError, SopCommand } from './base-command.js';
import { holdingSignals, resumeHint } from './interrupts.js';
import { rawFlagValue } from './raw-flag.js';
import type { ProgressPrinter } from './progress.js';
import { DEFAULT_SOP_COMMAND, resumeCommand, resumeTarget } from '../runtime/resume-target.js';

/** The run options that decide how a run reports itself, the same in `sop run` and `sop resume` (src/cli/run-flags.ts). */
interface ReportingFlags {
  quiet: boolean;
  ci: boolean;
}

/** What shows a run's progress on stderr: the human printer or the JSON log. */
export interface RunProgress {
  onEvent(event: RunEvent): void;
  onDelta?: ProgressPrinter['onDelta'];
  finish(): void;
}

/**
 * What `sop run` and `sop resume` share: the CI reports (also for a run refused before it started),
 * the progress and the lines printed after the run, and the run's report as the command's result
 * (`--json`), whatever the outcome.
 */
export abstract class RunCommand<T = RunReport> extends SopCommand<T> {
  /** The CI reports of this run; they also report a run refused before it started (see `catch`). */
  protected reporters: RunReporters | undefined;

  /** `--log-format json`: the command's notes and warnings are JSON lines too. */
  private jsonLog: JsonLog | undefined;

  /**
   * How to name the run `sop resume` continues (`resumeTarget`), or a queued run followed (its id),
   * once found: a storage refusal or failure after that says how to resume it.
   */
  protected resumedRunRef: string | undefined;

  /** A queued run's `--queue URL` (masked), once it is followed: a storage error's hint resumes it through its queue. */
  private followedQueue: string | undefined;

  /** Traces and metrics (OTEL_* variables, --metrics-port), or undefined with nothing of OpenTelemetry loaded. */
  private telemetry: Telemetry | undefined;

  /** The telemetry of this command's run. */
  protected runTelemetry: RunTelemetry | undefined;

  /**
   * Prints the models' warnings not printed yet (masked): called before the run and after it, when
   * a provider has said more (a deprecated model, a cache entry that could not be written).
   */
  protected modelWarner(models: { warnings(): string[] }, redact: (text: string) => string): () => void {
    const shown = new Set<string>();
    return () => {
      for (const warning of models.warnings()) {
        if (!shown.has(warning)) this.warning(redact(warning));
        shown.add(warning);
      }
    };
  }

  /**
   * Starts the telemetry the environment and flags ask for (`sop`: the SOP being resumed, which a
   * resume's first event does not name); its warnings are notes. Also says whether
   * spans carry the prompts (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT), which the run must then put on its events.
   */
  protected async openTelemetry(flags: TelemetryFlags, redact: (text: string) => string, sop?: { name: string; version: string }): Promise<{ capturePrompts: boolean }> {
    const { startCommandTelemetry } = await import('./command-telemetry.js');
    const started = await startCommandTelemetry(flags, { warning: (text) => this.warning(text), note: (text) => this.note(text), redact });
    this.telemetry = started.telemetry;
    this.runTelemetry = this.telemetry?.run(sop);
    return { capturePrompts: started.capturePrompts };
  }

  /** Sends the telemetry left and stops it: after every run, whatever its outcome. */
  protected async closeTelemetry(): Promise<void> {
    await this.telemetry?.shutdown();
  }

  /**
   * `--log-format json` (or SOP_LOG_FORMAT=json) is read from the raw arguments before anything is
   * printed: the SOP's warnings, a refused flag or input and the run's notes are JSON lines too,
   * not only the run's events. An unknown SOP_LOG_FORMAT is refused here, before the run. A flag
   * value that is not a format (`--log-format bogus`, refused by the parser) leaves the choice to
   * SOP_LOG_FORMAT: its refusal is a JSON line when the environment asked for JSON.
   */
  override async init(): Promise<void> {
    await super.init();
    const raw = rawFlagValue(this.argv, 'log-format');
    const given = raw === 'human' || raw === 'json' ? raw : undefined;
    if (given !== 'json' && (given !== undefined || !process.env['SOP_LOG_FORMAT'])) return;
    // Both wrong: the flag's refusal, the one the user typed, is said (for people).
    if (raw !== undefined && given === undefined && process.env['SOP_LOG_FORMAT']?.trim() !== 'json') return;
    const { JsonLog, logFormat } = await import('../telemetry/index.js');
    if (logFormat(given, process.env) !== 'json') return;
    // The mask and the spans as they are when a line is written: both are known only later.
    this.jsonLog = new JsonLog(process.stderr, (text) => this.redact(text), (event) => this.runTelemetry?.idsOf(event));
  }

  protected override note(text: string): void {
    if (this.jsonLog) this.jsonLog.note(text, text.startsWith('warning: ') ? 'warn' : /^(internal )?error/.test(text) ? 'error' : 'info');
    else super.note(text);
  }

  /** A JSON log line says the refusal once, with its code, exit code, place, hint and diagnostics as fields (as `--json`'s `error`). */
  protected override async printError(error: SopError, failure: EnvelopeError): Promise<void> {
    if (!this.jsonLog) return super.printError(error, failure);
    const { message, ...fields } = failure;
    this.jsonLog.note(`error ${failure.code}: ${message}`, 'error', fields);
  }

  /** A JSON log line says the warning once (its first line, not the code frame) with its code and place as fields. */
  protected override printWarning(listed: EnvelopeWarning, text: string): void {
    if (!this.jsonLog) return super.printWarning(listed, text);
    const { message: _message, ...fields } = listed;
    // A validation warning's text goes on with its expected/hint lines and code frame; a plain one is whole.
    const headline = listed.code === undefined ? text : (text.split('\n')[0] as string);
    this.jsonLog.note(headline, 'warn', fields);
  }

  /** Opens the CI reports first, so a refusal from here on is reported too. */
  protected async openReporters(subject: string, flags: { junit?: string | undefined; events?: string | undefined }, subjectIsFile = this.id !== 'resume'): Promise<RunReporters> {
    if (flags.events === '-' && this.jsonEnabled()) {
      throw new SopError('USAGE', '--events - and --json both write to stdout', { hint: 'write the events to a file (--events events.ndjson), or drop --json' });
    }
    if (flags.junit !== undefined) {
      const outputFile = await import('./output-file.js');
      outputFile.refuseOtherFormat('--junit', flags.junit, outputFile.junitFormat(`sop ${this.id ?? 'run'}`));
    }
    const { RunReporters } = await import('../reporting/index.js');
    const github = githubActions();
    this.reporters = new RunReporters({ command: `sop ${this.id ?? 'run'}`, subject, subjectIsFile, junit: flags.junit, events: flags.events, github, sopCommand: this.sopCommand });
    return this.reporters;
  }

  /** `--ci`, or a CI environment (`CI=true`/`CI=1`): no prompts, no live status line. */
  protected ciMode(flags: ReportingFlags): boolean {
    return flags.ci || process.env['CI'] === 'true' || process.env['CI'] === '1';
  }

  /**
   * A live status line redraws itself with `\r` and an erase-line escape: only on a terminal outside
   * CI that knows the escape. `TERM=dumb` (Emacs' shell, some CI runners' consoles) shows it as
   * text, every redraw appended to the last.
   */
  protected canRedrawLine(flags: ReportingFlags): boolean {
    return Boolean(process.stderr.isTTY) && !this.ciMode(flags) && process.env['TERM'] !== 'dumb';
  }

  /**
   * The progress on stderr (none with `--quiet`): a live status line on a terminal outside CI (not a dumb one), else
   * plain lines; with `--log-format json` (or SOP_LOG_FORMAT=json), one JSON object per event.
   */
  protected async progressPrinter(flags: ReportingFlags, redact: (text: string) => string, queued?: string): Promise<RunProgress | undefined> {
    if (flags.quiet) return undefined;
    if (this.jsonLog) return this.jsonLog;
    const { ProgressPrinter } = await import('./progress.js');
    return new ProgressPrinter({ stream: process.stderr, live: this.canRedrawLine(flags), redact, ...(queued ? { queued } : {}) });
  }

  /**
   * After the run: its error, the summary (only the status with `--quiet`, nothing but the envelope
   * with `--json`), the hint, how to resume; the report is the result and the run's exit code the
   * command's.
   */
  protected async concludeRun(ended: RunResult, flags: ReportingFlags, redact: (text: string) => string, sop?: ResolvedSop, queuedHint?: string): Promise<RunReport> {
    // The CI reports first (--junit, --events); one that cannot be written is said after the summary, not instead of it.
    const unwritten = this.reporters?.finish(ended) ?? [];
    const result = ended.error ? { ...ended, error: withResumeAfterStorage(ended.error, resumeCommand(this.followedQueue === undefined ? resumeTarget(ended.runDir, process.cwd()) : ended.runId, this.sopCommand), this.followedQueue) } : ended;
    await this.writeHtmlReport(result, redact, sop);
    if (result.error) {
      const { describeSopError } = await import('./base-command.js');
      // A key refused mid-run is said at the SOP's model line that chose it, as a missing key is.
      const place = this.reporters?.keyRefusedAt(result.report);
      const { code, message, hint } = result.error;
      const shown = place ? SopError.fromDiagnostics([{ code, severity: 'error', message, ...place, ...(hint === undefined ? {} : { hint }) }]) : result.error;
      this.note(redact(await describeSopError(shown)));
    }
    const awaiting = result.status === 'awaiting_approval' && !flags.quiet && !this.jsonEnabled();
    // The JSON log's run-end line is the summary; without one (--quiet, or a queued run whose end
    // came before its follower listened), the status is a line.
    const summarized = !this.jsonEnabled() && !this.jsonLog?.summarized;
    if (summarized) {
      const { formatRunSummary } = await import('./run-summary.js');
      // The exit code said is the command's: a report the run could not write (said below) makes it that error's.
      const exitCode = unwritten[0]?.exitCode ?? result.exitCode;
      const status = `status: ${result.status} (exit ${exitCode})`;
      // A JSON line names the run and its outcome as fields: with --quiet no event line named them before.
      if (this.jsonLog) this.jsonLog.note(status, exitCode === 0 ? 'info' : 'error', { run_id: result.runId, status: result.status, exitCode });
      else this.note(flags.quiet ? status : formatRunSummary({ ...result, exitCode }, undefined, this.reporters?.cachedFrom()));
      // Without the progress lines, a gate stop would not say which gate, nor what it found.
      if (flags.quiet && !this.jsonLog && result.status === 'gate_stopped' && this.reporters) this.note(redact(this.reporters.outcome(result.status)));
      // The awaiting note ends with the hint itself.
      if (result.report.hint && !awaiting) this.note(`hint: ${result.report.hint}`);
    }
    // Its report's hint says it already when the summary was printed.
    // The report's hint names the inputs a resume needs again (masked secrets); the fallback cannot.
    if (result.status === 'interrupted' && !queuedHint && !(summarized && result.report.hint)) this.note(result.report.hint ?? (resumeHint(result, this.sopCommand) as string));
    if (awaiting) this.note(redact((await import('./run-summary.js')).awaitingNote(result)));
    // The run ended as said above: a report it could not write is the command's error (its storage
    // exit code, as before), and `--json`'s error names each flag and file (its diagnostics).
    for (const failure of unwritten) await this.printError(failure, errorOfSopError(failure));
    this.concludeWith(eachError(unwritten) ?? runOutcomeError(result, { sopCommand: this.sopCommand }));
    return result.report;
  }

  /**
   * `report.html` in the run record, whatever the outcome (the record is what a person opens to see
   * why a run failed). A report that cannot be written is a warning: the run's own result stands.
   */
  private async writeHtmlReport(result: RunResult, redact: (text: string) => string, sop: ResolvedSop | undefined): Promise<void> {
    try {
      const { writeRunHtmlReport } = await import('./html-report.js');
      await writeRunHtmlReport(result.runDir, { sop, redact, durable: result.durability === 'machine', ended: true });
    } catch (error) {
      this.warning(redact(`cannot write report.html in ${result.runDir}: ${(error as Error).message}`));
    }
  }

  /**
   * `queueing` queues a run (its facts or a resume's claim, then its BullMQ job: two steps Redis
   * cannot make one). A Ctrl-C or SIGTERM meanwhile is held until both are done, then stops the
   * command (exit 130) with the run queued: cut between them, the run would name a job never added
   * (`sop runs --queue` and a later resume would find it lost). Holding the signal was chosen over
   * adding the job first: a worker could then take a job whose claim another resume won.
   */
  protected async queueHeld<T>(runId: (queued: T) => string, queueArgs: string, queueing: () => Promise<T>, known?: string): Promise<T> {
    // Quit at once, the run may name a job never added: a resume queues it again (its latest job `gone`).
    const then = known === undefined ? `\`${this.sopCommand} runs ${queueArgs}\` then lists it, and \`${this.sopCommand} resume RUN ${queueArgs}\` queues it again` : `\`${resumeCommand(known, this.sopCommand)} ${queueArgs}\` then queues it again`;
    const { value, signalled } = await holdingSignals(queueing, (quitNow) => this.note(`\nstopping once the run is queued (${quitNow}; ${then})`));
    if (!signalled) return value;
    const id = runId(value);
    throw new SopError('RUN_INTERRUPTED', `stopped before following run ${id}; it is queued, and a worker runs it`, {
      hint: `follow it (its files come home when it ends): ${resumeCommand(id, this.sopCommand)} ${queueArgs}`,
    });
  }

  /**
   * A queued run (`--queue URL`): its progress as the worker reports it (and to the CI reports),
   * then its workspace files written to the local workspace and the same conclusion, report and
   * exit code as a local run; its hints name the queue (`queueArgs`: `--queue URL`, masked).
   * Ctrl-C stops following, not the run (exit 130); a lost Redis is said once, and when it is back.
   */
  protected async followQueued(client: QueueClient, runId: string, folders: { runsDir: string; workspace: string }, flags: ReportingFlags, queueArgs: string, announce?: string): Promise<RunReport> {
    // Taken before the run is announced and anything is awaited: a Ctrl-C from then on (while the
    // modules below load on a busy machine, too) is this stop, not the default end by the signal.
    let onSignal: () => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => {
      onSignal = () =>
        reject(
          new SopError('RUN_INTERRUPTED', `stopped following run ${runId}; it goes on on its worker`, {
            hint: `follow it again (its files come home when it ends): ${resumeCommand(runId, this.sopCommand)} ${queueArgs}`,
          }),
        );
    });
    stopped.catch(() => undefined); // handled by the race below, also when it comes first
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // The run exists from here: a storage error (the worker's, in a failed job, or this machine's
    // as its files come home) says how to continue it through the queue.
    this.resumedRunRef = runId;
    this.followedQueue = queueArgs;
    if (announce !== undefined) this.note(announce);
    const reporters = this.reporters;
    let progress: RunProgress | undefined;
    let queuedHint: (typeof import('./queued-runs.js'))['queuedHint'];
    let followedEvent: (typeof import('./queued-runs.js'))['followedEvent'];
    let outcome;
    try {
      ({ queuedHint, followedEvent } = await Promise.race([import('./queued-runs.js'), stopped]));
      const reach = `\`${resumeCommand(runId, this.sopCommand)} ${queueArgs}\` follows it again, \`${this.sopCommand} runs ${queueArgs}\` lists queued runs`;
      progress = await Promise.race([this.progressPrinter(flags, this.redact, reach), stopped]);
      client.watchConnection((state) => {
        progress?.finish();
        this.note(
          state === 'lost'
            ? `lost the connection to Redis; run ${runId} goes on on its worker; waiting for Redis to come back`
            : `Redis is back; following run ${runId} again`,
        );
      });
      let heard = false;
      const following = client.follow(runId, (reported) => {
        heard = true;
        const event = followedEvent(reported, runId, queueArgs, folders.workspace, this.sopCommand);
        progress?.onEvent(event);
        reporters?.onEvent(event);
      }, (text) => {
        progress?.finish();
        this.note(text);
      });
      following.catch(() => undefined); // still pending when Ctrl-C stopped following: the client closes under it
      // A run no worker takes waits without a word (none started, or on another queue name): said once, unless the run is heard from first.
      void client.noWorkerNote(runId).then((note) => note !== undefined && !heard && this.note(note), () => undefined);
      outcome = await Promise.race([following, stopped]);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress?.finish();
    }
    const hint = queuedHint(outcome, runId, queueArgs, this.sopCommand);
    const result = await client.bringHome(runId, { ...outcome, report: { ...outcome.report, ...(hint === undefined ? {} : { hint }) } }, folders);
    return this.concludeRun(result, flags, this.redact, undefined, hint);
  }

  /**
   * After a scripted run: the calls the script did not answer (the offline model did), so the author
   * sees what to script next. `resumedRunDir`: a resume's run, whose revisions made before it count.
   */
  protected async noteUnscripted(scripted: ScriptedModel | undefined, flags: ReportingFlags, resumedRunDir?: string): Promise<void> {
    // Answers the run was scripted to reach and did not: a warning, as answers that can serve no call are.
    const fit = scripted && (await import('../runtime/script-fit.js'));
    let indexes = scripted?.unusedRevisions() ?? [];
    if (fit && indexes.length > 0 && resumedRunDir !== undefined) indexes = fit.revisionsNotReached(scripted.script, indexes, (await import('../store/index.js')).readRunEvents(resumedRunDir));
    const unused = fit && fit.unusedRevisionsWarning(scripted.script, indexes);
    if (unused) this.warning(unused);
    const calls = scripted?.unscripted() ?? [];
    if (calls.length === 0 || flags.quiet || this.jsonEnabled()) return;
    const shown = calls.slice(0, UNSCRIPTED_SHOWN).map((call) => `  ${call}`);
    if (calls.length > UNSCRIPTED_SHOWN) shown.push(`  and ${calls.length - UNSCRIPTED_SHOWN} more`);
    // Say who stood in only for what was missing: a human gate is named only when one went unscripted.
    const humans = calls.filter((call) => call.includes(', human gate')).length;
    const standIns = [humans < calls.length ? 'the offline model answered' : undefined, humans > 0 ? 'a human gate asked as without a script' : undefined].filter(Boolean).join('; ');
    this.note([`script ${scripted?.script.file} had no answer for ${plural(calls.length, 'call')} (${standIns}):`, ...shown].join('\n'));
  }

  /** A run refused before it started (invalid SOP, drifted lock, missing input) still gets its CI reports. */
  protected override async catch(thrown: Error & { exitCode?: number }): Promise<unknown> {
    // A report that could not be written after the run ended (--junit, --events on a full disk) leaves nothing to resume.
    const error = isSopError(thrown) && this.resumedRunRef !== undefined && this.reporters?.runEnded !== true ? withResumeAfterStorage(thrown, resumeCommand(this.resumedRunRef, this.sopCommand), this.followedQueue) : thrown;
    // A JUnit file that cannot be written is said too; the refusal stays the command's error.
    let unwritten: SopError[] = [];
    if (this.reporters) {
      if (isSopError(error)) unwritten = this.reporters.fail(error);
    } else {
      const refusal = await this.flagRefusal(error);
      if (refusal) unwritten = (await this.reportersOfUnparsedFlags())?.fail(refusal) ?? [];
    }
    for (const failure of unwritten) await this.printError(failure, errorOfSopError(failure));
    return super.catch(error);
  }

  /**
   * The CI reports of a command refused while oclif read its flags (`--investment 0`), from the raw
   * `--junit` and GITHUB_ACTIONS: without them, a CI job kept the JUnit file of an earlier run as
   * this one's result and its step summary said nothing. Undefined when neither is asked for.
   */
  private async reportersOfUnparsedFlags(): Promise<RunReporters | undefined> {
    // A blank --junit is itself the refusal (nothing to write the report to).
    const given = rawFlagValue(this.argv, 'junit');
    const junit = given?.trim() === '' ? undefined : given;
    if ((junit === undefined || junit.startsWith('-')) && process.env['GITHUB_ACTIONS'] !== 'true') return undefined;
    // The SOP file of `sop run`, the run id of `sop resume`: the first word, when it is no flag.
    const first = this.argv[0];
    const named = first !== undefined && !first.startsWith('-');
    try {
      return await this.openReporters(named ? first : `sop ${this.id ?? 'run'}`, { junit: junit !== undefined && !junit.startsWith('-') ? junit : undefined }, named && this.id !== 'resume');
    } catch {
      return undefined;
    }
  }
}

/**
 * A storage error (exit 14) of a run that exists, its hint ending with how to continue it: a queued
 * run (`queueArgs`, its `--queue URL`) through its queue, where its checkpoint is. A run refused
 * before it started has nothing to resume: its storage error says only what to fix. `resume`: the
 * run's `sop resume RUN` (`resumeCommand`).
 */
function withResumeAfterStorage(error: SopError, resume: string, queueArgs?: string): SopError {
  if (error.exitCode !== EXIT.STORAGE_FAILED) return error;
  const command = queueArgs === undefined ? resume : `${resume} ${queueArgs}`;
  const continues = `the run keeps its last checkpoint: \`${command}\` continues it once this is fixed`;
  return new SopError(error.code, error.message, { hint: error.hint ? `${error.hint}; ${continues}` : continues, cause: error.cause });
}

/** Unscripted calls listed after a scripted run; the rest are counted. */
const UNSCRIPTED_SHOWN = 10;

/**
 * Why a run did not complete, with the run's exit code: its own error, else its status. The hint
 * says how to go on (`resumable: false` for a preview, whose run record is gone), `sop` typed as
 * `sopCommand`.
 */
export function runOutcomeError(result: RunResult, options: { resumable?: boolean; sopCommand?: string } = {}): SopError | undefined {
  if (result.exitCode === EXIT.OK) return undefined;
  if (result.error && result.error.exitCode === result.exitCode) {
    // A failure `sop resume` can continue after carries the report's hint (its own fix, then the resume).
    const { hint } = result.report;
    return hint === undefined || options.resumable === false ? result.error : new SopError(result.error.code, result.error.message, { hint, diagnostics: result.error.diagnostics, cause: result.error.cause });
  }
  const code = RUN_STATUS_CODES[result.status] ?? 'INTERNAL';
  const meaning = EXIT_CODE_TABLE.find(([exitCode]) => exitCode === result.exitCode)?.[1] ?? result.status;
  const message = result.error ? `${meaning}: ${result.error.message}` : meaning;
  const hint = options.resumable === false ? undefined : (result.report.hint ?? resumeHint(result, options.sopCommand ?? DEFAULT_SOP_COMMAND));
  return new SopError(code, message, hint === undefined ? {} : { hint });
}
