import type { ResolvedGate } from '../spec/resolved.js';

/** How one gate fared over a run (`report.json` `gates`). */
export interface GateStats {
  action: string;
  gate: string;
  kind: ResolvedGate['kind'];
  checks: number;
  passed: number;
  failed: number;
}

/** Counts one check of a gate (every attempt counts: a revised output is checked again). */
export function countGateCheck(all: Map<string, GateStats>, actionId: string, gate: ResolvedGate, passed: boolean): void {
  const key = `${actionId}/${gate.name}`;
  const stats = all.get(key) ?? { action: actionId, gate: gate.name, kind: gate.kind, checks: 0, passed: 0, failed: 0 };
  stats.checks += 1;
  if (passed) stats.passed += 1;
  else stats.failed += 1;
  all.set(key, stats);
}

/** The report's table: per `action/gate`, the counts and the pass rate (0..1, 3 decimals). */
export function gateReport(stats: ReadonlyMap<string, GateStats>): Record<string, GateStats & { passRate: number }> {
  const keys = [...stats.keys()].sort();
  return Object.fromEntries(
    keys.map((key) => {
      const entry = stats.get(key) as GateStats;
      return [key, { ...entry, passRate: entry.checks === 0 ? 0 : Math.round((entry.passed / entry.checks) * 1000) / 1000 }];
    }),
  );
}
