import { failureType } from './failure-type.js';
import { gateResults, type GateResult } from './gate-results.js';
import { outcomeHints } from './outcome-hints.js';
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

interface Problem {
  type: string;
  message: string;
  text: string;
}

interface TestCase {
  classname: string;
  name: string;
  timeMs: number;
  failure?: Problem;
  /** Earlier failed attempts of a test that failed in the end (Surefire `rerunFailure`). */
  rerunFailures?: Problem[];
  /** Failed attempts of a test that passed in the end (Surefire `flakyFailure`): the test passes. */
  flakyFailures?: Problem[];
  systemOut?: string;
}

/** The suite holding the run's own verdict (the exit code), after the roles' suites. */
const RUN_SUITE = 'run';

/**
 * JUnit XML of a run: a `<testsuite>` per role (classname = role id) whose test cases are each
 * action run (`write_prd`), each foreach item (`write_code #2`) and each gate of it
 * (`write_code #2 gate compiles`), with a `<failure>` holding the error or the gate's feedback; then
 * a `run` suite whose one case fails when the run's exit code is not 0. Names hold no round or
 * attempt, so a test keeps its name from one CI run to the next; an action's second and later runs
 * in one SOP run are `write_code (run 2)`. A gate's `revise` attempts are one test case: failed then
 * passed is a flaky pass (`<flakyFailure>` per failed attempt), failed to the end is a `<failure>`
 * (the last attempt's feedback) with a `<rerunFailure>` per earlier attempt, as Surefire writes reruns.
 */
export function formatJunit(input: JunitInput): string {
  const byRole = new Map<string, TestCase[]>(input.roles.map((role) => [role, []]));
  const runsSoFar = new Map<string, number>();
  for (const run of input.actionRuns) {
    const cases = byRole.get(run.role) ?? [];
    byRole.set(run.role, cases);
    const ordinal = (runsSoFar.get(`${run.role}/${run.action}`) ?? 0) + 1;
    runsSoFar.set(`${run.role}/${run.action}`, ordinal);
    cases.push(...actionCases(run, ordinal, input.run));
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

function actionCases(run: ActionRunRecord, ordinal: number, verdict: RunVerdict): TestCase[] {
  const cases: TestCase[] = [];
  // Repeated runs of an action (a fix loop) are told apart by their order, never by round.
  const name = (subject: string): string => (ordinal === 1 ? subject : `${subject} (run ${ordinal})`);
  const action: TestCase = { classname: run.role, name: name(run.action), timeMs: ownTime(run) };
  const failure = actionFailure(run, verdict);
  if (failure) action.failure = failure;
  if (run.outcome === 'routed') {
    action.systemOut = run.gates.filter((gate) => gate.onFail === 'route').map((gate) => `routed: ${gate.feedback ?? ''}`).join('\n');
  }
  cases.push(action);
  for (const item of run.items) {
    const test: TestCase = { classname: run.role, name: name(`${run.action} #${item.index}`), timeMs: item.durationMs };
    const checks = run.gates.filter((gate) => gate.index === item.index);
    const last = checks[checks.length - 1];
    if (last && !last.passed && (last.onFail === 'stop' || last.onFail === 'route')) {
      test.failure = { type: failureType('gate_failed'), message: `gate ${last.gate} ${last.onFail === 'stop' ? 'stopped' : 'routed'} this item`, text: last.feedback ?? '' };
    }
    cases.push(test);
  }
  for (const result of gateResults(run)) {
    const item = result.index === undefined ? '' : ` #${result.index}`;
    cases.push(gateCase(result, run.role, name(`${run.action}${item} gate ${result.gate}`)));
  }
  return cases;
}

/**
 * The action run's time less its foreach items' and gates' (each their own test case): a suite's
 * time is the sum of its cases, and counted whole here, a gate's command was counted twice.
 */
function ownTime(run: ActionRunRecord): number {
  const parts = run.items.reduce((sum, item) => sum + item.durationMs, 0) + run.gates.reduce((sum, gate) => sum + gate.durationMs, 0);
  // Items run concurrently can add up to more than the action's wall time.
  return Math.max(0, run.durationMs - parts);
}

function gateCase(result: GateResult, classname: string, name: string): TestCase {
  const test: TestCase = { classname, name, timeMs: result.durationMs };
  const attempts = result.failures.map((check) => gateProblem(check, ` on attempt ${check.attempt}`));
  if (result.verdict === 'flaky') test.flakyFailures = attempts;
  const last = result.failures[result.failures.length - 1];
  if (result.verdict === 'failed' && last) {
    const count = result.checks.length;
    test.failure = gateProblem(last, '', count > 1 ? `, after ${count} attempts` : '');
    if (attempts.length > 1) test.rerunFailures = attempts.slice(0, -1);
  }
  return test;
}

function gateProblem(check: GateCheck, when: string, after = ''): Problem {
  return { type: failureType('gate_failed'), message: `gate ${check.gate} failed${when} (on_fail: ${check.onFail ?? 'stop'})${after}`, text: check.feedback ?? '' };
}

function actionFailure(run: ActionRunRecord, verdict: RunVerdict): TestCase['failure'] {
  switch (run.outcome) {
    case 'published':
    case 'routed':
      return undefined;
    case 'gate-stopped': {
      const stops = run.gates.filter((gate) => !gate.passed && gate.onFail === 'stop');
      return {
        type: failureType('gate_stopped'),
        message: `stopped by gate ${[...new Set(stops.map((gate) => gate.gate))].join(', ') || '(unknown)'}`,
        text: stops.map((gate) => gate.feedback ?? '').join('\n'),
      };
    }
    case 'failed': {
      const error = verdict.error;
      const text = [error ? `${error.code}: ${error.message}` : 'the action failed', error?.hint ? `hint: ${error.hint}` : undefined];
      if (run.outputErrors.length > 0) text.push('last invalid output:', ...run.outputErrors.map((line) => `  ${line}`));
      return { type: failureType('action_failed', error?.code), message: firstLine(error?.message ?? 'the action failed'), text: text.filter(Boolean).join('\n') };
    }
    case 'budget-exhausted':
      return { type: failureType('budget_exhausted'), message: 'the budget was spent before the action finished', text: verdict.hint ?? '' };
    case 'interrupted':
      return { type: failureType('interrupted'), message: 'the run was interrupted before the action finished', text: '' };
    case undefined:
      return { type: failureType(verdict.status, verdict.error?.code), message: `the action did not finish (the run ended: ${verdict.status})`, text: '' };
  }
}

function runCase(input: JunitInput): TestCase {
  const { run } = input;
  const test: TestCase = { classname: RUN_SUITE, name: `sop run ${input.sopName}`, timeMs: run.durationMs };
  if (run.exitCode !== 0) {
    const text = [
      run.error ? `${run.error.code}: ${run.error.message}` : describeOutcome(run.status, input.actionRuns),
      ...outcomeHints(run.error?.hint, run.hint).map((hint) => `hint: ${hint}`),
    ];
    test.failure = { type: failureType(run.status, run.error?.code), message: `${run.status} (exit ${run.exitCode})`, text: text.filter(Boolean).join('\n') };
  }
  return test;
}

const STATUS_TEXT: Record<string, string> = {
  stalled: 'no role had work left before the stop condition was met',
  round_limit: 'the run reached its round limit (n_round) before the stop condition',
  budget_exhausted: 'the budget (investment or max_tokens) was spent',
  gate_stopped: 'a gate stopped the run',
  // How to continue is the run's hint, which follows: the command typed as the run was started, with its id.
  awaiting_approval: 'a human gate awaits approval',
  interrupted: 'the run was interrupted',
};

/**
 * Why a run without an error object ended, in words: the stopping gate and its feedback for
 * `gate_stopped` (`gate has_tests of engineer write_code #1 stopped the run: ...`).
 */
export function describeOutcome(status: string, actionRuns: readonly ActionRunRecord[]): string {
  const stop = status === 'gate_stopped' ? stoppingGate(actionRuns) : undefined;
  if (stop) {
    const item = stop.index === undefined ? '' : ` #${stop.index}`;
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
    ...(test.rerunFailures ?? []).map((problem) => formatRerun('rerunFailure', problem)),
    ...(test.flakyFailures ?? []).map((problem) => formatRerun('flakyFailure', problem)),
    test.systemOut ? `      <system-out>${escapeXml(test.systemOut)}</system-out>\n` : '',
  ].join('');
  return body ? `    <testcase${header}>\n${body}    </testcase>\n` : `    <testcase${header}/>\n`;
}

/** Surefire's rerun elements keep the detail in `<stackTrace>` (what Jenkins shows for them). */
function formatRerun(element: 'rerunFailure' | 'flakyFailure', problem: Problem): string {
  return `      <${element}${attributes({ message: problem.message, type: problem.type })}><stackTrace>${escapeXml(problem.text)}</stackTrace></${element}>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}
