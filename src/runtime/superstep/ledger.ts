import type { WrittenFile } from '../../store/index.js';
import type { GateStats } from '../gate-stats.js';
import { emptyCount, type UsageCount, type UsageSnapshot } from '../usage.js';

/** The counters actions keep over a run, as plain data: `max_runs` counts, usage, gate checks, artifacts. */
export interface Ledger {
  /** How often each action ran (`max_runs`). */
  actionRuns: Record<string, number>;
  usage: UsageSnapshot;
  /** Checks per gate, by `action/gate`. */
  gateStats: Record<string, GateStats>;
  /** Last write of each artifact path, with its sha256. */
  artifacts: Record<string, WrittenFile>;
  /** True once any answer came from the offline model. */
  offlineAnswered: boolean;
}

/**
 * What a round changed in the ledger: the new value of each entry it touched (never the whole
 * ledger, so a round's record does not grow with the run).
 */
export interface LedgerDelta {
  actionRuns?: Record<string, number>;
  usage?: { total: UsageCount; byRole: Record<string, UsageCount>; byAction: Record<string, UsageCount>; byModel: Record<string, number>; liveTokens: number };
  gateStats?: GateStats[];
  artifacts?: WrittenFile[];
  offlineAnswered?: true;
}

export function emptyLedger(): Ledger {
  return {
    actionRuns: {},
    usage: { total: emptyCount(), byRole: {}, byAction: {}, byModel: {}, liveTokens: 0 },
    gateStats: {},
    artifacts: {},
    offlineAnswered: false,
  };
}

export function applyLedgerDelta(ledger: Ledger, delta: LedgerDelta): void {
  Object.assign(ledger.actionRuns, delta.actionRuns);
  if (delta.usage) {
    const { usage } = ledger;
    usage.total = { ...delta.usage.total };
    usage.liveTokens = delta.usage.liveTokens;
    for (const [key, count] of Object.entries(delta.usage.byRole)) usage.byRole[key] = { ...count };
    for (const [key, count] of Object.entries(delta.usage.byAction)) usage.byAction[key] = { ...count };
    Object.assign(usage.byModel, delta.usage.byModel);
  }
  for (const stats of delta.gateStats ?? []) ledger.gateStats[`${stats.action}/${stats.gate}`] = { ...stats };
  for (const file of delta.artifacts ?? []) ledger.artifacts[file.path] = file;
  if (delta.offlineAnswered) ledger.offlineAnswered = true;
}

/** True when the delta changes nothing (the journal then writes no ledger). */
export function isEmptyDelta(delta: LedgerDelta): boolean {
  return Object.keys(delta).length === 0;
}
