import type { ChatMessage } from '../chat-model.js';
import type { RequestKeyFields } from './request-key.js';

/**
 * The system prompt's output contract (`Your reply becomes a TYPE message: DESCRIPTION.`) added its
 * full stop even to a description ending with `.`, `!` or `?` until the runner stopped doubling it:
 * a cassette recorded then holds `...pins the specification down..`. These are the request's key
 * fields as such a runner sent them, or undefined when it sent the same text, so a replay that
 * misses can look the older key up and users' cassettes keep replaying without a re-recording.
 */
export function olderContractWording(fields: RequestKeyFields): RequestKeyFields | undefined {
  const messages = olderContractMessages(fields.messages);
  return messages ? { ...fields, messages } : undefined;
}

/**
 * The messages as such a runner sent them, or undefined when it sent the same: also how a run it
 * interrupted finds, when resumed, the answers its journal holds (see `ReplayBook.takeOlderWording`).
 */
export function olderContractMessages(messages: readonly ChatMessage[]): ChatMessage[] | undefined {
  let changed = false;
  const older = messages.map((message) => {
    if (message.role !== 'system') return message;
    const content = message.content.replace(CONTRACT_ENDED_BY_DESCRIPTION, (line) => `${line}.`);
    if (content === message.content) return message;
    changed = true;
    return { ...message, content };
  });
  return changed ? older : undefined;
}

/** A contract line whose description ended the sentence itself (no full stop was added to it). */
const CONTRACT_ENDED_BY_DESCRIPTION = /^Your reply becomes an? [A-Z][A-Za-z0-9]* message: .*[.!?]$/gm;
