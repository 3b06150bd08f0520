import path from 'node:path';
import type { SopError } from '../errors/index.js';
import { githubActions } from './annotation-base.js';
import { sopCommandOfProcess } from './invocation.js';
import { rawFlagValue } from './raw-flag.js';

export interface RefusalReports {
  /** `--junit FILE`, when given. */
  junit?: string | undefined;
  /** What the command was given (paths, an SOP file), for the step summary's title. */
  subject: string;
  /** Masks secrets in what is written. */
  redact?: (text: string) => string;
}

/**
 * The CI reports of a `sop test` or `sop eval` refused before its cases ran, as a refused `sop run`
 * gets them: the JUnit file with one failing case saying why; under GitHub Actions, an `::error` per
 * problem (at its file and line) and the step summary of a refusal. The JUnit file is left as it is
 * when it cannot be written: the refusal is the result that matters, and an unwritable --junit is
 * its own error elsewhere.
 */
export async function reportRefusal(command: 'sop test' | 'sop eval', error: SopError, reports: RefusalReports): Promise<void> {
  const redact = reports.redact ?? ((text: string) => text);
  if (reports.junit !== undefined) {
    const [{ writeFileAtomicSync }, { formatRefusedJunit, typedRefusal }] = await Promise.all([import('../files/index.js'), import('../reporting/refused-junit.js')]);
    try {
      writeFileAtomicSync(path.resolve(reports.junit), redact(formatRefusedJunit(command, typedRefusal(error, sopCommandOfProcess()))));
    } catch {
      // Said by the refusal itself (or by the check of --junit before it).
    }
  }
  const github = githubActions();
  if (github) {
    // `sop run`'s reporters of a run that never started: the same annotations and summary. A refusal
    // without located problems (a missing dataset) names no file: the paths given are not all files.
    const { RunReporters } = await import('../reporting/index.js');
    new RunReporters({ command, subject: reports.subject, subjectIsFile: false, github, redact, sopCommand: sopCommandOfProcess() }).fail(error);
  }
}

/**
 * The CI reports of a `sop test` or `sop eval` refused while oclif read its flags (`--concurrency 0`,
 * an unknown flag), from the raw `--junit`: without them, a CI job kept the JUnit file of an earlier
 * run as this one's result and its step summary said nothing, unlike `sop run`'s.
 */
export async function reportFlagRefusal(command: 'sop test' | 'sop eval', error: SopError, argv: readonly string[]): Promise<void> {
  const given = rawFlagValue(argv, 'junit');
  // A blank --junit, or one whose value is the next flag, is itself the refusal: nothing to write to.
  const junit = given === undefined || given.trim() === '' || given.startsWith('-') ? undefined : given;
  if (junit === undefined && !githubActions()) return;
  // The words before the first flag: what the command was given, for the summary's title.
  const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
  const subject = (firstFlag === -1 ? argv : argv.slice(0, firstFlag)).join(' ') || command;
  await reportRefusal(command, error, { junit, subject });
}
