import type { RunEvent } from '../runtime/events.js';

/** What `sop run` shows while a run goes: one line per finished action, on a TTY also a live status line. */
export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** Redraw a status line in place (a TTY, not `--ci`). */
  live: boolean;
}

export const OFFLINE_MODEL_NOTE = 'model: offline (deterministic placeholder output, no LLM called)';

const OUTCOME_TEXT: Record<string, string> = {
  published: 'done',
  routed: 'routed (gate failed)',
  'gate-stopped': 'stopped by a gate',
  failed: 'FAILED',
  'budget-exhausted': 'budget exhausted',
  interrupted: 'interrupted',
};

interface RunningAction {
  label: string;
  tokensAtStart: number;
  callsAtStart: number;
  command: string | undefined;
}

/**
 * Turns run events into progress text on stderr. Plain mode writes only permanent lines
 * (`[round 2] architect write_design ... done (312 tokens)`), fit for logs and CI.
 */
export class ProgressPrinter {
  private readonly running = new Map<string, RunningAction>();
  /** Tokens spent per `role/action`, so an action's share is the difference across its run. */
  private readonly tokensByAction = new Map<string, number>();
  private readonly callsByAction = new Map<string, number>();
  private totalTokens = 0;
  private round = 0;
  private status = '';

  constructor(private readonly options: ProgressOptions) {}

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        this.line(`run ${event.runId}: ${event.sop} ${event.version}`);
        this.line(event.offline ? OFFLINE_MODEL_NOTE : `model: ${event.model}`);
        this.line(`workspace: ${event.workspace}`);
        break;
      case 'round-start':
        this.round = event.round;
        break;
      case 'action-start': {
        const key = actionKey(event);
        this.running.set(key, {
          label: `[round ${event.round}] ${event.role} ${event.action}${event.index === undefined ? '' : ` #${event.index + 1}`}`,
          tokensAtStart: this.tokensByAction.get(`${event.role}/${event.action}`) ?? 0,
          callsAtStart: this.callsByAction.get(`${event.role}/${event.action}`) ?? 0,
          command: undefined,
        });
        break;
      }
      case 'llm-call-end': {
        const tokens = event.promptTokens + event.completionTokens;
        this.totalTokens += tokens;
        if (event.action !== undefined) {
          const key = `${event.role}/${event.action}`;
          this.tokensByAction.set(key, (this.tokensByAction.get(key) ?? 0) + tokens);
          this.callsByAction.set(key, (this.callsByAction.get(key) ?? 0) + 1);
        }
        break;
      }
      case 'command-end': {
        const running = this.running.get(actionKey(event));
        if (running && event.gate === undefined) {
          running.command = event.timedOut ? 'command timed out' : `command exit ${event.exitCode}`;
        }
        break;
      }
      case 'gate-failed':
        this.line(`[round ${event.round}] ${event.role} ${event.action}: gate ${event.gate} failed (${event.onFail})`);
        break;
      case 'output-invalid':
        this.line(`[round ${event.round}] ${event.role} ${event.action}: invalid output, asking again (attempt ${event.attempt})`);
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
        const spent = (this.tokensByAction.get(`${event.role}/${event.action}`) ?? 0) - (running?.tokensAtStart ?? 0);
        const calls = (this.callsByAction.get(`${event.role}/${event.action}`) ?? 0) - (running?.callsAtStart ?? 0);
        const details = [
          running?.command,
          calls > 1 ? `${calls} calls` : undefined,
          spent > 0 ? `${spent} tokens` : undefined,
          seconds(event.durationMs),
        ].filter(Boolean);
        const label = running?.label ?? `[round ${event.round}] ${event.role} ${event.action}`;
        this.line(`${label} ... ${OUTCOME_TEXT[event.outcome] ?? event.outcome}${details.length ? ` (${details.join(', ')})` : ''}`);
        break;
      }
      case 'run-end':
        this.clearStatus();
        return;
      default:
        break;
    }
    this.drawStatus();
  };

  /** Removes the live status line (call before printing the final summary). */
  finish(): void {
    this.clearStatus();
  }

  private line(text: string): void {
    this.clearStatus();
    this.options.stream.write(`${text}\n`);
  }

  private drawStatus(): void {
    if (!this.options.live) return;
    const current = [...this.running.values()].map((action) => action.label.replace(/^\[round \d+\] /, ''));
    const doing = current.length > 0 ? current.join(', ') : 'waiting';
    const text = `round ${this.round} · ${doing} · ${this.totalTokens} tokens`;
    const columns = this.options.stream.columns || 80;
    const status = text.length >= columns ? `${text.slice(0, columns - 2)}…` : text;
    if (status === this.status) return;
    this.status = status;
    this.options.stream.write(`\r\x1b[2K${this.status}`);
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

function seconds(durationMs: number): string | undefined {
  return durationMs >= 1000 ? `${(durationMs / 1000).toFixed(1)}s` : undefined;
}
