import { SopError } from '../errors/index.js';

/** The only model this version runs; real providers replace `chooseModel` below. */
export const OFFLINE_MODEL = 'offline';

/** The one place that says real providers are not here yet (replace when issue #4 lands). */
export const PROVIDERS_PENDING_MESSAGE = 'real providers arrive with issue #4; use the offline model';

/**
 * Maps `--model` to the model the run uses. Absent or `offline`: the built-in offline model.
 * Anything else is refused with PROVIDER_UNKNOWN (exit 2) until real providers exist.
 */
export function chooseModel(name: string | undefined): { modelName: string } {
  if (name === undefined || name === OFFLINE_MODEL) return { modelName: OFFLINE_MODEL };
  throw new SopError('PROVIDER_UNKNOWN', `unknown model "${name}": ${PROVIDERS_PENDING_MESSAGE}`, {
    hint: `omit --model, or pass --model ${OFFLINE_MODEL}`,
  });
}
