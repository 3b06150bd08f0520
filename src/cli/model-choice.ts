import type { ResolvedConfig } from '../config/index.js';
import { SopError } from '../errors/index.js';
import type { Diagnostic } from '../errors/index.js';
import type { ScriptedModel } from '../providers/script/index.js';
import type { SopRuntime } from '../providers/sop-runtime.js';
import type { ModelResolver } from '../runtime/models.js';
import type { ResolvedSop } from '../spec/resolved.js';

/** The built-in model's name. */
const OFFLINE_MODEL = 'offline';

/** `sop run` flags that choose and wrap models. */
export interface ModelFlags {
  model?: string;
  provider?: string;
  /** False with `--no-cache`. */
  cache: boolean;
  cacheDir?: string;
  record?: string;
  replay?: string;
}

/** What `sop run` hands the runtime about models. */
export interface RunModelSetup {
  /** Shared by the registry and the run: endpoint breakers and limits, and the mask of every key in use. */
  runtime: SopRuntime;
  /** The registry's resolver; undefined when every call uses the offline model (no SDK is loaded). */
  resolveModel?: ModelResolver;
  /** Things to tell the user once (models without a price, flags without effect); read after the run for late ones. */
  warnings(): string[];
  /** The scripted model (`script:FILE`) among the run's models: its script also decides human gates. */
  scripted?: ScriptedModel;
  /** Its answers that can serve no call of the SOP, or break their output (`scriptMisfitWarnings`): told before the run, as `sop validate` tells them. */
  answerMisfits: Diagnostic[];
}

/**
 * Loads the configuration (files, environment, these flags) and checks `--model` at once, before
 * the SOP is read: a bad provider name is a usage error (exit 2), a bad file CONFIG_INVALID (11).
 */
export async function loadRunConfig(flags: ModelFlags, cwd: string, env: NodeJS.ProcessEnv, { models = true }: { models?: boolean } = {}): Promise<ResolvedConfig> {
  const { loadConfig } = await import('../config/index.js');
  const config = await loadConfig({
    cwd,
    env,
    flags: {
      ...(flags.model === undefined ? {} : { model: flags.model }),
      ...(flags.provider === undefined ? {} : { provider: flags.provider }),
      ...(flags.cache ? {} : { noCache: true }),
      ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
    },
  });
  // `sop report` and `sop view` choose no model: a misspelt SOP_PROVIDER does not keep a report from them.
  if (models) await refuseUnknownProvider(config);
  if (flags.model !== undefined) {
    const { chooseModel } = await import('../providers/model-ref.js');
    chooseModel(config, undefined);
  }
  return config;
}

/**
 * `--provider NAME` or SOP_PROVIDER naming no provider (a typo): PROVIDER_UNKNOWN (exit 2) before
 * anything is read or started, in the same words on every command that chooses models (run,
 * prompts, resume, eval, lock, a queued run, a worker). It was caught only where a bare model
 * name took it (at that model's line, after the SOP and dataset were read; on `sop run --queue`
 * after Redis was reached), was told as "applies to no model" where none did, and a misspelt
 * SOP_PROVIDER was ignored then. A configuration file's `default_provider` is `checkConfig`'s (exit 11).
 */
export async function refuseUnknownProvider(config: ResolvedConfig): Promise<void> {
  const provider = config.data.default_provider;
  const source = config.sourceOf(['default_provider']);
  const from = source?.startsWith('flag:') ? '--provider' : source?.startsWith('env:') ? source.slice('env:'.length) : undefined;
  if (provider === undefined || from === undefined) return;
  const known = [...(await import('../providers/registry-settings.js')).knownProviders(config), OFFLINE_MODEL];
  if (known.includes(provider)) return;
  const { closestMatch, listNames } = await import('../spec/suggest.js');
  const near = closestMatch(provider, known);
  const fix = (name: string): string => (from === '--provider' ? `--provider ${name}` : `${from}=${name}`);
  const otherwise = from === '--provider' ? 'drop --provider' : `unset ${from}`;
  throw new SopError('PROVIDER_UNKNOWN', `unknown provider \`${provider}\` from ${from}; providers: ${listNames(known)}`, {
    hint: near === undefined
      ? `name one of them (\`${fix('NAME')}\`), configure \`${provider}\` under \`providers:\` in sop.config.yaml, or ${otherwise}`
      : `did you mean \`${near}\`? (\`${fix(near)}\`); else ${otherwise}`,
  });
}

/**
 * Decides how the run's calls are answered. When the flags, the configuration and the SOP name
 * nothing but `offline`, and nothing is recorded or replayed, the model registry (and every provider
 * SDK) is never imported: cold start stays that of the offline runner. Otherwise the registry
 * resolves every reference the SOP uses now, so an unknown provider, an unset `${env:NAME}` or a
 * missing API key fails before the run starts. `preview` (`sop prompts`): every call is answered offline or by its script
 * while the models are still chosen and named as in a run (no key is read). `resuming` (`sop
 * resume`): a recording run goes on adding to its cassette.
 */
export async function prepareRunModels(
  config: ResolvedConfig,
  sop: ResolvedSop,
  flags: ModelFlags,
  cwd: string,
  options: { preview?: boolean; resuming?: boolean; scriptFile?: (file: string) => string } = {},
): Promise<RunModelSetup> {
  const { chooseModel } = await import('../providers/model-ref.js');
  const { plannedModelRefs } = await import('../runtime/models.js');
  const refs = plannedModelRefs(sop);
  const warnings: string[] = [...config.inlineSecretWarnings()];
  const runtime = (await import('../providers/sop-runtime.js')).createRuntime();
  runtime.secrets.add(config.secrets());
  // A model the SOP names that no provider serves (a typo) is refused where the SOP names it.
  const { atSopModel } = await import('./sop-model-place.js');
  for (const ref of refs) atSopModel(sop, config, ref, () => chooseModel(config, ref));
  const cassette = flags.record !== undefined || flags.replay !== undefined;
  if (!cassette && refs.every((ref) => chooseModel(config, ref).provider === OFFLINE_MODEL)) return { runtime, warnings: () => warnings, answerMisfits: [] };
  const { createModelRegistry } = await import('../providers/registry.js');
  const { scriptBesideSopHint } = await import('./script-beside-sop.js');
  const registry = createModelRegistry(config, {
    runtime,
    cwd,
    ...(options.preview ? { preview: true } : {}),
    // A resume reads the run's script again where its model names it: from the folder it runs in.
    ...(options.resuming
      ? { recordAppend: true, scriptPathHint: () => `a resume reads the run's script relative to the folder it runs in (${cwd}; the model, --model included, is fixed when the run starts): restore the script there, or resume from the folder the run was started in` }
      : options.scriptFile
        ? {}
        : // A script path taken as relative to the SOP (it is relative to the current folder) is named with the path that works.
          { scriptPathHint: (file: string) => scriptBesideSopHint(file, cwd, sop.dir, (shown) => `--model script:${shown}`) }),
    ...(options.scriptFile ? { scriptFile: options.scriptFile } : {}),
    ...(flags.cache ? {} : { noCache: true }),
    ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
    ...(flags.record === undefined ? {} : { record: flags.record }),
    ...(flags.replay === undefined ? {} : { replay: flags.replay }),
  });
  const resolveModel: ModelResolver = (ref) => registry.resolve(ref);
  const { configScriptMissing } = await import('./config-script-setting.js');
  const scripted = refs.map((ref) => configScriptMissing(config, ref, () => resolveModel(ref)).scripted).find((model) => model !== undefined);
  // A provider without its API key fails now, as \`sop eval\` does, not at the first call of a run already started.
  for (const ref of refs) atSopModel(sop, config, ref, () => registry.requireKey(ref));
  const answerMisfits = scripted ? (await import('../runtime/script-fit.js')).scriptMisfitWarnings(scripted.script, sop) : [];
  return { runtime, resolveModel, warnings: () => [...warnings, ...registry.warnings()], answerMisfits, ...(scripted ? { scripted } : {}) };
}

/**
 * `--provider NAME` is the provider of bare model names (`gpt-4o`, `llama3.2`). Given when every
 * model the run uses is qualified (`openai:gpt-4o-mini`, an alias naming one, `offline`,
 * `script:FILE`, or no model at all), it changed nothing, silently: refused (exit 2), saying why
 * and what to type (`subject`: what the message says uses the models, `this run` by default). A reference
 * that cannot be resolved is left to the check that reports it.
 */
export async function refuseIdleProvider(config: ResolvedConfig, sop: ResolvedSop, provider: string | undefined, options: { flagModels?: ReadonlyArray<string | undefined>; judgeModels?: ReadonlyArray<string | undefined>; subject?: string } = {}): Promise<void> {
  if (provider === undefined) return;
  const { chooseModel, usesDefaultProvider } = await import('../providers/model-ref.js');
  const { plannedModelRefs } = await import('../runtime/models.js');
  // `sop eval`: each --model in turn (undefined: the SOP's own), and the judges.
  const choices = [
    ...(options.flagModels ?? [undefined]).flatMap((flagModel) => plannedModelRefs(sop).map((ref) => ({ ref, flagModel }))),
    ...(options.judgeModels ?? []).map((flagModel) => ({ ref: undefined, flagModel })),
  ];
  const takes = ({ ref, flagModel }: (typeof choices)[number]): boolean => {
    try {
      return usesDefaultProvider(config, ref, flagModel);
    } catch {
      return true;
    }
  };
  if (choices.some(takes)) return;
  const models = [...new Set(choices.map(({ ref, flagModel }) => {
    const choice = chooseModel(config, ref, flagModel);
    return choice.provider === choice.model ? choice.model : `${choice.provider}:${choice.model}`;
  }))];
  throw new SopError('USAGE', `--provider ${provider} applies to no model: it sets the provider of bare model names (gpt-4o, llama3.2), and ${options.subject ?? 'this run'} uses none (its models: ${models.join(', ')})`, {
    hint: idleProviderHint(provider),
  });
}

/** What to type instead; `offline`, which takes no provider, is not copied into the commands. */
function idleProviderHint(provider: string): string {
  if (provider === 'offline') return '`--model offline` is the offline model, which takes no provider: drop --provider';
  // A provider that is none was refused before (`refuseUnknownProvider`).
  return `give the model with it (--provider ${provider} --model MODEL), or name both in one (--model ${provider}:MODEL); else drop --provider`;
}
