import { SopError } from '../errors/index.js';
import type { RunEvent } from '../runtime/events.js';
import type { SpanIds } from './event-spans.js';

/** How a run's progress goes to stderr: for people (`human`, the default) or one JSON object a line (`json`). */
export type LogFormat = 'human' | 'json';

const LOG_FORMATS: readonly LogFormat[] = ['human', 'json'];

/** `--log-format`, else `SOP_LOG_FORMAT`, else human; an unknown value in the variable is a usage error naming it. */
export function logFormat(flag: LogFormat | undefined, env: Readonly<Record<string, string | undefined>>): LogFormat {
  if (flag) return flag;
  const value = env['SOP_LOG_FORMAT']?.trim();
  if (value === undefined || value === '') return 'human';
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new SopError('USAGE', `SOP_LOG_FORMAT=${value}: expected one of ${LOG_FORMATS.join(', ')}`, { hint: 'unset it, or set SOP_LOG_FORMAT=json for one JSON object per event on stderr' });
}

/** Fields every line may carry, named as log stores correlate them. */
const RENAMED: Record<string, string> = { runId: 'run_id', type: 'event' };
/** What a line puts first (its own fields, or the correlation fields) and never repeats. */
const OWN = new Set(['type', 'time', 'round', 'role', 'action', 'index', 'runId']);

/**
 * `--log-format json`: one JSON object per run event on stderr, for Loki or ELK: `time`, `level`,
 * `msg`, `event`, the correlation fields `run_id`, `round`, `role`, `action` (and `trace_id`,
 * `span_id` when tracing is on), then the event's own fields. Events arrive with secrets masked;
 * warnings and notes of the command are lines too (`event: "note"`), so stderr stays JSON.
 */
export class JsonLog {
  private runId: string | undefined;
  /** A run-end line was written: it is the run's summary. */
  private endWritten = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly redact: (text: string) => string,
    private readonly idsOf: (event: RunEvent) => SpanIds | undefined = () => undefined,
  ) {}

  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'run-start' || event.type === 'run-resume') this.runId = event.runId;
    if (event.type === 'run-end') this.endWritten = true;
    const line: Record<string, unknown> = { time: event.time, level: levelOf(event), msg: describe(event), event: event.type };
    if (this.runId) line['run_id'] = this.runId;
    for (const name of ['round', 'role', 'action', 'index'] as const) {
      if (name in event) line[name] = (event as Record<string, unknown>)[name];
    }
    const ids = this.idsOf(event);
    if (ids) {
      line['trace_id'] = ids.traceId;
      line['span_id'] = ids.spanId;
    }
    for (const [name, value] of Object.entries(event)) {
      if (!OWN.has(name)) line[RENAMED[name] ?? name] = value;
    }
    this.write(line);
  };

  /**
   * A line of the command that is not a run event (a warning, the outcome's hint); `fields` follow
   * the correlation fields, as an event's own fields do (a validation warning's code and place).
   */
  note(text: string, level: 'info' | 'warn' | 'error' = 'info', fields: Record<string, unknown> = {}): void {
    this.write({ time: new Date().toISOString(), level, msg: text, event: 'note', ...(this.runId ? { run_id: this.runId } : {}), ...fields });
  }

  /** Whether the run's summary (its run-end line) was written: not with --quiet, nor when a queued run's follower missed it. */
  get summarized(): boolean {
    return this.endWritten;
  }

  finish(): void {
    // Lines are written whole as they come: nothing is pending.
  }

  private write(line: Record<string, unknown>): void {
    this.stream.write(`${this.redact(JSON.stringify(line))}\n`);
  }
}

function levelOf(event: RunEvent): 'info' | 'warn' | 'error' {
  switch (event.type) {
    case 'run-end':
      return event.exitCode === 0 ? 'info' : 'error';
    case 'action-end':
      return event.outcome === 'failed' ? 'error' : 'info';
    case 'llm-call-retry':
    case 'llm-call-cut':
    case 'gate-failed':
    case 'output-invalid':
    case 'react-choice-invalid':
    case 'message-undeliverable':
    case 'breaker-open':
    case 'tool-skipped':
      return 'warn';
    case 'tool-call-end':
      return event.ok ? 'info' : 'warn';
    default:
      return 'info';
  }
}

/** A short text for the line (`msg`): the event, and who and what it concerns. */
function describe(event: RunEvent): string {
  const who = [('role' in event ? event.role : undefined), ('action' in event ? event.action : undefined)].filter((part) => typeof part === 'string').join(' ');
  switch (event.type) {
    case 'run-end':
      return `run ${event.status} (exit ${event.exitCode})${event.error ? `: ${event.error.message}` : ''}`;
    case 'action-end':
      return `${who} ${event.outcome}`;
    case 'gate-failed':
      return `gate ${event.gate} failed (${who})`;
    case 'gate-passed':
      return `gate ${event.gate} passed (${who})`;
    default:
      return who ? `${event.type} ${who}` : event.type;
  }
}
