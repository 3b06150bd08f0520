/**
 * Names a user brings from other agent frameworks (CrewAI, MetaGPT), eval tools (promptfoo) and CI
 * (GitHub Actions inputs), or guesses from plain English
 * (`stop_on`, `condition`, `human: yes`), read as what they mean here. Edit distance finds no match
 * for them (`agents` is far from `roles`), so without this the hint for `agents:` was "remove it":
 * the whole team.
 */

interface ForeignField {
  /** The field of this format that holds what the foreign one meant. */
  field: string;
  /** What to write instead, in words. */
  hint: string;
  /** True when it is the same thing under another name: the missing `field` is not reported again. */
  renamed: boolean;
}

/** A table entry: its hint may show the fixed mapping, built from what is written beside the name. */
interface ForeignEntry extends Omit<ForeignField, 'hint'> {
  hint: string | ((written: Record<string, unknown>) => string);
  /** Fields of which one must be allowed there too: tells the mapping meant from others allowing `field`. */
  besides?: readonly string[];
}

/** Names a newcomer guesses for `stop_when` (hinted as its rename). */
export const STOP_WHEN_RENAMES = ['stop_on', 'stop_if', 'stop_condition'] as const;

const FOREIGN_FIELDS: Record<string, ForeignEntry[]> = {
  agents: [{ field: 'roles', hint: 'the team\'s agents are its `roles` here: rename `agents:` to `roles:` (each role by id)', renamed: true }],
  tasks: [
    { field: 'actions', hint: 'a role\'s tasks are its `actions` here: rename `tasks:` to `actions:`', renamed: true },
    { field: 'roles', hint: 'tasks belong to the role that does them here: list each under `roles.<id>.actions`, with the message type it outputs', renamed: false },
  ],
  role: [{ field: 'profile', hint: 'who the role is (its title) is its `profile` here: rename `role:` to `profile:`', renamed: true }],
  backstory: [{ field: 'constraints', hint: 'there is no `backstory`: say who the role is in `profile` and how it works in `constraints` (both go into its system prompt)', renamed: false }],
  system_prompt: [{ field: 'constraints', hint: 'a role\'s system prompt is made of its `profile`, `goal` and `constraints`: move the text there', renamed: false }],
  llm: [{ field: 'model', hint: 'the model is `model` here: rename `llm:` to `model:`', renamed: true }],
  // CrewAI gives an agent its tools and marks a task `human_input: true`: here both belong to an action.
  tools: [{ field: 'actions', hint: 'tools are offered per action here: move `tools: [...]` to each action of the role that uses them (`actions: [{ id: ..., tools: [...] }]`)', renamed: false }],
  human_input: [{
    field: 'gates',
    hint: 'a person reviews an action\'s output through a `human` gate: write `gates: [{ name: approved, human: { prompt: "Approve this?" } }]` (asked on a terminal; in CI the run pauses, exit 8, until `sop resume RUN --approve` or `--reject "..."`)',
    renamed: false,
  }],
  process: [{ field: 'roles', hint: 'there is no `process`: the order comes from who watches what (each role\'s `watch` lists the message types it acts on; a sequential crew is a chain, each role watching the type the one before outputs)', renamed: false }],
  verbose: [{ field: 'roles', hint: 'there is no `verbose`: `sop run` prints a line per action on stderr; `--events FILE` writes every event, `--event-prompts` adds the prompts', renamed: false }],
  allow_delegation: [{ field: 'actions', hint: 'a role hands work to another by publishing a message type that role watches (an action\'s `output: { type: T, to: ROLE }`); there is nothing to allow', renamed: false }],
  max_iter: [
    { field: 'max_tool_calls', hint: 'the bound of an action\'s tool-calling loop is its `max_tool_calls`: rename `max_iter:` to `max_tool_calls:`', renamed: true },
    { field: 'actions', hint: 'the bound of a tool-calling loop is each action\'s `max_tool_calls` (default `settings.tools.max_calls`): move it to the actions', renamed: false },
  ],
  context: [{ field: 'when', hint: 'an action is given the message that triggered it (`message`); another action\'s output reaches it as a message type its role `watch`es (or `when: { type: [...] }`), a file another action wrote through `reads`', renamed: false }],
  async_execution: [{ field: 'foreach', hint: 'actions of roles triggered in the same round run at once (up to `settings.max_concurrency`), and a foreach\'s items with `foreach: { items: ..., concurrency: N }`: there is nothing to turn on', renamed: false }],
  expected_output: [{ field: 'output', hint: 'what an action produces is its `output` (`{ type: MessageType, format: ... }`); say what a good answer is in the prompt, and check it with `gates`', renamed: false }],
  // A test file's gate expectation (`gates: [{ gate: has-title }]`), written as the SOP names a gate.
  name: [{ field: 'gate', hint: 'a gate expectation names its gate with `gate:` (the SOP\'s gate `name`): rename `name:` to `gate:`', renamed: true }],
  react_mode: [{ field: 'react', hint: 'write `react: { mode: by_order | react | plan_and_act }`', renamed: false }],
  // Names of the stop condition, a `when` and a human gate's question a newcomer guesses: "remove it"
  // silently dropped the stop condition, the trigger's filter or the question.
  ...Object.fromEntries(STOP_WHEN_RENAMES.map((name) => [name, [{ field: 'stop_when', hint: `the messages that end the run are its \`stop_when\` here: rename \`${name}:\` to \`stop_when:\``, renamed: true }]])),
  message: [{ field: 'type', besides: ['if', 'format', 'count'], hint: 'a message is named by its type with `type:` here: rename `message:` to `type:`', renamed: true }],
  condition: [{ field: 'if', hint: 'a condition (a CEL expression) is written `if:` here: rename `condition:` to `if:`', renamed: true }],
  question: [{ field: 'prompt', besides: ['enabled'], hint: 'what a human gate asks the reviewer is its `prompt`: rename `question:` to `prompt:`', renamed: true }],
  // A scripted answer's reply, named as a chat API or a mock names it; `reask` is allowed only beside a script answer's `output`.
  // In a `{ file }` mapping (a prompt, an artifact's template), the same words name a template written in place.
  ...Object.fromEntries(['text', 'content', 'response', 'answer', 'reply'].map((name) => [name, [
    { field: 'output', besides: ['reask'], hint: `a scripted answer's reply is its \`output\` (text, or the fields of a JSON output): rename \`${name}:\` to \`output:\``, renamed: true },
    ...(name === 'text' || name === 'content' ? [inPlaceTemplate(name)] : []),
  ]])),
  ...Object.fromEntries(['inline', 'template', 'body'].map((name) => [name, [inPlaceTemplate(name)]])),
  // A human gate's scripted decision written as its own field beside `gate:` (`approve: true`,
  // `reject: "..."`): "remove it" lost the decision, and the answer then said nothing to answer.
  ...Object.fromEntries(['approve', 'approved', 'reject', 'rejected', 'edit'].map((name) => [name, [
    { field: 'human', besides: ['reask'], hint: (written: Record<string, unknown>) => humanDecisionHint(name, written[name]), renamed: true },
  ]])),
  // `on_fail: { revise: 2, route: Escalated, to: lead }`: who takes the work over is part of the escalation after the revisions.
  to: [{ field: 'then', hint: escalationHint, renamed: false }],
  // A GitHub Actions `workflow_dispatch` choice input (`type: choice`, `options: [...]`): "remove it" lost the allowed values.
  options: [{ field: 'enum', hint: 'an input\'s allowed values are its `enum` here: rename `options:` to `enum:` (with `type: string`: there is no `type: choice`)', renamed: true }],
  // A promptfoo test suite (`tests:`, each test's `description`, `vars` and `assert`): "remove it" lost the cases, the inputs and the checks.
  tests: [{ field: 'cases', hint: 'the cases are listed under `cases:` here: rename `tests:` to `cases:`', renamed: true }],
  vars: [{ field: 'inputs', hint: 'a case gives the SOP\'s inputs under `inputs:` here: rename `vars:` to `inputs:`', renamed: true }],
  description: [{ field: 'name', besides: ['inputs'], hint: 'a case is named by its `name` here (results and baselines are keyed by it): rename `description:` to `name:`', renamed: true }],
  assert: [{ field: 'expect', hint: 'what the finished run must show is the case\'s `expect` here, a mapping, not a list of assertions: e.g. `expect: { status: completed, artifacts: [{ path: draft.md, contains: tidal }], messages: [{ type: Review, where: payload.approved }] }`', renamed: false }],
};

/**
 * `prompt: { inline: "..." }`: a template written in the SOP is the field's own value; the mapping
 * form is only `{ file: path }`. "Remove it" (and "add `file:`") would have lost the text.
 */
function inPlaceTemplate(name: string): ForeignEntry {
  return {
    field: 'file',
    hint: `a template written in the SOP is the value itself, not a mapping: write \`prompt: |\` (or \`template: |\`) with the text on the lines below, indented, instead of \`{ ${name}: ... }\`; \`{ file: path }\` reads it from a file beside the SOP`,
    renamed: true,
  };
}

/** `on_fail: { revise: 2, then: { route: Escalated, to: lead } }`, from the `revise`, `route` and `to` written. */
function escalationHint(written: Record<string, unknown>): string {
  const revise = written['revise'] === undefined ? '' : `revise: ${String(written['revise'])}, `;
  const route = typeof written['route'] === 'string' ? written['route'] : 'Type';
  return `\`to\` names who takes the work over in the escalation after the revisions: write \`on_fail: { ${revise}then: { route: ${route}, to: ${String(written['to'])} } }\``;
}

/**
 * Team settings written at the top of the SOP (`model: gpt-4o` beside `roles:`, as "`model:` in the
 * SOP" reads): they go under `settings:`. Kept in step with `$defs.Settings` of the schema.
 */
const SETTINGS_FIELDS = ['n_round', 'investment', 'max_tokens', 'max_concurrency', 'templates', 'model', 'max_output_attempts'];

function settingsField(name: string): ForeignField {
  const elsewhere = name === 'model' ? '; a role or an action takes its own `model:` too' : '';
  return { field: 'settings', hint: `\`${name}\` is a team setting: move it under \`settings:\` (\`settings: { ${name}: ... }\`)${elsewhere}`, renamed: false };
}

/**
 * What an unknown field from another framework means here, when its counterpart is allowed where it
 * is written; or a team setting written where `settings:` is allowed (the top of the SOP).
 */
export function foreignField(name: string, allowed: readonly string[], written: unknown = {}): ForeignField | undefined {
  if (SETTINGS_FIELDS.includes(name) && allowed.includes('settings')) return settingsField(name);
  const entry = Object.hasOwn(FOREIGN_FIELDS, name)
    ? FOREIGN_FIELDS[name]?.find((candidate) => allowed.includes(candidate.field) && (candidate.besides === undefined || candidate.besides.some((field) => allowed.includes(field))))
    : undefined;
  if (entry === undefined) return undefined;
  return { field: entry.field, renamed: entry.renamed, hint: typeof entry.hint === 'string' ? entry.hint : entry.hint(asRecord(written) ?? {}) };
}

/** The `human:` answer `name: value` meant: `approve: false` is a rejection. */
function humanDecisionHint(name: string, value: unknown): string {
  const approves = (name === 'approve' || name === 'approved') && value !== false;
  const feedback = typeof value === 'string' && value.trim() !== '' && !approves ? value : 'what to change';
  const decision = approves ? 'approve' : name === 'edit' ? '{ edit: ... }' : `{ reject: ${JSON.stringify(feedback)} }`;
  return `a human gate's scripted decision is the answer's \`human\`: write \`human: ${decision}\` in place of \`${name}:\``;
}

/**
 * Words a user writes where one fixed word is allowed: for "yes" (`human: yes`, `human: true`, `ok`
 * for a scripted decision's `approve`), or another tool's name for it (`type: choice`): edit
 * distance finds no match for them.
 */
const FOREIGN_VALUES: Record<string, readonly string[]> = {
  approve: ['yes', 'y', 'true', 'ok', 'okay', 'accept', 'accepted', 'lgtm', 'pass', 'passed'],
  // GitHub Actions' `type: choice` input: a string whose values its `enum` lists.
  string: ['choice'],
};

/**
 * Words for "no" where a mapping form carries the refusal (`human: no`, `false`, `rejected` for a
 * scripted decision's `{ reject: feedback }`): the field meant, whose form the hint shows.
 */
const FOREIGN_KEYS: Record<string, readonly string[]> = {
  reject: ['no', 'n', 'false', 'rejected', 'deny', 'denied', 'decline', 'declined', 'fail', 'failed'],
};

/** The field of a mapping form (one of `fields`) that `written` (a string, or `false`) means by another word for it. */
export function foreignKey(written: unknown, fields: readonly string[]): string | undefined {
  if (typeof written !== 'string' && typeof written !== 'boolean') return undefined;
  const word = String(written).toLowerCase();
  return fields.find((field) => Object.hasOwn(FOREIGN_KEYS, field) && FOREIGN_KEYS[field]?.includes(word));
}

/** The allowed word `written` (a string, or `true`) means, by another tool's or plain English's word for it. */
export function foreignValue(written: unknown, allowed: readonly string[]): string | undefined {
  if (typeof written !== 'string' && typeof written !== 'boolean') return undefined;
  const word = String(written).toLowerCase();
  return allowed.find((value) => Object.hasOwn(FOREIGN_VALUES, value) && FOREIGN_VALUES[value]?.includes(word));
}

/**
 * `watch: [write_post]` or `watch: [WritePost]` (MetaGPT watches actions, by class name),
 * `stop_when: { type: Editor }`: an action or role named where a message type goes. `type` is the
 * message type meant (the action's output type, the one type the role's actions publish), `hint`
 * says so. Undefined when the name is neither an action nor a role, spelt either way.
 */
export function messageTypeForId(name: unknown, document: unknown): { hint: string; type: string | undefined } | undefined {
  if (typeof name !== 'string') return undefined;
  const roles = asRecord(asRecord(document)?.['roles']);
  if (!roles) return undefined;
  const key = idKey(name);
  for (const [roleId, role] of Object.entries(roles)) {
    const actions = actionsOf(role);
    const action = actionNamed(actions, key);
    if (action) {
      const fix = action.type === undefined ? 'write the type its `output` declares' : `write \`${action.type}\`, the type it outputs`;
      return { hint: `${namedAs(name, 'action', String(action.id))} (of role \`${roleId}\`), not a message type: ${fix}`, type: action.type };
    }
    if (idKey(roleId) === key) {
      const types = [...new Set(actions.flatMap((entry) => (entry.type === undefined ? [] : [entry.type])))];
      const fix = types.length === 0 ? 'write a type its actions output' : `write ${types.map((type) => `\`${type}\``).join(' or ')}, what it publishes`;
      return { hint: `${namedAs(name, 'role', roleId)}, not a message type: ${fix}`, type: types.length === 1 ? types[0] : undefined };
    }
  }
  return undefined;
}

/**
 * `to: reply` (`then: { to: reply }`) where `reply` is an action: the role whose action it is is
 * the recipient meant; the hint says so. Undefined when no role has an action so named (spelt either way).
 */
export function roleForActionId(name: string, document: unknown): string | undefined {
  const roles = asRecord(asRecord(document)?.['roles']);
  if (!roles) return undefined;
  for (const [roleId, role] of Object.entries(roles)) {
    const action = actionNamed(actionsOf(role), idKey(name));
    if (action) return `${namedAs(name, 'action', String(action.id))} (of role \`${roleId}\`), not a role: write \`to: ${roleId}\`, the role that does it`;
  }
  return undefined;
}

/** `write_post` "is an action"; `WritePost` "names the action `write_post`". */
function namedAs(name: string, kind: 'action' | 'role', id: string): string {
  return id === name ? `\`${name}\` is ${kind === 'action' ? 'an action' : 'a role'}` : `\`${name}\` names the ${kind} \`${id}\``;
}

function actionNamed<T extends { id: unknown }>(actions: T[], key: string): T | undefined {
  return actions.find((entry) => typeof entry.id === 'string' && idKey(entry.id) === key);
}

/** `write_post`, `WritePost` and `writePost` alike. */
function idKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

function actionsOf(role: unknown): Array<{ id: unknown; type: string | undefined }> {
  const actions = asRecord(role)?.['actions'];
  if (!Array.isArray(actions)) return [];
  return actions.map((action) => {
    const type = asRecord(asRecord(action)?.['output'])?.['type'];
    // A type that is not a valid name itself would be no fix.
    return { id: asRecord(action)?.['id'], type: typeof type === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(type) ? type : undefined };
  });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
