export { runSop } from './run-sop.js';
export { listRuns, type RunSummary } from '../store/list-runs.js';
export type { RunOptions, RunResult, RunReport } from './types.js';
export type { RunStatus } from './status.js';
export { exitCodeFor } from './status.js';
export type { RunEvent, RunEventType, ActionOutcome } from './events.js';
export type { Message } from './message.js';
export type { UsageCount } from './usage.js';
