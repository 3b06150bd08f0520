/**
 * Hints for a template that reaches for earlier messages by a name sop does not give
 * (`{{ messages.Notes.last.content }}`, `{{ history }}`) or reads `memory` as if it were keyed by
 * type (`memory.Notes`): they name what does hold earlier messages, `memory`, and the loop that
 * reads one type from it. Only where `memory` exists (an action's templates).
 */

/** Names newcomers give to "the messages so far": none is a template variable. */
const EARLIER_MESSAGE_NAMES = new Set(['messages', 'history', 'memories', 'previous_messages', 'chat_history', 'conversation']);

/** What a list root (`memory`, a batch action's `messages`) answers to: list accessors, not type names. */
const LIST_ACCESSORS = new Set(['first', 'last', 'size', 'length']);

/** What the hint is worded with: the SOP's message types, and its template engine for the example. */
export interface EarlierMessagesFacts {
  messageTypes: readonly string[];
  handlebars: boolean;
}

/** The hint for an unknown root (`messages`, `history`, ...) where `memory` exists; undefined for other names. */
export function earlierMessagesHint(path: readonly string[], roots: readonly string[], facts: EarlierMessagesFacts | undefined): string | undefined {
  const [root] = path;
  if (root === undefined || !EARLIER_MESSAGE_NAMES.has(root) || !roots.includes('memory')) return undefined;
  const batchOnly = root === 'messages' ? ' (`messages` is there only in a batch action, `when: { batch: true }`: the messages of one round)' : '';
  return `earlier messages are in \`memory\`${batchOnly}: ${readOneType(path, facts)}`;
}

/** A field of `memory` that is no list accessor (`memory.Notes`): the problem, with its hint. */
export function memoryFieldProblem(path: readonly string[], facts: EarlierMessagesFacts | undefined): { message: string; expected: string; hint: string } | undefined {
  const [root, field] = path;
  if (root !== 'memory' || field === undefined || LIST_ACCESSORS.has(field) || /^\d+$/.test(field)) return undefined;
  return {
    message: `\`memory\` is a list of messages: it has no \`${field}\``,
    expected: '`memory.first`, `memory.last`, `memory.size`, an index (`memory[0]`), or a loop over it',
    hint: `\`memory\` is not keyed by type: ${readOneType(path, facts)}`,
  };
}

/** How a role reads the messages of one type from `memory`, with a one-line example in the SOP's engine. */
function readOneType(path: readonly string[], facts: EarlierMessagesFacts | undefined): string {
  const type = path.slice(1).find((part) => facts?.messageTypes.includes(part)) ?? 'TYPE';
  const loop = facts?.handlebars
    ? `{{#each memory}}{{#if (eq type "${type}")}}{{content}}{{/if}}{{/each}}`
    : `{% for m in memory %}{% if m.type == "${type}" %}{{ m.content }}{% endif %}{% endfor %}`;
  return `it holds the last messages the role received or sent (\`memory: { size: 20 }\` for more), so the role watches \`${type}\` too `
    + `(\`watch: [..., ${type}]\`, with \`when: { type: ... }\` on this action if ${type} alone should not run it), and the prompt reads it with \`${loop}\` (see \`memory\` in docs/format.md)`;
}
