import { threadAfter, type Thread } from './superstep/threads.js';

/**
 * A message on the bus. `payload` is the parsed JSON of a json output, the command result of a
 * command action, `{artifacts, language, item}` (null when unknown) for other formats, or null.
 */
export interface Message {
  id: string;
  type: string;
  content: string;
  payload: unknown;
  /** Role id of the sender, or `user` for start messages. */
  from: string;
  /** Role id it is addressed to, or null for "whoever watches the type". */
  to: string | null;
  /** Id of the message that triggered the action that published this one; null for start messages. */
  cause: string | null;
  round: number;
}

/** A message waiting for its id: what a role publishes during a round. */
export type PendingMessage = Omit<Message, 'id' | 'round'>;

/** The message as templates and expressions see it (a plain object; null for absent fields), with its `thread` from `threads`. */
export function messageView(message: Message, threads: ReadonlyMap<string, Thread>): Record<string, unknown> {
  const thread = threads.get(message.id) ?? threadAfter(message, message.cause === null ? undefined : threads.get(message.cause));
  return {
    id: message.id,
    type: message.type,
    content: message.content,
    payload: message.payload ?? null,
    from: message.from,
    to: message.to,
    cause: message.cause,
    round: message.round,
    thread: { id: thread.id, turn: thread.turn },
  };
}
