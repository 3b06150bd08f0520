import type { ChatMessage } from '../providers/chat-model.js';
import { estimateCostUsd, estimatePromptTokens, usd } from '../providers/cost/estimate.js';
import type { Price } from '../providers/cost/index.js';

/** Completion tokens assumed for a call that sets no `max_tokens`, when estimating its cost. */
export const DEFAULT_COMPLETION_ALLOWANCE = 1024;

/**
 * Why the budget stopped a run (the refused call, its estimate and what was left, when known) and
 * what to do: resume it with more; nothing already paid is paid again. `resume` is the command
 * that continues the run, as the hint types it: `sop resume ID` (see `resumeCommand`).
 */
export function budgetHint(resume: string, stop?: BudgetStop, leftUsd?: number, tokens?: { used: number; limit: number }): string {
  // `--investment` cannot lift a token limit: `max_tokens` is the SOP's, so the SOP changes.
  if (tokens) {
    return `the run used ${tokens.used} tokens of its max_tokens ${tokens.limit}; raise \`settings.max_tokens\` in the SOP, then: ${resume} --allow-changed-sop (calls already made are not paid again)`;
  }
  const larger = `resume with a larger budget: ${resume} --investment <USD> (calls already made are not paid again)`;
  if (stop?.reason !== 'estimate' || stop.estimateUsd === undefined || stop.role === undefined) return larger;
  const call = `${stop.role}${stop.action === undefined ? '' : ` ${stop.action}`}`;
  if (leftUsd === undefined) return `the next call (${call}) was estimated at ${usd(stop.estimateUsd)}; ${larger}`;
  const [estimate, left] = usdApart(stop.estimateUsd, Math.max(0, leftUsd));
  return `the next call (${call}) was estimated at ${estimate} with ${left} left; ${larger}`;
}

/**
 * Two amounts as `usd` writes them, or with more digits where that writes them alike: "estimated
 * at $0.24 with $0.24 left" reads as if the call fitted.
 */
function usdApart(a: number, b: number): [string, string] {
  for (let digits = 3; usd(a) === usd(b) && a !== b && digits <= 12; digits += 1) {
    const [x, y] = [a.toPrecision(digits), b.toPrecision(digits)];
    if (x !== y) return [`$${x}`, `$${y}`];
  }
  return [usd(a), usd(b)];
}

/** Why and where the budget stopped the run (the first stop only). */
export interface BudgetStop {
  /** `estimate`: the next call could cost more than is left; `spent`: the limit was reached. */
  reason: 'estimate' | 'spent';
  /** The role (and action) whose call was refused; absent when the limit was reached between rounds. */
  role?: string;
  action?: string;
  /** The refused call's estimated USD (`estimate` only). */
  estimateUsd?: number;
}

/** Tokens of chat framing per message, more than any tokenizer adds. */
const FRAMING_TOKENS_PER_MESSAGE = 8;

/**
 * Whether a call fits in what is left of the budget: its cost estimated as its prompt (and native
 * schema) counted with the tokenizer, plus `maxTokens` (else `DEFAULT_COMPLETION_ALLOWANCE`) of
 * reply. Returns the estimate (USD) and whether it fits; undefined for a free model.
 *
 * The tokenizer takes ~200 ms to load, so it is consulted only when needed: a token is at least one
 * character, so counting every character as a token bounds the estimate from above, and when even
 * that bound fits, the exact estimate would fit too (the same decision, without the tokenizer).
 */
export function checkCallCost(
  price: Price,
  messages: readonly ChatMessage[],
  responseSchema: { schema: Record<string, unknown> } | undefined,
  maxTokens: number | undefined,
  remainingUsd: number,
): { estimateUsd: number; fits: boolean } | undefined {
  if (price.input === 0 && price.output === 0) return undefined;
  const completion = maxTokens ?? DEFAULT_COMPLETION_ALLOWANCE;
  let characters = responseSchema ? JSON.stringify(responseSchema.schema).length : 0;
  for (const message of messages) characters += message.content.length + FRAMING_TOKENS_PER_MESSAGE;
  const bound = estimateCostUsd(price, characters, completion);
  if (bound <= remainingUsd) return { estimateUsd: bound, fits: true };
  const estimateUsd = estimateCostUsd(price, estimatePromptTokens(messages, responseSchema), completion);
  return { estimateUsd, fits: estimateUsd <= remainingUsd };
}
