/* Generated from schemas/sop-test.v1.schema.json by `npm run gen:types`. Do not edit. */

/**
 * The answers, in order. The most specific matching answer wins (the one naming more of `attempt`, `item` and `gate`); matching answers equally specific are used in file order, one per call, and the last of them answers every call after.
 */
export type Answers = Answer[];
/**
 * The answers, in order. The most specific matching answer wins (the one naming more of `attempt`, `item` and `gate`); matching answers equally specific are used in file order, one per call, and the last of them answers every call after.
 */
export type Answers1 = Answer[];
/**
 * A number, or bounds.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Count".
 */
export type Count =
  | number
  | {
      min?: number;
      max?: number;
    };

/**
 * Test cases of an SOP (`sop test`): inputs, scripted answers and what the finished run must show (status, messages, path, artifacts, gates, usage). See docs/testing.md.
 */
export interface SopTestFile {
  /**
   * URL or path of this schema, for editors.
   */
  $schema?: string;
  /**
   * Version of the test file format.
   */
  apiVersion: 'sop-test/v1';
  /**
   * The SOP under test, relative to this file. Default: `X.test.yaml` tests `X.yaml` beside it; `tests/NAME.yaml` tests the SOP of the parent folder (`sop.yaml`, or its only *.yaml).
   */
  sop?: string;
  defaults?: Defaults;
  /**
   * @minItems 1
   */
  cases: [Case, ...Case[]];
}
/**
 * Fields every case starts from; a case's own fields win (inputs merge key by key; a case answer replaces a default answer for the same role, action, kind, gate, attempt and item).
 */
export interface Defaults {
  inputs?: Inputs;
  answers?: Answers;
  strict?: boolean;
  n_round?: number;
  investment?: number;
}
/**
 * The SOP's inputs, as `--input name=value` gives them.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Inputs".
 */
export interface Inputs {
  [k: string]: string | number | boolean;
}
/**
 * Who it answers (`role`, `action`, `gate`, `attempt`, `item`) and one answer: `output`, `reask`, `judge`, `human`, `choose` or `plan`.
 */
export interface Answer {
  /**
   * Role id that makes the call.
   */
  role: string;
  /**
   * Action id (every answer but `choose` and `plan`).
   */
  action?: string;
  /**
   * Gate name, for `judge` and `human` answers; without it the answer serves every judge (or human) gate of the action.
   */
  gate?: string;
  /**
   * Which output of the action run it answers: 1 the first, 2 the first revision after a gate failed, ...; `every` (default) any.
   */
  attempt?: number | 'every';
  /**
   * foreach item it answers: its 0-based index, or its key (a string item itself; else its `id`, `key`, `name`, `file` or `path`).
   */
  item?: number | string;
  /**
   * The action's output: text as written for text, markdown and code outputs; any other value is sent as JSON (the payload of a `format: json` output).
   */
  output?: unknown;
  /**
   * The answer to a re-ask after an invalid output (same forms as `output`).
   */
  reask?: unknown;
  /**
   * With `output` or `reask`: tool calls made first, one per turn, in order; then the output is the final answer.
   */
  tools?: ToolCall[];
  judge?: Verdict;
  /**
   * A human gate's decision: `approve`, `{ reject: feedback }` or `{ edit: new output }` (text, or a value sent as JSON).
   */
  human?:
    | 'approve'
    | {
        reject: string;
      }
    | {
        edit: unknown;
      };
  /**
   * A react role's next action (`done` to stop).
   */
  choose?: string;
  /**
   * A plan_and_act role's plan: the actions to run, in order.
   */
  plan?: string[];
}
export interface ToolCall {
  /**
   * Tool name as the SOP writes it (`fs.read`, `docs.search`).
   */
  tool: string;
  /**
   * The call's arguments.
   */
  args?: {
    [k: string]: unknown;
  };
}
/**
 * A judge gate's verdict: a score from 0 to 10 (the gate passes at `min_score`) and reasons, which become the author's feedback when it fails.
 */
export interface Verdict {
  score: number;
  reasons?: string[];
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Case".
 */
export interface Case {
  /**
   * What the case shows; unique in the file.
   */
  name: string;
  inputs?: Inputs;
  /**
   * A sop-script/v1 file (relative to this file) whose answers come before the case's own `answers`.
   */
  script?: string;
  answers?: Answers1;
  /**
   * True: a call no answer matches fails the case (SCRIPT_MISS). Default false: the offline model answers it.
   */
  strict?: boolean;
  /**
   * A folder (relative to this file) copied into the case's fresh workspace first.
   */
  workspace?: string;
  /**
   * Overrides settings.n_round.
   */
  n_round?: number;
  /**
   * Overrides settings.investment (USD).
   */
  investment?: number;
  /**
   * The case is reported as skipped with this reason.
   */
  skip?: string;
  expect?: Expectations;
}
/**
 * What the finished run must show. Every field is optional; each entry is checked and reported on its own.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Expectations".
 */
export interface Expectations {
  /**
   * How the run ended.
   */
  status?:
    | 'completed'
    | 'stalled'
    | 'round_limit'
    | 'budget_exhausted'
    | 'gate_stopped'
    | 'awaiting_approval'
    | 'failed'
    | 'interrupted';
  /**
   * The exit code `sop run` would give.
   */
  exit_code?: number;
  /**
   * The error code of a failed run (ACTION_FAILED, SCRIPT_MISS, ...).
   */
  error?: string;
  messages?: MessageExpectation[];
  /**
   * Steps that ran, as an ordered subsequence.
   */
  path?: StepExpectation[];
  /**
   * Actions that must not have run (without `action`: the role ran nothing).
   */
  not_ran?: NotRanExpectation[];
  artifacts?: ArtifactExpectation[];
  gates?: GateExpectation[];
  usage?: UsageExpectation;
}
/**
 * Published messages of `type` (and `from`, `to`, `where`): `count` of them (default: at least one).
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "MessageExpectation".
 */
export interface MessageExpectation {
  type: string;
  /**
   * Sender role id (`user` for start messages).
   */
  from?: string;
  /**
   * Recipient role id.
   */
  to?: string;
  /**
   * CEL over `payload` and `message` {type, from, to, round, payload}.
   */
  where?: string;
  count?: Count;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "StepExpectation".
 */
export interface StepExpectation {
  role: string;
  action?: string;
  round?: number;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "NotRanExpectation".
 */
export interface NotRanExpectation {
  role: string;
  action?: string;
}
/**
 * A workspace file after the run: absent, or present (implied by any content check).
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "ArtifactExpectation".
 */
export interface ArtifactExpectation {
  /**
   * Relative to the workspace.
   */
  path: string;
  exists?: boolean;
  absent?: boolean;
  /**
   * Text the file contains.
   */
  contains?: string;
  /**
   * A regular expression (RE2 syntax) the file matches.
   */
  matches?: string;
  /**
   * A file (relative to the test file) this one equals; `sop test --update` rewrites it.
   */
  golden?: string;
  /**
   * CEL over the file's parsed JSON as `json`.
   */
  where?: string;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "GateExpectation".
 */
export interface GateExpectation {
  gate: string;
  /**
   * The exact sequence of the gate's outcomes.
   */
  outcomes?: ('passed' | 'failed')[];
  /**
   * A number, or bounds.
   */
  revisions?:
    | number
    | {
        min?: number;
        max?: number;
      };
  /**
   * The message type a failing gate routed to.
   */
  routed_to?: string;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "UsageExpectation".
 */
export interface UsageExpectation {
  max_cost_usd?: number;
  max_tokens?: number;
  max_calls?: number;
  calls?: number;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Defaults".
 */
export interface Defaults1 {
  inputs?: Inputs;
  answers?: Answers;
  strict?: boolean;
  n_round?: number;
  investment?: number;
}
