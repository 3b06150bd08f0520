import { legacyApprovalKey, messageTellsApart, type PendingApproval } from '../runtime/approval.js';

/** Most lines of an awaited output shown (`sop run`'s note, the Markdown summary); the whole output is in the run's report.html. */
const AWAITED_OUTPUT_LINES = 12;

/** What a paused run shows of one decision it awaits, however it is rendered. */
export interface AwaitedApproval {
  gate: string;
  /** What the reviewer is asked. */
  prompt: string;
  role: string;
  action: string;
  round: number;
  /** The foreach item's index. */
  index?: number;
  /**
   * The trigger message, named only when another run of the same action (and item) awaits at the
   * same gate: their gate, action and question are the same, the message tells them apart.
   * (`messageTellsApart`, the rule `--gate`'s names follow over role and gate: the line names more.)
   */
  message?: string;
  /** Workspace files written from the output, to review in place. */
  files: readonly string[];
  outputType: string;
  /** The output's first lines (at most `AWAITED_OUTPUT_LINES`), its trailing line breaks left out. */
  outputLines: string[];
  /** The output has more lines than `outputLines`. */
  outputCut: boolean;
}

/** The facts of each awaited decision, in the order the run recorded them: one rule for every report of a paused run. */
export function awaitedApprovals(awaiting: readonly PendingApproval[]): AwaitedApproval[] {
  // Two runs of an action in one round (two trigger messages) wait at the same gate: the key they shared before messages were recorded.
  const messageNamed = messageTellsApart(awaiting, legacyApprovalKey);
  return awaiting.map((request) => {
    const lines = request.excerpt.replace(/(\r?\n)+$/, '').split(/\r?\n/);
    return {
      gate: request.gate,
      prompt: request.prompt,
      role: request.role,
      action: request.action,
      round: request.round,
      ...(request.index === undefined ? {} : { index: request.index }),
      ...(messageNamed(request) ? { message: request.message } : {}),
      files: request.artifacts,
      outputType: request.outputType,
      outputLines: lines.slice(0, AWAITED_OUTPUT_LINES),
      outputCut: lines.length > AWAITED_OUTPUT_LINES,
    };
  });
}
