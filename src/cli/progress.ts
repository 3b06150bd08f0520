import type { RunEvent } from '../runtime/events.js';
import type { CallProgress } from '../runtime/index.js';
import { textStart, withoutControlBytes } from '../spec/text-encoding.js';
import { usd } from '../providers/cost/estimate.js';
import { plural } from '../errors/index.js';

/** What `sop run` shows while a run goes: one line per finished action, on a TTY also a live status line. */
export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** Redraw a status line in place (a TTY, not `--ci`). */
  live: boolean;
  /** Masks secrets in every line written (keys must never reach a terminal or a CI log). */
  redact?: (text: string) => string;
  /**
   * A queued run: the commands that reach it while it runs on its worker (`sop resume RUN --queue
   * URL`), said beside its workspace, the local folder its files come to when it ends.
   */
  queued?: string;
}

export const OFFLINE_MODEL_NOTE = 'model: offline (deterministic placeholder output, no LLM called)';

const OUTCOME_TEXT: Record<string, string> = {
  published: 'done',
  routed: 'routed (gate failed)',
  'gate-stopped': 'stopped by a gate',
  failed: 'FAILED',
  'budget-exhausted': 'budget exhausted',
  interrupted: 'interrupted',
  'awaiting-approval': 'awaiting approval',
};

/** What the calls of one `role/action` have spent and where their answers came from, over the run. */
interface ActionTally {
  tokens: number;
  calls: number;
  costUsd: number;
  /** Calls answered without the model, by source: the response cache or a `--replay` cassette. */
  answeredBy: Record<'cache' | 'replay', number>;
}

const emptyTally = (): ActionTally => ({ tokens: 0, calls: 0, costUsd: 0, answeredBy: { cache: 0, replay: 0 } });

interface RunningAction {
  label: string;
  /** The action's tally when this run of it started: its share is the difference at its end. */
  atStart: ActionTally;
  /** How its precondition command ended (`precondition exit 0`), kept apart from its own command's. */
  precondition: string | undefined;
  /** How its own command ended (a command action's). */
  command: string | undefined;
  /** Tool calls made by this action run. */
  toolCalls: number;
  /** Characters of the reply being streamed, when a call is in flight. */
  streamed: number | undefined;
}

/** Smallest interval between two redraws caused by streamed text. */
const STREAM_REDRAW_MS = 100;

/** The live line's elapsed seconds tick this often, even while nothing else happens (a long call). */
const TICK_MS = 1000;

/** How much of a failing gate's feedback the progress shows: the events and JUnit file have it all. */
const FEEDBACK_LINES = 3;
const FEEDBACK_LINE_CHARS = 160;

/**
 * Turns run events into progress text on stderr. Plain mode writes only permanent lines
 * (`[round 2] architect write_design ... done (312 tokens)`), fit for logs and CI.
 */
export class ProgressPrinter {
  private readonly running = new Map<string, RunningAction>();
  /** Per `role/action`, so an action's share is the difference across its run. */
  private readonly tallies = new Map<string, ActionTally>();
  private totalTokens = 0;
  private totalCost = 0;
  private round = 0;
  /** Until its `round-start`, the round to come is shown (`round 1`, not `round 0`), as starting. */
  private roundPending = true;
  /** Whether an action of the current round started, or a role's choice of one: till then the round is starting. */
  private actedThisRound = false;
  /** Whether the current round ended (its `round-end`): its messages are out, the next round is not begun. */
  private roundEnded = false;
  /** Roles asking the model which action to take (`react`) or for a plan (`plan_and_act`), outside any action. */
  private readonly choosing = new Map<string, 'react-choice' | 'plan'>();
  private status = '';
  private lastStreamDraw = 0;
  private readonly startedAt = Date.now();
  private ticker: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(private readonly options: ProgressOptions) {}

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        this.line(`run ${event.runId}: ${event.sop} ${event.version}`);
        for (const line of modelLines(event)) this.line(line);
        this.line(`workspace: ${event.workspace}${this.options.queued ? ` (its files come here when the run ends; it runs on a worker: ${this.options.queued})` : ''}`);
        break;
      case 'run-resume':
        // Rounds completed, as the run's summary and `sop runs` count them.
        this.round = event.round;
        this.line(
          `resume ${event.runId}: after ${plural(event.round, 'round')} (was ${event.previousStatus.replaceAll('_', ' ')}), at most ${plural(event.nRound, 'round')}` +
            `${event.journaled > 0 ? `; ${plural(event.journaled, 'answered call')} from the journal` : ''}` +
            // Said first, not only in the closing hint: the user may think the resume itself failed.
            `${event.round >= event.nRound ? `; the round limit is reached already, so it stops at once: give --n-round above ${event.nRound} to go on` : ''}`,
        );
        break;
      case 'round-start':
        this.round = event.round;
        this.roundPending = false;
        this.actedThisRound = false;
        this.roundEnded = false;
        break;
      case 'round-end':
        this.roundEnded = true;
        this.choosing.clear();
        break;
      case 'llm-call-start':
        if (event.action === undefined && (event.purpose === 'react-choice' || event.purpose === 'plan')) {
          this.actedThisRound = true;
          this.choosing.set(event.role, event.purpose);
        }
        break;
      case 'action-start': {
        this.actedThisRound = true;
        this.choosing.delete(event.role);
        const key = actionKey(event);
        this.running.set(key, {
          label: where(event),
          atStart: structuredClone(this.tally(event.role, event.action)),
          precondition: undefined,
          command: undefined,
          toolCalls: 0,
          streamed: undefined,
        });
        break;
      }
      case 'react-choice':
      case 'plan-created':
        this.choosing.delete(event.role);
        break;
      case 'llm-call-cut':
        // A cut reply is billed: its tokens and cost count, though no call answered.
        this.addSpent(event, event.promptTokens + event.completionTokens, event.costUsd ?? 0);
        this.line(
          `${where(event)}: ${event.code}: the reply from ${event.endpoint} was cut off; its ${event.promptTokens + event.completionTokens} tokens` +
            `${event.estimated ? ' (estimated)' : ''}${event.costUsd === undefined ? '' : `, ${usd(event.costUsd)},`} are billed and counted`,
        );
        break;
      case 'llm-call-end': {
        const tokens = event.promptTokens + event.completionTokens;
        this.addSpent(event, tokens, event.costUsd ?? 0);
        // The reply is used as it came: a text output cut at the limit would pass for a whole one.
        if (event.finishReason === 'length') {
          this.line(
            `${where(event)}: the reply of ${event.model} stopped at its token limit (finish reason \`length\`) and may be cut short; ` +
              'raise `max_tokens` in its model settings (`model: { name: ..., max_tokens: N }`)',
          );
        }
        if (event.action !== undefined) {
          const tally = this.tally(event.role, event.action);
          tally.calls += 1;
          if (event.cached) tally.answeredBy[event.cached] += 1;
          const running = this.running.get(actionKey({ ...event, action: event.action }));
          if (running) running.streamed = undefined;
        }
        break;
      }
      case 'llm-call-retry':
        this.line(
          `${where(event)}: ${event.code}${event.status === undefined ? '' : ` (${event.status})`} from ${event.endpoint}, ` +
            `retrying in ${(event.delayMs / 1000).toFixed(1)}s (attempt ${event.attempt + 1})`,
        );
        break;
      case 'breaker-open':
        this.line(`${where(event)}: circuit open for ${event.endpoint}: calls to it fail fast for a while`);
        break;
      case 'breaker-close':
        this.line(`${where(event)}: circuit closed again for ${event.endpoint}`);
        break;
      case 'output-repaired':
        this.line(`${where(event)}: repaired the JSON reply (${event.repairs.join(', ')})`);
        break;
      case 'command-end': {
        const running = this.running.get(actionKey(event));
        // A precondition's result is said as one: on a model action it read as the action's own command.
        const what = event.precondition ? 'precondition' : 'command';
        const ended = event.timedOut ? `${what} timed out` : `${what} exit ${event.exitCode}`;
        if (running && event.gate === undefined) {
          if (event.precondition) running.precondition = ended;
          else running.command = ended;
        }
        break;
      }
      case 'gate-failed':
        this.line(`${where(event)}: gate ${event.gate} failed (${event.onFail})`);
        for (const reason of feedbackLines(event.feedback)) this.line(`    ${reason}`);
        break;
      case 'approval-requested':
        this.line(`${where(event)}: gate ${event.gate} asks for approval: ${event.prompt}`);
        break;
      case 'approval-decided':
        this.line(`${where(event)}: gate ${event.gate}: ${event.decision}${event.by === 'resume' ? ' (given to sop resume)' : ''}`);
        break;
      case 'tool-skipped':
        this.line(`[round ${event.round}] ${event.role} ${event.action}: warning: MCP server "${event.server}" lists tool ${event.tool}, skipped: ${event.reason}; its other tools are offered`);
        break;
      case 'tool-call-end': {
        const running = this.running.get(actionKey(event));
        if (running) running.toolCalls += 1;
        if (!event.ok) {
          // A multi-line error (a command's output) goes on indented, as a gate's feedback does: each line reads as part of it.
          const [first, ...rest] = withoutControlBytes(event.error ?? 'error').trimEnd().split(/\r\n|\n|\r/);
          this.line(`[round ${event.round}] ${event.role} ${event.action}: tool ${event.tool} failed: ${first ?? ''}`);
          for (const more of rest) if (more.trim() !== '') this.line(`    ${more.trimEnd()}`);
        }
        break;
      }
      case 'output-invalid':
        // The last attempt's invalid output is not asked again: the action fails next, and its error
        // lists what was wrong. A re-ask says why here, as a failed gate does: else only the journal told.
        if (event.attempt < event.maxAttempts) {
          this.line(`${where(event)}: invalid output, asking again (attempt ${event.attempt} of ${event.maxAttempts})`);
          for (const reason of feedbackLines(event.errors.join('\n'))) this.line(`    ${reason}`);
        } else this.line(`${where(event)}: invalid output (attempt ${event.attempt} of ${event.maxAttempts}, the last)`);
        break;
      case 'message-undeliverable':
        this.line(`[round ${event.round}] message ${event.message} (${event.messageType}) addressed to unknown role ${event.to}`);
        break;
      case 'action-limit-reached':
        this.line(`[round ${event.round}] ${event.role} ${event.action}: max_runs (${event.maxRuns}) reached, news ignored`);
        break;
      case 'action-end': {
        const key = actionKey(event);
        const running = this.running.get(key);
        this.running.delete(key);
        const now = this.tally(event.role, event.action);
        const before = running?.atStart ?? emptyTally();
        const spent = now.tokens - before.tokens;
        const calls = now.calls - before.calls;
        const cost = now.costUsd - before.costUsd;
        const replayed = now.answeredBy.replay - before.answeredBy.replay;
        const cached = now.answeredBy.cache - before.answeredBy.cache + replayed;
        const answered = replayed === cached ? 'replayed' : replayed === 0 ? 'cached' : 'cached or replayed';
        const details = [
          running?.precondition,
          running?.command,
          calls > 1 ? `${calls} calls` : undefined,
          running && running.toolCalls > 0 ? plural(running.toolCalls, 'tool call') : undefined,
          cached > 0 ? (cached === calls ? answered : `${cached} ${answered}`) : undefined,
          spent > 0 ? `${spent} tokens` : undefined,
          cost > 0 ? usd(cost) : undefined,
          seconds(event.durationMs),
        ].filter(Boolean);
        const label = running?.label ?? `[round ${event.round}] ${event.role} ${event.action}`;
        this.line(`${label} ... ${OUTCOME_TEXT[event.outcome] ?? event.outcome}${details.length ? ` (${details.join(', ')})` : ''}`);
        break;
      }
      case 'run-end':
        this.ended = true;
        this.stopTicker();
        this.clearStatus();
        // The limit that stopped the run, in its own unit; the hint (what to do) ends the summary, once.
        if (event.status === 'budget_exhausted') {
          this.line(
            event.tokens
              ? `budget exhausted after ${event.tokens.used} tokens (max_tokens ${event.tokens.limit})`
              : `budget exhausted after ${usd(event.costUsd ?? this.totalCost)}`,
          );
        }
        return;
      default:
        break;
    }
    this.drawStatus();
  };

  /** Streamed text of a call in flight: shown on the live status line only (never logged). */
  readonly onDelta = (progress: CallProgress): void => {
    if (!this.options.live || progress.action === undefined) return;
    const running = this.running.get(actionKey({ ...progress, action: progress.action }));
    if (!running) return;
    running.streamed = progress.chars;
    const now = Date.now();
    if (now - this.lastStreamDraw < STREAM_REDRAW_MS) return;
    this.lastStreamDraw = now;
    this.drawStatus();
  };

  /** Removes the live status line and stops its clock (call before printing the final summary or prompting). */
  finish(): void {
    this.stopTicker();
    this.clearStatus();
  }

  /** Tokens and USD a call spent, in the totals and its action's. */
  private addSpent(event: { role: string; action?: string }, tokens: number, costUsd: number): void {
    this.totalTokens += tokens;
    this.totalCost += costUsd;
    if (event.action === undefined) return;
    const tally = this.tally(event.role, event.action);
    tally.tokens += tokens;
    tally.costUsd += costUsd;
  }

  /** The tally of `role/action`, made empty on first use. */
  private tally(role: string, action: string): ActionTally {
    const key = `${role}/${action}`;
    let tally = this.tallies.get(key);
    if (!tally) this.tallies.set(key, (tally = emptyTally()));
    return tally;
  }

  private line(text: string): void {
    this.clearStatus();
    this.options.stream.write(`${this.redact(text)}\n`);
  }

  private redact(text: string): string {
    return this.options.redact ? this.options.redact(text) : text;
  }

  private drawStatus(): void {
    if (!this.options.live) return;
    this.startTicker();
    const current = [
      ...[...this.running.values()].map((action) => `${action.label.replace(/^\[round \d+\] /, '')}${action.streamed === undefined ? '' : ` (${action.streamed} chars)`}`),
      ...[...this.choosing].map(([role, purpose]) => `${role} ${purpose === 'plan' ? 'planning' : 'choosing an action'}`),
    ];
    // Nothing runs: the round has not begun its actions, or it ended (its messages are out, it is recorded).
    // Between two actions of a round (a role picks its next) nothing is shown: no word would be true for long.
    const doing = current.length > 0 ? current.join(', ') : this.roundEnded ? 'round done' : this.actedThisRound ? undefined : 'starting';
    if (doing === undefined) return;
    const elapsed = Math.floor((Date.now() - this.startedAt) / 1000);
    const text = this.redact(`round ${this.roundPending ? this.round + 1 : this.round} · ${elapsed}s · ${doing} · ${this.totalTokens} tokens${this.totalCost > 0 ? ` · ${usd(this.totalCost)}` : ''}`);
    const columns = this.options.stream.columns || 80;
    const status = text.length >= columns ? `${textStart(text, columns - 2)}…` : text;
    if (status === this.status) return;
    this.status = status;
    this.options.stream.write(`\r\x1b[2K${this.status}`);
  }

  /** Redraws every second while the run goes, so the elapsed time moves during a long call. */
  private startTicker(): void {
    if (this.ticker || this.ended) return;
    this.ticker = setInterval(() => this.drawStatus(), TICK_MS);
    // The clock never keeps the process alive on its own.
    this.ticker.unref();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private clearStatus(): void {
    if (!this.options.live || !this.status) return;
    this.options.stream.write('\r\x1b[2K');
    this.status = '';
  }
}

function actionKey(event: { round: number; role: string; action: string; index?: number }): string {
  return `${event.round}/${event.role}/${event.action}/${event.index ?? ''}`;
}

/** The lines naming the run's models: the offline note, or `model: openai:gpt-4o-mini via https://...`. */
function modelLines(event: Extract<RunEvent, { type: 'run-start' }>): string[] {
  if (event.offline || !event.models) return [event.offline ? OFFLINE_MODEL_NOTE : `model: ${event.model}`];
  return event.models.map((model) => (model.key === 'offline' ? OFFLINE_MODEL_NOTE : `model: ${model.key}${model.endpoint ? ` via ${model.endpoint}` : ''}`));
}

/** `[round 2] engineer write_code #0`: a foreach item by its 0-based index, as `sop resume`, scripts' `item` and CEL's `index` name it. */
function where(event: { round: number; role: string; action?: string; index?: number }): string {
  return `[round ${event.round}] ${event.role}${event.action === undefined ? '' : ` ${event.action}`}${event.index === undefined ? '' : ` #${event.index}`}`;
}

/**
 * The first lines of a gate's feedback (why it failed), without terminal escape sequences or control
 * bytes, each cut to a readable width; says how many lines were left out.
 */
function feedbackLines(feedback: string): string[] {
  const lines = withoutControlBytes(feedback)
    .split(/\r\n|\n|\r/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    // GitHub's runner reads a log line as a workflow command when it starts with `::` once its
    // leading spaces are trimmed: a command's or a model's `::error::` would forge an annotation
    // (`::add-mask::`, `::stop-commands::`: worse). Its first colon is written as GitHub escapes one.
    .map((line) => line.replace(/^(\s*):(?=:)/, '$1%3A'));
  const shown = lines.slice(0, FEEDBACK_LINES).map((line) => (line.length > FEEDBACK_LINE_CHARS ? `${textStart(line, FEEDBACK_LINE_CHARS - 1)}…` : line));
  const rest = lines.length - shown.length;
  return rest > 0 ? [...shown, `… ${plural(rest, 'more line')} (in the run's journal.jsonl)`] : shown;
}

/** `$0.0123`: four significant decimals are enough for a progress line; the report has the exact sum. */
function seconds(durationMs: number): string | undefined {
  return durationMs >= 1000 ? `${(durationMs / 1000).toFixed(1)}s` : undefined;
}
