import { generate } from 'json-merge-patch';
import type { WrittenFile } from '../../store/index.js';
import type { GateStats } from '../gate-stats.js';
import { dictionary } from './dictionary.js';
import { applyUsageChanges, emptyCount, type UsageChanges, type UsageSnapshot } from '../usage.js';

/**
 * An artifact path's last write. `before` (kept with `RunSettings.workspaceChanges`, `sop run
 * --inc`): the sha256 the path held before the run first wrote it, `''` when nothing was there (a
 * JSON merge patch cannot carry a null); what `report.workspaceChanges` labels it by.
 */
export interface RecordedArtifact extends WrittenFile {
  before?: string;
}

/** The counters actions keep over a run, as plain data: `max_runs` counts, usage, gate checks, artifacts, rejected drafts. */
export interface Ledger {
  /** How often each action ran (`max_runs`). */
  actionRuns: Record<string, number>;
  usage: UsageSnapshot;
  /** Checks per gate, by `action/gate`. */
  gateStats: Record<string, GateStats>;
  /** Last write of each artifact path, with its sha256, by path. */
  artifacts: Record<string, RecordedArtifact>;
  /** Artifact paths last written for an output its gates rejected (`RunState.rejectedArtifacts`), each `true`. */
  rejectedArtifacts: Record<string, true>;
  /** True once any answer came from the offline model. */
  offlineAnswered: boolean;
}

/**
 * What a round changed in the ledger, as a JSON merge patch (RFC 7396): the new value of each
 * entry it touched, never the whole ledger, so a round's record does not grow with the run.
 */
export interface LedgerPatch {
  actionRuns?: Record<string, number>;
  usage?: UsageChanges;
  gateStats?: Record<string, GateStats>;
  artifacts?: Record<string, RecordedArtifact>;
  /** A path rejected (`true`), or written again since (`null`). */
  rejectedArtifacts?: Record<string, true | null>;
  offlineAnswered?: boolean;
}

export function emptyLedger(): Ledger {
  return {
    actionRuns: dictionary(),
    usage: { total: emptyCount(), byRole: dictionary(), byAction: dictionary(), byModel: dictionary(), liveTokens: 0 },
    gateStats: dictionary(),
    artifacts: dictionary(),
    rejectedArtifacts: dictionary(),
    offlineAnswered: false,
  };
}

/**
 * Applies a round's patch in place; the ledger shares nothing with the patch. Usage, the part
 * that grows with the calls of a round, is applied field by field.
 */
export function applyLedgerPatch(ledger: Ledger, patch: LedgerPatch): void {
  mergeInto(ledger as unknown as Record<string, unknown>, patch as Record<string, unknown>, 'usage');
  if (patch.usage) applyUsageChanges(ledger.usage, patch.usage);
}

/** Keys a patch read from a file must not follow (they would reach a prototype). */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * RFC 7396 apply, in place: null removes an entry, an object merges into the entry (a new object
 * when there is none), any other value replaces it. Not the library's `apply`, which
 * calls `target.hasOwnProperty` and so fails on the ledger's prototype-less dictionaries.
 * `skipped`: a key of the patch's top level left for its caller (usage, applied field by field).
 */
function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>, skipped?: string): void {
  for (const key of Object.keys(patch)) {
    if (UNSAFE_KEYS.has(key) || key === skipped) continue;
    const value = patch[key];
    if (value === null) delete target[key];
    else if (isPlainObject(value)) {
      const current = target[key];
      mergeInto(isPlainObject(current) ? current : (target[key] = {}), value);
    } else target[key] = value;
  }
}

/**
 * The minimal patch from `ledger` to the touched entries' new values: only the fields that changed,
 * as RFC 7396 `generate` gives them, walked along the touched entries only so its cost follows the
 * round. (`generate` on a whole level looks each key up in the other's key list: a round touching
 * a thousand roles made a million comparisons.)
 */
export function changedFields(ledger: Ledger, touched: LedgerPatch): LedgerPatch {
  return (changes(ledger, touched) as LedgerPatch | undefined) ?? {};
}

/** The patch of one entry: a field of `before` that `after` does not name is kept, not removed. */
function changes(before: unknown, after: unknown): unknown {
  if (before === null || typeof before !== 'object') return before === after ? undefined : after;
  if (!isPlainObject(before) || !isPlainObject(after)) return generate(before, after);
  const patch = dictionary<unknown>();
  let changed = false;
  for (const key of Object.keys(after)) {
    const entry = changes(before[key], after[key]);
    if (entry === undefined) continue;
    patch[key] = entry;
    changed = true;
  }
  return changed ? patch : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when the patch changes nothing. */
export function isEmptyPatch(patch: LedgerPatch): boolean {
  return Object.keys(patch).length === 0;
}
