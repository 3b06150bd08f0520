import { isSopError, SopError } from '../errors/index.js';
import { knownModelNames } from '../providers/model-ref.js';
import type { AnnotationPlace } from '../reporting/index.js';
import { mergeModelRefs } from '../runtime/models.js';
import type { RegistryConfig } from '../providers/registry-settings.js';
import type { ResolvedModelRef, ResolvedSop } from '../spec/resolved.js';
import { closestMatch, listNames } from '../spec/suggest.js';
import { joinPointer } from '../spec/pointer.js';
import { loadYaml } from '../spec/yaml-loader.js';

/** The refusals of a model that `atSopModel` places where the SOP names the model. */
const PLACED = new Set(['PROVIDER_UNKNOWN', 'PROVIDER_AUTH']);

/**
 * `check()`, whose PROVIDER_UNKNOWN for a model the SOP names (`settings.model: strnog`) is placed
 * where the SOP writes that name (file:line:col), with the closest known model: it said only "in the
 * SOP". So is its PROVIDER_AUTH (no API key), so a CI annotation points at the line that chose the
 * provider. A name given by `--model`, or written in a file the SOP `extends`, keeps the error as it is.
 */
export function atSopModel<T>(sop: ResolvedSop, config: RegistryConfig, ref: ResolvedModelRef | undefined, check: () => T): T {
  try {
    return check();
  } catch (error) {
    const name = ref?.name;
    if (!isSopError(error) || !PLACED.has(error.code) || name === undefined || config.sourceOf(['default_model']) === 'flag:--model') throw error;
    const place = modelPlace(sop, name);
    if (!place) throw error;
    const located = { severity: 'error' as const, message: error.message, file: sop.displayPath, line: place.line, column: place.column, pointer: place.pointer };
    if (error.code === 'PROVIDER_AUTH') throw SopError.fromDiagnostics([{ code: 'PROVIDER_AUTH', ...located, ...(error.hint === undefined ? {} : { hint: error.hint }) }]);
    const known = knownModelNames(config);
    const near = closestMatch(name, known);
    throw SopError.fromDiagnostics([{
      code: 'PROVIDER_UNKNOWN',
      ...located,
      expected: `a model: ${listNames(known)} (aliases from sop.config.yaml \`models\`), or provider:model (e.g. openai:gpt-4o-mini)`,
      ...(near !== undefined ? { hint: `did you mean \`${near}\`?` } : error.hint === undefined ? {} : { hint: error.hint }),
    }]);
  }
}

/**
 * Where the SOP's own text names the model a role's action calls (its `model:`, else its role's,
 * else `settings.model`): a key the provider refuses mid-run is annotated there, as a missing key's
 * refusal is (`atSopModel`). None for a model `--model` chose, or one the SOP does not write.
 */
export function sopModelLine(sop: ResolvedSop, config: RegistryConfig): (role: string, action: string) => AnnotationPlace | undefined {
  return (roleId, actionId) => {
    if (config.sourceOf(['default_model']) === 'flag:--model') return undefined;
    const role = sop.roles.find((candidate) => candidate.id === roleId);
    const action = role?.actions.find((candidate) => candidate.id === actionId);
    const name = mergeModelRefs(action?.model, role?.model, sop.settings.model)?.name;
    const place = name === undefined ? undefined : modelPlace(sop, name);
    return place && { file: sop.displayPath, line: place.line, column: place.column };
  };
}

/** The first place the SOP's own text names the model `name` (`model: NAME`, or `model: { name: NAME }`). */
function modelPlace(sop: ResolvedSop, name: string): { pointer: string; line: number; column: number } | undefined {
  if (sop.source === undefined) return undefined;
  const loaded = loadYaml(sop.source, sop.displayPath);
  if (!loaded.ok) return undefined;
  const found = findModel(loaded.data, '', name);
  return found === undefined ? undefined : { pointer: found, ...loaded.sourceMap.locate(found) };
}

/** Depth-first, in document order: a `model` field naming `name`, as a string or an object's `name`. */
function findModel(value: unknown, pointer: string, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = joinPointer(pointer, key);
    if (key === 'model' && child === name) return at;
    if (key === 'model' && typeof child === 'object' && child !== null && (child as { name?: unknown }).name === name) return `${at}/name`;
    const inside = findModel(child, at, name);
    if (inside !== undefined) return inside;
  }
  return undefined;
}
