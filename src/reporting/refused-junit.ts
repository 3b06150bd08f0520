import { formatDiagnostic, type Diagnostic } from '../errors/index.js';
import { typedAs, withTypedHint } from '../runtime/resume-target.js';
import { failureType } from './failure-type.js';
import { attributes, escapeXml } from './xml.js';

/** What a command that never ran its cases was refused for. */
export interface Refusal {
  code: string;
  message: string;
  hint?: string | undefined;
  exitCode: number;
  /** A broken file's problems: the message names the first, the JUnit text lists them all. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * The JUnit file of a `sop test` or `sop eval` refused before its cases ran (a broken test file
 * or dataset, a missing file): one failing case named after the command, saying why and how to
 * fix it. Written in place of the file an earlier run left, which a CI job would read as this one's.
 */
export function formatRefusedJunit(command: string, error: Refusal): string {
  const problems = (error.diagnostics ?? []).filter((diagnostic) => diagnostic.severity === 'error');
  const text = [
    `${error.code}: ${error.message}`,
    error.hint ? `hint: ${error.hint}` : '',
    // `(and 2 more)` in the message: each of them, with its hint, is what the CI job's reader fixes.
    ...(problems.length > 1 ? [`all ${problems.length} problems:`, ...problems.map(formatDiagnostic)] : []),
  ].filter(Boolean).join('\n');
  const counts = { tests: 1, failures: 1, errors: 0 };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: command, ...counts, time: '0.000' })}>`,
    `  <testsuite${attributes({ name: command, ...counts, skipped: 0, time: '0.000' })}>`,
    `    <testcase${attributes({ classname: command, name: command, time: '0.000' })}>`,
    `      <failure${attributes({ message: `refused (exit ${error.exitCode})`, type: failureType('refused', error.code) })}>${escapeXml(text)}</failure>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * `error` with the commands of its hint and of its diagnostics' typed as `sopCommand` (`typedAs`), as
 * the CLI prints them; its message too: one made from diagnostics says the first whole, with its hint
 * (`SopError.fromDiagnostics`).
 */
export function typedRefusal(error: Refusal, sopCommand: string): Refusal {
  return {
    code: error.code,
    message: typedAs(error.message, sopCommand),
    exitCode: error.exitCode,
    ...(error.hint ? { hint: typedAs(error.hint, sopCommand) } : {}),
    ...(error.diagnostics ? { diagnostics: error.diagnostics.map((diagnostic) => withTypedHint(diagnostic, sopCommand)) } : {}),
  };
}
