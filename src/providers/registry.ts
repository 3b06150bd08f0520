import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import { checkWritable } from '../files/index.js';
import { isCassetteHeader } from './cache/cassette.js';
import { announceAnswers } from './announce-answers.js';
import { CassetteWriter, createReplayModel, withCache, withRecorder } from './cache/index.js';
import type { ChatModel } from './chat-model.js';
import { loadPriceTable, priceFor, unknownPriceWarning, withCost, type Price, type PriceTable } from './cost/index.js';
import { OFFLINE, SCRIPT, chooseModel, type ModelChoice, type ModelRef } from './model-ref.js';
import { createOfflineModel } from './offline/index.js';
import { createScriptedModel, loadScript, type ScriptedModel } from './script/index.js';
import { cacheEndpoint, deferredModel, describeProvider, loadProvider, missingKey } from './registry-providers.js';
import { providerSettings, type ProviderSettings, type RegistryConfig } from './registry-settings.js';
import { withResilience, type ResilienceEvent, type ResilienceOptions } from './resilience/index.js';
import { createRuntime, type SopRuntime } from './sop-runtime.js';

export { BUILTIN_PROVIDERS, providerSettings, type RegistryConfig } from './registry-settings.js';

export interface ResolvedModel {
  /** Wrapped and ready: replay, or cache(record(cost(resilience(provider)))); offline and scripted only recorded or replayed. */
  model: ChatModel;
  /** Model name to put in requests (`gpt-4o-mini`). */
  modelName: string;
  /** Provider name (`openai`, `groq`, `offline`). */
  provider: string;
  /** `provider:model` (`openai:gpt-4o-mini`), or `offline`. */
  key: string;
  temperature?: number;
  maxTokens?: number;
  /** USD per million tokens, when known. */
  price?: Price;
  /** `script:FILE`: the scripted model, which also decides human gates (its `model` may be a recorder around it). */
  scripted?: ScriptedModel;
}

export interface ModelRegistryOptions {
  /**
   * Where the models' breakers and concurrency limits live and the keys are masked: pass the
   * runtime given to `runSop` to share them on purpose. Default: a private one.
   */
  runtime?: SopRuntime;
  /** Retries and circuit-breaker transitions of every provider (each call's `onEvent` hears its own). */
  onEvent?: (event: ResilienceEvent) => void;
  /** Cassette to record every live exchange to (`--record FILE`); turns the cache off. */
  record?: string;
  /** Add to the `record` cassette instead of starting it anew: `sop resume` of a recording run, so the cassette holds the whole run. */
  recordAppend?: boolean;
  /** Cassette to answer from (`--replay FILE`): no provider is built, no key is needed. */
  replay?: string;
  /** `--no-cache` (config `cache.enabled` and SOP_NO_CACHE are read from the config). */
  noCache?: boolean;
  /** Overrides config `cache.dir`. Relative paths resolve against `cwd`. */
  cacheDir?: string;
  /** Folder relative cache dirs resolve against; default process.cwd(). */
  cwd?: string;
  /**
   * A preview (`sop prompts`, `sop run --dry-run`): every reference is answered by the offline model,
   * `script:FILE` by its script, while `key` and `modelName` still name the model the reference
   * chooses. No provider is built, no key is read, nothing is cached or recorded.
   */
  preview?: boolean;
  /**
   * Where the script of a `script:FILE` model is read (default: FILE, relative to `cwd`). A queue
   * worker reads scripts from the run's bundle only, never its own files (`src/cli/queue-job-runner.ts`).
   */
  scriptFile?: (file: string) => string;
  /**
   * What to do about a script FILE that cannot be read, when something better than `--model
   * script:path/to/answers.yaml` can be said (a resume: the model was fixed when the run started; a
   * file of that name beside the SOP); undefined: the general hint.
   */
  scriptPathHint?: (file: string) => string | undefined;
}

export interface ModelRegistry {
  /**
   * The model for a call. Precedence: `flagModel` (`--model`) > `ref` (the SOP's) > config
   * `default_model` > `offline`. PROVIDER_UNKNOWN (exit 2) for an unknown provider;
   * CONFIG_ENV_MISSING when the provider's `${env:NAME}` is unset.
   */
  resolve(ref: ModelRef | undefined, flagModel?: string): ResolvedModel;
  /**
   * Throws the PROVIDER_AUTH error (exit 10) the model `resolve` chooses would fail its first call
   * with for want of an API key; nothing for models that need none (offline, scripts, local
   * servers, a replayed cassette, a preview).
   */
  requireKey(ref: ModelRef | undefined, flagModel?: string): void;
  /** Things worth telling the user once (models without a price, cache write failures). */
  warnings(): string[];
  /** Secret values in use, for redaction. */
  secrets(): string[];
}

/** Builds models from configuration, one wrapped model per `provider:model`, shared per run. */
export function createModelRegistry(config: RegistryConfig, options: ModelRegistryOptions = {}): ModelRegistry {
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const runtime = options.runtime ?? createRuntime();
  const secrets = new Set(config.secrets());
  runtime.secrets.add(secrets);
  const redact = runtime.secrets.mask;
  const prices: PriceTable = loadPriceTable(config.data.prices ?? {});
  const resolvedByKey = new Map<string, ResolvedModel>();
  const resilientByProvider = new Map<string, ChatModel>();
  const offline = createOfflineModel();
  const replayFile = options.replay === undefined ? undefined : path.resolve(cwd, options.replay);
  const replayByProvider = new Map<string, ChatModel>();
  // Read the cassette now: a missing or broken one is reported before any work starts.
  if (replayFile) createReplayModel({ file: replayFile });
  const recordFile = options.record === undefined ? undefined : path.resolve(cwd, options.record);
  if (recordFile && !options.recordAppend) startCassette(recordFile);
  // One writer per cassette: the recorder of each provider appends to the file the first one started.
  const cassette = recordFile ? new CassetteWriter(recordFile, { append: true, redact }) : undefined;
  const cacheDir = cacheFolder(config, options, cwd);

  function settingsOf(name: string): ProviderSettings {
    const settings = providerSettings(config, name);
    // config.secrets() has every key and secret header already; a key built from several variables is new here.
    if (settings.apiKey && !secrets.has(settings.apiKey)) {
      secrets.add(settings.apiKey);
      runtime.secrets.add([settings.apiKey]);
    }
    return settings;
  }

  /** One per provider name; its SDK is imported on its first call (see registry-providers.ts). */
  function resilientModel(name: string): ChatModel {
    let model = resilientByProvider.get(name);
    if (!model) {
      const settings = settingsOf(name);
      model = deferredModel(describeProvider(settings), async () => withResilience(await loadProvider(settings, warn), resilienceOptions(settings, options, runtime)));
      resilientByProvider.set(name, model);
    }
    return model;
  }

  /** The cassette's answers recorded for one provider (`openai`, `offline`, `script`). */
  function replayModel(providerKey: string): ChatModel {
    let replay = replayByProvider.get(providerKey);
    if (!replay) replayByProvider.set(providerKey, (replay = createReplayModel({ file: replayFile as string, providerKey, redact })));
    return replay;
  }

  /** The offline model, recorded with `--record` and answered from the cassette with `--replay`, like any other. */
  let offlineAnswering: ChatModel | undefined;
  function offlineModel(): ChatModel {
    offlineAnswering ??= replayFile ? replayModel(OFFLINE) : cassette ? withRecorder(offline, { cassette, providerKey: OFFLINE }) : offline;
    return offlineAnswering;
  }

  function wrapped(choice: ModelChoice, key: string): ChatModel {
    if (replayFile) return replayModel(choice.provider);
    // Answers are announced (journaled by a run) once priced, before the cache or a cassette stores them.
    let model = announceAnswers(withCost(resilientModel(choice.provider), { prices, modelKey: key }));
    if (cassette) model = withRecorder(model, { cassette, providerKey: choice.provider });
    else if (cacheDir) model = withCache(model, { dir: cacheDir, providerKey: choice.provider, endpoint: cacheEndpoint(settingsOf(choice.provider)), redact, onWarning: warn });
    return model;
  }

  /**
   * `script:FILE`, read and checked now (a broken script stops the run before it starts); recorded
   * with `--record`, its model calls answered from the cassette with `--replay` (the script still
   * decides human gates: those are not model exchanges).
   */
  function scripted(choice: ModelChoice, key: string): ResolvedModel {
    const script = loadScript(options.scriptFile?.(choice.model) ?? choice.model, cwd, options.scriptPathHint?.(choice.model));
    // Named in messages as the reference names it, not where it was read (a queue worker's bundle copy).
    const model = createScriptedModel({ ...script, file: choice.model }, offline);
    return {
      model: replayFile ? replayModel(SCRIPT) : cassette ? withRecorder(model, { cassette, providerKey: SCRIPT }) : model,
      modelName: choice.model,
      provider: SCRIPT,
      key,
      price: { input: 0, output: 0 },
      scripted: model,
    };
  }

  return {
    resolve(ref, flagModel) {
      const choice = chooseModel(config, ref, flagModel);
      if (choice.provider === SCRIPT) {
        const key = `${SCRIPT}:${choice.model}`;
        let resolved = resolvedByKey.get(key);
        if (!resolved) resolvedByKey.set(key, (resolved = scripted(choice, key)));
        return resolved;
      }
      const isOffline = choice.provider === OFFLINE;
      const key = isOffline ? OFFLINE : `${choice.provider}:${choice.model}`;
      let resolved = resolvedByKey.get(key);
      if (!resolved && options.preview) {
        resolved = { model: offline, modelName: choice.model, provider: choice.provider, key, price: { input: 0, output: 0 } };
        resolvedByKey.set(key, resolved);
      }
      if (!resolved) {
        const price = isOffline ? { input: 0, output: 0 } : priceFor(prices, choice.provider, choice.model);
        if (!price && !replayFile) warn(unknownPriceWarning(key));
        resolved = {
          model: isOffline ? offlineModel() : wrapped(choice, key),
          modelName: choice.model,
          provider: choice.provider,
          key,
          ...(price ? { price } : {}),
        };
        resolvedByKey.set(key, resolved);
      }
      const temperature = ref?.temperature ?? choice.temperature;
      const maxTokens = ref?.maxTokens ?? choice.maxTokens;
      return {
        ...resolved,
        ...(temperature === undefined ? {} : { temperature }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
      };
    },
    requireKey(ref, flagModel) {
      const choice = chooseModel(config, ref, flagModel);
      if (choice.provider === OFFLINE || choice.provider === SCRIPT || replayFile || options.preview) return;
      const error = missingKey(settingsOf(choice.provider));
      if (error) throw error;
    },
    warnings: () => [...warnings],
    secrets: () => [...secrets],
  };
}

function resilienceOptions(settings: ProviderSettings, options: ModelRegistryOptions, runtime: SopRuntime): ResilienceOptions {
  return {
    endpoints: runtime.endpoints,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    minDelayMs: settings.minDelayMs,
    maxDelayMs: settings.maxDelayMs,
    ...(settings.breaker ? { breaker: settings.breaker } : {}),
    ...(settings.maxConcurrency === undefined ? {} : { maxConcurrency: settings.maxConcurrency }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
}

function cacheFolder(config: RegistryConfig, options: ModelRegistryOptions, cwd: string): string | undefined {
  if (options.noCache || options.replay !== undefined || config.data.cache?.enabled === false) return undefined;
  const dir = options.cacheDir ?? config.string(['cache', 'dir']);
  return dir === undefined ? undefined : path.resolve(cwd, dir);
}

/**
 * A new recording replaces an old cassette; a file that is not a cassette is left for the recorder
 * to refuse. A place where no file can be written is refused now, not at the first answer (where it
 * failed the run as if the model had failed).
 */
function startCassette(file: string): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    throw new SopError('FILE_UNWRITABLE', `--record: cannot write ${file}: it is a folder`, { hint: 'give the path of a cassette file, e.g. --record run.cassette' });
  }
  if (!stat) {
    try {
      checkWritable(file);
    } catch (error) {
      throw isSopError(error) ? error : new SopError('FILE_UNWRITABLE', `--record: cannot write ${file}: ${(error as Error).message}`, { hint: 'give a writable file path' });
    }
    return;
  }
  const firstLine = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  let header: unknown;
  try {
    header = JSON.parse(firstLine);
  } catch {
    return;
  }
  if (isCassetteHeader(header)) rmSync(file);
}
