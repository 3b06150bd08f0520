import { SopError } from '../errors/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { RunModels } from './models.js';

/**
 * Before anything runs: every action that offers tools must be answered by a model whose
 * provider can call them (a `FEATURE_UNSUPPORTED` error naming the action and the model otherwise).
 */
export function checkToolCapableModels(sop: ResolvedSop, models: RunModels): void {
  for (const role of sop.roles) {
    for (const action of role.actions) {
      if (action.tools.length === 0 || !action.prompt) continue;
      const resolved = models.forCall(action.model, role.model);
      if (resolved.model.capabilities.tools) continue;
      throw new SopError('FEATURE_UNSUPPORTED', `action ${action.id} offers tools, but model ${resolved.key} (${resolved.model.provider}) cannot call them`, {
        hint: 'choose a model whose provider supports tool calls (openai, ollama, anthropic, offline), or remove `tools` from the action',
      });
    }
  }
}
