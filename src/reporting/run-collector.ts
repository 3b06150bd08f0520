import type { ActionOutcome, RunEvent } from '../runtime/events.js';

/** One gate check: a gate of one action run (one foreach item), at one attempt. */
export interface GateCheck {
  round: number;
  role: string;
  action: string;
  /** foreach index, when the action fans out. */
  index: number | undefined;
  gate: string;
  /** 1 on the first check; a `revise` failure makes the action run again and its gates be checked at attempt + 1. */
  attempt: number;
  passed: boolean;
  /** What the gate's `on_fail` did (failed gates only). */
  onFail: 'stop' | 'warn' | 'revise' | 'route' | undefined;
  feedback: string | undefined;
  /** Duration of a command gate's command; 0 for `assert` gates. */
  durationMs: number;
}

/** One foreach item of an action run. */
interface ItemRecord {
  index: number;
  /** Time spent in the item's model calls and commands. */
  durationMs: number;
}

/** One run of an action (all its foreach items). */
export interface ActionRunRecord {
  round: number;
  role: string;
  action: string;
  /** The trigger message. */
  message: string | null;
  /** Undefined when the run ended before the action did. */
  outcome: ActionOutcome | undefined;
  durationMs: number;
  /** foreach items seen (by index), in index order once collected. */
  items: ItemRecord[];
  /** Validation errors of the last invalid output, when one was re-asked. */
  outputErrors: string[];
  gates: GateCheck[];
}

/** What the run's end said (the `run-end` event). */
export interface RunEndRecord {
  status: string;
  exitCode: number;
  rounds: number;
  error?: { code: string; message: string; hint?: string };
  hint?: string;
}

/**
 * Gathers, from the events of a run (a resumed run's recorded ones first, then the live ones), what the CI reports need: every action run with its
 * outcome and time, every foreach item, every gate check. Concurrent roles interleave their events;
 * each event is matched to its action run by round, role and action (a role runs its actions one at a time).
 */
export class RunCollector {
  readonly actionRuns: ActionRunRecord[] = [];
  started: string | undefined;
  end: RunEndRecord | undefined;
  private readonly open = new Map<string, ActionRunRecord>();
  /** Durations of gate commands that ended, until their gate's verdict arrives. */
  private readonly gateTimes = new Map<string, number>();

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        this.started = event.time;
        break;
      case 'action-start': {
        const record: ActionRunRecord = {
          round: event.round, role: event.role, action: event.action, message: event.message,
          outcome: undefined, durationMs: 0, items: [], outputErrors: [], gates: [],
        };
        this.actionRuns.push(record);
        this.open.set(key(event), record);
        break;
      }
      case 'action-end': {
        const record = this.open.get(key(event));
        if (!record) break;
        record.outcome = event.outcome;
        record.durationMs = event.durationMs;
        record.items.sort((a, b) => a.index - b.index);
        this.open.delete(key(event));
        break;
      }
      case 'command-end':
        // A command gate's time is known when its command ends, just before the gate's verdict.
        if (event.gate !== undefined) {
          this.gateTimes.set(gateKey(event, event.gate), event.durationMs);
          break;
        }
        this.addItemTime(event);
        break;
      case 'llm-call-end':
        this.addItemTime(event);
        break;
      case 'output-invalid': {
        const record = this.open.get(key(event));
        if (record) record.outputErrors = event.errors;
        break;
      }
      case 'gate-passed':
      case 'gate-failed': {
        const record = this.open.get(key(event));
        if (!record) break;
        if (event.index !== undefined) itemOf(record, event.index);
        const index = event.index;
        const earlier = record.gates.filter((gate) => gate.index === index && gate.onFail === 'revise').length;
        const timing = gateKey(event, event.gate);
        record.gates.push({
          round: event.round, role: event.role, action: event.action, index, gate: event.gate,
          attempt: event.type === 'gate-failed' ? event.attempt : earlier + 1,
          passed: event.type === 'gate-passed',
          onFail: event.type === 'gate-failed' ? event.onFail : undefined,
          feedback: event.type === 'gate-failed' ? event.feedback : undefined,
          durationMs: this.gateTimes.get(timing) ?? 0,
        });
        this.gateTimes.delete(timing);
        break;
      }
      case 'run-resume': {
        // The resumed run runs the rounds after its boundary again: their earlier attempts are not the run's.
        const redone = (record: ActionRunRecord): boolean => record.round > event.round;
        this.actionRuns.splice(0, this.actionRuns.length, ...this.actionRuns.filter((record) => !redone(record)));
        for (const [name, record] of this.open) if (redone(record)) this.open.delete(name);
        this.end = undefined;
        break;
      }
      case 'run-end':
        this.end = {
          status: event.status, exitCode: event.exitCode, rounds: event.rounds,
          ...(event.error ? { error: event.error } : {}), ...(event.hint ? { hint: event.hint } : {}),
        };
        break;
      default:
        break;
    }
  };

  /** Time of a foreach item's model call or command. */
  private addItemTime(event: { round: number; role: string; action?: string; index?: number; durationMs: number }): void {
    if (event.action === undefined || event.index === undefined) return;
    const record = this.open.get(key({ ...event, action: event.action }));
    if (record) itemOf(record, event.index).durationMs += event.durationMs;
  }
}

function key(event: { round: number; role: string; action: string }): string {
  return `${event.round}/${event.role}/${event.action}`;
}

function gateKey(event: { round: number; role: string; action: string; index?: number }, gate: string): string {
  return `${key(event)}/${event.index ?? ''}/${gate}`;
}

function itemOf(record: ActionRunRecord, index: number): ItemRecord {
  let item = record.items.find((candidate) => candidate.index === index);
  if (!item) {
    item = { index, durationMs: 0 };
    record.items.push(item);
  }
  return item;
}
