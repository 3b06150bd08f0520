/**
 * Where a message stands in its thread: the chain of messages that follows `cause` back to a message
 * without one (a start message). `id` is that root's id; `turn` counts the exchanges from the root
 * to this message (0 for the root, 1 for a reply to it, 2 for the reply to that, ...). Derived from
 * the messages alone, so a resumed run rebuilds it (`SuperstepState.threads`).
 */
export interface Thread {
  id: string;
  turn: number;
}

/** The thread of `message`, given the thread of its cause (absent for a start message, or a cause the run does not know). */
export function threadAfter(message: { id: string; cause: string | null }, causeThread: Thread | undefined): Thread {
  if (message.cause === null) return { id: message.id, turn: 0 };
  return causeThread ? { id: causeThread.id, turn: causeThread.turn + 1 } : { id: message.cause, turn: 1 };
}
