import type { Message } from './message.js';

/** What delivery needs to know about a role. */
export interface Recipient {
  id: string;
  watch: readonly string[];
}

export interface DeliveryResult {
  /** Messages each role receives, in publish order (roles without news are absent). */
  byRole: Map<string, Message[]>;
  /** Recipients of each message, in role declaration order. */
  recipients: Map<string, string[]>;
  /** Messages whose `to` names no role. */
  undeliverable: Message[];
  /** Messages nobody receives (and that are not undeliverable). */
  unclaimed: Message[];
}

/**
 * The delivery rule: a message reaches role R when R did not send it and either it is addressed
 * to R, or it is addressed to nobody and R watches its type. Pure: same input, same output.
 */
export function deliver(messages: readonly Message[], roles: readonly Recipient[]): DeliveryResult {
  const result: DeliveryResult = { byRole: new Map(), recipients: new Map(), undeliverable: [], unclaimed: [] };
  const known = new Set(roles.map((role) => role.id));
  for (const message of messages) {
    if (message.to !== null && !known.has(message.to)) {
      result.undeliverable.push(message);
      result.recipients.set(message.id, []);
      continue;
    }
    const recipients: string[] = [];
    for (const role of roles) {
      if (role.id === message.from) continue;
      const addressed = message.to === null ? role.watch.includes(message.type) : message.to === role.id;
      if (!addressed) continue;
      recipients.push(role.id);
      const inbox = result.byRole.get(role.id);
      if (inbox) inbox.push(message);
      else result.byRole.set(role.id, [message]);
    }
    result.recipients.set(message.id, recipients);
    if (recipients.length === 0) result.unclaimed.push(message);
  }
  return result;
}
