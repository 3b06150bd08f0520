import path from 'node:path';
import { Args, Flags, type Interfaces } from '@oclif/core';
import { isSopError, plural, SopError, type Diagnostic } from '../../errors/index.js';
import { shownPath } from '../../files/shown-path.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import type { FileResult, TestFile, TestReport } from '../../testing/index.js';
import { describeSopError, SopCommand } from '../base-command.js';
import { quotedName } from '../../spec/text-encoding.js';
import type { EnvelopeError } from '../json-envelope.js';

/**
 * Cases at once by default. A case mostly waits (for its commands' child processes, for gates),
 * so more cases than cores overlap; and a long case (a fix loop of 13 test runs) starts at once
 * instead of after the cases listed before it, which alone made up a quarter of a file's time.
 */
const DEFAULT_CONCURRENCY = 8;

export default class Test extends SopCommand<TestReport> {
  static override summary = 'Run the test cases of SOPs: scripted answers, then checks of what the run did.';
  static override description = [
    'PATH is an SOP (its X.test.yaml and tests/*.yaml beside it), a test file, or a folder (every *.test.yaml and tests/*.yaml under it); none: the current folder. Test files are described in docs/testing.md.',
    'Each case runs in process on the scripted model (docs/scripted-model.md), in a fresh temporary workspace; a failed case keeps its folder (workspace and run record) and prints where it is.',
    'Exit 0 when every case passed (skipped cases do not fail it), 16 when a case failed, 2 when a test file is invalid, 130 when interrupted (Ctrl-C: the running cases stop and are reported skipped).',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> test sops/software-company.yaml',
    '<%= config.bin %> test examples --junit test-results.xml',
    '<%= config.bin %> test sops/software-company.test.yaml --filter "judge" --update',
  ];
  static override strict = false;
  static override args = {
    path: Args.string({ description: 'SOP, test file or folder (repeatable; default: the current folder).' }),
  };
  static override flags = {
    filter: Flags.string({ description: 'Only the cases whose name (or test file path) contains this text run. Each test file is still checked whole: a mistake in a case it leaves out refuses the file (exit 2, naming the case), except inputs the SOP would refuse (a warning).' }),
    update: Flags.boolean({ description: 'Rewrite the golden files of `artifacts: [{ golden: FILE }]` with what the runs wrote.' }),
    junit: Flags.string({ description: 'Write a JUnit XML report to this file (one testcase per case).' }),
    bail: Flags.boolean({ description: 'Stop at the first failed case: the cases not started yet are reported skipped.' }),
    'event-prompts': Flags.boolean({ description: 'Model-call events in each case\'s run journal carry the rendered prompts, secrets masked: a failed case\'s kept record shows what each role was asked.' }),
    concurrency: Flags.integer({ description: 'Cases of one test file run at once (default: 8; cases mostly wait for commands and gates, so more than the cores overlap).', min: 1, default: DEFAULT_CONCURRENCY }),
  };

  /** The test files' warnings when their errors refuse them: printed after the errors, not lost with the refusal. */
  private warningsAfterRefusal: Diagnostic[] = [];

  protected override async printError(error: SopError, failure: EnvelopeError): Promise<void> {
    await super.printError(error, failure);
    await this.warnDiagnostics(this.warningsAfterRefusal);
  }

  /** A refusal of the flags themselves still gets the CI reports a refused test gets (below). */
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const refusal = this.flagsRead ? undefined : await this.flagRefusal(error);
    if (refusal) await (await import('../refused-reports.js')).reportFlagRefusal('sop test', refusal, this.argv);
    return super.catch(error);
  }

  /** Set once oclif has read the flags: later refusals are reported by `run` itself. */
  private flagsRead = false;

  async run(): Promise<TestReport> {
    const { argv, flags } = await this.parse(Test);
    this.flagsRead = true;
    // Before the refusal's own JUnit report below: a name refused for its format gets no file.
    if (flags.junit !== undefined) {
      const outputFile = await import('../output-file.js');
      outputFile.refuseOtherFormat('--junit', flags.junit, outputFile.junitFormat('sop test'));
    }
    try {
      return await this.runTests(argv as string[], flags);
    } catch (error) {
      // A refused `sop test` (a broken test file, a --filter matching nothing) still gets its JUnit
      // file (and its annotations and step summary under Actions), as a refused `sop run` does: a CI
      // job must not read an earlier run's file as this one's.
      if (isSopError(error)) await (await import('../refused-reports.js')).reportRefusal('sop test', error, { junit: flags.junit, subject: testSubject(argv as string[]) });
      throw error;
    }
  }

  private async runTests(argv: string[], flags: Interfaces.InferredFlags<typeof Test.flags>): Promise<TestReport> {
    const clock = performance.now();
    const testing = await import('../../testing/index.js');
    const output = await import('../test-output.js');
    const cwd = process.cwd();
    // Every file is read, and checked against its SOP, before any case runs: the mistakes of all
    // of them are one refusal (exit 2).
    const read = testing.readTestFiles(testing.discoverTestFiles(argv, cwd).map((file) => shownPath(file)), cwd);
    const filter = flags.filter;
    // A broken file's well-formed part too: its inputs' mistakes are named beside its schema's.
    const { checked, diagnostics, leftOut } = await testing.checkTestFilesAgainstSops(read.files, filter, read.broken);
    const others = testing.testsOfOtherSops(argv, read.files, cwd);
    const warnings = [...checked.values()].flatMap((file) => file.warnings);
    if (read.diagnostics.length > 0 || diagnostics.length > 0 || others.length > 0) {
      const all = [...read.diagnostics, ...others, ...diagnostics];
      // Errors first, then the warnings `sop validate` would print beside them.
      this.warningsAfterRefusal = warnings;
      throw testing.invalidTestFiles(filter === undefined ? all : testing.namingCasesLeftOut(all, read.broken, filter));
    }
    // Said once, not refused: the cases --filter left out do not run.
    if (leftOut.length > 0) {
      const names = leftOut.map((entry) => `${quotedName(entry.name)} (${entry.location})`).join(', ');
      this.warning(`--filter left out ${leftOut.length === 1 ? 'a case whose inputs' : `${leftOut.length} cases whose inputs`} the SOP would refuse: ${names}`);
    }
    // Before any case runs, as `sop validate` prints them: a user reads what can never hold first.
    // Computed once: each file's `runTestFile` is given them and returns them as they are.
    await this.warnDiagnostics(warnings);
    const files = read.files;
    // With --filter, only the files that have a matching case are run and listed.
    const selected = filter === undefined ? files : files.filter((file) => file.cases.some((entry) => testing.matchesFilter(file, entry, filter)));
    if (filter !== undefined && selected.length === 0) {
      // Like a typo in a CI job's filter: running nothing must not pass.
      const count = files.reduce((sum, file) => sum + file.cases.length, 0);
      const plain = 'the filter is plain text (case-sensitive) found in a case name or a test file path';
      const near = testing.nearFilter(filter, files.flatMap((file) => file.cases.map((entry) => entry.name)));
      throw new SopError('USAGE', `--filter "${filter}" matches no case of ${files.map((file) => file.file).join(', ')} (${plural(count, 'case')})`, {
        hint: near === undefined ? plain : `did you mean \`--filter ${quoteArgument(near)}\`? (${plain})`,
      });
    }
    // Written when every case has run: refused now if it cannot be.
    if (flags.junit !== undefined) (await import('../output-file.js')).checkOutputFile('--junit', flags.junit);
    const { createRuntime } = await import('../../providers/sop-runtime.js');
    const runtime = createRuntime();
    const concurrency = flags.concurrency;
    const results: Array<{ file: TestFile; result: FileResult }> = [];
    const { interruptOnSignals } = await import('../interrupts.js');
    const { runEnvironment } = await import('../run-environment.js');
    // Test cases are not resumed: the running ones stop and are reported skipped.
    const interrupts = interruptOnSignals((_text, quitNow) => this.note(`\ninterrupting: stopping the running cases (their commands too); they and the cases not started are reported skipped (${quitNow})`));
    for (const file of selected) {
      if (interrupts.signal.aborted) break;
      if (flags.bail && results.some(({ result }) => result.cases.some((test) => test.status === 'failed'))) break;
      this.out(`${file.file} (${shownPath(file.sop)})`);
      const result = await testing.runTestFile(file, {
        concurrency,
        update: flags.update,
        bail: flags.bail,
        eventPrompts: flags['event-prompts'],
        runtime,
        checked: checked.get(file),
        signal: interrupts.signal,
        // `${env:NAME}` in an MCP server or an HTTP tool's header, as `sop run` expands it (the test ran the server with the text `${env:NAME}`).
        readEnvironment: (sop) => runEnvironment(sop, process.env),
        sopCommand: this.sopCommand,
        ...(flags.filter === undefined ? {} : { filter: flags.filter }),
        onCase: (test) => this.out(output.formatCaseLine(test)),
      });
      results.push({ file, result });
    }
    interrupts.dispose();
    const report = testing.buildTestReport(results, Math.round(performance.now() - clock));
    for (const file of report.files) {
      for (const test of file.cases.filter((entry) => entry.status === 'failed')) this.out(`\n${output.formatCaseFailure(file.file, test)}`);
    }
    // Shown from the current folder, as the test files are: `report.updated` is as written, relative to each test file.
    const updated = results.flatMap(({ file, result }) => result.cases.flatMap((test) => test.expectations.flatMap((expectation) =>
      (expectation.updated ? [shownPath(path.resolve(file.dir, expectation.updated))] : []))));
    if (updated.length > 0) this.out(`\ngolden files updated: ${updated.join(', ')}`);
    this.out(`\n${output.formatSummary(report)}`);
    // As `sop run` and `sop eval` write theirs: missing folders made, a storage failure named (exit
    // 14) after the cases' results, not instead of them.
    const unwritten = flags.junit === undefined ? undefined : await (await import('../output-file.js')).writeFlagFile('--junit', flags.junit, testing.formatTestJunit(report));
    const outcome = testOutcome(report, interrupts.signal.aborted);
    const { reportCasesUnderActions, testCasesOutcome } = await import('../case-ci-reports.js');
    await reportCasesUnderActions(() => testCasesOutcome(report, testSubject(argv), outcome));
    if (outcome?.code === 'RUN_INTERRUPTED') this.note(await describeSopError(outcome));
    if (unwritten) this.note(this.redact(await describeSopError(unwritten)));
    this.concludeWith(unwritten ?? outcome);
    return report;
  }
}

/** What `sop test` was given, for its step summary's title: the paths, or the current folder. */
function testSubject(argv: readonly string[]): string {
  return argv.length === 0 ? '.' : argv.join(' ');
}

/** How `sop test` ended when not every case passed: interrupted, or failed cases. */
function testOutcome(report: TestReport, interrupted: boolean): SopError | undefined {
  if (interrupted) return new SopError('RUN_INTERRUPTED', 'sop test interrupted: the cases not finished are reported skipped', { hint: 'run it again to run every case' });
  if (report.summary.failed === 0) return undefined;
  const total = report.summary.passed + report.summary.failed;
  return new SopError('TESTS_FAILED', `${report.summary.failed} of ${plural(total, 'test case')} failed`, { hint: 'see each failure above; a failed case keeps its workspace and run record' });
}
