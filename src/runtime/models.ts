import type { ChatModel } from '../providers/chat-model.js';
import type { ResolvedModel } from '../providers/registry.js';
import type { ResolvedModelRef, ResolvedSop } from '../spec/resolved.js';

export type { ResolvedModel } from '../providers/registry.js';

/** Turns the SOP's model reference for a call into a ready model (`RunOptions.resolveModel`). */
export type ModelResolver = (ref: ResolvedModelRef | undefined) => ResolvedModel;

const OFFLINE = 'offline';

/**
 * The reference that applies to a call: each field from the nearest place that sets it (action,
 * then role, then `settings.model`); undefined when none sets anything.
 */
export function mergeModelRefs(...refs: Array<ResolvedModelRef | undefined>): ResolvedModelRef | undefined {
  // Plain loops, no closures: this runs for every model call.
  let name: string | undefined;
  let provider: string | undefined;
  let temperature: number | undefined;
  let maxTokens: number | undefined;
  for (const ref of refs) {
    if (!ref) continue;
    if (name === undefined) name = ref.name;
    if (provider === undefined) provider = ref.provider;
    if (temperature === undefined) temperature = ref.temperature;
    if (maxTokens === undefined) maxTokens = ref.maxTokens;
  }
  if (name === undefined && provider === undefined && temperature === undefined && maxTokens === undefined) return undefined;
  return { name, provider, temperature, maxTokens };
}

/*
 * One list per ResolvedSop for the life of the process (a ResolvedSop never changes after
 * loading): every run of the SOP starts by resolving it, and it walks every role and action.
 */
const plannedBySop = new WeakMap<ResolvedSop, ReadonlyArray<ResolvedModelRef | undefined>>();

/**
 * Every distinct reference the SOP's model calls can use: `settings.model` first (the run's main
 * model), then each prompt action's and each choosing role's (`react`, `plan_and_act`).
 */
export function plannedModelRefs(sop: ResolvedSop): ReadonlyArray<ResolvedModelRef | undefined> {
  let planned = plannedBySop.get(sop);
  if (!planned) {
    planned = collectModelRefs(sop);
    plannedBySop.set(sop, planned);
  }
  return planned;
}

function collectModelRefs(sop: ResolvedSop): Array<ResolvedModelRef | undefined> {
  const settings = sop.settings.model;
  const refs = new Map<string, ResolvedModelRef | undefined>([[refKey(settings), mergeModelRefs(settings)]]);
  const add = (ref: ResolvedModelRef | undefined): void => {
    const key = refKey(ref);
    if (!refs.has(key)) refs.set(key, ref);
  };
  for (const role of sop.roles) {
    if (role.react.mode !== 'by_order') add(mergeModelRefs(role.model, settings));
    for (const action of role.actions) {
      if (action.prompt) add(mergeModelRefs(action.model, role.model, settings));
      for (const gate of action.gates) if (gate.judge) add(mergeModelRefs(gate.judge.model, action.model, role.model, settings));
    }
  }
  return [...refs.values()];
}

/** A stable text for a reference, to cache resolutions by. */
function refKey(ref: ResolvedModelRef | undefined): string {
  return ref ? `${ref.name ?? ''}\0${ref.provider ?? ''}\0${ref.temperature ?? ''}\0${ref.maxTokens ?? ''}` : '';
}

/**
 * A fixed model answering every call (`RunOptions.model`: tests, benchmarks, library users). The
 * model name comes from the SOP's reference, else `fallbackName`; no price is known.
 */
export function fixedModelResolver(model: ChatModel, fallbackName: string): ModelResolver {
  return (ref) => {
    const modelName = ref?.name ?? fallbackName;
    return {
      model,
      modelName,
      provider: model.provider,
      key: model.provider === OFFLINE ? OFFLINE : `${model.provider}:${modelName}`,
      ...(ref?.temperature === undefined ? {} : { temperature: ref.temperature }),
      ...(ref?.maxTokens === undefined ? {} : { maxTokens: ref.maxTokens }),
      ...(model.provider === OFFLINE ? { price: { input: 0, output: 0 } } : {}),
    };
  };
}

/** Resolutions cached per reference for the run: resolving is cheap but happens on every call. */
export class RunModels {
  private readonly cache = new Map<string, ResolvedModel>();

  constructor(
    private readonly resolver: ModelResolver,
    /** `settings.model`, the last place a reference is looked for. */
    private readonly settingsRef: ResolvedModelRef | undefined,
  ) {}

  /** The settings' model, for calls that name none of their own. */
  private settingsModel: ResolvedModel | undefined;

  /** The model for a call whose own references are, nearest first, these (action, role); the settings come last. */
  forCall(...refs: Array<ResolvedModelRef | undefined>): ResolvedModel {
    // Most calls name no model of their own (every reviewer of a wide fan-out): no merge, no key text.
    let own = false;
    for (const ref of refs) if (ref !== undefined) own = true;
    if (!own) return (this.settingsModel ??= this.resolve(mergeModelRefs(this.settingsRef)));
    return this.resolve(mergeModelRefs(...refs, this.settingsRef));
  }

  resolve(ref: ResolvedModelRef | undefined): ResolvedModel {
    const key = refKey(ref);
    let resolved = this.cache.get(key);
    if (!resolved) {
      resolved = this.resolver(ref);
      this.cache.set(key, resolved);
    }
    return resolved;
  }
}

/** True for the built-in offline model. */
export function isOffline(model: ResolvedModel): boolean {
  return model.provider === OFFLINE;
}

/** Where a model's calls go, for the start of a run (`http://127.0.0.1:8000/v1`), without the provider name. */
export function endpointUrl(model: ResolvedModel): string | undefined {
  const endpoint = model.model.endpoint;
  if (endpoint === undefined) return undefined;
  const space = endpoint.indexOf(' ');
  return space > 0 && endpoint.slice(0, space) === model.provider ? endpoint.slice(space + 1) : endpoint;
}
