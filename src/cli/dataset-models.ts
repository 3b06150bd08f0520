import { isSopError, SopError } from '../errors/index.js';
import type { EvalDataset } from '../eval/dataset.js';
import { checkModelReference, knownModelNames, modelList } from '../providers/model-ref.js';
import type { RegistryConfig } from '../providers/registry-settings.js';
import { closestMatch, listNames } from '../spec/suggest.js';

/**
 * The models an eval dataset names (`judge_model`, `models`), checked before anything runs: one that
 * names no model (a typo) is PROVIDER_UNKNOWN at the value that names it (file:line:col), with the
 * closest alias (or `offline`) suggested and the known ones listed. It said "from --model", and
 * nowhere which file. Fields a flag replaces (`--judge-model`, `--model`) are not read.
 */
export function checkDatasetModels(dataset: EvalDataset, config: RegistryConfig, replaced: { models: boolean; judgeModel: boolean }): void {
  const written: Array<{ field: string; pointer: string; reference: string }> = [
    ...(replaced.judgeModel || dataset.judgeModel === undefined ? [] : [{ field: 'judge_model', pointer: '/judge_model', reference: dataset.judgeModel }]),
    ...(replaced.models ? [] : (dataset.models ?? []).map((reference, index) => ({ field: `models[${index}]`, pointer: `/models/${index}`, reference }))),
  ];
  for (const { field, pointer, reference } of written) {
    try {
      checkModelReference(config, reference, `(\`${field}\`)`);
    } catch (error) {
      if (!isSopError(error) || error.code !== 'PROVIDER_UNKNOWN') throw error;
      const at = dataset.locateField(pointer);
      const known = knownModelNames(config);
      const near = closestMatch(reference, known);
      throw SopError.fromDiagnostics([
        {
          code: 'PROVIDER_UNKNOWN',
          severity: 'error',
          message: error.message,
          ...(at ?? { file: dataset.file }),
          pointer,
          expected: `a model: ${listNames(known)} (aliases from sop.config.yaml \`models\`), or provider:model (e.g. openai:gpt-4o-mini)`,
          ...(hintFor(field, reference, near) ?? (error.hint === undefined ? {} : { hint: error.hint })),
        },
      ]);
    }
  }
}

/** A `models` entry that lists several models is split into entries; a typo gets its nearest name. */
function hintFor(field: string, reference: string, near: string | undefined): { hint: string } | undefined {
  const listed = modelList(reference);
  if (listed !== undefined && field.startsWith('models[')) return { hint: `one model per entry of the list: models: [${listed.join(', ')}]` };
  return near === undefined ? undefined : { hint: `did you mean \`${near}\`?` };
}

/**
 * The judge model a flag (`--judge-model`) or an eval's record names, checked before anything runs:
 * one that names no model is PROVIDER_UNKNOWN naming where it came from, with the closest alias
 * suggested. It was resolved as `--model` is, and its error blamed "--model", a flag not given.
 */
export function checkJudgeModel(config: RegistryConfig, reference: string, where: string): void {
  try {
    checkModelReference(config, reference, where);
  } catch (error) {
    if (!isSopError(error) || error.code !== 'PROVIDER_UNKNOWN') throw error;
    const near = closestMatch(reference, knownModelNames(config));
    if (near === undefined) throw error;
    throw new SopError('PROVIDER_UNKNOWN', error.message, { hint: `did you mean \`${near}\`?` });
  }
}
