import { DEFAULT_SOP_COMMAND, resumeCommand, resumeTarget } from '../runtime/resume-target.js';

/**
 * SIGINT/SIGTERM during a run: the first asks the run to stop cleanly (in-flight calls aborted,
 * events written, exit 130); a second signal exits at once. Exiting at once is safe: the run
 * journal is appended whole lines at a time (a torn last line is ignored), so `sop resume` always
 * finds a consistent state. `sopCommand`: how the note types `sop resume` (a command whose note is its own ignores it);
 * `run`: the run as `sop resume` takes it (`resumeTarget`), once known, so the note's command is one to paste.
 * `note` gets the text and how to quit at once, worded for the signal that came.
 */
export function interruptOnSignals(note: (text: string, quitNow: string) => void, sopCommand = DEFAULT_SOP_COMMAND, run: () => string | undefined = () => undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    // A SIGTERM comes from a CI timeout or `kill`, not from a keyboard: no Ctrl-C to press again.
    const quitNow = signal === 'SIGINT' ? 'Ctrl-C again to quit now' : 'a second signal quits now';
    // Said as it happens: running model calls and commands are cut off, not finished (docs/design.md "Signals").
    const target = run();
    const resume = target === undefined ? `${sopCommand} resume` : resumeCommand(target, sopCommand);
    note(`\ninterrupting: stopping the running steps (model calls, commands) and saving the state; \`${resume}\` runs their round again (${quitNow})`, quitNow);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Interrupted: the command is on its way out with 130. A second Ctrl-C landing after the run
      // stopped but before the exit must not fall to the default handler (death by signal).
      if (controller.signal.aborted) process.on('SIGINT', exitInterrupted).on('SIGTERM', exitInterrupted);
    },
  };
}

function exitInterrupted(): never {
  process.exit(130);
}

/**
 * The command that continues a run, for runs that stopped in a way a resume can fix. (A run stopped
 * by its budget or round limit has its own hint in its report, naming the flag to raise.) `sop`
 * typed as `sopCommand`.
 */
export function resumeHint(result: { runDir: string; status: string }, sopCommand: string): string | undefined {
  if (result.status === 'completed') return undefined;
  return `resume with: ${resumeCommand(resumeTarget(result.runDir, process.cwd()), sopCommand)}`;
}

/**
 * Runs `work` with SIGINT/SIGTERM held: a few Redis round trips that must not be cut between them
 * (a queued run's facts or claim, then its BullMQ job: cut there, the run would name a job never
 * added). The first signal is acted on once `work` is done (`signalled`); a second quits at once
 * (exit 130), as during a run. `note` says so as the first comes.
 */
export async function holdingSignals<T>(work: () => Promise<T>, note: (quitNow: string) => void): Promise<{ value: T; signalled: boolean }> {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(130);
    signalled = true;
    note(signal === 'SIGINT' ? 'Ctrl-C again to quit now' : 'a second signal quits now');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return { value: await work(), signalled };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
