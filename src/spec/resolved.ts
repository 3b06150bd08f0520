import type { CommandSpec, Gate, Input, MessageType, SOP } from './sop.types.generated.js';

/**
 * The SOP after loading and validation, in the shape the runtime consumes: defaults applied,
 * file references read, shorthands expanded, and every template and expression carrying the
 * place it came from so run-time errors can name the SOP line.
 */

/** Where a piece of text came from: the SOP file (inline) or a referenced file. 1-based. */
export interface SourceOrigin {
  /** Path of the file as shown to the user (relative to cwd when possible). */
  file: string;
  /** Line and column where the text starts in that file. */
  line: number;
  column: number;
  /** JSON pointer of the field inside the SOP (`/roles/pm/actions/0/prompt`). */
  pointer: string;
  /**
   * How template line N maps to a file line: fileLine = line + N - 1 + lineOffset.
   * Block scalars (`|`) start on the next line, so they have lineOffset 1.
   */
  lineOffset: number;
  /**
   * Where the text's runs were written, when its lines and columns are not the file's (folded
   * scalars, escapes, quoted scalars over several lines): each `[templateLine, templateColumn,
   * fileLine, fileColumn]` maps the text from that position to the end of its run, column by column.
   */
  runs?: ReadonlyArray<readonly [number, number, number, number]>;
}

/** A template's text and its origin. */
export interface TemplateText {
  text: string;
  origin: SourceOrigin;
}

/** A CEL expression's text and its origin. */
export interface ExpressionText {
  source: string;
  origin: SourceOrigin;
}

export interface ResolvedInput extends Input {
  name: string;
  required: boolean;
  /** `aliases`: the other names the input is given and read under. */
  aliases: string[];
}

/** A bound written as a whole number, or `{ input: NAME }`: taken from that input when the run starts (see runtime/inputs.ts `boundValue`). */
export type ResolvedBound = number | { input: string };

/** One `reads` entry. */
/** `precondition`: exactly one of a CEL condition and a command, checked before the model call. */
export interface ResolvedPrecondition {
  assert: ExpressionText | undefined;
  command: ResolvedCommand | undefined;
  pointer: string;
}

export interface ResolvedMessageType {
  name: string;
  description: string;
  /** The payload schema with file `$ref`s inlined, or undefined when the type has no schema. */
  schema: Record<string, unknown> | undefined;
  declared: MessageType;
}

export interface ResolvedCondition {
  type: string;
  if: ExpressionText | undefined;
}

export interface ResolvedCommand {
  /** Program and arguments, one template each; empty when `argv` gives them. */
  command: TemplateText[];
  /** `command` written as a CEL expression giving the whole list (`vars.test_command[payload.language]`). */
  argv: ExpressionText | undefined;
  cwd: string | undefined;
  timeoutSeconds: number;
  env: Record<string, TemplateText>;
}

export interface ResolvedArtifact {
  path: TemplateText;
  /** `content`, the `template` file, or the default `{{ output }}`. */
  content: TemplateText;
  foreach: ExpressionText | undefined;
  /** `if`: the artifact is written only when this holds. */
  if: ExpressionText | undefined;
  /** `append` adds to the file (see `appendedContent` in runtime/artifacts.ts). */
  mode: 'overwrite' | 'append';
}

export interface ResolvedGate {
  name: string;
  /**
   * Which check this gate makes (exactly one per gate; validation refuses the others). The
   * shorthands `length`, `matches` and `contains` resolve to `assert` with the CEL they stand for.
   */
  kind: 'assert' | 'command' | 'judge' | 'human';
  declared: Gate;
  /** `if`: the gate is checked only when this is true. */
  if: ExpressionText | undefined;
  assert: ExpressionText | undefined;
  command: ResolvedCommand | undefined;
  judge: { rubric: string; minScore: number; model: ResolvedModelRef | undefined } | undefined;
  /** `human.prompt`: what the reviewer is asked (a template). */
  humanPrompt: TemplateText | undefined;
  onFail: Gate['on_fail'];
  /** `human.enabled`: the gate applies only when this is true. */
  humanEnabled: ExpressionText | undefined;
  pointer: string;
}

/** A tool declared under `tools`: its templates render over `args`. */
export interface ResolvedToolDeclaration {
  name: string;
  description: string;
  /** JSON Schema of the arguments (default: an object without properties). */
  parameters: Record<string, unknown>;
  command: ResolvedCommand | undefined;
  http:
    | {
        method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        url: TemplateText;
        headers: Record<string, TemplateText>;
        body: TemplateText | undefined;
        timeoutSeconds: number | undefined;
      }
    | undefined;
  pointer: string;
}

/** An MCP server under `mcp_servers` (`${env:NAME}` references are expanded when the run starts). */
export interface ResolvedMcpServer {
  name: string;
  command: string[] | undefined;
  /** Absolute working folder of a stdio server (as declared while it holds an unexpanded `${env:NAME}`). */
  cwd: string | undefined;
  env: Record<string, string>;
  url: string | undefined;
  headers: Record<string, string>;
  /** Undefined: every tool the server lists. */
  allowedTools: string[] | undefined;
  timeoutSeconds: number | undefined;
  /** Where the server is declared (its name under `mcp_servers`). */
  origin: SourceOrigin;
  /** Where each entry of `allowed_tools` is written, in its order: a misspelt one is said there. */
  allowedToolOrigins?: SourceOrigin[];
  /**
   * Where `cwd`, `url`, each `command` part and each `env`/`headers` value are written (`cwd`,
   * `command/1`, `env/TOKEN`): a path a queued run cannot carry, or an unset `${env:NAME}`, is said there.
   */
  fieldOrigins?: Record<string, SourceOrigin>;
  /** Once expanded: the `env`/`headers` entries that took a variable's value, named (never valued) when the server fails. */
  readsEnv?: Array<{ field: string; variables: string[] }>;
  /**
   * Said after the hint when this stdio server cannot start or stops before it lists its tools
   * (not when it answers wrongly): a queued run's worker says the server started there, not on the
   * submitter's machine, and what to do about it.
   */
  startHint?: string;
}

/** `settings.tools` with defaults applied. */
export interface ResolvedToolSettings {
  maxCalls: number;
  timeoutSeconds: number;
  maxOutputBytes: number;
  shell: { allow: string[]; env: Record<string, string> };
  http: { allowHosts: string[] };
}

export interface ResolvedAction {
  id: string;
  roleId: string;
  description: string;
  /** Trigger types; defaults to every type the role watches. */
  whenTypes: string[];
  whenIf: ExpressionText | undefined;
  batch: boolean;
  foreach: { items: ExpressionText; concurrency: number } | undefined;
  /** Exactly one of prompt and run is set. */
  prompt: TemplateText | undefined;
  run: ResolvedCommand | undefined;
  reads: ResolvedRead[];
  precondition: ResolvedPrecondition | undefined;
  output: {
    type: string;
    format: 'text' | 'markdown' | 'json' | 'code';
    language: string | undefined;
    /** A role id written as such. */
    to: string | undefined;
    /** A `to` written as a template (`{{ message.from }}`): rendered over the artifact context when the output is published. */
    toTemplate: TemplateText | undefined;
    maxAttempts: number;
  };
  artifacts: ResolvedArtifact[];
  gates: ResolvedGate[];
  /** Tool names as written (`fs.read`, `word_count`, `docs.search`, `docs.*`). */
  tools: string[];
  /** Where each entry of `tools` is written, in its order: a tool its MCP server does not list is said there. */
  toolOrigins?: SourceOrigin[];
  maxToolCalls: number;
  model: ResolvedModelRef | undefined;
  maxRuns: ResolvedBound | undefined;
  pointer: string;
}

/** One entry of an action's `reads`: a path, a CEL list of paths, or a glob over the workspace. */
export type ResolvedRead =
  // `required`: the file must exist; a missing one fails the action before its model call.
  | { kind: 'path'; path: TemplateText; required: boolean }
  | { kind: 'each'; paths: ExpressionText; maxFiles: number }
  | { kind: 'glob'; pattern: TemplateText; maxFiles: number };

export interface ResolvedModelRef {
  name: string | undefined;
  provider: string | undefined;
  temperature: number | undefined;
  maxTokens: number | undefined;
}

export interface ResolvedRole {
  id: string;
  profile: string;
  goal: string;
  constraints: string[];
  watch: string[];
  react: { mode: 'by_order' | 'react' | 'plan_and_act'; maxReactLoop: number; maxReplans: number };
  memory: { policy: 'window' | 'chain' | 'none'; size: number };
  model: ResolvedModelRef | undefined;
  actions: ResolvedAction[];
  pointer: string;
}

export interface ResolvedStartMessage {
  type: string;
  content: TemplateText | undefined;
  /** Payload with string leaves to render as templates over `inputs`. */
  payload: unknown;
  /** Every string leaf of `payload`, by its path inside the payload, with its origin. */
  payloadTemplates: Array<{ path: Array<string | number>; template: TemplateText }>;
  to: string | undefined;
  /** `if`: publish only when this CEL condition over `inputs` is true. */
  if: ExpressionText | undefined;
}

export interface ResolvedSop {
  /** Absolute path of the SOP file. */
  file: string;
  /** Path as shown to the user. */
  displayPath: string;
  /** Absolute folder of the SOP: the root for file references, partials and includes. */
  dir: string;
  /** sha256 (hex) of the SOP file's bytes. */
  sha256: string;
  /**
   * The SOP file's text as loaded (what `sha256` hashes), for the run journal's `sop-text` line, so a run
   * neither re-reads the file nor records an edit made after loading. Absent when built by hand.
   */
  source?: string;
  /** Every file the SOP references (prompts, templates, schemas), absolute path -> sha256. */
  referencedFiles: Record<string, string>;
  name: string;
  version: string;
  description: string;
  requires: string | undefined;
  inputs: ResolvedInput[];
  /** `vars`: static values every template and expression reads as `vars.NAME` (`{}` when none). */
  vars: Record<string, unknown>;
  settings: {
    nRound: ResolvedBound;
    investment: number | undefined;
    maxTokens: number | undefined;
    maxConcurrency: number;
    templates: 'liquid' | 'handlebars';
    model: ResolvedModelRef | undefined;
    maxOutputAttempts: number;
    tools: ResolvedToolSettings;
  };
  messages: Record<string, ResolvedMessageType>;
  start: ResolvedStartMessage[];
  roles: ResolvedRole[];
  /** Tools declared under `tools`, by name. */
  tools: Record<string, ResolvedToolDeclaration>;
  mcpServers: Record<string, ResolvedMcpServer>;
  stopWhen: ResolvedCondition[];
  /** The parsed document as written (for the run record). */
  document: SOP;
}

export type { CommandSpec };
