/**
 * Files a run wrote but never accepted: drafts its gates had not decided on when it ended (a human
 * gate awaiting approval, a failure while they checked), and drafts a gate rejected. An `expect` on
 * such a file, or a judge rubric of it, would check something the run did not produce, so it fails
 * saying why, unless the case expects the pause (or the rejection): then the draft is what it is about.
 */

import path from 'node:path';
import { listNames } from '../spec/suggest.js';
import type { ObservedRejection, ObservedRun } from './observed-run.js';
import type { Expectations } from './sop-test.types.generated.js';

/** Exit code of a run awaiting approval (`sop run`'s 8). */
const AWAITING_EXIT = 8;
/** Exit code of a run a gate stopped (`sop run`'s 7). */
const GATE_STOPPED_EXIT = 7;

/** What of a case's `expect` says whether it expects a draft. */
type DraftExpectations = Pick<Expectations, 'status' | 'exit_code' | 'gates'>;

/** True when the case expects the run to pause at a human gate: its drafts are then checked as written. */
function expectsApprovalPause(expect: Pick<Expectations, 'status' | 'exit_code'>): boolean {
  return expect.status === 'awaiting_approval' || expect.exit_code === AWAITING_EXIT;
}

/**
 * Why `file` is not the run's to check (`is a draft awaiting approval at human gate publish
 * (editor edit) ...`, `is a draft human gate publish (editor edit) rejected ...`), or undefined
 * when it is: accepted, not written, or a draft the case expects.
 */
export function undecidedDraft(run: Pick<ObservedRun, 'pending' | 'rejected' | 'awaiting' | 'status'>, file: string, expect: DraftExpectations): string | undefined {
  const wanted = path.posix.normalize(file.split(path.sep).join('/'));
  const same = (written: string): boolean => path.posix.normalize(written) === wanted;
  const rejection = (run.rejected ?? []).find((rejected) => same(rejected.path));
  if (rejection !== undefined) return expectsRejection(expect, rejection.gate) ? undefined : rejectedDraft(rejection);
  if (!(run.pending ?? []).some(same) || expectsApprovalPause(expect)) return undefined;
  const awaiting = run.awaiting ?? [];
  if (run.status !== 'awaiting_approval' || awaiting.length === 0) return `is a draft its gates never decided on (the run ended ${run.status}), not a file the run accepted`;
  // The gate deciding on this file when the request lists it; else every gate awaiting (older records list none).
  const deciding = awaiting.filter((pending) => (pending.artifacts ?? []).some(same));
  // The status failure beside it says how to decide the gate; this says how to check the draft instead.
  const gates = listNames((deciding.length > 0 ? deciding : awaiting).map((pending) => `${pending.gate} (${pending.role} ${pending.action})`));
  return `is a draft awaiting approval at human gate ${gates}, not a file the run accepted (expect \`status: awaiting_approval\` to check the draft)`;
}

/**
 * True when the case expects `gate` to reject the output: the run stopped by a gate (`status:
 * gate_stopped`, `exit_code: 7`), or an `expect.gates` entry of that gate whose outcomes end `failed`
 * or that names where its failure routed.
 */
function expectsRejection(expect: DraftExpectations, gate: string): boolean {
  if (expect.status === 'gate_stopped' || expect.exit_code === GATE_STOPPED_EXIT) return true;
  return (expect.gates ?? []).some((entry) => entry.gate === gate && (entry.outcomes?.at(-1) === 'failed' || entry.routed_to !== undefined));
}

function rejectedDraft(rejection: ObservedRejection): string {
  const gate = `${rejection.kind === 'human' ? 'human ' : ''}gate ${rejection.gate} (${rejection.role} ${rejection.action})`;
  return `is a draft ${gate} rejected, not a file the run accepted (expect the rejection, \`gates: [{ gate: ${rejection.gate}, outcomes: [..., failed] }]\` or \`status: gate_stopped\`, to check the draft)`;
}
