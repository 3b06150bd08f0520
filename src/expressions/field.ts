/** Lists of the SOP whose entries' expressions are named with the list: `stop_when.if`, `start.if`, `reads.each`. */
const LIST_FIELDS = new Set(['stop_when', 'start', 'reads']);

/**
 * The field an expression is written in, as a message names it, from its JSON pointer:
 * `/roles/dev/actions/0/when/if` → `` `when.if` ``, `/stop_when/1/if` → `` `stop_when.if` ``, a
 * gate's `/…/gates/2/assert` → ``gate `assert` ``, an artifact's → ``artifact `if` ``, a test's
 * `/expect/messages/0/where` → `` `where` ``. Undefined when the pointer names no field.
 */
export function expressionField(pointer: string): string | undefined {
  const segments = pointer.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  let lastIndex = -1;
  segments.forEach((segment, position) => {
    if (/^\d+$/.test(segment)) lastIndex = position;
  });
  const tail = segments.slice(lastIndex + 1);
  if (tail.length === 0 || tail.some((segment) => segment === '')) return undefined;
  const field = tail.join('.');
  if (tail.at(-1) === 'where') return '`where`';
  // A gate set's entry (`/gates/checks/0/assert`) has the set's name between `gates` and the index.
  const owner = segments[lastIndex - 1] === undefined ? undefined : segments[0] === 'gates' && lastIndex === 2 ? 'gates' : segments[lastIndex - 1];
  if (owner === 'gates') return `gate \`${field}\``;
  if (owner === 'artifacts') return `artifact \`${field}\``;
  if (owner !== undefined && LIST_FIELDS.has(owner)) return `\`${owner}.${field}\``;
  return `\`${field}\``;
}

/** `the \`when.if\` expression`, or `expression` when the field is not known: how a message starts that quotes one. */
export function expressionNamed(pointer: string): string {
  const field = expressionField(pointer);
  return field === undefined ? 'expression' : `the ${field} expression`;
}
