import type { ResolvedRole } from '../spec/resolved.js';
import type { Message } from './message.js';

/**
 * What a role remembers: the messages it received or published, in order. Prompts see a bounded
 * view of it (`memory`), so prompt size does not grow with the run.
 */
export class RoleMemory {
  private history: Message[] = [];

  /** Ids of the remembered messages, oldest first (checkpoints). */
  ids(): string[] {
    return this.history.map((message) => message.id);
  }

  add(message: Message): void {
    remember(this.history, message);
  }

  /**
   * The memory an action sees for a trigger: `window` the last `size` messages from before this
   * round, `chain` the trigger's causes (oldest first, at most `size`), `none` nothing.
   */
  view(role: ResolvedRole, trigger: Message, messagesById: ReadonlyMap<string, Message>): Message[] {
    const { policy, size } = role.memory;
    if (policy === 'none') return [];
    if (policy === 'window') return this.history.slice(-size);
    const chain: Message[] = [];
    let cause = trigger.cause;
    while (cause !== null && chain.length < size) {
      const message = messagesById.get(cause);
      if (!message) break;
      chain.unshift(message);
      cause = message.cause;
    }
    return chain;
  }
}

/**
 * Adds an entry to a role's history, keeping it bounded (a window never looks further back than
 * its size). The one rule for a live memory and for one rebuilt from the run journal.
 */
export function remember<T>(history: T[], entry: T): void {
  history.push(entry);
  if (history.length > 4096) history.splice(0, history.length - 2048);
}
