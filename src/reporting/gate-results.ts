import type { ActionRunRecord, GateCheck } from './run-collector.js';

/**
 * How one gate of one action run (one foreach item) ended over its `revise` attempts:
 * `passed` at once, `flaky` (failed, then passed after a revision: a pass, as Surefire's
 * `flakyFailure` says), or `failed` (its last check failed).
 */
export type GateVerdict = 'passed' | 'flaky' | 'failed';

export interface GateResult {
  role: string;
  action: string;
  index: number | undefined;
  gate: string;
  verdict: GateVerdict;
  /** Every check of the gate, in attempt order. */
  checks: GateCheck[];
  /** The failed checks, in attempt order. */
  failures: GateCheck[];
  durationMs: number;
}

/** The gates of an action run, one result per (foreach item, gate), in the order they were first checked. */
export function gateResults(run: ActionRunRecord): GateResult[] {
  const byGate = new Map<string, GateCheck[]>();
  for (const check of run.gates) {
    const key = `${check.index ?? ''}/${check.gate}`;
    const checks = byGate.get(key) ?? [];
    byGate.set(key, checks);
    checks.push(check);
  }
  return [...byGate.values()].map((checks) => {
    const first = checks[0] as GateCheck;
    const failures = checks.filter((check) => !check.passed);
    const verdict: GateVerdict = !(checks[checks.length - 1] as GateCheck).passed ? 'failed' : failures.length > 0 ? 'flaky' : 'passed';
    return {
      role: first.role, action: first.action, index: first.index, gate: first.gate, verdict, checks, failures,
      durationMs: checks.reduce((sum, check) => sum + check.durationMs, 0),
    };
  });
}
