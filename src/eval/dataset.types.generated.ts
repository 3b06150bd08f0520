/* Generated from schemas/sop-eval.v1.schema.json by `npm run gen:types`. Do not edit. */

/**
 * A dataset for `sop eval SOP --dataset FILE`: cases (inputs and what the finished run must show, in the `sop test` vocabulary, plus `judge` rubrics), defaults for every case, and the models to run them on. The same schema reads `--defaults FILE` for JSONL and CSV datasets (then `cases` is left out). See docs/eval.md.
 */
export interface SopEvalDataset {
  /**
   * URL or path of this schema, for editors.
   */
  $schema?: string;
  /**
   * Version of the dataset format.
   */
  apiVersion: 'sop-eval/v1';
  /**
   * Models every case runs on (as `--model`: provider:model, an alias, offline, script:FILE); `--model` flags replace the list. Default: the SOP's own models. Each model once (`--repeat` runs a case several times).
   *
   * @minItems 1
   */
  models?: [string, ...string[]];
  /**
   * The model that scores `judge` rubrics (`--judge-model` wins). Default: the model of the run being judged.
   */
  judge_model?: string;
  defaults?: CaseFields;
  /**
   * The cases, each run on every model (and `--repeat` times).
   */
  cases?: Case[];
}
/**
 * Fields every case starts from; a case's own fields win (inputs and expect merge key by key, judge rubrics are added).
 */
export interface CaseFields {
  /**
   * The case's name, unique in the dataset: results and baselines are keyed by it.
   */
  name?: string;
  /**
   * The SOP's inputs (as `--input name=value`).
   */
  inputs?: {
    [k: string]: string | number | boolean;
  };
  expect?: Expectations;
  /**
   * Rubrics a model scores the run's output against (0-10); each is one assertion of the case.
   */
  judge?: Judge[];
  /**
   * Most rounds (as `--n-round`).
   */
  n_round?: number;
  /**
   * Budget in USD of each run of the case (as `--investment`).
   */
  investment?: number;
  /**
   * The case is reported as skipped, with this reason, and not run.
   */
  skip?: string;
}
/**
 * What the finished run must show: the `expect` block of a `sop test` case (status, exit_code, error, messages, path, not_ran, artifacts, gates, usage; docs/testing.md).
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
 * This interface was referenced by `SopEvalDataset`'s JSON-Schema
 * via the `definition` "Judge".
 */
export interface Judge {
  /**
   * What a good output does, in plain words.
   */
  rubric: string;
  /**
   * The lowest passing score (0-10).
   */
  min_score?: number;
  /**
   * What is scored: a workspace file (`docs/prd.md`: has a `/` or a `.`) or a message type (`PRD`: the last one published, its text).
   */
  of: string;
}
/**
 * One case: its name, inputs and what the run must show.
 */
export interface Case {
  /**
   * The case's name, unique in the dataset: results and baselines are keyed by it.
   */
  name: string;
  /**
   * The SOP's inputs (as `--input name=value`).
   */
  inputs?: {
    [k: string]: string | number | boolean;
  };
  expect?: Expectations;
  /**
   * Rubrics a model scores the run's output against (0-10); each is one assertion of the case.
   */
  judge?: Judge[];
  /**
   * Most rounds (as `--n-round`).
   */
  n_round?: number;
  /**
   * Budget in USD of each run of the case (as `--investment`).
   */
  investment?: number;
  /**
   * The case is reported as skipped, with this reason, and not run.
   */
  skip?: string;
}
/**
 * A case's fields (`name` only in a case, not in `defaults`).
 *
 * This interface was referenced by `SopEvalDataset`'s JSON-Schema
 * via the `definition` "CaseFields".
 */
export interface CaseFields1 {
  /**
   * The case's name, unique in the dataset: results and baselines are keyed by it.
   */
  name?: string;
  /**
   * The SOP's inputs (as `--input name=value`).
   */
  inputs?: {
    [k: string]: string | number | boolean;
  };
  expect?: Expectations;
  /**
   * Rubrics a model scores the run's output against (0-10); each is one assertion of the case.
   */
  judge?: Judge[];
  /**
   * Most rounds (as `--n-round`).
   */
  n_round?: number;
  /**
   * Budget in USD of each run of the case (as `--investment`).
   */
  investment?: number;
  /**
   * The case is reported as skipped, with this reason, and not run.
   */
  skip?: string;
}
/**
 * One case: its name, inputs and what the run must show.
 *
 * This interface was referenced by `SopEvalDataset`'s JSON-Schema
 * via the `definition` "Case".
 */
export interface CaseFields2 {
  /**
   * The case's name, unique in the dataset: results and baselines are keyed by it.
   */
  name: string;
  /**
   * The SOP's inputs (as `--input name=value`).
   */
  inputs?: {
    [k: string]: string | number | boolean;
  };
  expect?: Expectations;
  /**
   * Rubrics a model scores the run's output against (0-10); each is one assertion of the case.
   */
  judge?: Judge[];
  /**
   * Most rounds (as `--n-round`).
   */
  n_round?: number;
  /**
   * Budget in USD of each run of the case (as `--investment`).
   */
  investment?: number;
  /**
   * The case is reported as skipped, with this reason, and not run.
   */
  skip?: string;
}
