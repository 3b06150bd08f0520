import type { Message } from '../message.js';
import type { SopIndex } from './sop-index.js';

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
export function deliver(messages: readonly Message[], index: SopIndex): DeliveryResult {
  const result: DeliveryResult = { byRole: new Map(), recipients: new Map(), undeliverable: [], unclaimed: [] };
  for (const message of messages) {
    if (message.to !== null && !index.roles.has(message.to)) {
      result.undeliverable.push(message);
      result.recipients.set(message.id, []);
      continue;
    }
    const addressees = message.to === null ? (index.watchers.get(message.type) ?? []) : [message.to];
    const recipients = addressees.filter((id) => id !== message.from);
    for (const id of recipients) {
      const inbox = result.byRole.get(id);
      if (inbox) inbox.push(message);
      else result.byRole.set(id, [message]);
    }
    result.recipients.set(message.id, recipients);
    if (recipients.length === 0) result.unclaimed.push(message);
  }
  return result;
}
