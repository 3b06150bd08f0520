import path from 'node:path';
import { SopError, eachError, firstProblems, isSopError, type Diagnostic } from '../errors/index.js';
import { checkWritable, namingFlag, writeFileAtomicSync } from '../files/index.js';
import type { RunEvent } from '../runtime/events.js';
import { DEFAULT_SOP_COMMAND, withTypedHint } from '../runtime/resume-target.js';
import type { RunReport, RunResult } from '../runtime/types.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { openEventsWriter, type EventsWriter } from './events-writer.js';
import { diagnosticAnnotation, formatAnnotation, gatePlace, sopFieldPlace, type AnnotationPlace } from './github-annotations.js';
import { appendGithubFile, formatStepOutputs, type GithubActionsContext, type StepOutputs } from './github-files.js';
import { describeOutcome, formatJunit, stoppingGate, type RunVerdict } from './junit.js';
import { outcomeHints } from './outcome-hints.js';
import { typedRefusal } from './refused-junit.js';
import { RunCollector } from './run-collector.js';
import { formatRefusedSummary, formatStepSummary } from './step-summary.js';

/** Where the SOP names the model a role's action calls, when it does. */
export type ModelLine = (role: string, action: string) => AnnotationPlace | undefined;

export interface RunReportersOptions {
  /** The command as the user typed it (`sop run`, `sop resume`): a refusal's annotation and summary name it. */
  command?: string;
  /** The SOP as the user named it (reports of a run that never started). */
  subject: string;
  /** False when `subject` names no file (a run id, or a command refused before its arguments were read): annotations then point at none. */
  subjectIsFile?: boolean;
  /** `--junit FILE`. */
  junit?: string | undefined;
  /** `--events FILE|-`. */
  events?: string | undefined;
  /**
   * Set under GitHub Actions (`GITHUB_ACTIONS=true`): annotations (files relative to `base.root`, the
   * checkout, when known), the step summary when the file is known (its artifacts folder named
   * relative to the checkout, else to `cwd`, when inside it), and the step's outputs.
   */
  github?: GithubActionsContext | undefined;
  /** The folder the command runs in (default: the process's). */
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Masks secrets in everything written. */
  redact?: (text: string) => string;
  /** How the user started `sop` (`npx sop`, `node PATH/bin/sop.js`): the commands of a refusal's hints are typed so (default `sop`). */
  sopCommand?: string;
}

/**
 * The CI reports of one `sop run`: the NDJSON event stream (live), GitHub annotations (live for
 * gates, at the end for the outcome), the JUnit file and the step summary (at the end). A run that
 * never starts (invalid SOP, drifted lock) still gets its JUnit file, annotations and summary.
 */
export class RunReporters {
  private readonly collector = new RunCollector();
  private readonly events: EventsWriter | undefined;
  private readonly stderr: NodeJS.WritableStream;
  private readonly redact: (text: string) => string;
  private sop: ResolvedSop | undefined;
  private modelLine: ModelLine | undefined;
  /** The `max_tokens` that stopped the run, when it did. */
  private tokenLimit: number | undefined;
  private done = false;
  /** The run is over and `finish` was called: a failure now is of a report, with nothing to resume. */
  runEnded = false;

  /** Opens the `--events` file now (an unwritable path is a usage error before anything runs). */
  constructor(private readonly options: RunReportersOptions) {
    this.stderr = options.stderr ?? process.stderr;
    this.redact = options.redact ?? ((text) => text);
    // The JUnit file is written when the run ends: a path that cannot be written is refused now,
    // not after the run (which would hide its result behind this error).
    // Both flags are checked: a refusal names each path to fix, not only the first.
    const refusals: SopError[] = [];
    if (options.junit !== undefined) keepFailure(refusals, () => junitWrite(options.junit as string, () => checkWritable(options.junit as string)));
    let events: EventsWriter | undefined;
    if (options.events !== undefined) keepFailure(refusals, () => (events = openEventsWriter(options.events as string, options.stdout ?? process.stdout)));
    const refused = eachError(refusals);
    if (refused) {
      (events as EventsWriter | undefined)?.discardUnused();
      throw refused;
    }
    this.events = events;
  }

  /** The loaded SOP: role order for JUnit, gate and action locations for annotations; `modelLine`: where an action's model is chosen. */
  setSop(sop: ResolvedSop, modelLine?: ModelLine): void {
    this.sop = sop;
    this.modelLine = modelLine;
  }

  /** Validation warnings of the SOP being run: one `::warning` each under GitHub Actions. */
  warnings(diagnostics: readonly Diagnostic[]): void {
    if (!this.options.github) return;
    // As many as stderr prints (it counts the rest): GitHub shows a step's first 10, the rest flood its log.
    for (const diagnostic of firstProblems(diagnostics).shown) this.annotate(diagnosticAnnotation(withTypedHint(diagnostic, this.sopCommand), this.options.github?.base));
  }

  /**
   * A resumed run's recorded events (its journal's), before the live ones: the JUnit file and the
   * step summary cover the whole run, as its report does. Not written to `--events` (a live stream)
   * nor annotated again.
   */
  recorded(events: readonly RunEvent[]): void {
    for (const event of events) {
      this.collector.onEvent(event);
      this.tallyAnswer(event);
    }
  }

  /** Answers given without a live call, by where they came from (the whole run's, a resumed one's recorded events too). */
  private readonly answeredFrom = { cache: 0, replay: 0 };

  private tallyAnswer(event: RunEvent): void {
    if (event.type === 'llm-call-end' && event.cached !== undefined) this.answeredFrom[event.cached] += 1;
  }

  /** Where the run's answers without a live call came from, in words: a `--replay` run's from its cassette, not "the cache". */
  cachedFrom(): string {
    const { cache, replay } = this.answeredFrom;
    return replay === 0 ? 'the cache' : cache === 0 ? 'the cassette' : 'the cache or the cassette';
  }

  /** Every run event, as it happens. */
  readonly onEvent = (event: RunEvent): void => {
    this.collector.onEvent(event);
    this.tallyAnswer(event);
    if (event.type === 'run-end') this.tokenLimit = event.tokens?.limit;
    this.events?.onEvent(event);
    if (this.options.github && event.type === 'gate-failed') {
      const level = event.onFail === 'stop' || event.onFail === 'route' ? 'error' : 'warning';
      const item = event.index === undefined ? '' : ` #${event.index}`;
      this.annotate(formatAnnotation(level, `gate ${event.gate} failed (${event.role} ${event.action}${item}, on_fail: ${event.onFail})`, event.feedback, gatePlace(this.sop, event.role, event.action, event.gate), this.options.github?.base));
    }
  };

  /** Why a run without an error ended, in words: for a gate stop, the gate, its action and its feedback. */
  outcome(status: string): string {
    return describeOutcome(status, this.collector.actionRuns);
  }

  /**
   * After the run: writes the JUnit file, the outcome annotation and the step summary, and closes
   * the event stream. A report that cannot be written (a read-only folder, a full disk) does not
   * hide how the run ended, nor stop the other reports: its error is returned, for the command to
   * say after the run's summary.
   */
  finish(result: RunResult): SopError[] {
    if (this.done) return [];
    this.done = true;
    this.runEnded = true;
    const { report } = result;
    const failures: SopError[] = [];
    keepFailure(failures, () => this.writeJunit(report.sop.name, { status: report.status, exitCode: report.exitCode, durationMs: report.durationMs, error: report.error, hint: report.hint }));
    this.githubReports(result);
    // Last: a failed write of the stream (no space left) is said after the other reports are written.
    keepFailure(failures, () => this.events?.close());
    return failures;
  }

  private githubReports(result: RunResult): void {
    const { report } = result;
    if (!this.options.github) return;
    if (report.exitCode !== 0) {
      const place = this.failurePlace(report);
      const message = report.error ? `${report.error.code}: ${withoutPlace(report.error.message, place)}` : describeOutcome(report.status, this.collector.actionRuns);
      const hints = outcomeHints(report.error?.hint, report.hint).map((hint) => `\nhint: ${hint}`).join('');
      this.annotate(formatAnnotation('error', `${this.options.command ?? 'sop run'} ${report.status} (exit ${report.exitCode})`, `${message}${hints}`, place, this.options.github?.base));
    }
    const roles = this.sop?.roles.map((role) => role.id) ?? [];
    const cwd = this.options.cwd ?? process.cwd();
    this.appendSummary(formatStepSummary(report, this.collector.actionRuns, roles, this.options.github.base ?? { root: cwd, cwd }, this.options.command));
    const total = report.usage.total;
    this.appendOutputs({
      'run-id': result.runId,
      status: report.status,
      'exit-code': report.exitCode,
      'error-code': report.error?.code,
      'run-dir': result.runDir,
      // Written by the CLI after this, whatever the outcome.
      report: path.join(result.runDir, 'report.html'),
      workspace: result.workspace,
      rounds: report.rounds,
      calls: total.calls,
      tokens: total.promptTokens + total.completionTokens,
      'cost-usd': report.costUsd,
    });
  }

  /**
   * When the run never started (or `sop run` failed around it): the same reports, saying why. A
   * JUnit file that cannot be written is returned, not thrown: the refusal stays the command's error.
   */
  fail(error: SopError): SopError[] {
    if (this.done) return [];
    this.done = true;
    this.events?.discardUnused();
    const refusal = typedRefusal(error, this.sopCommand);
    const summary = { code: refusal.code, message: refusal.message, ...(refusal.hint ? { hint: refusal.hint } : {}) };
    const failures: SopError[] = [];
    keepFailure(failures, () => this.writeJunit(this.sop?.name ?? this.options.subject, { status: 'refused', exitCode: refusal.exitCode, durationMs: 0, error: summary }));
    if (!this.options.github) return failures;
    const problems = (refusal.diagnostics ?? []).filter((diagnostic) => diagnostic.severity === 'error');
    if (problems.length > 0) for (const diagnostic of firstProblems(problems).shown) this.annotate(diagnosticAnnotation(diagnostic, this.options.github?.base));
    else this.annotate(formatAnnotation('error', `${this.options.command ?? 'sop run'} refused: ${refusal.code}`, `${refusal.message}${refusal.hint ? `\nhint: ${refusal.hint}` : ''}`, this.refusalPlace(error), this.options.github?.base));
    this.appendSummary(formatRefusedSummary(this.options.subject, summary, refusal.exitCode, this.options.command));
    this.appendOutputs({ status: 'refused', 'exit-code': refusal.exitCode, 'error-code': refusal.code });
    return failures;
  }

  /** A refusal about a field of the loaded SOP (an input's declaration) is placed at it; else the file named. */
  private refusalPlace(error: SopError): AnnotationPlace {
    if (this.sop && error.pointer !== undefined) return sopFieldPlace(this.sop, error.pointer);
    return this.options.subjectIsFile === false ? {} : { file: this.options.subject };
  }

  private get sopCommand(): string {
    return this.options.sopCommand ?? DEFAULT_SOP_COMMAND;
  }

  private writeJunit(sopName: string, run: RunVerdict): void {
    const file = this.options.junit;
    if (file === undefined) return;
    const xml = formatJunit({ sopName, roles: this.sop?.roles.map((role) => role.id) ?? [], actionRuns: this.collector.actionRuns, run });
    try {
      junitWrite(file, () => writeFileAtomicSync(file, this.redact(xml)));
    } catch (error) {
      // Said after the run's summary, the error names the flag, as --events' does.
      if (!isSopError(error) || error.message.startsWith('--junit')) throw error;
      throw new SopError(error.code, `--junit: ${error.message}`, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error.cause });
    }
  }

  private appendSummary(markdown: string): void {
    appendStepSummary(this.options.github?.stepSummary, this.redact(markdown), this.stderr);
  }

  private appendOutputs(outputs: StepOutputs): void {
    appendGithubFile(this.options.github?.outputs, this.redact(formatStepOutputs(outputs)), 'the step outputs', this.stderr);
  }

  private annotate(line: string): void {
    this.stderr.write(`${this.redact(line)}\n`);
  }

  /**
   * The stopping gate, or the failed action's prompt or command, else the SOP file. A key refused
   * mid-run is the one the SOP's `model:` line chose: pointed there, as a missing key is (the
   * message names the action).
   */
  private failurePlace(report: RunReport): AnnotationPlace {
    if (!this.sop) return {};
    const stop = stoppingGate(this.collector.actionRuns);
    if (stop) return gatePlace(this.sop, stop.role, stop.action, stop.gate);
    const failed = [...this.collector.actionRuns].reverse().find((run) => run.outcome === 'failed');
    const modelLine = this.keyRefusedAt(report);
    if (modelLine) return modelLine;
    const action = failed && this.sop.roles.find((role) => role.id === failed.role)?.actions.find((candidate) => candidate.id === failed.action);
    // A precondition that failed is its own line: the prompt was never sent.
    const precondition = report.error?.code === 'PRECONDITION_FAILED' ? (action?.precondition?.assert?.origin ?? action?.precondition?.command?.command[0]?.origin) : undefined;
    const origin = precondition ?? action?.prompt?.origin ?? action?.run?.command[0]?.origin;
    if (origin) return { file: origin.file, line: origin.line, column: origin.column };
    return this.statusPlace(report) ?? { file: this.sop.displayPath };
  }

  /**
   * Where the SOP's `model:` line chose the key the provider refused mid-run (`PROVIDER_AUTH` of the
   * failed action), as a missing key is placed; undefined otherwise (or for a model `--model` chose).
   */
  keyRefusedAt(report: RunReport): AnnotationPlace | undefined {
    if (report.error?.code !== 'PROVIDER_AUTH') return undefined;
    const failed = [...this.collector.actionRuns].reverse().find((run) => run.outcome === 'failed');
    return failed && this.modelLine?.(failed.role, failed.action);
  }

  /**
   * The SOP field behind a run that ended without an error: the human gate awaited, `stop_when`
   * for a stall, the `n_round`, `investment` or `max_tokens` that was reached when the SOP set it
   * (a limit a flag gave has no line in it). An interrupted run has none.
   */
  private statusPlace(report: RunReport): AnnotationPlace | undefined {
    const sop = this.sop as ResolvedSop;
    const { settings } = sop;
    const awaited = report.awaiting?.[0];
    switch (report.status) {
      case 'awaiting_approval':
        return awaited && gatePlace(sop, awaited.role, awaited.action, awaited.gate);
      case 'stalled':
        return sopFieldPlace(sop, '/stop_when');
      case 'round_limit':
        return typeof settings.nRound !== 'number' || settings.nRound === report.rounds ? sopFieldPlace(sop, '/settings/n_round') : undefined;
      case 'budget_exhausted':
        // The run-end event names the token limit when that is what stopped the run.
        if (this.tokenLimit !== undefined) return settings.maxTokens === this.tokenLimit ? sopFieldPlace(sop, '/settings/max_tokens') : undefined;
        return settings.investment !== undefined && settings.investment === report.budget.investment ? sopFieldPlace(sop, '/settings/investment') : undefined;
      default:
        return undefined;
    }
  }
}

/**
 * A located error's message without the `sop.yaml:29:34: ` it starts with when the annotation is at
 * that place: GitHub shows the place already, and the text said it twice.
 */
function withoutPlace(message: string, place: AnnotationPlace): string {
  const prefix = place.line === undefined ? undefined : `${place.file}:${place.line}:${place.column}: `;
  return prefix !== undefined && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/**
 * Appends to `$GITHUB_STEP_SUMMARY` (nothing without the file); a summary that cannot be written is
 * a warning on `stderr`, not a failure of the command whose result it sums up.
 */
export function appendStepSummary(file: string | undefined, markdown: string, stderr: NodeJS.WritableStream): void {
  appendGithubFile(file, `${markdown}\n`, 'the step summary', stderr);
}

/** Runs a report's write, keeping its user-facing error (a storage failure) in `failures`; anything else is a bug and thrown. */
function keepFailure(failures: SopError[], write: () => void): void {
  try {
    write();
  } catch (error) {
    if (!isSopError(error)) throw error;
    failures.push(error);
  }
}

/** Runs a write of the JUnit file; a failure that is not already a user error names `--junit`. */
function junitWrite(file: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw isSopError(error) ? namingFlag(error, '--junit') : new SopError('FILE_UNWRITABLE', `--junit: cannot write ${file}: ${(error as Error).message}`, { hint: 'give a writable file path' });
  }
}
