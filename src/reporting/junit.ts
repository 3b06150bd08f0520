import type { ActionRunRecord, GateCheck } from './run-collector.js';
import { attributes, escapeXml } from './xml.js';

/** How the run as a whole ended (or why it never started). */
export interface RunVerdict {
  status: string;
  exitCode: number;
  durationMs: number;
  error?: { code: string; message: string; hint?: string } | undefined;
  hint?: string | undefined;
}

export interface JunitInput {
  /** The SOP's name (`<testsuites name>` and the run's test case). */
  sopName: string;
  /** Role ids in SOP order: one `<testsuite>` each, even for roles that never ran. */
  roles: readonly string[];
  actionRuns: readonly ActionRunRecord[];
  run: RunVerdict;
}

interface TestCase {
  classname: string;
  name: string;
  timeMs: number;
  failure?: { type: string; message: string; text: string };
  systemOut?: string;
}

/** The suite holding the run's own verdict (the exit code), after the roles' suites. */
export const RUN_SUITE = 'run';

/**
 * JUnit XML of a run: a `<testsuite>` per role (classname = role id) whose test cases are each
 * action run (`write_prd (round 1)`), each foreach item (`write_code #2 (round 4)`) and each gate
 * check (`write_code #2 gate compiles (round 4)`), with a `<failure>` holding the error or the gate's
 * feedback; then a `run` suite whose one case fails when the run's exit code is not 0.
 */
export function formatJunit(input: JunitInput): string {
  const byRole = new Map<string, TestCase[]>(input.roles.map((role) => [role, []]));
  for (const run of input.actionRuns) {
    const cases = byRole.get(run.role) ?? [];
    byRole.set(run.role, cases);
    cases.push(...actionCases(run, input.run));
  }
  byRole.set(RUN_SUITE, [runCase(input)]);

  const suites = [...byRole.entries()].map(([name, cases]) => formatSuite(name, cases));
  const all = [...byRole.values()].flat();
  const header = attributes({
    name: input.sopName,
    tests: all.length,
    failures: all.filter((test) => test.failure).length,
    errors: 0,
    time: seconds(input.run.durationMs),
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${header}>\n${suites.join('')}</testsuites>\n`;
}

function actionCases(run: ActionRunRecord, verdict: RunVerdict): TestCase[] {
  const cases: TestCase[] = [];
  const round = `round ${run.round}`;
  const action: TestCase = { classname: run.role, name: `${run.action} (${round})`, timeMs: run.durationMs };
  const failure = actionFailure(run, verdict);
  if (failure) action.failure = failure;
  if (run.outcome === 'routed') {
    action.systemOut = run.gates.filter((gate) => gate.onFail === 'route').map((gate) => `routed: ${gate.feedback ?? ''}`).join('\n');
  }
  cases.push(action);
  for (const item of run.items) {
    const test: TestCase = { classname: run.role, name: `${run.action} #${item.index + 1} (${round})`, timeMs: item.durationMs };
    const checks = run.gates.filter((gate) => gate.index === item.index);
    const last = checks[checks.length - 1];
    if (last && !last.passed && (last.onFail === 'stop' || last.onFail === 'route')) {
      test.failure = { type: 'gate-failed', message: `gate ${last.gate} ${last.onFail === 'stop' ? 'stopped' : 'routed'} this item`, text: last.feedback ?? '' };
    }
    cases.push(test);
  }
  for (const gate of run.gates) cases.push(gateCase(gate, run.round));
  return cases;
}

function gateCase(gate: GateCheck, round: number): TestCase {
  const item = gate.index === undefined ? '' : ` #${gate.index + 1}`;
  const attempt = gate.attempt > 1 ? `, attempt ${gate.attempt}` : '';
  const test: TestCase = { classname: gate.role, name: `${gate.action}${item} gate ${gate.gate} (round ${round}${attempt})`, timeMs: gate.durationMs };
  if (!gate.passed) {
    test.failure = { type: 'gate-failed', message: `gate ${gate.gate} failed (on_fail: ${gate.onFail ?? 'stop'})`, text: gate.feedback ?? '' };
  }
  return test;
}

function actionFailure(run: ActionRunRecord, verdict: RunVerdict): TestCase['failure'] {
  switch (run.outcome) {
    case 'published':
    case 'routed':
      return undefined;
    case 'gate-stopped': {
      const stops = run.gates.filter((gate) => !gate.passed && gate.onFail === 'stop');
      return {
        type: 'gate-stopped',
        message: `stopped by gate ${[...new Set(stops.map((gate) => gate.gate))].join(', ') || '(unknown)'}`,
        text: stops.map((gate) => gate.feedback ?? '').join('\n'),
      };
    }
    case 'failed': {
      const error = verdict.error;
      const text = [error ? `${error.code}: ${error.message}` : 'the action failed', error?.hint ? `hint: ${error.hint}` : undefined];
      if (run.outputErrors.length > 0) text.push('last invalid output:', ...run.outputErrors.map((line) => `  ${line}`));
      return { type: error?.code ?? 'ACTION_FAILED', message: firstLine(error?.message ?? 'the action failed'), text: text.filter(Boolean).join('\n') };
    }
    case 'budget-exhausted':
      return { type: 'BUDGET_EXHAUSTED', message: 'the budget was spent before the action finished', text: verdict.hint ?? '' };
    case 'interrupted':
      return { type: 'INTERRUPTED', message: 'the run was interrupted before the action finished', text: '' };
    case undefined:
      return { type: verdict.status, message: `the action did not finish (the run ended: ${verdict.status})`, text: '' };
  }
}

function runCase(input: JunitInput): TestCase {
  const { run } = input;
  const test: TestCase = { classname: RUN_SUITE, name: `sop run ${input.sopName}`, timeMs: run.durationMs };
  if (run.exitCode !== 0) {
    const text = [
      run.error ? `${run.error.code}: ${run.error.message}` : describeOutcome(run.status, input.actionRuns),
      run.error?.hint ? `hint: ${run.error.hint}` : undefined,
      run.hint ? `hint: ${run.hint}` : undefined,
    ];
    test.failure = { type: run.error?.code ?? run.status, message: `${run.status} (exit ${run.exitCode})`, text: text.filter(Boolean).join('\n') };
  }
  return test;
}

const STATUS_TEXT: Record<string, string> = {
  stalled: 'no role had work left before the stop condition was met',
  round_limit: 'the run reached its round limit (n_round) before the stop condition',
  budget_exhausted: 'the budget (investment or max_tokens) was spent',
  gate_stopped: 'a gate stopped the run',
  awaiting_approval: 'a human gate awaits approval (continue with `sop resume RUN --approve` or `--reject "feedback"`)',
  interrupted: 'the run was interrupted',
};

/**
 * Why a run without an error object ended, in words: the stopping gate and its feedback for
 * `gate_stopped` (`gate has_tests of engineer write_code #2 stopped the run: ...`).
 */
export function describeOutcome(status: string, actionRuns: readonly ActionRunRecord[]): string {
  const stop = status === 'gate_stopped' ? stoppingGate(actionRuns) : undefined;
  if (stop) {
    const item = stop.index === undefined ? '' : ` #${stop.index + 1}`;
    return `gate ${stop.gate} of ${stop.role} ${stop.action}${item} stopped the run: ${stop.feedback ?? ''}`;
  }
  return STATUS_TEXT[status] ?? `the run ended ${status}`;
}

/** The first gate check that stopped the run (`on_fail: stop`, or revisions used up). */
export function stoppingGate(actionRuns: readonly ActionRunRecord[]): GateCheck | undefined {
  return actionRuns.flatMap((run) => run.gates).find((gate) => !gate.passed && gate.onFail === 'stop');
}

function formatSuite(name: string, cases: TestCase[]): string {
  const header = attributes({
    name,
    tests: cases.length,
    failures: cases.filter((test) => test.failure).length,
    errors: 0,
    skipped: 0,
    time: seconds(cases.reduce((sum, test) => sum + test.timeMs, 0)),
  });
  return `  <testsuite${header}>\n${cases.map(formatCase).join('')}  </testsuite>\n`;
}

function formatCase(test: TestCase): string {
  const header = attributes({ classname: test.classname, name: test.name, time: seconds(test.timeMs) });
  const body = [
    test.failure ? `      <failure${attributes({ message: test.failure.message, type: test.failure.type })}>${escapeXml(test.failure.text)}</failure>\n` : '',
    test.systemOut ? `      <system-out>${escapeXml(test.systemOut)}</system-out>\n` : '',
  ].join('');
  return body ? `    <testcase${header}>\n${body}    </testcase>\n` : `    <testcase${header}/>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}
