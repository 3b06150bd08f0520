import type { ErrorCode } from '../errors/index.js';
import { isSopError, plural } from '../errors/index.js';
import { OFFLINE, SCRIPT, chooseModel, type ModelChoice } from './model-ref.js';
import { missingKeyError } from './missing-key.js';
import { loadScript } from './script/index.js';
import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OLLAMA_HOST, DEFAULT_OPENAI_BASE_URL, splitQuery } from './endpoint-url.js';
import { providerSettings, type ProviderSettings, type RegistryConfig } from './registry-settings.js';

// SDKs are imported by the probe that needs them: each costs 50-300 ms of start-up.

/** The model a probe of Anthropic asks for one token when the default model is not Anthropic's. */
const ANTHROPIC_PROBE_MODEL = 'claude-haiku-4-5';

/** What `sop doctor` reports for one provider. */
interface ProbeResult {
  provider: string;
  kind: string;
  /** Where the probe went (`https://api.openai.com/v1`). */
  endpoint: string;
  ok: boolean;
  latencyMs: number;
  /** On success: what was seen (`3 models`). */
  detail?: string;
  code?: ErrorCode;
  message?: string;
  hint?: string;
}

export interface DoctorReport {
  /** True when every provider answered. */
  ok: boolean;
  /** `openai:gpt-4o-mini`, `offline`, or why it cannot be resolved. */
  defaultModel: string;
  providers: ProbeResult[];
}

/**
 * Probes every configured provider and the default model's, in parallel. Problems before any call
 * (an unset `${env:NAME}`, an unknown provider in default_model, a missing or invalid script) are
 * failed results too.
 */
export async function checkProviders(config: RegistryConfig, options: { timeoutMs: number }): Promise<DoctorReport> {
  const names = config.providerNames();
  let defaultFailure: ProbeResult | undefined;
  let choice: ModelChoice | undefined;
  let defaultModel: string;
  try {
    choice = chooseModel(config, undefined);
    defaultModel = choice.provider === OFFLINE ? OFFLINE : `${choice.provider}:${choice.model}`;
    // The offline and scripted models answer in the process: no provider to reach.
    if (choice.provider !== OFFLINE && choice.provider !== SCRIPT && !names.includes(choice.provider)) names.push(choice.provider);
  } catch (error) {
    defaultModel = `(cannot resolve: ${isSopError(error) ? error.code : 'error'})`;
    defaultFailure = failedBeforeCall('default_model', error);
  }
  // A script has no provider to reach, but can be missing or broken: read it as a run would.
  if (choice?.provider === SCRIPT) {
    try {
      loadScript(choice.model);
    } catch (error) {
      // doctor takes no --model: the script named here comes from the configuration's default_model.
      const fromConfig = isSopError(error) && error.code === 'FILE_NOT_FOUND' ? { hint: CONFIG_SCRIPT_HINT } : {};
      defaultFailure = { ...failedBeforeCall('default_model', error), ...fromConfig };
    }
  }
  const probe = async (name: string): Promise<ProbeResult> => {
    let settings: ProviderSettings;
    try {
      settings = providerSettings(config, name);
    } catch (error) {
      return failedBeforeCall(name, error);
    }
    return probeProvider(settings, { timeoutMs: options.timeoutMs, ...(choice?.provider === name ? { model: choice.model } : {}) });
  };
  const providers = [...(await Promise.all(names.map(probe))), ...(defaultFailure ? [defaultFailure] : [])];
  return { ok: providers.every((result) => result.ok), defaultModel, providers };
}

/** How to fix a `script:FILE` default model whose file is missing, as written in the configuration. */
export const CONFIG_SCRIPT_HINT = 'set default_model in the configuration file (`sop config` names it) to the path of a script file: default_model: script:path/to/answers.yaml (see docs/scripted-model.md)';

function failedBeforeCall(name: string, error: unknown): ProbeResult {
  const base = { provider: name, kind: '', endpoint: '', ok: false, latencyMs: 0 };
  if (!isSopError(error)) throw error;
  return { ...base, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/**
 * One cheap call to a provider: OpenAI-compatible `GET /models`, Ollama `GET /api/tags`, Anthropic a
 * one-token message (to `model`, else ANTHROPIC_PROBE_MODEL). Never throws: failures are results
 * with the ProviderError's code and hint. No retries: doctor reports what one call sees.
 */
async function probeProvider(settings: ProviderSettings, options: { timeoutMs: number; model?: string }): Promise<ProbeResult> {
  const started = performance.now();
  const endpoint = endpointOf(settings);
  const base = { provider: settings.name, kind: settings.kind, endpoint };
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const detail = await call(settings, signal, options.model);
    return { ...base, ok: true, latencyMs: elapsed(started), detail };
  } catch (error) {
    const failure = isSopError(error)
      ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
      : { code: 'PROVIDER_FAILED' as const, message: error instanceof Error ? error.message : String(error) };
    return { ...base, ok: false, latencyMs: elapsed(started), ...failure };
  }
}

async function call(settings: ProviderSettings, signal: AbortSignal, model: string | undefined): Promise<string> {
  switch (settings.kind) {
    case 'openai':
      return listOpenAIModels(settings, signal);
    case 'ollama':
      return listOllamaModels(settings, signal);
    case 'anthropic':
      return oneAnthropicToken(settings, signal, model ?? ANTHROPIC_PROBE_MODEL);
  }
}

async function listOpenAIModels(settings: ProviderSettings, signal: AbortSignal): Promise<string> {
  const { createOpenAIClient } = await import('./openai/client.js');
  const { toProviderError: openAIError } = await import('./openai/errors.js');
  const { client, baseURL, endpoint, missingKey } = createOpenAIClient(settings);
  if (missingKey) throw missingKeyError(settings.name, endpoint);
  try {
    const page = await client.models.list({ signal });
    return countModels(page.data.length);
  } catch (error) {
    const mapped = openAIError(error, { name: settings.name, endpoint, baseURL, model: '(model list)', apiKey: settings.apiKey, signal });
    if (isSopError(mapped) && mapped.code === 'PROVIDER_NOT_FOUND') {
      throw Object.assign(mapped, { message: `no model list at ${baseURL}/models (404): is the base URL right?` });
    }
    throw mapped;
  }
}

async function listOllamaModels(settings: ProviderSettings, signal: AbortSignal): Promise<string> {
  const { Ollama } = await import('ollama');
  const { toProviderError: ollamaError } = await import('./ollama/ollama-errors.js');
  const { createRequestFetch } = await import('./ollama/request-fetch.js');
  const host = settings.host ?? DEFAULT_OLLAMA_HOST;
  const requestFetch = createRequestFetch(signal, splitQuery(host).query);
  const client = new Ollama({ host, fetch: requestFetch.fetch, ...(settings.headers ? { headers: settings.headers } : {}) });
  try {
    const { models } = await client.list();
    return countModels(models.length);
  } catch (error) {
    throw ollamaError(error, { name: settings.name, host, endpoint: `${settings.name} ${host}`, model: '(model list)', signal, response: requestFetch.lastResponse() });
  }
}

async function oneAnthropicToken(settings: ProviderSettings, signal: AbortSignal, model: string): Promise<string> {
  const { createAnthropicModel } = await import('./anthropic/index.js');
  const chat = createAnthropicModel({ name: settings.name, stream: false, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}), ...(settings.baseURL ? { baseURL: settings.baseURL } : {}) });
  await chat.complete({
    model,
    maxTokens: 1,
    messages: [{ role: 'user', content: 'ping' }],
    label: 'sop doctor ping',
    signal,
  });
  return `model ${model} answered`;
}

function endpointOf(settings: ProviderSettings): string {
  if (settings.kind === 'ollama') return settings.host ?? DEFAULT_OLLAMA_HOST;
  if (settings.kind === 'anthropic') return settings.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL;
  return settings.baseURL ?? DEFAULT_OPENAI_BASE_URL;
}

function countModels(count: number): string {
  return plural(count, 'model');
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
