import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';

/** Where the call happens, for events. */
export interface ActionFrame {
  round: number;
  role: ResolvedRole;
  action: ResolvedAction;
  /** Id of the trigger message. */
  message: string;
  /** foreach index, when the action fans out. */
  index: number | undefined;
}

/** The fields every event about this action run carries. */
export function frameFields(frame: ActionFrame): { round: number; role: string; action: string; message: string; index?: number } {
  return {
    round: frame.round,
    role: frame.role.id,
    action: frame.action.id,
    message: frame.message,
    ...(frame.index === undefined ? {} : { index: frame.index }),
  };
}
