/* Generated from schemas/sop.v1.schema.json by `npm run gen:types`. Do not edit. */

/**
 * An identifier: lowercase letters, digits and underscores, starting with a letter.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Identifier".
 */
export type Identifier = string;
/**
 * Which model answers: a name (`offline`, `gpt-4o`, `script:answers.yaml` for scripted answers, an alias from config such as `strong`) or an object with parameters.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "ModelRef".
 */
export type ModelRef =
  | string
  | {
      /**
       * Model name or alias.
       */
      name?: string;
      /**
       * Provider kind: `offline`, `openai`, `ollama`, `anthropic`.
       */
      provider?: string;
      /**
       * Sampling temperature.
       */
      temperature?: number;
      /**
       * Maximum tokens in one reply.
       */
      max_tokens?: number;
    };
/**
 * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Template".
 */
export type Template = string;
/**
 * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Expression".
 */
export type Expression = string;
/**
 * What happens when the gate fails. Without `on_fail`: `stop`, the run ends (a human gate's rejection too: `{ revise: N }` has the output revised with the reviewer's feedback).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "OnFail".
 */
export type OnFail =
  | ('stop' | 'warn')
  | {
      /**
       * Re-run the action with its previous output and the gate's feedback (the prompt's `previous_output`, the output's text, and `feedback`; both appended, output first, to a prompt that places neither), up to this many times; then `then` (default `stop`), or `route`.
       */
      revise?: number;
      /**
       * A message type name: PascalCase letters and digits.
       */
      route?: string;
      /**
       * After the revisions: `stop` the run (default), `warn` and publish the last output anyway, or escalate: `{ route: Type, to: role }` publishes the feedback and the last output as `Type`, to `to` (a senior reviewer, a role with a human gate) or, without `to`, to the type's watchers. Not with `route`.
       */
      then?:
        | ('stop' | 'warn')
        | {
            /**
             * A message type name: PascalCase letters and digits.
             */
            route: string;
            /**
             * An identifier: lowercase letters, digits and underscores, starting with a letter.
             */
            to?: string;
          };
    };
/**
 * A message type name: PascalCase letters and digits.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "MessageTypeName".
 */
export type MessageTypeName = string;
/**
 * Run the action once per item of a list (a CEL expression over the trigger, e.g. `message.payload.tasks`).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Foreach".
 */
export type Foreach =
  | Expression
  | {
      items: Expression;
      /**
       * How many items run at the same time (1 = in order).
       */
      concurrency?: number;
    };
/**
 * One entry of `reads`: a path template, `{ path, required: true }` for a file that must exist (a missing one fails the action with `READ_MISSING`, exit 9, before the model is called), a CEL list of paths, or a glob.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "ReadsEntry".
 */
export type ReadsEntry =
  | Template
  | {
      /**
       * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
       */
      path: string;
      /**
       * The file must exist when the action runs.
       */
      required?: boolean;
    }
  | {
      /**
       * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
       */
      each: string;
      max_files?: ReadsMaxFiles;
    }
  | {
      /**
       * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
       */
      glob: string;
      max_files?: ReadsMaxFiles;
    };
/**
 * Most files this entry reads (default 50); more is an error, so a prompt never silently misses a file.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "ReadsMaxFiles".
 */
export type ReadsMaxFiles = number;
/**
 * A role id, or one template output that renders to a role id at run time (`{{ message.from }}` replies to the sender, `{{ payload.assignee }}` delegates by the output's payload).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Recipient".
 */
export type Recipient = string;
/**
 * A template given inline, or `{ file: path }` read from a file next to the SOP.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "TemplateSource".
 */
export type TemplateSource = Template | FileRef;

/**
 * A Standard Operating Procedure for a team of LLM roles, run by `sop run`. Format `sop/v1`.
 */
export interface SOP {
  /**
   * Version of the SOP format. This runner supports `sop/v1`.
   */
  apiVersion: 'sop/v1';
  /**
   * Always `SOP`.
   */
  kind: 'SOP';
  metadata: Metadata;
  /**
   * Typed inputs given with `sop run FILE IDEA --input name=value`; `--input name=@FILE` (or an IDEA `@FILE`) gives an input the text of FILE, relative to the folder `sop` runs in, its trailing line ends dropped (at most 8 MB of UTF-8 text, else `INPUT_FILE_INVALID`, exit 2), as HTTPie's `field=@file`; `@@` starts a value with a literal `@`. Without this block the SOP has one implicit input, `idea` (a string, the positional argument). An input is required unless it has a `default`; `required: true|false`, as GitHub Actions inputs write it, is accepted with that meaning (and refused where it contradicts the `default`).
   */
  inputs?: {
    [k: string]: Input;
  };
  /**
   * Static values (any JSON) named once and read everywhere as `vars.NAME`: in templates (`{{ vars.greeting }}`), CEL (`vars.test_command[payload.language]`) and command argv. A lookup table replaces copies of an action or gate per case.
   */
  vars?: {
    [k: string]: unknown;
  };
  settings?: Settings;
  /**
   * The message types that travel on the bus, by name (PascalCase). Roles watch them, actions emit them.
   */
  messages?: {
    [k: string]: MessageType;
  };
  /**
   * The message(s) published before round 1, usually the user's requirement.
   *
   * @minItems 1
   */
  start?: [StartMessage, ...StartMessage[]];
  /**
   * The team, by role id (snake_case). Each role watches message types and reacts with its actions.
   */
  roles: {
    [k: string]: Role;
  };
  /**
   * Tools declared in this SOP, by name (an identifier). Actions offer them by name beside the built-in tools (`fs.read`, `fs.write`, `fs.list`, `fs.search`, `shell`, `http.get`) and MCP tools (`server.tool`).
   */
  tools?: {
    [k: string]: ToolDeclaration;
  };
  /**
   * MCP servers whose tools actions may offer as `<server>.<tool>` (or `<server>.*`). Started on first use, closed when the run ends.
   */
  mcp_servers?: {
    [k: string]: McpServer;
  };
  /**
   * The run completes successfully as soon as a message matching one of these conditions is published.
   */
  stop_when?: MessageCondition | [MessageCondition, ...MessageCondition[]];
  /**
   * Named gate sets, declared once and used by several actions with `gates: [{ use: name }]` (or by a message type's `gates`).
   */
  gates?: {
    /**
     * @minItems 1
     */
    [k: string]: [Gate, ...Gate[]];
  };
}
/**
 * Who this SOP is and which runners can run it.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Metadata".
 */
export interface Metadata {
  /**
   * Name of the SOP, lowercase with dashes; the default workspace is `workspace/<name>`.
   */
  name: string;
  /**
   * Version of this SOP file (semver, e.g. `1.2.0`).
   */
  version: string;
  /**
   * What the SOP does, in a sentence.
   */
  description?: string;
  /**
   * Semver range of `sop` runner versions this file works with, e.g. `>=0.2 <1`; a runner outside it refuses the file (`REQUIRES_UNSATISFIED`) naming the range. `sop/v1` grows by additions, and each addition names the runner that first reads it: a file using one (`vars`, gate sets, a message type's `gates`, `on_fail.then: { route }`, a template `output.to`, an artifact's `if` or `mode`, `type: file`, `aliases` or `required` inputs, `reads` objects, `precondition`, `n_round`/`max_runs` from an input, a command as CEL, `${env:NAME}` in an MCP server's `command`/`cwd` or a declared HTTP tool's `headers`, `role.turn`, `message.thread`, `previous_output`: all 0.2) should require that runner, and `sop validate` warns (`FORMAT_NEWER_THAN_REQUIRES`) when the range is missing or admits an older one.
   */
  requires?: string;
  /**
   * Who maintains this SOP.
   */
  authors?: string[];
  /**
   * Free-form labels.
   */
  tags?: string[];
}
/**
 * One typed input of the SOP.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Input".
 */
export interface Input {
  /**
   * Type of the value; `--input name=value` is parsed to it. `file`: `--input name=@path/to/file` copies that file into the workspace before the run (at `path`, default its base name), and the input's value is its workspace-relative path. A `file` input's `default` (`@data/sample.csv`, relative to the folder `sop` runs in) is read with nobody giving it, so it must stay in that folder: an absolute path or one climbing out with `..` is refused (`FILE_REF_ESCAPE`, exit 3), so an SOP from elsewhere cannot send `/home/me/.ssh/id_rsa` to its model; a file the user gives may be anywhere.
   */
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'file';
  /**
   * Shown in `sop run --help`-style listings and errors.
   */
  description?: string;
  /**
   * Value used when the input is not given, as written: of the input's `type` (`3` for an `integer`, `false` for a `boolean`; a text input also takes a number or `true`/`false`) and one of its `enum` values, else `sop validate` refuses it. An input without a default is required.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * Whether the input must be given, as GitHub Actions inputs say it: optional, since an input is required exactly when it has no `default`. `required: true` says so of an input without `default` (with one it is refused: remove the `default` to require the input); `required: false` needs a `default`, the value taken when the input is not given.
   */
  required?: boolean;
  /**
   * The allowed values; another one given is refused (INPUT_INVALID, exit 2), the hint naming the one meant (`--input audience=engineers` for `Engineers`; in a `sop test` or `sop eval` case, `did you mean "engineers"?`, at the value).
   *
   * @minItems 1
   */
  enum?: [unknown, ...unknown[]];
  /**
   * Where a `file` input is copied, relative to the workspace (default: the given file's base name).
   */
  path?: string;
  /**
   * Other names of this input: it may be given as `--input ALIAS=...` (or, for the alias `idea`, as the positional argument of `sop run`), and templates and expressions see its value under every name.
   */
  aliases?: Identifier[];
}
/**
 * Team settings: rounds, budget, concurrency, templates, default model.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Settings".
 */
export interface Settings {
  /**
   * Maximum number of rounds (supersteps). Reaching it ends the run with status `round_limit`. A whole number from 1 to 1000000 (`--n-round` and an input that sets it have the same bound), or `{ input: NAME }` to take it from an input when the run starts.
   */
  n_round?: number | InputBound;
  /**
   * Budget in USD for model calls; when spent the run stops with status `budget_exhausted`.
   */
  investment?: number;
  /**
   * Budget in total tokens (prompt + completion) over the run.
   */
  max_tokens?: number;
  /**
   * How many roles (and concurrent foreach items) may call models at the same time.
   */
  max_concurrency?: number;
  /**
   * Template engine for every template in this SOP.
   */
  templates?: 'liquid' | 'handlebars';
  model?: ModelRef;
  /**
   * Default number of attempts for an action whose output fails validation (re-asked with the errors).
   */
  max_output_attempts?: number;
  tools?: ToolSettings;
}
/**
 * A whole number taken from an input when the run starts (`{ input: turns }`); the input must be given a whole number of at least 1.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "InputBound".
 */
export interface InputBound {
  /**
   * An identifier: lowercase letters, digits and underscores, starting with a letter.
   */
  input: string;
}
/**
 * Limits and allow-lists of tool calls.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "ToolSettings".
 */
export interface ToolSettings {
  /**
   * Default `max_tool_calls` of an action.
   */
  max_calls?: number;
  /**
   * Seconds a tool call may take before it is stopped.
   */
  timeout?: number;
  /**
   * Bytes of a tool's result handed to the model; longer results keep their head and tail.
   */
  max_output_bytes?: number;
  /**
   * The built-in `shell` tool.
   */
  shell?: {
    /**
     * Programs `shell` may run, by name (no paths). Empty: `shell` cannot be offered.
     */
    allow?: string[];
    /**
     * Environment variables passed to the programs beyond PATH, HOME, LANG and TMPDIR.
     */
    env?: {
      [k: string]: string;
    };
  };
  /**
   * The built-in `http.get` tool.
   */
  http?: {
    /**
     * Host names `http.get` may fetch from (exact, lowercase).
     */
    allow_hosts?: string[];
  };
}
/**
 * A message type: a description and an optional JSON Schema for its payload. Templates and conditions see a message as `message` (`id`, `type`, `content`, `payload`, `from`, `to`, `cause`, `round`, and `thread`: `{ id, turn }`, where `id` is the start message its `cause` chain leads back to and `turn` counts the exchanges since it, 0 for a start message, 1 for a reply to it, 2 for the reply to that).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "MessageType".
 */
export interface MessageType {
  /**
   * What this message means; shown to models and in `sop graph`. A model is told `Your reply becomes a TYPE message: DESCRIPTION.`, a full stop added unless the description already ends with `.`, `!` or `?` (a phrase such as `A short Markdown text about the idea` or a sentence, both read as one sentence).
   */
  description?: string;
  /**
   * JSON Schema of the payload (inline, or `{ $ref: file.json }` relative to the SOP). Actions with `format: json` must produce it. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt field passes, and `sop validate` warns (`PAYLOAD_SCHEMA_OPEN`).
   */
  schema?: {};
  /**
   * Gates every action publishing this type must pass, after the action's own gates (a revise path publishing the same type cannot skip them).
   */
  gates?: Gate[];
}
/**
 * A check on the action's output before it is published: exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human`; or `use` alone, naming a gate set.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Gate".
 */
export interface Gate {
  /**
   * An identifier: lowercase letters, digits and underscores, starting with a letter.
   */
  use?: string;
  /**
   * Name shown in events and reports.
   */
  name?: string;
  /**
   * A CEL condition over `output`, `payload`, `message`, `inputs` (`item`, `index` in foreach): the gate is checked only when it is true.
   */
  if?: string;
  /**
   * A CEL expression over `output`, `payload`, `inputs` that must be true.
   */
  assert?: string;
  /**
   * Shorthand assert: the output text has at least `min` and at most `max` characters.
   */
  length?: {
    /**
     * Fewest characters.
     */
    min?: number;
    /**
     * Most characters.
     */
    max?: number;
  };
  /**
   * Shorthand assert: the output text matches this regular expression (RE2 syntax, unanchored, matched in linear time: no backreferences or lookaround; evaluated by CEL `matches`).
   */
  matches?: string;
  /**
   * Shorthand assert: the output text contains this text (or each of these).
   */
  contains?: string | [string, ...string[]];
  command?: CommandSpec;
  /**
   * A model scores the output against a rubric.
   */
  judge?: {
    /**
     * What a good output does; the judge scores the output 0 to 10 against it.
     */
    rubric: string;
    /**
     * Passing score, 0 to 10.
     */
    min_score?: number;
    /**
     * Which model answers: a name (`offline`, `gpt-4o`, `script:answers.yaml` for scripted answers, an alias from config such as `strong`) or an object with parameters.
     */
    model?:
      | string
      | {
          /**
           * Model name or alias.
           */
          name?: string;
          /**
           * Provider kind: `offline`, `openai`, `ollama`, `anthropic`.
           */
          provider?: string;
          /**
           * Sampling temperature.
           */
          temperature?: number;
          /**
           * Maximum tokens in one reply.
           */
          max_tokens?: number;
        };
  };
  /**
   * A person approves, rejects with feedback, or edits.
   */
  human?: {
    /**
     * What the reviewer is asked (a template over `inputs`, `output`, `payload`, `role`, `message`).
     */
    prompt?: string;
    /**
     * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
     */
    enabled?: string;
  };
  on_fail?: OnFail;
}
/**
 * A command run in the workspace, as argv (never through a shell).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "CommandSpec".
 */
export interface CommandSpec {
  /**
   * Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).
   */
  command: [Template, ...Template[]] | Expression;
  /**
   * Working folder, relative to the workspace.
   */
  cwd?: string;
  /**
   * Seconds before the command is killed.
   */
  timeout?: number;
  /**
   * Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.
   */
  env?: {
    [k: string]: string;
  };
}
/**
 * A message published before round 1.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "StartMessage".
 */
export interface StartMessage {
  /**
   * A message type name: PascalCase letters and digits.
   */
  type: string;
  /**
   * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
   */
  content?: string;
  /**
   * Structured payload; string values are templates over `inputs`.
   */
  payload?: {
    [k: string]: unknown;
  };
  /**
   * An identifier: lowercase letters, digits and underscores, starting with a letter.
   */
  to?: string;
  /**
   * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
   */
  if?: string;
}
/**
 * A member of the team. Its actions' templates and the conditions checked while an action runs (`foreach`, `precondition`, an artifact's `if` and `foreach`, a gate's `assert`) see it as `role` (`id`, `profile`, `goal`, `constraints`, and `turn`: how many times the role has acted in this run, this time included, 1 on its first). `when.if` and `stop_when.if` are checked before any role acts and see the message instead: count exchanges there with `thread.turn`.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Role".
 */
export interface Role {
  /**
   * Who the role is (e.g. `Product Manager`); the start of its system prompt.
   */
  profile: string;
  /**
   * What the role is trying to achieve.
   */
  goal?: string;
  /**
   * Rules the role follows, added to its system prompt.
   */
  constraints?: string | string[];
  /**
   * Message types this role receives. A message also reaches a role that it addresses with `to`.
   */
  watch: MessageTypeName[];
  react?: React;
  model?: ModelRef;
  memory?: Memory;
  /**
   * What the role can do, in order.
   *
   * @minItems 1
   */
  actions: [Action, ...Action[]];
}
/**
 * How the role chooses actions when news arrives.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "React".
 */
export interface React {
  /**
   * `by_order`: every action whose `when` matches runs, in order. `react`: the model picks the next action or `done`. `plan_and_act`: the model writes a plan of actions, then the runner executes it.
   */
  mode?: 'by_order' | 'react' | 'plan_and_act';
  /**
   * `react` mode: most actions chosen for one piece of news.
   */
  max_react_loop?: number;
  /**
   * `plan_and_act` mode: how often an invalid plan is asked for again.
   */
  max_replans?: number;
}
/**
 * Which past messages the role's prompts see as `memory`, so prompts stay bounded.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Memory".
 */
export interface Memory {
  /**
   * `window`: the last `size` messages the role received or sent. `chain`: only the messages that caused the trigger. `none`: nothing.
   */
  policy?: 'window' | 'chain' | 'none';
  /**
   * `window`: how many messages.
   */
  size?: number;
}
/**
 * One step a role can take: a prompt to a model (or a command), an output message, artifacts and gates. Exactly one of `prompt` and `run`.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Action".
 */
export interface Action {
  /**
   * An identifier: lowercase letters, digits and underscores, starting with a letter.
   */
  id: string;
  /**
   * What the action does; shown to the model in `react` and `plan_and_act` modes.
   */
  description?: string;
  when?: When;
  foreach?: Foreach;
  /**
   * The instruction sent to the model.
   */
  prompt?: Template | FileRef;
  /**
   * Workspace files this action reads into its template context as `files["path"]`: a path (a template; a missing file reads as empty text), `{ each: <CEL list of paths> }` or `{ glob: "src/** /*.py" }` (matches in path order). A list or glob reads at most `max_files` files, and an action's reads total at most 4 MB; more is an error naming the entry.
   */
  reads?: ReadsEntry[];
  run?: CommandSpec1;
  output: Output;
  /**
   * Files written from the output.
   */
  artifacts?: Artifact[];
  /**
   * Checks on the output, in order; the first failing one decides.
   */
  gates?: Gate[];
  /**
   * Tools the model may call during this action: built-in (`fs.read`, `fs.write`, `fs.list`, `fs.search`, `shell`, `http.get`), declared under `tools`, or MCP (`server.tool`, `server.*`).
   */
  tools?: string[];
  /**
   * Most tool calls in one run of this action (default `settings.tools.max_calls`); then the model must answer.
   */
  max_tool_calls?: number;
  model?: ModelRef;
  /**
   * Most times this action runs in one run (bounds fix loops); news beyond it is ignored with an event. A whole number, or `{ input: NAME }` to take it from an input when the run starts.
   */
  max_runs?: number | InputBound;
  /**
   * A check made before the model is called (or the command run): exactly one of `assert` and `command`. When it fails the action fails (`PRECONDITION_FAILED`, exit 9) and nothing is paid for.
   */
  precondition?: {
    /**
     * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
     */
    assert?: string;
    command?: CommandSpec2;
  };
}
/**
 * Which news triggers the action.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "When".
 */
export interface When {
  /**
   * Message type(s) that trigger the action. Default: any type the role watches.
   */
  type?: MessageTypeName | [MessageTypeName, ...MessageTypeName[]];
  if?: Expression;
  /**
   * Run once for all matching messages delivered in the same round (they are in `messages`), instead of once per message.
   */
  batch?: boolean;
}
/**
 * A file next to the SOP, relative to the SOP's folder; it must stay inside that folder tree.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "FileRef".
 */
export interface FileRef {
  /**
   * Path relative to the SOP file's folder.
   */
  file: string;
}
/**
 * A command run in the workspace, as argv (never through a shell).
 */
export interface CommandSpec1 {
  /**
   * Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).
   */
  command: [Template, ...Template[]] | Expression;
  /**
   * Working folder, relative to the workspace.
   */
  cwd?: string;
  /**
   * Seconds before the command is killed.
   */
  timeout?: number;
  /**
   * Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.
   */
  env?: {
    [k: string]: string;
  };
}
/**
 * The message an action publishes.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Output".
 */
export interface Output {
  /**
   * A message type name: PascalCase letters and digits.
   */
  type: string;
  /**
   * `text`/`markdown`: as written. `json`: parsed and validated against the type's schema. `code`: fences stripped.
   */
  format?: 'text' | 'markdown' | 'json' | 'code';
  /**
   * `format: code`: the language. Default: from the first artifact's file extension.
   */
  language?: string;
  /**
   * Address the message to this role only: a role id, or a template over the trigger and the output (`{{ message.from }}`, `{{ payload.assignee }}`) that must render to a role id.
   */
  to?: string;
  /**
   * Attempts when the output fails validation (re-asked with the errors).
   */
  max_attempts?: number;
}
/**
 * A file written to the workspace from the action's output. Paths never leave the workspace.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "Artifact".
 */
export interface Artifact {
  /**
   * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
   */
  path: string;
  /**
   * Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.
   */
  content?: string;
  template?: FileRef1;
  /**
   * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
   */
  foreach?: string;
  /**
   * A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.
   */
  if?: string;
  /**
   * `overwrite` replaces the file; `append` adds the rendered content to the end of it (a transcript built turn by turn), once the output has passed its gates: an attempt a gate sends back is not appended (`overwrite` files are written for each attempt, before the gates, so a gate command can check them). The run's first append to a path starts the file anew; a resumed run continues from what its last completed round wrote, so no append is doubled.
   */
  mode?: 'overwrite' | 'append';
}
/**
 * A file next to the SOP, relative to the SOP's folder; it must stay inside that folder tree.
 */
export interface FileRef1 {
  /**
   * Path relative to the SOP file's folder.
   */
  file: string;
}
/**
 * A command run in the workspace, as argv (never through a shell).
 */
export interface CommandSpec2 {
  /**
   * Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).
   */
  command: [Template, ...Template[]] | Expression;
  /**
   * Working folder, relative to the workspace.
   */
  cwd?: string;
  /**
   * Seconds before the command is killed.
   */
  timeout?: number;
  /**
   * Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.
   */
  env?: {
    [k: string]: string;
  };
}
/**
 * A tool the model may call: a description, a JSON Schema for its arguments, and exactly one of `command` (argv templates over `args`) and `http` (a request template over `args`).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "ToolDeclaration".
 */
export interface ToolDeclaration {
  /**
   * What the tool does, as the model is told.
   */
  description: string;
  /**
   * JSON Schema (2020-12) of the arguments object; default: an object without properties. Arguments are validated against it before the tool runs. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt argument passes, and `sop validate` warns (`TOOL_PARAMETERS_OPEN`).
   */
  parameters?: {};
  command?: CommandSpec3;
  http?: HttpRequestTemplate;
}
/**
 * A command run in the workspace, as argv (never through a shell).
 */
export interface CommandSpec3 {
  /**
   * Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).
   */
  command: [Template, ...Template[]] | Expression;
  /**
   * Working folder, relative to the workspace.
   */
  cwd?: string;
  /**
   * Seconds before the command is killed.
   */
  timeout?: number;
  /**
   * Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.
   */
  env?: {
    [k: string]: string;
  };
}
/**
 * An HTTP request whose URL, headers and body are templates over `args`. The URL must start with a literal `http(s)://host`; arguments may choose the path and query, never the server. A header may also use `${env:NAME}` (a token kept out of the SOP file).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "HttpRequestTemplate".
 */
export interface HttpRequestTemplate {
  /**
   * HTTP method.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * URL template, starting with a literal `http://` or `https://` origin.
   */
  url: string;
  /**
   * Request headers: values are templates over `args`, and may use `${env:NAME}` (e.g. `Authorization: "Bearer ${env:GITHUB_TOKEN}"`), read when the run starts (an unset variable stops it before any work) and treated as a secret: masked in everything the run writes and prints and in what the tool hands the model.
   */
  headers?: {
    [k: string]: string;
  };
  /**
   * Request body template.
   */
  body?: string;
  /**
   * Seconds before the request is aborted (default `settings.tools.timeout`).
   */
  timeout?: number;
}
/**
 * An MCP server: exactly one of `command` (started as a child process, spoken to over stdio) and `url` (streamable HTTP).
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "McpServer".
 */
export interface McpServer {
  /**
   * Program and arguments of a stdio server (each may use `${env:NAME}` for a machine-specific path, expanded when the run starts).
   *
   * @minItems 1
   */
  command?: [string, ...string[]];
  /**
   * Working folder of a stdio server, relative to the SOP's folder (may use `${env:NAME}`, expanded when the run starts).
   */
  cwd?: string;
  /**
   * Environment of a stdio server beyond the variables the MCP SDK passes (HOME, LOGNAME, PATH, SHELL, TERM and USER; values may use `${env:NAME}`; those are treated as secrets).
   */
  env?: {
    [k: string]: string;
  };
  /**
   * URL of a streamable HTTP server; may be (or start with) `${env:NAME}` for a machine-specific address.
   */
  url?: string;
  /**
   * Headers sent to an HTTP server (values may use `${env:NAME}`; those are treated as secrets).
   */
  headers?: {
    [k: string]: string;
  };
  /**
   * The server's tools actions may use; default: all it lists.
   */
  allowed_tools?: string[];
  /**
   * Seconds a tool call may take (default `settings.tools.timeout`).
   */
  timeout?: number;
}
/**
 * Matches a message by type and, optionally, a CEL condition over it (`payload`, `content`, `from`, `thread`, `inputs`), e.g. `thread.turn >= 6` to end a debate after six speeches.
 *
 * This interface was referenced by `SOP`'s JSON-Schema
 * via the `definition` "MessageCondition".
 */
export interface MessageCondition {
  /**
   * A message type name: PascalCase letters and digits.
   */
  type: string;
  if?: Expression;
}
