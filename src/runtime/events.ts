import type { Message } from './message.js';

/**
 * Progress and record events, named noun-verb. The same objects go to `options.onEvent` (live)
 * and, numbered with `seq`, to the run journal (`journal.jsonl`). `time` is an ISO timestamp from the run's clock.
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

/** A rendered message of a model call, as `eventPrompts` puts it on `llm-call-start`. */
export interface PromptMessage {
  role: string;
  content: string;
  /** An assistant turn that asked for tools: each call's tool (wire name) and arguments. */
  toolCalls?: Array<{ name: string; arguments: string }>;
  /** A tool's result: the tool (wire name) that answered. */
  toolName?: string;
}

export type RunEventBody =
  | {
      type: 'run-start';
      runId: string;
      sop: string;
      version: string;
      file: string;
      workspace: string;
      /** The run's main model (`settings.model`, else the default): `provider:model` or `offline`. */
      model: string;
      /** Every model the SOP's calls may use, main model first, with where its calls go. */
      models?: Array<{ key: string; endpoint?: string }>;
      /** True when every model the run may use is the built-in offline model. */
      offline: boolean;
      inputs: Record<string, unknown>;
    }
  /** `sop resume` continues the run from its checkpoint taken after `round` (events after `checkpointSeq` were of the interrupted attempt). */
  | {
      type: 'run-resume';
      runId: string;
      round: number;
      checkpointSeq: number;
      /** Answers of the interrupted round available from the run journal. */
      journaled: number;
      previousStatus: string;
      investment: number | null;
      nRound: number;
      /**
       * The recorded paths this attempt does not use, and the ones it uses instead: a project moved
       * or copied with its `.sop/` (`why: 'moved'`), or a place given (`why: 'given'`: `sop resume
       * --sop/--workspace`, a library caller's SOP file or `workspace`). `sop resume` prints them as
       * one `warning:` line. Absent when the run goes on where it recorded.
       */
      followed?: FollowedPath[];
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
      /** `provider:model` (`openai:gpt-4o-mini`) or `offline`. */
      model: string;
      /** 1-based: the ask of this output (a re-ask after an invalid reply is 2, ...); retries are `llm-call-retry`. */
      attempt: number;
      /**
       * Calls of an action run (its output, its judge gates): which output, 0 the first, N the N-th
       * revision a gate asked for (`on_fail: { revise: N }`); a script's `attempt` is revision + 1.
       */
      revision?: number;
      /** The rendered messages, secrets masked: only with `eventPrompts` (`--event-prompts`). */
      messages?: PromptMessage[];
    } & InCall)
  | ({
      type: 'llm-call-end';
      purpose: 'action' | 'react-choice' | 'plan' | 'judge';
      /** `provider:model` (`openai:gpt-4o-mini`) or `offline`. */
      model: string;
      /** As on `llm-call-start`: the ask (re-asks count) and, in an action run, the output's revision. */
      attempt: number;
      revision?: number;
      /** The model that answered, as the provider names it (`gpt-4o-mini-2024-07-18`). */
      responseModel?: string;
      promptTokens: number;
      completionTokens: number;
      estimated: boolean;
      /** USD; absent when the model has no known price. */
      costUsd?: number;
      /** Answered without a live call: from the response cache or a replayed cassette. */
      cached?: 'cache' | 'replay';
      /** Answered from the run journal by `sop resume`: the interrupted process made (and paid for) this call. */
      resumed?: true;
      /**
       * Why the model stopped when it was not `stop`: `length` (cut at max_tokens), `tool_calls`,
       * `content_filter` or the provider's own word. Absent means `stop` (left out: most calls end so).
       */
      finishReason?: string;
      durationMs: number;
    } & InCall)
  /** A transient provider failure (rate limit, 5xx, timeout, connection): the call is tried again. */
  | ({
      type: 'llm-call-retry';
      /** The attempt that failed (1-based). */
      attempt: number;
      code: string;
      status?: number;
      delayMs: number;
      endpoint: string;
    } & InCall)
  /**
   * An attempt's reply was cut off after output had arrived (a dropped stream, a stream timeout, an
   * error event mid-stream): the provider bills its tokens, so they count in the run's usage, cost
   * and budget like an answer's (but not as a call). Before the `llm-call-retry`, or the failure.
   */
  | ({
      type: 'llm-call-cut';
      /** `provider:model` (`openai:gpt-4o-mini`). */
      model: string;
      /** The attempt that was cut (1-based), as on `llm-call-retry`. */
      attempt: number;
      code: string;
      promptTokens: number;
      completionTokens: number;
      /** True when some counts are estimated from the prompt and the text received (the provider sent none). */
      estimated: boolean;
      /** USD; absent when the model has no known price. */
      costUsd?: number;
      endpoint: string;
    } & InCall)
  /** The circuit breaker of an endpoint changed state (seen by the call that changed it). */
  | ({ type: 'breaker-open' | 'breaker-half-open' | 'breaker-close'; endpoint: string } & InCall)
  /** A reply broke the output contract: re-asked while `attempt` < `maxAttempts` (`output.max_attempts`), else the action fails. */
  | ({ type: 'output-invalid'; attempt: number; maxAttempts: number; errors: string[]; raw: string } & InAction)
  /** A JSON reply was read after fixing its form: what was fixed, and the text as received. */
  | ({ type: 'output-repaired'; attempt: number; repairs: string[]; raw: string; rawLength: number; repairedLength: number } & InAction)
  | ({ type: 'react-choice'; message: string; action: string; reason: string } & Located)
  | ({ type: 'react-choice-invalid'; message: string; errors: string[]; raw: string } & Located)
  | ({ type: 'plan-created'; message: string; steps: Array<{ action: string; reason: string }> } & Located)
  // `gate`: a command gate's; `precondition`: the action's precondition; neither: the action's own command.
  | ({ type: 'command-start'; argv: string[]; cwd: string; gate?: string; precondition?: true } & InAction)
  | ({
      type: 'command-end';
      exitCode: number;
      passed: boolean;
      timedOut: boolean;
      durationMs: number;
      gate?: string;
      precondition?: true;
    } & InAction)
  // `previousSha256`: what the file held before this write, null when there was none (absent in journals before 2026-12-07).
  | ({ type: 'artifact-written'; path: string; bytes: number; sha256: string; previousSha256?: string | null } & InAction)
  | ({
      type: 'gate-passed';
      gate: string;
      kind: GateKind;
      /** A judge's score (0-10). */
      score?: number;
      /** A reviewer edited the output (it replaces the output; the gates run again on it). */
      edited?: true;
    } & InAction)
  | ({
      type: 'gate-failed';
      gate: string;
      kind: GateKind;
      onFail: 'stop' | 'warn' | 'revise' | 'route';
      feedback: string;
      attempt: number;
      score?: number;
    } & InAction)
  /** A human gate asks for a decision (on the terminal, or the run stops awaiting approval). */
  | ({ type: 'approval-requested'; gate: string; prompt: string; artifacts: string[] } & InAction)
  | ({ type: 'approval-decided'; gate: string; decision: 'approve' | 'reject' | 'edit'; by: 'terminal' | 'script' | 'resume'; feedback?: string } & InAction)
  /**
   * An MCP server lists a tool the run does not offer (`tool`: `server.name`), said when the server is
   * first listed, in the action that started it: not valid MCP, its name listed twice, or an input
   * schema that does not compile (`reason`). Its other tools are offered.
   */
  | ({ type: 'tool-skipped'; server: string; tool: string; reason: string } & InAction)
  /** The model called a tool (`arguments` as it sent them, capped). */
  | ({ type: 'tool-call-start'; tool: string; call: string; arguments: string } & InAction)
  | ({
      type: 'tool-call-end';
      tool: string;
      call: string;
      ok: boolean;
      /** Bytes of the result handed to the model. */
      resultBytes: number;
      /** The error the model was given, when the call failed. */
      error?: string;
      /**
       * The result the model was given, secrets masked, cut after 8192 characters with a
       * `[cut: N more characters ...]` line: only with `eventPrompts` (`--event-prompts`), like prompts.
       */
      result?: string;
      /** Facts from the tool: exit code, HTTP status, what was refused. */
      detail?: Record<string, unknown>;
      durationMs: number;
    } & InAction)
  | { type: 'round-end'; round: number; published: number }
  | {
      type: 'run-end';
      status: string;
      exitCode: number;
      /** Rounds completed. */
      rounds: number;
      /** The round the run stopped in, when it stopped partway through one (see `RunReport.stoppedInRound`). */
      stoppedInRound?: number;
      error?: { code: string; message: string; hint?: string };
      /** What to do next, when the run stopped for a reason the user can act on (the budget). */
      hint?: string;
      /** USD spent by the run (known costs only). */
      costUsd?: number;
      /** The token limit that stopped a budget-exhausted run: tokens used (not from the cache) and `max_tokens`. */
      tokens?: { used: number; limit: number };
      durationMs: number;
    };

export type RunEventType = RunEventBody['type'];

/** A recorded path a resume did not take, and the one it took instead (`run-resume`'s `followed`, `resumePlaces`). */
export interface FollowedPath {
  what: 'SOP' | 'workspace';
  from: string;
  to: string;
  /**
   * `moved`: the same place within the project its run folder is in now (a moved or copied
   * project); `given`: the place the resume was given (`sop resume --sop/--workspace`, the SOP a
   * library caller loaded, `runSop`'s `workspace`).
   */
  why: 'moved' | 'given';
}

/** Where a model call happens: a role, and the action unless it is a react choice or a plan. */
type InCall = Located & { action?: string; index?: number };

/** How one action run ended. */
export type ActionOutcome = 'published' | 'routed' | 'gate-stopped' | 'awaiting-approval' | 'failed' | 'budget-exhausted' | 'interrupted';

export type GateKind = 'assert' | 'command' | 'judge' | 'human';
