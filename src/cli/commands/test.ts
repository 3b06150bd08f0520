import os from 'node:os';
import { Args, Flags } from '@oclif/core';
import type { FileResult, TestFile, TestReport } from '../../testing/index.js';
import { SopCommand } from '../base-command.js';

export default class Test extends SopCommand<TestReport> {
  static override summary = 'Run the test cases of SOPs: scripted answers, then checks of what the run did.';
  static override description = [
    'PATH is an SOP (its X.test.yaml and tests/*.yaml beside it), a test file, or a folder (every *.test.yaml and tests/*.yaml under it); none: the current folder. Test files are described in docs/testing.md.',
    'Each case runs in process on the scripted model (docs/scripted-model.md), in a fresh temporary workspace; a failed case keeps its folder (workspace and run record) and prints where it is.',
    'Exit 0 when every case passed (skipped cases do not fail it), 16 when a case failed, 2 when a test file is invalid.',
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
    filter: Flags.string({ description: 'Only the cases whose name (or test file path) contains this text.' }),
    update: Flags.boolean({ description: 'Rewrite the golden files of `artifacts: [{ golden: FILE }]` with what the runs wrote.' }),
    junit: Flags.string({ description: 'Write a JUnit XML report to this file (one testcase per case).' }),
    bail: Flags.boolean({ description: 'Stop at the first failed case: the cases not started yet are reported skipped.' }),
    concurrency: Flags.integer({ description: 'Cases of one test file run at once (default: 4, or the number of cores when fewer).', min: 1 }),
  };

  async run(): Promise<TestReport> {
    const { argv, flags } = await this.parse(Test);
    const clock = performance.now();
    const testing = await import('../../testing/index.js');
    const output = await import('../test-output.js');
    const cwd = process.cwd();
    // Every file is read (and refused, exit 2, when invalid) before any case runs.
    const files = testing.discoverTestFiles(argv as string[], cwd).map((file) => testing.loadTestFile(testing.displayPath(file), cwd));
    const { createRuntime } = await import('../../providers/sop-runtime.js');
    const runtime = createRuntime();
    const concurrency = flags.concurrency ?? Math.max(1, Math.min(4, os.availableParallelism()));
    const results: Array<{ file: TestFile; result: FileResult }> = [];
    for (const file of files) {
      if (flags.bail && results.some(({ result }) => result.cases.some((test) => test.status === 'failed'))) break;
      this.out(`${file.file} (${testing.displayPath(file.sop)})`);
      const result = await testing.runTestFile(file, {
        concurrency,
        update: flags.update,
        bail: flags.bail,
        runtime,
        ...(flags.filter === undefined ? {} : { filter: flags.filter }),
        onCase: (test) => this.out(output.formatCaseLine(test)),
      });
      results.push({ file, result });
    }
    const report = testing.buildTestReport(results, Math.round(performance.now() - clock));
    for (const file of report.files) {
      for (const test of file.cases.filter((entry) => entry.status === 'failed')) this.out(`\n${output.formatCaseFailure(file.file, test)}`);
    }
    if (report.updated.length > 0) this.out(`\ngolden files updated: ${report.updated.join(', ')}`);
    this.out(`\n${output.formatSummary(report)}`);
    if (flags.junit !== undefined) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(flags.junit, testing.formatTestJunit(report));
    }
    if (report.summary.failed > 0) {
      const { SopError } = await import('../../errors/index.js');
      const total = report.summary.passed + report.summary.failed;
      this.concludeWith(new SopError('TESTS_FAILED', `${report.summary.failed} of ${total} test case${total === 1 ? '' : 's'} failed`, { hint: 'see each failure above; a failed case keeps its workspace and run record' }));
    }
    return report;
  }
}
