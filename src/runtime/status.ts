import { EXIT } from '../errors/index.js';
import type { SopError } from '../errors/index.js';

/** How a run ended. */
export type RunStatus = 'completed' | 'stalled' | 'round_limit' | 'budget_exhausted' | 'gate_stopped' | 'awaiting_approval' | 'failed' | 'interrupted';

/** The process exit code of a status; a failure exits with its error's code (9 action, 10 provider, ...). */
export function exitCodeFor(status: RunStatus, error?: SopError): number {
  switch (status) {
    case 'completed':
      return EXIT.OK;
    case 'stalled':
      return EXIT.RUN_STALLED;
    case 'round_limit':
      return EXIT.ROUND_LIMIT;
    case 'budget_exhausted':
      return EXIT.BUDGET_EXHAUSTED;
    case 'gate_stopped':
      return EXIT.GATE_STOPPED;
    case 'awaiting_approval':
      return EXIT.AWAITING_APPROVAL;
    case 'interrupted':
      return EXIT.INTERRUPTED;
    case 'failed':
      return error && error.exitCode !== EXIT.OK ? error.exitCode : EXIT.ACTION_FAILED;
  }
}
