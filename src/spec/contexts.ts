/**
 * What a template or expression can see, by where it stands in the SOP. The validator uses this to
 * refuse variables that cannot exist (strict templates); the runtime builds exactly these contexts.
 * Keep the two in step: a root listed here must be provided by the runtime, and nothing else.
 */

/** Fields of a message as templates and expressions see it. */
export const MESSAGE_FIELDS = ['id', 'type', 'content', 'payload', 'from', 'to', 'cause', 'round', 'thread'] as const;
/**
 * Fields of `message.thread` (`thread` in `when.if`/`stop_when.if`): the thread is the chain of
 * messages following `cause` back to a start message; `id` is that message's id, `turn` counts the
 * exchanges from it (0 for the start message, 1 for a reply to it, ...).
 */
export const THREAD_FIELDS = ['id', 'turn'] as const;
/** Fields of `role`. */
/** `turn`: how many times the role has acted in this run, this time included (1 on its first action run). */
export const ROLE_FIELDS = ['id', 'profile', 'goal', 'constraints', 'turn'] as const;
/** Fields of `run`. */
export const RUN_FIELDS = ['id', 'round', 'sop', 'workspace'] as const;

export type TemplatePlace = 'start' | 'reads' | 'prompt' | 'command' | 'artifact' | 'gate-command' | 'human-prompt' | 'recipient' | 'tool';
export type ExpressionPlace =
  | 'when'
  | 'stop-when'
  | 'foreach'
  | 'artifact-foreach'
  | 'artifact-if'
  | 'gate-assert'
  | 'human-enabled'
  | 'start-if'
  | 'precondition'
  // CEL where a template could stand: a `reads` list, a command's argv; they see what the template would.
  | 'reads-each'
  | 'command-argv'
  | 'gate-argv';

export interface PlaceFacts {
  /** The action fans out (`foreach`): `item` and `index` exist. */
  foreach: boolean;
  /** The action runs once per round for all matching messages: `messages` exists. */
  batch: boolean;
  /** The artifact fans out (`artifacts[].foreach`): `item` exists. */
  artifactForeach?: boolean;
}

/** Root variables a template may read in a place. `vars` (the SOP's static values) exist everywhere. */
export function templateRoots(place: TemplatePlace, facts: PlaceFacts): string[] {
  if (place === 'start') return ['inputs', 'run', 'vars'];
  // A declared tool's command or request sees only the arguments the model chose (and the SOP's static vars).
  if (place === 'tool') return ['args', 'vars'];
  const roots = ['inputs', 'run', 'role', 'message', 'memory', 'vars'];
  if (facts.batch) roots.push('messages');
  if (facts.foreach) roots.push('item', 'index');
  if (place === 'reads') return roots;
  roots.push('files');
  if (place === 'prompt') roots.push('feedback', 'previous_output');
  // `recipient`: a dynamic `output.to`, rendered once the output is accepted.
  if (place === 'artifact' || place === 'gate-command' || place === 'human-prompt' || place === 'recipient') roots.push('output', 'payload');
  if (place === 'artifact' && facts.artifactForeach && !roots.includes('item')) roots.push('item');
  return roots;
}

/**
 * Root variables a CEL expression may read. Conditions on a message (`when.if`, `stop_when.if`)
 * see the message's fields at the top level (`payload.passed`), plus `message` and `inputs`.
 */
export function expressionRoots(place: ExpressionPlace, facts: PlaceFacts): string[] {
  switch (place) {
    case 'when':
    case 'stop-when':
      return [...MESSAGE_FIELDS, 'message', 'inputs', 'vars'];
    case 'foreach':
      return ['message', 'inputs', 'role', 'vars', ...(facts.batch ? ['messages'] : [])];
    case 'human-enabled':
    case 'start-if':
      return ['inputs', 'vars'];
    case 'precondition':
      return ['message', 'inputs', 'vars', 'role', 'files', ...(facts.batch ? ['messages'] : []), ...(facts.foreach ? ['item', 'index'] : [])];
    case 'artifact-foreach':
    case 'artifact-if':
    case 'gate-assert':
      return ['output', 'payload', 'message', 'inputs', 'vars', 'role', ...(facts.foreach ? ['item', 'index'] : [])];
    case 'reads-each':
      return templateRoots('reads', facts);
    case 'command-argv':
      return templateRoots('command', facts);
    case 'gate-argv':
      return templateRoots('gate-command', facts);
  }
}

/**
 * Whose payload the root `payload` is in a place: the trigger message's in conditions on a message
 * (`when.if`, `stop_when.if`), the action's own output's in artifacts and gates; undefined where
 * there is no `payload` root.
 */
export function payloadOwner(place: TemplatePlace | ExpressionPlace): 'message' | 'output' | undefined {
  if (place === 'when' || place === 'stop-when') return 'message';
  if (place === 'artifact' || place === 'gate-command' || place === 'human-prompt' || place === 'recipient' || place === 'artifact-foreach' || place === 'artifact-if' || place === 'gate-assert' || place === 'gate-argv') return 'output';
  return undefined;
}
