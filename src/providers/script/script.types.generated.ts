/* Generated from schemas/script.v1.schema.json by `npm run gen:types`. Do not edit. */

/**
 * A human gate's decision: `approve`, `{ reject: feedback }` or `{ edit: new output }` (text, or a value sent as JSON).
 *
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "HumanDecision".
 */
export type HumanDecision =
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
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "Id".
 */
export type Id = string;
/**
 * The answers, in order. The most specific matching answer wins (the one naming more of `attempt`, `item` and `gate`); matching answers equally specific are used in file order, one per call, and the last of them answers every call after.
 *
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "Answers".
 */
export type Answers = Answer[];

/**
 * Scripted model answers (`sop run SOP --model script:FILE`): what each role answers, per action, attempt, foreach item and kind of call, so an SOP takes the branches an author wants to see. Calls without an answer fall back to the offline model, or fail with `strict: true`. See docs/scripted-model.md.
 */
export interface SopScript {
  /**
   * URL or path of this schema, for editors.
   */
  $schema?: string;
  /**
   * Version of the script format.
   */
  apiVersion: 'sop-script/v1';
  /**
   * When true, a call no answer matches fails the run (SCRIPT_MISS, exit 10) naming the call and the YAML to add; when false (default), the offline model answers it.
   */
  strict?: boolean;
  answers: Answers;
}
/**
 * Who it answers (`role`, `action`, `gate`, `attempt`, `item`) and one answer: `output`, `reask`, `judge`, `human`, `choose` or `plan`.
 *
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "Answer".
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
  human?: HumanDecision;
  /**
   * A react role's next action (`done` to stop).
   */
  choose?: string;
  /**
   * A plan_and_act role's plan: the actions to run, in order.
   */
  plan?: Id[];
}
/**
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "ToolCall".
 */
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
 *
 * This interface was referenced by `SopScript`'s JSON-Schema
 * via the `definition` "Verdict".
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
