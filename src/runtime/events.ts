import type { Message } from './message.js';

/**
 * Progress and record events, named noun-verb. The same objects go to `options.onEvent` (live)
 * and, numbered with `seq`, to `events.jsonl`. `time` is an ISO timestamp from the run's clock.
 */
export type RunEvent = RunEventBody & { time: string };

interface Located {
  round: number;
  role: string;
}

interface InAction extends Located {
  action: string;
  /** Id of the trigger message (the last one for a batch). */
  message: string | null;
  /** foreach index, when the action fans out. */
  index?: number;
}

export type RunEventBody =
  | {
      type: 'run-start';
      runId: string;
      sop: string;
      version: string;
      file: string;
      workspace: string;
      model: string;
      offline: boolean;
      inputs: Record<string, unknown>;
    }
  | { type: 'round-start'; round: number; roles: string[] }
  | { type: 'message-published'; round: number; message: Message }
  | { type: 'message-delivered'; round: number; message: string; messageType: string; recipients: string[] }
  | { type: 'message-undeliverable'; round: number; message: string; messageType: string; to: string }
  | { type: 'message-unclaimed'; round: number; message: string; messageType: string }
  | ({ type: 'action-start' } & InAction)
  | ({ type: 'action-end'; outcome: ActionOutcome; durationMs: number } & InAction)
  | ({ type: 'action-limit-reached'; maxRuns: number } & InAction)
  | ({
      type: 'llm-call-start';
      purpose: 'action' | 'react-choice' | 'plan' | 'judge';
      model: string;
      attempt: number;
    } & Located & { action?: string })
  | ({
      type: 'llm-call-end';
      purpose: 'action' | 'react-choice' | 'plan' | 'judge';
      model: string;
      promptTokens: number;
      completionTokens: number;
      estimated: boolean;
      durationMs: number;
    } & Located & { action?: string })
  | ({ type: 'output-invalid'; attempt: number; errors: string[]; raw: string } & InAction)
  | ({ type: 'react-choice'; message: string; action: string; reason: string } & Located)
  | ({ type: 'react-choice-invalid'; message: string; errors: string[]; raw: string } & Located)
  | ({ type: 'plan-created'; message: string; steps: Array<{ action: string; reason: string }> } & Located)
  | ({ type: 'command-start'; argv: string[]; cwd: string; gate?: string } & InAction)
  | ({
      type: 'command-end';
      exitCode: number;
      passed: boolean;
      timedOut: boolean;
      durationMs: number;
      gate?: string;
    } & InAction)
  | ({ type: 'artifact-written'; path: string; bytes: number; sha256: string } & InAction)
  | ({ type: 'gate-passed'; gate: string } & InAction)
  | ({
      type: 'gate-failed';
      gate: string;
      onFail: 'stop' | 'warn' | 'revise' | 'route';
      feedback: string;
      attempt: number;
    } & InAction)
  | { type: 'round-end'; round: number; published: number }
  | {
      type: 'run-end';
      status: string;
      exitCode: number;
      rounds: number;
      error?: { code: string; message: string; hint?: string };
      durationMs: number;
    };

export type RunEventType = RunEventBody['type'];

/** How one action run ended. */
export type ActionOutcome = 'published' | 'routed' | 'gate-stopped' | 'failed' | 'budget-exhausted' | 'interrupted';
