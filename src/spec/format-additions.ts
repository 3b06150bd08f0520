import type { Gate, ReadsEntry, SOP } from './sop.types.generated.js';
import { joinPointer } from './pointer.js';

/**
 * The fields `sop/v1` gained after its first runner, with the runner version that first reads each:
 * the one table `sop validate` consults (FORMAT_NEWER_THAN_REQUIRES) to say that an SOP using one
 * must state `metadata.requires` so older runners are not asked to run it. `sop/v1` grows by
 * additions only (docs/design.md, "Compatibility"): add a row when a field is added.
 */
export interface FormatAddition {
  /** How the field is written, as the message names it. */
  field: string;
  /** The first runner version that reads it (`major.minor`). */
  since: string;
  /** Where `schemas/sop.v1.schema.json` declares it (what `sop schema` prints and editors complete). */
  schema: string;
  /** Pointers to where the document uses it (empty when it does not). */
  uses(document: SOP): string[];
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
  { field: '`vars`', since: '0.2', schema: '/properties/vars', uses: (document) => (document.vars === undefined ? [] : ['/vars']) },
  { field: 'named gate sets (top-level `gates`)', since: '0.2', schema: '/properties/gates', uses: (document) => (document.gates === undefined ? [] : ['/gates']) },
  { field: "a message type's `gates`", since: '0.2', schema: '/$defs/MessageType/properties/gates', uses: (document) => entries(document.messages).flatMap(([type, message]) => (message?.gates === undefined ? [] : [`/messages/${type}/gates`])) },
  { field: 'a gate `{ use: set }`', since: '0.2', schema: '/$defs/Gate/properties/use', uses: (document) => gates(document).flatMap(([pointer, gate]) => (gate.use === undefined ? [] : [joinPointer(pointer, 'use')])) },
  { field: '`on_fail.then: { route, to }`', since: '0.2', schema: '/$defs/OnFail/oneOf/1/properties/then', uses: (document) => gates(document).flatMap(([pointer, gate]) => (isRecord(gate.on_fail) && isRecord(gate.on_fail.then) ? [joinPointer(pointer, 'on_fail', 'then')] : [])) },
  { field: '`output.to` as a template', since: '0.2', schema: '/$defs/Recipient', uses: (document) => actions(document).flatMap(([pointer, action]) => (typeof action.output?.to === 'string' && action.output.to.includes('{{') ? [joinPointer(pointer, 'output', 'to')] : [])) },
  { field: "an artifact's `if`", since: '0.2', schema: '/$defs/Artifact/properties/if', uses: (document) => artifacts(document).flatMap(([pointer, artifact]) => (artifact.if === undefined ? [] : [joinPointer(pointer, 'if')])) },
  { field: "an artifact's `mode`", since: '0.2', schema: '/$defs/Artifact/properties/mode', uses: (document) => artifacts(document).flatMap(([pointer, artifact]) => (artifact.mode === undefined ? [] : [joinPointer(pointer, 'mode')])) },
  { field: 'an input of `type: file`', since: '0.2', schema: '/$defs/Input/properties/type', uses: (document) => entries(document.inputs).flatMap(([name, input]) => (input?.type === 'file' ? [`/inputs/${name}/type`] : [])) },
  { field: "an input's `aliases`", since: '0.2', schema: '/$defs/Input/properties/aliases', uses: (document) => entries(document.inputs).flatMap(([name, input]) => (input?.aliases === undefined ? [] : [`/inputs/${name}/aliases`])) },
  { field: '`reads` entries written as objects (`required`, `each`, `glob`)', since: '0.2', schema: '/$defs/ReadsEntry', uses: (document) => actions(document).flatMap(([pointer, action]) => (action.reads ?? []).flatMap((entry: ReadsEntry, index) => (isRecord(entry) ? [joinPointer(pointer, 'reads', String(index))] : []))) },
  { field: '`precondition`', since: '0.2', schema: '/$defs/Action/properties/precondition', uses: (document) => actions(document).flatMap(([pointer, action]) => (action.precondition === undefined ? [] : [joinPointer(pointer, 'precondition')])) },
  { field: '`n_round` from an input', since: '0.2', schema: '/$defs/Settings/properties/n_round', uses: (document) => (isRecord(document.settings?.n_round) ? ['/settings/n_round'] : []) },
  { field: '`max_runs` from an input', since: '0.2', schema: '/$defs/Action/properties/max_runs', uses: (document) => actions(document).flatMap(([pointer, action]) => (isRecord(action.max_runs) ? [joinPointer(pointer, 'max_runs')] : [])) },
  { field: 'a command written as CEL', since: '0.2', schema: '/$defs/CommandSpec/properties/command', uses: (document) => commands(document).flatMap(([pointer, command]) => (typeof command === 'string' ? [pointer] : [])) },
  {
    field: '`${env:NAME}` in an MCP server\'s `command` or `cwd`',
    since: '0.2',
    schema: '/$defs/McpServer/properties/command',
    uses: (document) =>
      entries(document.mcp_servers).flatMap(([id, server]) => [
        ...(server?.command ?? []).flatMap((part, index) => (part.includes('${env:') ? [`/mcp_servers/${id}/command/${index}`] : [])),
        ...(server?.cwd?.includes('${env:') ? [`/mcp_servers/${id}/cwd`] : []),
      ]),
  },
];

export const VARIABLE_ADDITIONS: readonly VariableAddition[] = [
  { field: '`role.turn`', since: '0.2', schema: '/$defs/Role', pattern: /(?<![\w.])role\s*\.\s*turn(?!\w)/ },
  { field: '`message.thread`', since: '0.2', schema: '/$defs/MessageType', pattern: /(?<![\w.])(?:message\s*\.\s*)?thread\s*\.\s*(?:turn|id)(?!\w)/ },
];

type Action = NonNullable<SOP['roles'][string]['actions']>[number];
type Artifact = NonNullable<Action['artifacts']>[number];

function entries<T>(record: Record<string, T> | undefined): Array<[string, T]> {
  return record && typeof record === 'object' ? Object.entries(record) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function actions(document: SOP): Array<[string, Action]> {
  return entries(document.roles).flatMap(([roleId, role]) => (role?.actions ?? []).map((action, index): [string, Action] => [`/roles/${roleId}/actions/${index}`, action]));
}

function artifacts(document: SOP): Array<[string, Artifact]> {
  return actions(document).flatMap(([pointer, action]) => (action.artifacts ?? []).map((artifact, index): [string, Artifact] => [joinPointer(pointer, 'artifacts', String(index)), artifact]));
}

/** Every gate as written: an action's, a set's, a message type's. */
function gates(document: SOP): Array<[string, Gate]> {
  const listed = (pointer: string, list: Gate[] | undefined): Array<[string, Gate]> => (list ?? []).map((gate, index) => [joinPointer(pointer, String(index)), gate]);
  return [
    ...actions(document).flatMap(([pointer, action]) => listed(joinPointer(pointer, 'gates'), action.gates)),
    ...entries(document.gates).flatMap(([name, set]) => listed(`/gates/${name}`, set)),
    ...entries(document.messages).flatMap(([type, message]) => listed(`/messages/${type}/gates`, message?.gates)),
  ];
}

/** Every command's `command` as written: actions' `run`, preconditions', command gates'. */
function commands(document: SOP): Array<[string, unknown]> {
  return [
    ...actions(document).flatMap(([pointer, action]): Array<[string, unknown]> => [
      ...(action.run ? [[joinPointer(pointer, 'run', 'command'), action.run.command] as [string, unknown]] : []),
      ...(action.precondition?.command ? [[joinPointer(pointer, 'precondition', 'command', 'command'), action.precondition.command.command] as [string, unknown]] : []),
    ]),
    ...gates(document).flatMap(([pointer, gate]): Array<[string, unknown]> => (gate.command ? [[joinPointer(pointer, 'command', 'command'), gate.command.command]] : [])),
  ];
}
