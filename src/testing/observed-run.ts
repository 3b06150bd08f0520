/**
 * A finished run as plain data for expectations (`sop test`, `sop eval`): read from its record (the
 * run journal's events, through the store's reader) and its report, so what a test checks is what
 * `sop runs`, reports and JUnit see.
 */

import type { RunResult, RunStatus } from '../runtime/index.js';
import { readRunEvents, type JournalLine } from '../store/index.js';

export interface ObservedMessage {
  seq: number;
  round: number;
  type: string;
  from: string;
  to: string | null;
  payload: unknown;
  /** The message's text (a text output's whole content; a JSON output's JSON). */
  content: string;
}

export interface ObservedStep {
  round: number;
  role: string;
  action: string;
}

type GateOutcome = 'passed' | 'failed';

export interface ObservedGate {
  gate: string;
  role: string;
  action: string;
  /** Which output of the action run the gate checked: 1 the first, 2 the first revision, ... */
  attempt: number;
  outcome: GateOutcome;
  /** What a failure did: revise, route, stop, warn. */
  onFail?: 'stop' | 'warn' | 'revise' | 'route';
  feedback?: string;
  /** The message type a failure routed to (`on_fail: { route: Type }`). */
  routedTo?: string;
}

interface ObservedUsage {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  calls: number;
}

export interface ObservedRun {
  status: RunStatus;
  exitCode: number;
  /** The error code of a failed run. */
  errorCode?: string;
  errorMessage?: string;
  /** How to fix what failed the run, when its error says. */
  errorHint?: string;
  messages: ObservedMessage[];
  /** The actions that ran, in order (a foreach action once per round). */
  steps: ObservedStep[];
  /** Gate outcomes, in the order they happened. */
  gates: ObservedGate[];
  usage: ObservedUsage;
  /** The workspace folder (absolute). */
  workspace: string;
  /**
   * The files the run wrote there, workspace-relative, as its report lists them (drafts a gate
   * rejected or a human has yet to decide included). Optional: a library program's own
   * `ObservedRun` (made without `observeRun`) may leave it out, and a missing file's failure then lists none.
   */
  written?: string[];
  /**
   * Of those, the drafts its gates had not decided on when it ended (report.json's
   * `pendingArtifacts`): an `expect` or a judge of one fails unless the case expects the pause.
   */
  pending?: string[];
  /**
   * Of those, the drafts a gate rejected and nothing wrote again (report.json's `rejectedArtifacts`),
   * with the gate: an `expect` or a judge of one fails unless the case expects the rejection.
   */
  rejected?: ObservedRejection[];
  /** Status `awaiting_approval`: the human gates awaiting a decision (a status failure names them). */
  awaiting?: ObservedApproval[];
  runDir: string;
}

export interface ObservedApproval {
  gate: string;
  role: string;
  action: string;
  /** The message type of the output under review (published once approved). */
  outputType?: string;
  /** The workspace files written from that output: drafts until the gate decides. */
  artifacts?: string[];
}

/** A draft a gate rejected: its last write was the output the gate failed. */
export interface ObservedRejection {
  path: string;
  gate: string;
  /** The gate's kind (`human`, `judge`, `command`, ...). */
  kind: string;
  role: string;
  action: string;
}

/** Reads a finished run (`runSop`'s result) into an `ObservedRun`. */
export async function observeRun(result: RunResult): Promise<ObservedRun> {
  const events = readRunEvents(result.runDir);
  const total = result.report.usage.total;
  const errorCode = result.error?.code ?? result.report.error?.code;
  const errorMessage = result.error?.message ?? result.report.error?.message;
  const errorHint = result.error?.hint;
  return {
    status: result.status,
    exitCode: result.exitCode,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
    ...(errorHint === undefined ? {} : { errorHint }),
    ...observeEvents(events),
    usage: { costUsd: result.report.costUsd, inputTokens: total.promptTokens, outputTokens: total.completionTokens, calls: total.calls },
    workspace: result.workspace,
    written: [result.report.artifacts, result.report.pendingArtifacts ?? [], result.report.rejectedArtifacts ?? []].flat().map((file) => file.path),
    ...(result.report.pendingArtifacts ? { pending: result.report.pendingArtifacts.map((file) => file.path) } : {}),
    ...(result.report.rejectedArtifacts ? { rejected: rejectionsOf(events, result.report.rejectedArtifacts.map((file) => file.path)) } : {}),
    ...(result.report.awaiting
      ? { awaiting: result.report.awaiting.map(({ gate, role, action, outputType, artifacts }) => ({ gate, role, action, outputType, artifacts: [...artifacts] })) }
      : {}),
    runDir: result.runDir,
  };
}

/** Messages, steps and gates from a run's events (pure). */
export function observeEvents(events: readonly JournalLine[]): Pick<ObservedRun, 'messages' | 'steps' | 'gates'> {
  const messages: ObservedMessage[] = [];
  const steps: ObservedStep[] = [];
  const gates: ObservedGate[] = [];
  const attempts = new Map<string, number>();
  /** Gates that failed with `route`, waiting for the message they routed to. */
  const routing: ObservedGate[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const where = event as unknown as { round: number; role: string; action: string; index?: number; message: string | null };
    const runKey = `${where.round}\u0000${where.role}\u0000${where.action}\u0000${where.index ?? ''}\u0000${where.message}`;
    switch (event.type) {
      case 'message-published': {
        const message = event['message'] as { type: string; from: string; to: string | null; payload: unknown; content?: string; round: number };
        messages.push({ seq: event.seq, round: message.round, type: message.type, from: message.from, to: message.to, payload: message.payload ?? null, content: message.content ?? '' });
        const routed = routing.findIndex((gate) => isRouteOf(message.payload, gate) && message.from === gate.role);
        if (routed >= 0) {
          (routing[routed] as ObservedGate).routedTo = message.type;
          routing.splice(routed, 1);
        }
        break;
      }
      case 'action-start': {
        attempts.set(runKey, 1);
        const step = `${where.round}\u0000${where.role}\u0000${where.action}`;
        if (!seen.has(step)) steps.push({ round: where.round, role: where.role, action: where.action });
        seen.add(step);
        break;
      }
      case 'gate-passed':
      case 'gate-failed': {
        const failed = event.type === 'gate-failed';
        const attempt = failed ? Number(event['attempt']) : (attempts.get(runKey) ?? 1);
        const gate: ObservedGate = { gate: String(event['gate']), role: where.role, action: where.action, attempt, outcome: failed ? 'failed' : 'passed' };
        if (failed) {
          gate.onFail = event['onFail'] as ObservedGate['onFail'];
          gate.feedback = String(event['feedback']);
          if (gate.onFail === 'revise') attempts.set(runKey, attempt + 1);
          if (gate.onFail === 'route') routing.push(gate);
        }
        gates.push(gate);
        break;
      }
    }
  }
  return { messages, steps, gates };
}

/**
 * The gate that rejected each of `paths` (report.json's `rejectedArtifacts`): the first gate that
 * failed (not just warned of) the action run that last wrote the file. A path no such gate is found
 * for (a record this reading does not understand) is left out.
 */
function rejectionsOf(events: readonly JournalLine[], paths: readonly string[]): ObservedRejection[] {
  const lastWrite = new Map<string, string>();
  const rejections = new Map<string, ObservedRejection>();
  for (const event of events) {
    const where = event as unknown as { round: number; role: string; action: string; index?: number; message: string | null; path?: string };
    const runKey = `${where.round}\u0000${where.role}\u0000${where.action}\u0000${where.index ?? ''}\u0000${where.message}`;
    if (event.type === 'artifact-written' && typeof where.path === 'string') {
      lastWrite.set(where.path, runKey);
      rejections.delete(where.path);
    }
    if (event.type !== 'gate-failed' || event['onFail'] === 'warn') continue;
    for (const [file, key] of lastWrite) {
      if (key === runKey && !rejections.has(file)) rejections.set(file, { path: file, gate: String(event['gate']), kind: String(event['kind']), role: where.role, action: where.action });
    }
  }
  return paths.flatMap((file) => rejections.get(file) ?? []);
}

/** The payload of a routed message names its gate and action (`{gate, action, feedback}`). */
function isRouteOf(payload: unknown, gate: ObservedGate): boolean {
  if (!payload || typeof payload !== 'object') return false;
  const fields = payload as Record<string, unknown>;
  return fields['gate'] === gate.gate && fields['action'] === gate.action;
}
