/**
 * The offline model's structured choices. React: the first option not chosen yet, then `done`.
 * Plan: every option in order. When the request's schema has another shape than the usual
 * `{action, reason}` / `{steps: [...]}`, the generic generator fills it, keeping the same rule.
 */

import { generateFromSchema } from './json-from-schema.js';
import type { OfflineContext } from './request-context.js';
import { matchesSchema, type Schema } from './schema-check.js';

const DONE = 'done';

/** The next action for a react step: first option (not `done`) not yet chosen, else `done`. */
function nextChoice(options: readonly string[], chosen: readonly string[]): string {
  return options.find((option) => option !== DONE && !chosen.includes(option)) ?? DONE;
}

export function reactChoiceValue(
  options: readonly string[],
  chosen: readonly string[],
  schema: Schema | undefined,
  context: OfflineContext,
): unknown {
  const action = nextChoice(options, chosen);
  const reason =
    action === DONE
      ? `Every action for this message has run (${chosen.join(', ') || 'none'}).`
      : `${action} has not run yet for this message and is next in order.`;
  const value = { action, reason };
  if (schema === undefined || matchesSchema(schema, value, schema)) return value;
  return generateFromSchema(schema, { context, prefer: [action] });
}

export function planValue(options: readonly string[], schema: Schema | undefined, context: OfflineContext): unknown {
  const actions = options.filter((option) => option !== DONE);
  const value = {
    steps: actions.map((action, index) => ({
      action,
      reason: `Step ${index + 1} of ${actions.length}: ${action} for ${context.topic}.`,
    })),
  };
  if (schema === undefined || matchesSchema(schema, value, schema)) return value;
  return generateFromSchema(schema, { context, sequence: actions });
}
