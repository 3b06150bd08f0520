import { Flags } from '@oclif/core';
import { EXIT, EXIT_CODE_TABLE, isSopError, SopError, type ErrorCode } from '../errors/index.js';
import type { RunReporters } from '../reporting/index.js';
import type { RunReport, RunResult, RunStatus } from '../runtime/index.js';
import { SopCommand } from './base-command.js';
import { resumeHint } from './interrupts.js';

/**
 * What `sop run` and `sop resume` share: the CI flags and reports (also for a run refused before
 * it started), and the run's report as the command's result (`--json`), whatever the outcome.
 */
export abstract class RunCommand extends SopCommand<RunReport> {
  static readonly runReportFlags = {
    ci: Flags.boolean({ description: 'CI mode: never prompts, plain progress lines on stderr, no live status line or colours (also when CI=true).' }),
    junit: Flags.string({ description: 'Write a JUnit XML report: each action run, foreach item and gate check a test case, a suite per role.' }),
    events: Flags.string({ description: 'Write every run event as NDJSON, as it happens, to this file (`-`: stdout, then --json is refused).' }),
  };

  /** The CI reports of this run; they also report a run refused before it started (see `catch`). */
  protected reporters: RunReporters | undefined;

  /** Opens the CI reports first, so a refusal from here on is reported too. */
  protected async openReporters(subject: string, flags: { junit?: string | undefined; events?: string | undefined }): Promise<RunReporters> {
    if (flags.events === '-' && this.jsonEnabled()) {
      throw new SopError('USAGE', '--events - and --json both write to stdout', { hint: 'write the events to a file (--events events.ndjson), or drop --json' });
    }
    const { RunReporters } = await import('../reporting/index.js');
    const github = process.env['GITHUB_ACTIONS'] === 'true' ? { stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined } : undefined;
    this.reporters = new RunReporters({ subject, junit: flags.junit, events: flags.events, github });
    return this.reporters;
  }

  /** The report is the result; a run that did not complete ends with its exit code and why. */
  protected concludeRun(result: RunResult): RunReport {
    this.concludeWith(runOutcomeError(result));
    return result.report;
  }

  /** A run refused before it started (invalid SOP, drifted lock, missing input) still gets its CI reports. */
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (isSopError(error)) this.reporters?.fail(error);
    return super.catch(error);
  }
}

/** The error code of a run that ended without an error of its own (`--json`'s `error.code`). */
const STATUS_CODES: Partial<Record<RunStatus, ErrorCode>> = {
  stalled: 'RUN_STALLED',
  round_limit: 'RUN_ROUND_LIMIT',
  budget_exhausted: 'RUN_BUDGET_EXHAUSTED',
  gate_stopped: 'RUN_GATE_STOPPED',
  awaiting_approval: 'RUN_AWAITING_APPROVAL',
  interrupted: 'RUN_INTERRUPTED',
};

/** Why a run did not complete, with the run's exit code: its own error, else its status. */
export function runOutcomeError(result: RunResult): SopError | undefined {
  if (result.exitCode === EXIT.OK) return undefined;
  if (result.error && result.error.exitCode === result.exitCode) return result.error;
  const code = STATUS_CODES[result.status] ?? 'INTERNAL';
  const meaning = EXIT_CODE_TABLE.find(([exitCode]) => exitCode === result.exitCode)?.[1] ?? result.status;
  const message = result.error ? `${meaning}: ${result.error.message}` : meaning;
  const hint = result.report.hint ?? resumeHint(result);
  return new SopError(code, message, hint === undefined ? {} : { hint });
}
