import type { ErrorCode } from '../errors/index.js';
import type { RunStatus } from '../runtime/status.js';

/**
 * The error code of a run that ended without an error of its own: `--json`'s `error.code` and
 * the JUnit `type` of the run's failure, so both say the same.
 */
export const RUN_STATUS_CODES: Partial<Record<RunStatus, ErrorCode>> = {
  stalled: 'RUN_STALLED',
  round_limit: 'RUN_ROUND_LIMIT',
  budget_exhausted: 'RUN_BUDGET_EXHAUSTED',
  gate_stopped: 'RUN_GATE_STOPPED',
  awaiting_approval: 'RUN_AWAITING_APPROVAL',
  interrupted: 'RUN_INTERRUPTED',
};

/** Test cases that fail without an error object, each with its fixed code. */
const CASE_TYPES = {
  gate_failed: 'GATE_FAILED',
  action_failed: 'ACTION_FAILED',
  expectation_failed: 'TEST_EXPECTATION_FAILED',
  eval_case_failed: 'EVAL_CASE_FAILED',
} as const;

/**
 * The `type` of every JUnit `<failure>` (and rerun element) of `sop run`, `sop resume`, `sop test`
 * and `sop eval`, one rule a CI job can filter on: the error code when there is one (`MODEL_AUTH`,
 * `OUTPUT_INVALID`, a refusal's `TEST_INVALID`), else the fixed code of the case's kind or of the
 * run's status (`RUN_GATE_STOPPED`); always an UPPER_SNAKE code, never a status word.
 */
export function failureType(kind: keyof typeof CASE_TYPES | RunStatus | (string & {}), errorCode?: string): string {
  if (errorCode) return errorCode;
  if (kind in CASE_TYPES) return CASE_TYPES[kind as keyof typeof CASE_TYPES];
  return RUN_STATUS_CODES[kind as RunStatus] ?? 'RUN_FAILED';
}
