import { isSopError } from '../errors/index.js';
import { OFFLINE, SCRIPT, chooseModel } from './model-ref.js';
import { missingKey } from './registry-providers.js';
import { CONFIG_SCRIPT_HINT } from './registry-probe.js';
import { providerSettings, type RegistryConfig } from './registry-settings.js';
import { loadScript } from './script/index.js';

/** Why the configured default model cannot answer a run as things stand, and how to fix it. */
export interface DefaultModelProblem {
  reason: string;
  hint?: string;
}

/**
 * Checks `default_model` as a run without `--model` would use it, without a call: it names a
 * configured provider (or an alias of one, `offline`, a readable `script:FILE`), its `${env:NAME}`
 * values are set, and a provider that needs an API key has one. `sop config` warns with it, so an
 * unusable default is found before the first run fails on it.
 */
export function defaultModelProblem(config: RegistryConfig): DefaultModelProblem | undefined {
  try {
    const choice = chooseModel(config, undefined);
    if (choice.provider === OFFLINE) return undefined;
    if (choice.provider === SCRIPT) return scriptProblem(choice.model);
    const error = missingKey(providerSettings(config, choice.provider));
    return error ? { reason: error.message, ...(error.hint ? { hint: error.hint } : {}) } : undefined;
  } catch (error) {
    if (!isSopError(error)) throw error;
    return { reason: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
}

/** A `script:FILE` default model whose script is missing or invalid, as a run would read it. */
function scriptProblem(file: string): DefaultModelProblem | undefined {
  try {
    loadScript(file);
    return undefined;
  } catch (error) {
    if (!isSopError(error)) throw error;
    // The file is named in the configuration, not by a --model the error's own hint speaks of.
    const hint = error.code === 'FILE_NOT_FOUND' ? CONFIG_SCRIPT_HINT : error.hint;
    return { reason: error.message, ...(hint ? { hint } : {}) };
  }
}
