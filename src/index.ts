/**
 * The `sop` library API: load and validate SOP files, run them, list past runs, use real models.
 * The CLI is a thin layer over these functions.
 */
import type { ModelRegistry, ModelRegistryOptions, RegistryConfig } from './providers/registry.js';
import type { RunEvent } from './runtime/index.js';
import { readRunEvents as readJournalEvents } from './store/index.js';

export { loadResolvedSop, validateSopFile, type ValidateOptions, type ValidationResult } from './spec/index.js';
export { runSop, readResumePoint, resumePlaces, listRuns, exitCodeFor, plannedModelRefs, budgetHint } from './runtime/index.js';
export { createRuntime, type SopRuntime } from './providers/sop-runtime.js';
// The run record: `runSop(sop, { resume: { runDir, ...readResumePoint(runDir) } })` continues a run.
export { readRunInfo, readPinnedSop, readSopAsRun, type Durability, type SopAsRun } from './store/index.js';
export type {
  RunOptions,
  RunResult,
  RunReport,
  RunStatus,
  RunEvent,
  RunEventType,
  FollowedPath,
  RunSummary,
  Message,
  UsageCount,
  CallProgress,
  ModelResolver,
  ResolvedModel,
  ResumePoint,
  ResumePlaces,
  GivenPlaces,
  ActionOutcome,
  GateKind,
  PromptMessage,
  ApprovalDecision,
  ApprovalRequest,
  Approver,
  PendingApproval,
} from './runtime/index.js';
export type { ResolvedSop, ResolvedModelRef } from './spec/resolved.js';
export type {
  ChatModel,
  ChatModelCapabilities,
  ChatRequest,
  ChatResponse,
  ChatMessage,
  ToolCall,
  ToolSpec,
  ToolResultMessage,
  FinishReason,
  TokenUsage,
  ProviderOptions,
  ResilienceEvent,
} from './providers/chat-model.js';
export type { OfflineHints } from './providers/offline/hints.js';
// Scripted answers (docs/scripted-model.md): `const model = createScriptedModel(loadScript('answers.yaml'))`,
// then `runSop(sop, { inputs, model, approve: scriptedApprover(model) })`.
export { createScriptedModel, loadScript, parseScript } from './providers/script/index.js';
export type { Script, ScriptedModel, ScriptHints, SopScript } from './providers/script/index.js';
export { scriptedApprover } from './runtime/index.js';
// Testing SOPs (docs/testing.md): `runTestFile(loadTestFile('my.test.yaml'), { concurrency: 4 })`; or,
// for a run of your own, `checkExpectations(await observeRun(result), expect, { baseDir })`.
export { checkExpectations, loadTestFile, observeRun, runTestFile } from './testing/index.js';
export type { CaseResult, ExpectationContext, ExpectationResult, Expectations, FileResult, ObservedRun, RunTestsOptions, TestCase, TestFile } from './testing/index.js';
export type { ModelRegistry, ModelRegistryOptions } from './providers/registry.js';
export { loadConfig } from './config/index.js';
export type { ResolvedConfig, LoadConfigOptions, ConfigFlags } from './config/index.js';
export { SopError, isSopError, formatDiagnostic, exitCodeOf, EXIT, CODES, EXIT_CODE_TABLE } from './errors/index.js';
export type { Diagnostic, ErrorCode, Severity } from './errors/index.js';

/**
 * The model registry for `runSop`: real providers (OpenAI-compatible, Ollama, Anthropic) wrapped
 * with resilience, cost, cache, record and replay, from a loaded configuration. Async because the
 * provider SDKs are loaded only when asked for. Typical use:
 *
 * ```ts
 * const config = await loadConfig({ cwd: process.cwd(), env: process.env });
 * const runtime = createRuntime(); // breakers, endpoint limits and the secret mask, shared on purpose
 * const registry = await loadModelRegistry(config, { runtime });
 * await runSop(sop, { inputs, runtime, resolveModel: (ref) => registry.resolve(ref) });
 * ```
 */
export async function loadModelRegistry(config: RegistryConfig, options: ModelRegistryOptions = {}): Promise<ModelRegistry> {
  const { createModelRegistry } = await import('./providers/registry.js');
  return createModelRegistry(config, options);
}

/**
 * Every run event of a run folder, in order, each with its journal `seq`: the events `onEvent` got,
 * narrowed by `type` as they are (the store reads them untyped, below the runtime's event types).
 * A run recorded by an older sop may lack fields added since. A folder with no run record is
 * `RUN_NOT_FOUND` (exit 2).
 */
export function readRunEvents(runDir: string): Array<RunEvent & { seq: number }> {
  return readJournalEvents(runDir) as unknown as Array<RunEvent & { seq: number }>;
}
