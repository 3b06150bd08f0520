import type { Gate, ReadsEntry, SOP } from './sop.types.generated.js';
import { toPointer } from './pointer.js';

/**
 * The fields `sop/v1` gained after its first runner, with the runner version that first reads each:
 * the one table `sop validate` consults (FORMAT_NEWER_THAN_REQUIRES) to say that an SOP using one
 * must state `metadata.requires` so older runners are not asked to run it. `sop/v1` grows by
 * additions only (docs/design.md, "Compatibility policy"): add a row when a field is added.
 */
export interface FormatAddition {
  /** How the field is written, as the message names it. */
  field: string;
  /** The first runner version that reads it (`major.minor`). */
  since: string;
  /** Where `schemas/sop.v1.schema.json` declares it (what `sop schema` prints and editors complete). */
  schema: string;
  /** Where the document first uses it (undefined when it does not). */
  firstUse(parts: SopParts): string | undefined;
}

/**
 * Additions read in templates and expressions rather than as YAML fields: found in their text
 * (`role.turn`, `message.thread`, and `thread.` where a message's fields are roots).
 */
export interface VariableAddition {
  field: string;
  since: string;
  /** The schema definition whose description documents it. */
  schema: string;
  pattern: RegExp;
}

export const FORMAT_ADDITIONS: readonly FormatAddition[] = [
  { field: '`vars`', since: '0.2', schema: '/properties/vars', firstUse: ({ document }) => (document.vars === undefined ? undefined : '/vars') },
  { field: 'named gate sets (top-level `gates`)', since: '0.2', schema: '/properties/gates', firstUse: ({ document }) => (document.gates === undefined ? undefined : '/gates') },
  { field: "a message type's `gates`", since: '0.2', schema: '/$defs/MessageType/properties/gates', firstUse: ({ document }) => first(entries(document.messages), ([type, message]) => (message?.gates === undefined ? undefined : toPointer(['messages', type, 'gates']))) },
  { field: 'a gate `{ use: set }`', since: '0.2', schema: '/$defs/Gate/properties/use', firstUse: ({ gates }) => first(gates, ({ at, gate }) => (gate.use === undefined ? undefined : toPointer([...at, 'use']))) },
  { field: '`on_fail.then: { route, to }`', since: '0.2', schema: '/$defs/OnFail/oneOf/1/properties/then', firstUse: ({ gates }) => first(gates, ({ at, gate }) => (isRecord(gate.on_fail) && isRecord(gate.on_fail.then) ? toPointer([...at, 'on_fail', 'then']) : undefined)) },
  { field: '`output.to` as a template', since: '0.2', schema: '/$defs/Recipient', firstUse: ({ actions }) => first(actions, ({ at, action }) => (typeof action.output?.to === 'string' && action.output.to.includes('{{') ? toPointer([...at, 'output', 'to']) : undefined)) },
  { field: "an artifact's `if`", since: '0.2', schema: '/$defs/Artifact/properties/if', firstUse: ({ actions }) => firstArtifact(actions, (artifact) => artifact.if !== undefined, 'if') },
  { field: "an artifact's `mode`", since: '0.2', schema: '/$defs/Artifact/properties/mode', firstUse: ({ actions }) => firstArtifact(actions, (artifact) => artifact.mode !== undefined, 'mode') },
  { field: 'an input of `type: file`', since: '0.2', schema: '/$defs/Input/properties/type', firstUse: ({ document }) => first(entries(document.inputs), ([name, input]) => (input?.type === 'file' ? toPointer(['inputs', name, 'type']) : undefined)) },
  { field: "an input's `required`", since: '0.2', schema: '/$defs/Input/properties/required', firstUse: ({ document }) => first(entries(document.inputs), ([name, input]) => (input?.required === undefined ? undefined : toPointer(['inputs', name, 'required']))) },
  { field: "an input's `aliases`", since: '0.2', schema: '/$defs/Input/properties/aliases', firstUse: ({ document }) => first(entries(document.inputs), ([name, input]) => (input?.aliases === undefined ? undefined : toPointer(['inputs', name, 'aliases']))) },
  {
    field: '`reads` entries written as objects (`required`, `each`, `glob`)',
    since: '0.2',
    schema: '/$defs/ReadsEntry',
    firstUse: ({ actions }) => first(actions, ({ at, action }) => {
      const index = (action.reads ?? []).findIndex((entry: ReadsEntry) => isRecord(entry));
      return index < 0 ? undefined : toPointer([...at, 'reads', index]);
    }),
  },
  { field: '`precondition`', since: '0.2', schema: '/$defs/Action/properties/precondition', firstUse: ({ actions }) => first(actions, ({ at, action }) => (action.precondition === undefined ? undefined : toPointer([...at, 'precondition']))) },
  { field: '`n_round` from an input', since: '0.2', schema: '/$defs/Settings/properties/n_round', firstUse: ({ document }) => (isRecord(document.settings?.n_round) ? '/settings/n_round' : undefined) },
  { field: '`max_runs` from an input', since: '0.2', schema: '/$defs/Action/properties/max_runs', firstUse: ({ actions }) => first(actions, ({ at, action }) => (isRecord(action.max_runs) ? toPointer([...at, 'max_runs']) : undefined)) },
  {
    field: 'a command written as CEL',
    since: '0.2',
    schema: '/$defs/CommandSpec/properties/command',
    firstUse: ({ actions, gates }) =>
      first(actions, ({ at, action }) =>
        typeof action.run?.command === 'string' ? toPointer([...at, 'run', 'command'])
        : typeof action.precondition?.command?.command === 'string' ? toPointer([...at, 'precondition', 'command', 'command'])
        : undefined)
      ?? first(gates, ({ at, gate }) => (typeof gate.command?.command === 'string' ? toPointer([...at, 'command', 'command']) : undefined)),
  },
  {
    field: '`${env:NAME}` in an MCP server\'s `command` or `cwd`',
    since: '0.2',
    schema: '/$defs/McpServer/properties/command',
    firstUse: ({ document }) =>
      first(entries(document.mcp_servers), ([id, server]) => {
        const index = (server?.command ?? []).findIndex((part) => part.includes('${env:'));
        if (index >= 0) return toPointer(['mcp_servers', id, 'command', index]);
        return server?.cwd?.includes('${env:') ? toPointer(['mcp_servers', id, 'cwd']) : undefined;
      }),
  },
  {
    field: '`${env:NAME}` in a declared HTTP tool\'s `headers`',
    since: '0.2',
    schema: '/$defs/HttpRequestTemplate/properties/headers',
    firstUse: ({ document }) =>
      first(entries(document.tools), ([name, tool]) => {
        const header = Object.entries(tool?.http?.headers ?? {}).find(([, value]) => value.includes('${env:'));
        return header === undefined ? undefined : toPointer(['tools', name, 'http', 'headers', header[0]]);
      }),
  },
];

export const VARIABLE_ADDITIONS: readonly VariableAddition[] = [
  { field: '`role.turn`', since: '0.2', schema: '/$defs/Role', pattern: /(?<![\w.])role\s*\.\s*turn(?!\w)/ },
  { field: '`message.thread`', since: '0.2', schema: '/$defs/MessageType', pattern: /(?<![\w.])(?:message\s*\.\s*)?thread\s*\.\s*(?:turn|id)(?!\w)/ },
  { field: '`previous_output`', since: '0.2', schema: '/$defs/OnFail', pattern: /(?<![\w.])previous_output(?!\w)/ },
];

type Action = NonNullable<SOP['roles'][string]['actions']>[number];
type Artifact = NonNullable<Action['artifacts']>[number];
type Segments = ReadonlyArray<string | number>;

/** The document with its actions and gates listed once for every row (a 10,000-role SOP is walked once, not once per row). */
export interface SopParts {
  document: SOP;
  actions: ReadonlyArray<{ at: Segments; action: Action }>;
  /** Every gate as written: an action's, a set's, a message type's. */
  gates: ReadonlyArray<{ at: Segments; gate: Gate }>;
}

export function sopParts(document: SOP): SopParts {
  const actions = entries(document.roles).flatMap(([roleId, role]) => (role?.actions ?? []).map((action, index) => ({ at: ['roles', roleId, 'actions', index], action })));
  const gates: Array<{ at: Segments; gate: Gate }> = [];
  const list = (at: () => Segments, written: Gate[] | undefined): void => {
    if (written) written.forEach((gate, index) => gates.push({ at: [...at(), index], gate }));
  };
  for (const { at, action } of actions) list(() => [...at, 'gates'], action.gates);
  for (const [name, set] of entries(document.gates)) list(() => ['gates', name], set);
  for (const [type, message] of entries(document.messages)) list(() => ['messages', type, 'gates'], message?.gates);
  return { document, actions, gates };
}

/** The first non-undefined result of `find` over `items`. */
function first<T>(items: readonly T[], find: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const found = find(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstArtifact(actions: SopParts['actions'], uses: (artifact: Artifact) => boolean, field: string): string | undefined {
  return first(actions, ({ at, action }) => {
    const index = (action.artifacts ?? []).findIndex(uses);
    return index < 0 ? undefined : toPointer([...at, 'artifacts', index, field]);
  });
}

function entries<T>(record: Record<string, T> | undefined): Array<[string, T]> {
  return record && typeof record === 'object' ? Object.entries(record) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
