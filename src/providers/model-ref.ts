import { SopError } from '../errors/index.js';
import { closestMatch, listNames } from '../spec/suggest.js';
import { nearestKnownModel } from './known-model.js';
import { knownProviders, type AliasTarget, type RegistryConfig } from './registry-settings.js';

/** The built-in model's name, and its provider's. */
export const OFFLINE = 'offline';

/** The scripted model's provider: `script:FILE` answers from a script file (docs/scripted-model.md). */
export const SCRIPT = 'script';

/** What a model reference resolves to. */
export interface ModelChoice {
  /** Provider name: `openai`, `groq` (from config), `offline`. */
  provider: string;
  /** Model name as the provider knows it. */
  model: string;
  temperature?: number;
  maxTokens?: number;
}

/** A model reference from the SOP (action > role > settings, chosen by the runtime). */
export interface ModelRef {
  name?: string;
  provider?: string;
  temperature?: number;
  maxTokens?: number;
}

interface ReferenceContext {
  aliases: Readonly<Record<string, AliasTarget>>;
  /** Provider names that exist (built in and configured); `offline` is always known. */
  providers: readonly string[];
  /** For bare names: `--provider`, else config `default_provider`. */
  defaultProvider?: string;
  /** Where `defaultProvider` comes from, for messages (`flag:--provider`, a file:line). */
  defaultProviderSource?: string;
  /** The `provider:model` keys of the configuration's `prices`: a misspelt name is compared with them too. */
  pricedModels?: readonly string[];
}

const MAX_ALIAS_DEPTH = 10;

/** Bare model names whose provider is clear from the name. */
const INFERRED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:gpt-|o1|o3|o4)/, 'openai'],
  [/^claude-/, 'anthropic'],
];

/**
 * Resolves a model reference: an alias (followed, its parameters kept unless a nearer alias set
 * them), `offline`, `script:FILE` (the scripted model), `provider:model`, or a bare name whose provider is `explicitProvider` (the
 * SOP's `provider:`), else `defaultProvider`, else inferred from the name (`gpt-*`, `o1*`, `o3*`,
 * `o4*` → openai, `claude-*` → anthropic). `where` says where the reference is written, for errors.
 */
function resolveReference(reference: string, context: ReferenceContext, where: string, explicitProvider?: string): ModelChoice {
  let text = reference.trim();
  const parameters: { temperature?: number; maxTokens?: number } = {};
  const seen: string[] = [];
  while (Object.hasOwn(context.aliases, text)) {
    if (seen.includes(text) || seen.length >= MAX_ALIAS_DEPTH) {
      throw new SopError('CONFIG_INVALID', `model aliases refer to each other in a loop: ${[...seen, text].join(' → ')}`, {
        hint: 'make one of them name a real model (`provider:model`)',
      });
    }
    seen.push(text);
    const target = context.aliases[text] as AliasTarget;
    if (typeof target === 'string') text = target.trim();
    else {
      text = target.model.trim();
      if (parameters.temperature === undefined && target.temperature !== undefined) parameters.temperature = target.temperature;
      if (parameters.maxTokens === undefined && target.max_tokens !== undefined) parameters.maxTokens = target.max_tokens;
    }
  }
  const described = seen.length > 0 ? `\`${reference}\` (alias of \`${text}\`) ${where}` : `\`${reference}\` ${where}`;
  const choice = (provider: string, model: string): ModelChoice => ({ provider, model, ...parameters });

  if (text === OFFLINE) return choice(OFFLINE, OFFLINE);
  if (text.startsWith(`${SCRIPT}:`)) {
    const file = text.slice(SCRIPT.length + 1).trim();
    if (file === '') throw new SopError('PROVIDER_UNKNOWN', `model ${described} names no script file after \`${SCRIPT}:\``, { hint: `write \`${SCRIPT}:path/to/answers.yaml\`` });
    return choice(SCRIPT, file);
  }
  const listed = modelList(text);
  if (listed !== undefined) throw severalModels(listed, described, where);
  const colon = text.indexOf(':');
  if (colon > 0) {
    const prefix = text.slice(0, colon);
    const rest = text.slice(colon + 1);
    if (prefix === OFFLINE) return choice(OFFLINE, OFFLINE);
    if (context.providers.includes(prefix)) {
      if (rest === '') throw new SopError('PROVIDER_UNKNOWN', `model ${described} names no model after \`${prefix}:\``, { hint: `write \`${prefix}:<model>\`` });
      return choice(prefix, rest);
    }
    // `llama3.2:3b` is an Ollama tag, not a provider: only an unknown prefix close to a provider name is a typo.
    const near = closestMatch(prefix, context.providers);
    if (near || (explicitProvider ?? context.defaultProvider) === undefined) throw unknownProvider(prefix, described, context, near);
  }
  const provider = explicitProvider ?? context.defaultProvider ?? INFERRED.find(([pattern]) => pattern.test(text))?.[1];
  if (provider === undefined) {
    // `offlin`, `Offline`: the built-in model misspelt, not a model of some provider.
    const offline = closestMatch(text, [OFFLINE]);
    throw new SopError('PROVIDER_UNKNOWN', `cannot tell which provider serves model ${described}`, { hint: offline ? `did you mean \`${offline}\`, the built-in model?` : unservedModelHint(text, context, seen) });
  }
  if (provider === OFFLINE) return choice(OFFLINE, OFFLINE);
  if (!context.providers.includes(provider)) {
    const source = explicitProvider !== undefined ? where : defaultProviderFrom(context.defaultProviderSource);
    throw unknownProvider(provider, `\`${text}\` ${source}`, context, closestMatch(provider, context.providers));
  }
  return choice(provider, text);
}

/**
 * A bare name no provider serves: the configured or known model it is nearest (`gpt4`: `openai:gpt-4o`), else
 * the name as a local server's model (`ollama:NAME`), which only then is the likelier meaning.
 */
function unservedModelHint(text: string, context: ReferenceContext, followed: readonly string[]): string {
  const how = `pass --provider, or set default_provider in sop.config.yaml; providers: ${listNames([...context.providers, OFFLINE])}`;
  // The configuration's aliases (not one that led here: it names this very model) and priced models are candidates too.
  const declared = [...Object.keys(context.aliases).filter((alias) => !followed.includes(alias)), ...(context.pricedModels ?? [])];
  const known = nearestKnownModel(text, declared);
  if (known !== undefined) return `did you mean \`${known}\`? Else write \`provider:model\`, ${how}`;
  return `write \`provider:model\` (e.g. \`ollama:${text}\`), ${how}`;
}

/**
 * Resolves a reference written in a file other than the SOP (an eval dataset's `judge_model`), as
 * `--model` would be; `where` says where it is written, for errors. PROVIDER_UNKNOWN when it names no model.
 */
export function checkModelReference(config: RegistryConfig, reference: string, where: string): ModelChoice {
  return resolveReference(reference, referenceContext(config), where);
}

/** The names a reference may use on its own: the configuration's aliases and `offline` (besides `provider:model`). */
export function knownModelNames(config: RegistryConfig): string[] {
  return [...Object.keys(config.data.models ?? {}), OFFLINE];
}

function referenceContext(config: RegistryConfig): ReferenceContext {
  return {
    aliases: config.data.models ?? {},
    providers: knownProviders(config),
    pricedModels: Object.keys(config.data.prices ?? {}),
    ...(config.data.default_provider === undefined
      ? {}
      : { defaultProvider: config.data.default_provider, defaultProviderSource: config.sourceOf(['default_provider']) }),
  };
}

/**
 * The models of a comma-separated list (`offline,openai:gpt-4o`), as other CLIs take them; undefined
 * for one model (no model name has a comma). Without this the list was read as one model and refused
 * with a hint to configure a provider named `offline,openai`.
 */
export function modelList(reference: string): string[] | undefined {
  if (!reference.includes(',')) return undefined;
  const models = reference.split(',').map((part) => part.trim()).filter((part) => part !== '');
  return models.length > 1 ? models : undefined;
}

function severalModels(models: string[], described: string, where: string): SopError {
  const names = models.map((model) => `\`${model}\``).join(', ');
  // Only `sop eval --model` is repeatable: elsewhere the user picks one.
  return new SopError('PROVIDER_UNKNOWN', `model ${described} lists ${models.length} models (${names}): a model reference names one`, {
    hint:
      where === 'from --model'
        ? `give --model one model; \`sop eval\` runs several, one flag each: ${models.map((model) => `--model ${model}`).join(' ')}`
        : `name one of them: ${names}`,
  });
}

function unknownProvider(name: string, described: string, context: ReferenceContext, near: string | undefined): SopError {
  const known = listNames([...context.providers, OFFLINE]);
  return new SopError('PROVIDER_UNKNOWN', `unknown provider \`${name}\` for model ${described}; providers: ${known}`, {
    hint: near
      ? `did you mean \`${near}\`?`
      : `configure it in sop.config.yaml (\`providers: { ${name}: { kind: openai, base_url: ... } }\`) or use one of: ${known}`,
  });
}

/**
 * Which reference applies and what it names: `flagModel` (`--model`) > `ref` (the SOP's) > config
 * `default_model` > `offline`. Loads no provider SDK, so a caller can find out cheaply whether a run
 * needs anything but the offline model before importing the registry.
 */
export function chooseModel(config: RegistryConfig, ref: ModelRef | undefined, flagModel?: string): ModelChoice {
  return chooseIn(referenceContext(config), config, ref, flagModel);
}

/** A provider name no configuration can hold: `usesDefaultProvider` sees whether a choice took it. */
const PROBE = '\u0000default provider';

/**
 * Whether the model `chooseModel` picks for `ref` is a bare name served by the default provider
 * (`--provider`, else `default_provider`): `--provider` given when no reference takes it changes
 * nothing, and is refused. Call it only for a reference `chooseModel` accepts.
 */
export function usesDefaultProvider(config: RegistryConfig, ref: ModelRef | undefined, flagModel?: string): boolean {
  const context = referenceContext(config);
  // The same choice with the default provider swapped for the probe: a choice that takes it says so.
  const probed = { ...context, providers: [...context.providers, PROBE], defaultProvider: PROBE };
  return chooseIn(probed, config, ref, flagModel).provider === PROBE;
}

function chooseIn(context: ReferenceContext, config: RegistryConfig, ref: ModelRef | undefined, flagModel?: string): ModelChoice {
  // `--model` given to loadConfig lands in default_model with source flag:--model: it still wins over the SOP.
  const fromFlag = flagModel ?? (config.sourceOf(['default_model']) === 'flag:--model' ? config.data.default_model : undefined);
  if (fromFlag !== undefined) return resolveReference(fromFlag, context, 'from --model');
  if (ref?.name !== undefined) return resolveReference(ref.name, context, 'in the SOP', ref.provider);
  const fallback = config.data.default_model ?? OFFLINE;
  const source = config.sourceOf(['default_model']);
  try {
    return resolveReference(fallback, context, `from default_model (${source ?? 'default'})`);
  } catch (error) {
    // A configuration file's default_model that names no usable model is that file's mistake (exit 11).
    if (source === undefined || !(error instanceof SopError)) throw error;
    throw new SopError('CONFIG_INVALID', error.message, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error });
  }
}

/** Where default_provider was set, as the user set it: `from --provider`, `from SOP_PROVIDER` (it read "from default_provider (flag:--provider)"). */
function defaultProviderFrom(source: string | undefined): string {
  if (source?.startsWith('flag:')) return `from ${source.slice('flag:'.length)}`;
  if (source?.startsWith('env:')) return `from ${source.slice('env:'.length)}`;
  return `from default_provider (${source ?? 'config'})`;
}
