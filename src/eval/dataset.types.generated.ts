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
   * Models every case runs on (as `--model`: provider:model, an alias, offline, script:FILE); `--model` flags replace the list. Default: the SOP's own models.
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
  /**
   * What the finished run must show: the `expect` block of a `sop test` case (status, exit_code, error, messages, path, not_ran, artifacts, gates, usage; docs/testing.md).
   */
  expect?: Record<string, unknown>;
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
   * What is scored: a workspace file (`docs/prd.md`: has a `/` or a `.`) or a message type (`PRD`: the last one published, its payload).
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
  /**
   * What the finished run must show: the `expect` block of a `sop test` case (status, exit_code, error, messages, path, not_ran, artifacts, gates, usage; docs/testing.md).
   */
  expect?: Record<string, unknown>;
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
  /**
   * What the finished run must show: the `expect` block of a `sop test` case (status, exit_code, error, messages, path, not_ran, artifacts, gates, usage; docs/testing.md).
   */
  expect?: Record<string, unknown>;
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
  /**
   * What the finished run must show: the `expect` block of a `sop test` case (status, exit_code, error, messages, path, not_ran, artifacts, gates, usage; docs/testing.md).
   */
  expect?: Record<string, unknown>;
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
