import type { ResolvedRole } from '../spec/resolved.js';
import type { Message } from './message.js';

/**
 * The memory an action sees for a trigger, from what its role remembers (`history`, oldest first):
 * `window` the last `size` messages, `chain` the trigger's causes (oldest first, at most `size`),
 * `none` nothing. Prompts see this bounded view, so prompt size does not grow with the run.
 */
export function memoryView(role: ResolvedRole, history: readonly Message[], trigger: Message, messages: ReadonlyMap<string, Message>): Message[] {
  const { policy, size } = role.memory;
  if (policy === 'none') return [];
  if (policy === 'window') return history.slice(-size);
  const chain: Message[] = [];
  let cause = trigger.cause;
  while (cause !== null && chain.length < size) {
    const message = messages.get(cause);
    if (!message) break;
    chain.unshift(message);
    cause = message.cause;
  }
  return chain;
}

/**
 * Adds an entry to a role's history, keeping it bounded (a window never looks further back than
 * its size). The one rule for a live memory and for one rebuilt from the run journal.
 */
export function remember<T>(history: T[], entry: T): void {
  history.push(entry);
  if (history.length > 4096) history.splice(0, history.length - 2048);
}
