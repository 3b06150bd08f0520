/**
 * The `sop` library API: load and validate SOP files, run them, list past runs.
 * The CLI is a thin layer over these functions.
 */
export { loadResolvedSop, validateSopFile } from './spec/index.js';
export { runSop, listRuns, exitCodeFor } from './runtime/index.js';
export type { RunOptions, RunResult, RunReport, RunStatus, RunEvent, RunEventType, RunSummary, Message, UsageCount } from './runtime/index.js';
export type { ResolvedSop } from './spec/resolved.js';
export type { ChatModel, ChatRequest, ChatResponse, ChatPurpose, ChatMessage, TokenUsage } from './providers/chat-model.js';
export { SopError, isSopError, formatDiagnostic, exitCodeOf, EXIT, CODES, EXIT_CODE_TABLE } from './errors/index.js';
export type { Diagnostic, ErrorCode, Severity } from './errors/index.js';
