import type { ScriptedModel } from '../providers/script/index.js';
import type { Approver } from './approval.js';

/**
 * Human gates decided by a script (`--model script:FILE`): its `human` answers, else `fallback`
 * (the terminal's prompt, or none: the run then awaits approval). A strict script without an
 * answer fails the run (SCRIPT_MISS) instead.
 */
export function scriptedApprover(scripted: ScriptedModel, fallback?: Approver): Approver {
  return async (request) => {
    const decision = scripted.decide({
      role: request.role,
      action: request.action,
      gate: request.gate,
      attempt: request.attempt ?? 1,
      ...(request.index === undefined ? {} : { item: { index: request.index, ...(request.itemKey === undefined ? {} : { key: request.itemKey }) } }),
    });
    if (decision) return { ...decision, by: 'script' };
    return fallback ? fallback(request) : undefined;
  };
}
