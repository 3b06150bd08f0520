/**
 * Files a run wrote but never accepted: drafts its gates had not decided on when it ended (a human
 * gate awaiting approval, a failure while they checked). An `expect` on such a file, or a judge
 * rubric of it, would check something the run did not produce, so it fails saying why, unless the
 * case expects the run to pause for approval: then the draft awaiting the decision is what it is about.
 */

import path from 'node:path';
import { listNames } from '../spec/suggest.js';
import type { ObservedRun } from './observed-run.js';
import type { Expectations } from './sop-test.types.generated.js';

/** Exit code of a run awaiting approval (`sop run`'s 8). */
const AWAITING_EXIT = 8;

/** True when the case expects the run to pause at a human gate: its drafts are then checked as written. */
export function expectsApprovalPause(expect: Pick<Expectations, 'status' | 'exit_code'>): boolean {
  return expect.status === 'awaiting_approval' || expect.exit_code === AWAITING_EXIT;
}

/**
 * Why `file` is not the run's to check (`is a draft awaiting approval at human gate publish
 * (editor edit) ...`), or undefined when it is: accepted, not written, or a draft the case expects.
 */
export function undecidedDraft(run: Pick<ObservedRun, 'pending' | 'awaiting' | 'status'>, file: string, expect: Pick<Expectations, 'status' | 'exit_code'>): string | undefined {
  const same = (written: string): boolean => path.posix.normalize(written) === path.posix.normalize(file.split(path.sep).join('/'));
  if (!(run.pending ?? []).some(same) || expectsApprovalPause(expect)) return undefined;
  const awaiting = run.awaiting ?? [];
  if (run.status !== 'awaiting_approval' || awaiting.length === 0) return `is a draft its gates never decided on (the run ended ${run.status}), not a file the run accepted`;
  // The status failure beside it says how to decide the gate; this says how to check the draft instead.
  const gates = listNames(awaiting.map((pending) => `${pending.gate} (${pending.role} ${pending.action})`));
  return `is a draft awaiting approval at human gate ${gates}, not a file the run accepted (expect \`status: awaiting_approval\` to check the draft)`;
}
