/* Generated from schemas/sop-test.v1.schema.json by `npm run gen:types`. Do not edit. */

/**
 * sop-script/v1 answers of every case; a case answer for the same role, action, kind, gate, attempt and item replaces one.
 */
export type Answers = Answer[];
/**
 * sop-script/v1 answer entries (docs/scripted-model.md).
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
      /**
       * At least this many.
       */
      min?: number;
      /**
       * At most this many.
       */
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
   * The test cases, each a run of the SOP with scripted answers and what it must show.
   *
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
  /**
   * True: a call no answer matches fails the case (SCRIPT_MISS). A case's own `strict` wins.
   */
  strict?: boolean;
  /**
   * Overrides settings.n_round in every case without its own.
   */
  n_round?: number;
  /**
   * Overrides settings.investment (USD) in every case without its own.
   */
  investment?: number;
}
/**
 * Inputs of every case; a case's `inputs` merge over them key by key.
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
        /**
         * The reviewer's feedback: the gate fails with it (and `on_fail` decides what follows).
         */
        reject: string;
      }
    | {
        /**
         * The output as the reviewer edited it (text, or a value sent as JSON).
         */
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
  /**
   * The judge's score, 0 to 10.
   */
  score: number;
  /**
   * Why; the author's feedback when the gate fails.
   */
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
  inputs?: Inputs1;
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
 * The SOP's inputs, as `--input name=value` gives them (a file input: "@data.csv", relative to this file).
 */
export interface Inputs1 {
  [k: string]: string | number | boolean;
}
/**
 * What the finished run must show; without `status`, `exit_code` or `error` it must complete.
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
   * The error code of a failed run (COMMAND_FAILED, SCRIPT_MISS, ...).
   */
  error?: string;
  /**
   * Published messages of a type (and sender, recipient, CEL `where`), and how many.
   */
  messages?: MessageExpectation[];
  /**
   * Steps that ran, as an ordered subsequence.
   */
  path?: StepExpectation[];
  /**
   * Actions that must not have run (without `action`: the role ran nothing).
   */
  not_ran?: NotRanExpectation[];
  /**
   * Workspace files after the run: present or absent, their text, their JSON, or equal to a golden file.
   */
  artifacts?: ArtifactExpectation[];
  /**
   * Gates by name: their outcomes in order, the revisions they caused, where a failure routed.
   */
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
  /**
   * The message type.
   */
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
  /**
   * How many such messages: a number or { min, max }. Default: at least one.
   */
  count?:
    | number
    | {
        /**
         * At least this many.
         */
        min?: number;
        /**
         * At most this many.
         */
        max?: number;
      };
}
/**
 * A step that ran: a role, optionally its action and the round.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "StepExpectation".
 */
export interface StepExpectation {
  /**
   * The role id.
   */
  role: string;
  /**
   * The action id (default: any action of the role).
   */
  action?: string;
  /**
   * The round it ran in.
   */
  round?: number;
}
/**
 * An action that did not run, or (without `action`) a role that ran nothing.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "NotRanExpectation".
 */
export interface NotRanExpectation {
  /**
   * The role id.
   */
  role: string;
  /**
   * The action id (default: every action of the role).
   */
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
  /**
   * True: the file exists.
   */
  exists?: boolean;
  /**
   * True: the file does not exist.
   */
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
 * A gate by name; with none of `outcomes`, `revisions`, `routed_to`: it was checked.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "GateExpectation".
 */
export interface GateExpectation {
  /**
   * The gate's name (`name`, or `<action>#<index>` without one).
   */
  gate: string;
  /**
   * The exact sequence of the gate's outcomes.
   */
  outcomes?: ('passed' | 'failed')[];
  /**
   * How many revisions the gate caused (failures with on_fail revise).
   */
  revisions?:
    | number
    | {
        /**
         * At least this many.
         */
        min?: number;
        /**
         * At most this many.
         */
        max?: number;
      };
  /**
   * The message type a failing gate routed to.
   */
  routed_to?: string;
}
/**
 * Bounds on the run's cost, tokens and model calls.
 */
export interface UsageExpectation {
  /**
   * Most USD the run's model calls cost.
   */
  max_cost_usd?: number;
  /**
   * Most tokens (prompt + completion) over the run.
   */
  max_tokens?: number;
  /**
   * Most model calls.
   */
  max_calls?: number;
  /**
   * Exactly this many model calls.
   */
  calls?: number;
}
/**
 * The SOP's inputs, as `--input name=value` gives them.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Inputs".
 */
export interface Inputs2 {
  [k: string]: string | number | boolean;
}
/**
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Defaults".
 */
export interface Defaults1 {
  inputs?: Inputs;
  answers?: Answers;
  /**
   * True: a call no answer matches fails the case (SCRIPT_MISS). A case's own `strict` wins.
   */
  strict?: boolean;
  /**
   * Overrides settings.n_round in every case without its own.
   */
  n_round?: number;
  /**
   * Overrides settings.investment (USD) in every case without its own.
   */
  investment?: number;
}
/**
 * What the finished run must show. Every field is optional; each entry is checked and reported on its own.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "Expectations".
 */
export interface Expectations1 {
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
   * The error code of a failed run (COMMAND_FAILED, SCRIPT_MISS, ...).
   */
  error?: string;
  /**
   * Published messages of a type (and sender, recipient, CEL `where`), and how many.
   */
  messages?: MessageExpectation[];
  /**
   * Steps that ran, as an ordered subsequence.
   */
  path?: StepExpectation[];
  /**
   * Actions that must not have run (without `action`: the role ran nothing).
   */
  not_ran?: NotRanExpectation[];
  /**
   * Workspace files after the run: present or absent, their text, their JSON, or equal to a golden file.
   */
  artifacts?: ArtifactExpectation[];
  /**
   * Gates by name: their outcomes in order, the revisions they caused, where a failure routed.
   */
  gates?: GateExpectation[];
  usage?: UsageExpectation;
}
/**
 * Bounds on the run's cost, tokens (prompt + completion) and model calls.
 *
 * This interface was referenced by `SopTestFile`'s JSON-Schema
 * via the `definition` "UsageExpectation".
 */
export interface UsageExpectation1 {
  /**
   * Most USD the run's model calls cost.
   */
  max_cost_usd?: number;
  /**
   * Most tokens (prompt + completion) over the run.
   */
  max_tokens?: number;
  /**
   * Most model calls.
   */
  max_calls?: number;
  /**
   * Exactly this many model calls.
   */
  calls?: number;
}
