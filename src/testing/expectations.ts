/**
 * Checks what a finished run shows against a test case's `expect` (docs/testing.md): one result per
 * expectation, each saying what was expected, what the run did, and the SOP line it is about. Pure
 * but for reading workspace artifacts and golden files (and writing goldens with `update`).
 */

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSopError } from '../errors/index.js';
import { compileExpression, expressionExcerpt, type CompiledExpression } from '../expressions/index.js';
import { regexMatches, regexProblem } from '../expressions/regex.js';
import type { ExpressionText, SourceOrigin } from '../spec/resolved.js';
import { notRegularFile } from '../spec/limits.js';
import { literalEscape } from '../spec/rules/artifact-paths.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import { textStart } from '../spec/text-encoding.js';
import { undecidedDraft } from './drafts.js';
import { pointerOfPath } from './expect-fit.js';
import type { ObservedApproval, ObservedGate, ObservedMessage, ObservedRun, ObservedStep } from './observed-run.js';
import type { SopLocation, SopLocator, SopPart } from './sop-locations.js';
import type {
  ArtifactExpectation,
  Count,
  Expectations,
  GateExpectation,
  MessageExpectation,
  NotRanExpectation,
  StepExpectation,
} from './sop-test.types.generated.js';

export type { Expectations } from './sop-test.types.generated.js';

export interface ExpectationResult {
  /** Which expectation, as written in the test file: `expect.messages[1]`. */
  path: string;
  /** The entry's field the result is about (`contains`, `outcomes`, `where`): a failure is located at its value. */
  field?: string;
  passed: boolean;
  /** One line: what holds, or what does not. */
  message: string;
  expected?: string;
  actual?: string;
  /** The SOP part the expectation is about (gate, action, role, message type, artifact). */
  sopLocation?: SopLocation;
  /**
   * Where in the test file (or dataset) the failure is, when finer than its field's start: the part
   * of a `where` that failed to evaluate, through the scalar's origin (`ExpectationContext.origin`).
   */
  writtenAt?: SopLocation;
  /** A golden file `update` rewrote. */
  updated?: string;
}

export interface ExpectationContext {
  /** The test file's folder: golden files are relative to it. */
  baseDir: string;
  /** Rewrite golden files with what the run wrote (`sop test --update`). */
  update?: boolean;
  /**
   * The command that rewrites golden files, named when one is missing or differs (`sop test
   * --update`); without it (`sop eval`, which writes none) the failure names the run's file to copy.
   */
  updateCommand?: string;
  /**
   * The run was made by `sop eval` on a model no script answers (a provider, offline): a case has no
   * `answers` there, so a paused run is told the ways an eval has (a script model, a gate turned off by an input).
   */
  evalUnscripted?: boolean;
  /** Locates SOP parts for `sopLocation`; without it, results have none. */
  sop?: SopLocator;
  /**
   * Where a scalar of the expectations is written, by its pointer from the case
   * (`/expect/messages/0/where`): a `where` failing on its second line is then named at that line
   * of the file. Without it (or undefined: a CSV cell), a failure is located in the expression.
   */
  origin?(pointer: string): SourceOrigin | undefined;
}

/** Every expectation of `expect`, checked against `run`, in the order the file writes them. */
export function checkExpectations(run: ObservedRun, expect: Expectations, context: ExpectationContext): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const locate = (part: SopPart): { sopLocation?: SopLocation } => {
    const location = context.sop?.locate(part);
    return location ? { sopLocation: location } : {};
  };
  const failure = run.errorMessage ? ` (${run.errorCode}: ${run.errorMessage})` : run.status === 'awaiting_approval' ? awaitedGates(run.awaiting ?? [], context.evalUnscripted === true) : run.status === 'gate_stopped' ? stoppingGate(run.gates) : '';
  if (expect.status !== undefined) {
    // Scripted (and offline) calls cost nothing: an `investment` set to see the budget run out never does.
    const free = expect.status === 'budget_exhausted' && run.usage.costUsd === 0 && failure === ''
      ? ' (the run\'s model calls cost $0 (scripted or offline), so an `investment` never runs out: a token budget, the SOP\'s `settings.max_tokens`, does)'
      : failure;
    results.push(compare('expect.status', 'status', expect.status, run.status, run.status === expect.status ? '' : free));
  }
  if (expect.exit_code !== undefined) {
    results.push(compare('expect.exit_code', 'exit code', String(expect.exit_code), String(run.exitCode), run.exitCode === expect.exit_code ? '' : failure));
  }
  if (expect.error !== undefined) results.push(compare('expect.error', 'error code', expect.error, run.errorCode ?? 'none', ''));
  (expect.messages ?? []).forEach((entry, index) => results.push({ ...checkMessages(run.messages, entry, `expect.messages[${index}]`, context), ...locate({ messageType: entry.type, ...(entry.from === undefined ? {} : { from: entry.from }) }) }));
  if (expect.path !== undefined) results.push(checkPath(run.steps, expect.path, locate));
  (expect.not_ran ?? []).forEach((entry, index) => results.push({ ...checkNotRan(run.steps, entry, `expect.not_ran[${index}]`), ...locate(entry) }));
  (expect.artifacts ?? []).forEach((entry, index) => results.push({ ...checkArtifact(run, entry, `expect.artifacts[${index}]`, context, expect), ...locate({ artifact: entry.path }) }));
  (expect.gates ?? []).forEach((entry, index) => results.push({ ...checkGate(run.gates, entry, `expect.gates[${index}]`), ...locate({ gate: entry.gate }) }));
  if (expect.usage) {
    const { usage } = run;
    const tokens = usage.inputTokens + usage.outputTokens;
    const bound = (field: string, limit: number | undefined, actual: number, what: string): void => {
      if (limit !== undefined) results.push(atMost(`expect.usage.${field}`, what, limit, actual));
    };
    bound('max_cost_usd', expect.usage.max_cost_usd, usage.costUsd, 'cost (USD)');
    bound('max_tokens', expect.usage.max_tokens, tokens, 'tokens');
    bound('max_calls', expect.usage.max_calls, usage.calls, 'model calls');
    if (expect.usage.calls !== undefined) results.push(compare('expect.usage.calls', 'model calls', String(expect.usage.calls), String(usage.calls), ''));
  }
  return results;
}

/**
 * Why a run paused, for a status failure: no one is asked at a human gate in `sop test` or `sop eval`,
 * so the run waits; a scripted `human` answer decides it (a case's `answers`, a `--model script:FILE`).
 */
function awaitedGates(awaiting: readonly ObservedApproval[], evalUnscripted: boolean): string {
  const first = awaiting[0];
  if (first === undefined) return '';
  const gates = listNames(awaiting.map((pending) => `${pending.gate} (${pending.role} ${pending.action})`));
  const answer = `\`{ role: ${first.role}, action: ${first.action}, human: approve }\``;
  // An eval case holds no answers: on a provider the gate is turned off by an input the case gives.
  const ways = evalUnscripted
    ? `a \`--model script:FILE\` whose answer ${answer} decides it, an input the case sets that turns the gate off (\`human: { enabled: inputs.review }\`, the case's \`inputs: { review: false }\`)`
    : `a scripted answer ${answer} decides it`;
  return ` (human gate ${gates} awaits a decision and no one is asked here: ${ways}, or expect \`status: awaiting_approval\`)`;
}

/**
 * Which gate stopped the run and why, for a status failure: without it a case whose command gate
 * timed out (a hung command) said only `status was gate_stopped`.
 */
function stoppingGate(gates: readonly ObservedGate[]): string {
  const failed = gates.filter((gate) => gate.outcome === 'failed');
  const gate = failed.findLast((entry) => entry.onFail === 'stop') ?? failed.at(-1);
  if (gate === undefined) return '';
  // One line, cut: a command gate's feedback carries up to 2,000 characters of its output.
  const feedback = (gate.feedback ?? '').replace(/\s*\n\s*/g, '; ').trim();
  const cut = feedback.length > 200 ? `${textStart(feedback, 200)}…` : feedback;
  return ` (gate ${gate.gate} (${gate.role} ${gate.action}) stopped it${cut === '' ? '' : `: ${cut}`})`;
}

function compare(at: string, what: string, expected: string, actual: string, detail: string): ExpectationResult {
  const passed = expected === actual;
  return { path: at, passed, message: passed ? `${what} ${actual}` : `${what} was ${actual}, expected ${expected}${detail}`, expected, actual };
}

function atMost(at: string, what: string, limit: number, actual: number): ExpectationResult {
  const passed = actual <= limit;
  return { path: at, passed, message: passed ? `${what} ${actual} ≤ ${limit}` : `${what} ${actual} is above ${limit}`, expected: `≤ ${limit}`, actual: String(actual) };
}

/** `2`, `at least 1`, `between 1 and 3`. */
function describeCount(count: Count): string {
  if (typeof count === 'number') return String(count);
  if (count.min !== undefined && count.max !== undefined) return `between ${count.min} and ${count.max}`;
  return count.min !== undefined ? `at least ${count.min}` : `at most ${count.max}`;
}

function countHolds(count: Count, actual: number): boolean {
  if (typeof count === 'number') return actual === count;
  return (count.min === undefined || actual >= count.min) && (count.max === undefined || actual <= count.max);
}

function checkMessages(messages: ObservedMessage[], entry: MessageExpectation, at: string, context: ExpectationContext): ExpectationResult {
  const what = describeMessages(entry);
  let where: CompiledExpression | undefined;
  const whereText = entry.where === undefined ? undefined : whereExpression(entry.where, at, context);
  const whereFailed = (error: unknown): ExpectationResult => {
    const { reason, writtenAt } = whereFailure(error, whereText as WhereText);
    return { path: at, field: 'where', passed: false, message: `${what}: ${reason}`, ...(writtenAt ? { writtenAt } : {}) };
  };
  if (whereText !== undefined) {
    try {
      where = compileExpression(whereText);
    } catch (error) {
      return whereFailed(error);
    }
  }
  const ofType = messages.filter((message) => message.type === entry.type && (entry.from === undefined || message.from === entry.from) && (entry.to === undefined || message.to === entry.to));
  let matching: ObservedMessage[];
  try {
    matching = where ? ofType.filter((message) => where.evaluate({ payload: message.payload, message: { ...message } }) === true) : ofType;
  } catch (error) {
    return whereFailed(error);
  }
  const count = entry.count ?? { min: 1 };
  const passed = countHolds(count, matching.length);
  const seen = messages.length === 0 ? 'none' : tally(messages.map((message) => message.type));
  return {
    path: at,
    // Without a `count`, the entry itself says "at least one".
    ...(entry.count === undefined ? {} : { field: 'count' }),
    passed,
    message: passed ? `${matching.length} ${what}` : `${matching.length} ${what}, expected ${describeCount(count)}${entry.where !== undefined && ofType.length !== matching.length ? ` (${filteredOut(ofType, matching)})` : ''}`,
    expected: describeCount(count),
    actual: `${matching.length} (messages published: ${seen})`,
  };
}

/**
 * `1 before \`where\`, payload {"level":"low"}`: what the first message `where` left out carried, so a
 * failed `payload.level == 'critical'` says which value the run gave (an enum's other member, a
 * typo'd field) without opening the run's record.
 */
function filteredOut(ofType: ObservedMessage[], matching: ObservedMessage[]): string {
  const before = `${ofType.length} before \`where\``;
  const payload = ofType.find((message) => !matching.includes(message))?.payload;
  if (payload === undefined || payload === null) return before;
  const text = JSON.stringify(payload);
  return `${before}, ${ofType.length - matching.length === 1 ? 'payload' : 'the first left out has payload'} ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}

function describeMessages(entry: MessageExpectation): string {
  const parts = [`${entry.type} message(s)`];
  if (entry.from !== undefined) parts.push(`from ${entry.from}`);
  if (entry.to !== undefined) parts.push(`to ${entry.to}`);
  if (entry.where !== undefined) parts.push(`where ${expressionExcerpt(entry.where)}`);
  return parts.join(' ');
}

/** `PRD 2, SystemDesign 1`. */
function tally(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ${count}`).join(', ');
}

function stepMatches(step: ObservedStep, entry: StepExpectation | NotRanExpectation): boolean {
  return step.role === entry.role && (entry.action === undefined || step.action === entry.action) && (!('round' in entry) || entry.round === undefined || step.round === entry.round);
}

function describeStep(entry: StepExpectation | NotRanExpectation): string {
  const round = 'round' in entry && entry.round !== undefined ? ` in round ${entry.round}` : '';
  return `${entry.role}${entry.action === undefined ? '' : `.${entry.action}`}${round}`;
}

function describeSteps(steps: ObservedStep[]): string {
  return steps.length === 0 ? 'nothing ran' : steps.map((step) => `${step.round}:${step.role}.${step.action}`).join(' → ');
}

/** The path is an ordered subsequence of the steps that ran: each entry after the one before it. */
function checkPath(steps: ObservedStep[], path: StepExpectation[], locate: (part: SopPart) => { sopLocation?: SopLocation }): ExpectationResult {
  let from = 0;
  for (const [index, entry] of path.entries()) {
    const found = steps.findIndex((step, position) => position >= from && stepMatches(step, entry));
    if (found < 0) {
      const ranEarlier = steps.slice(0, from).some((step) => stepMatches(step, entry));
      return {
        path: `expect.path[${index}]`,
        passed: false,
        message: `${describeStep(entry)} did not run${index > 0 ? ` after ${describeStep(path[index - 1] as StepExpectation)}` : ''}${ranEarlier ? ' (it ran before)' : ''}`,
        expected: path.map(describeStep).join(' → '),
        actual: describeSteps(steps),
        ...locate(entry),
      };
    }
    from = found + 1;
  }
  return { path: 'expect.path', passed: true, message: `path ${path.map(describeStep).join(' → ')}` };
}

function checkNotRan(steps: ObservedStep[], entry: NotRanExpectation, at: string): ExpectationResult {
  const ran = steps.filter((step) => stepMatches(step, entry));
  const passed = ran.length === 0;
  return {
    path: at,
    passed,
    message: passed ? `${describeStep(entry)} did not run` : `${describeStep(entry)} ran in round ${ran.map((step) => step.round).join(', ')}`,
    expected: 'not run',
    actual: describeSteps(ran),
  };
}

function checkArtifact(run: Pick<ObservedRun, 'workspace' | 'written' | 'pending' | 'rejected' | 'awaiting' | 'status'>, entry: ArtifactExpectation, at: string, context: ExpectationContext, expect: Expectations): ExpectationResult {
  const file = path.join(run.workspace, entry.path);
  const fail = (field: keyof ArtifactExpectation, message: string, expected?: string, actual?: string): ExpectationResult => ({
    path: at,
    field,
    passed: false,
    message: `${entry.path}: ${message}`,
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  });
  // Refused when the file is read (test files and datasets); kept here for callers of the library.
  const escape = literalEscape(entry.path);
  if (escape !== undefined) return fail('path', `the path ${escape}: only the run's workspace is checked`);
  const exists = existsSync(file);
  if (entry.absent) return exists ? fail('absent', 'exists, expected absent', 'absent', 'exists') : { path: at, passed: true, message: `${entry.path} is absent` };
  if (!exists) return fail(entry.exists === undefined ? 'path' : 'exists', `was not written${writtenInstead(entry.path, run.written)}`, 'exists', 'absent');
  if (entry.exists === false) return fail('exists', 'exists, expected absent', 'absent', 'exists');
  // A draft no gate accepted is not what the run produced: checking it would pass on an unapproved file.
  const draft = undecidedDraft(run, entry.path, expect);
  if (draft !== undefined) return fail('path', `not checked: it ${draft}`, 'a file the run accepted', 'a draft');
  const checksContent = [entry.contains, entry.matches, entry.where, entry.golden].some((check) => check !== undefined);
  if (!checksContent) return { path: at, passed: true, message: `${entry.path} exists` };
  if (statSync(file).isDirectory()) return fail('path', 'is a folder: its content cannot be checked', 'a file', 'a folder');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail('path', `cannot be read: ${reason(error)}`);
  }
  if (entry.contains !== undefined && !text.includes(entry.contains)) return fail('contains', `does not contain ${JSON.stringify(entry.contains)}`, entry.contains, text);
  if (entry.matches !== undefined) {
    const problem = regexProblem(entry.matches);
    if (problem !== undefined) return fail('matches', `\`matches\` is not a valid RE2 regular expression: ${problem}`);
    if (!regexMatches(text, entry.matches)) return fail('matches', `does not match /${entry.matches}/`, `/${entry.matches}/`, text);
  }
  if (entry.where !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return fail('where', `is not JSON (for \`where\`): ${(error as Error).message}`);
    }
    const whereText = whereExpression(entry.where, at, context);
    try {
      const expression = compileExpression(whereText);
      if (expression.evaluate({ json }) !== true) return fail('where', `\`${expressionExcerpt(entry.where)}\` is false`, entry.where, text);
    } catch (error) {
      const { reason, writtenAt } = whereFailure(error, whereText);
      return { ...fail('where', `${reason}${fieldsOfJson(reason, entry.where, json)}`), ...(writtenAt ? { writtenAt } : {}) };
    }
  }
  if (entry.golden !== undefined) {
    try {
      const golden = compareGolden(path.resolve(context.baseDir, entry.golden), text, context.update === true);
      if (golden === 'updated') return { path: at, passed: true, message: `${entry.path}: golden ${entry.golden} updated`, updated: entry.golden };
      const fix = (verb: string): string => (context.updateCommand ? `\`${context.updateCommand}\` ${verb} it` : `to accept the run's file, copy ${file} there`);
      if (golden === 'missing') return fail('golden', `golden file ${entry.golden} does not exist (${fix('writes')})`);
      if (golden !== 'same') return fail('golden', `differs from golden ${entry.golden} (${fix('rewrites')})`, golden.expected, text);
    } catch (error) {
      // A golden that cannot be read or (with --update) written fails this check, located, not the whole command.
      return fail('golden', `golden file ${entry.golden} cannot be ${context.update ? 'updated' : 'read'}: ${reason(error)}`);
    }
  }
  return { path: at, passed: true, message: `${entry.path} as expected` };
}

/** Most of the run's files a missing artifact's failure lists. */
const SHOWN_WRITTEN_FILES = 10;

/**
 * What the run wrote instead of a file it did not write, so a wrong name (`fix.md` for `FIX.md`, a
 * typo) is seen in the failure (an artifact expectation's, an eval rubric's `of`): the nearest file,
 * then the files (sorted, the first ten).
 */
export function writtenInstead(file: string, written: readonly string[] | undefined): string {
  if (written === undefined) return '';
  if (written.length === 0) return '; the run wrote no file';
  const meant = didYouMean(file, written);
  return `${meant === undefined ? '' : ` (${meant})`}; the run wrote: ${listNames(written, SHOWN_WRITTEN_FILES)}`;
}

function checkGate(gates: ObservedGate[], entry: GateExpectation, at: string): ExpectationResult {
  const checks = gates.filter((gate) => gate.gate === entry.gate);
  const outcomes = checks.map((gate) => gate.outcome);
  const fail = (field: keyof GateExpectation, message: string, expected: string, actual: string): ExpectationResult => ({ path: at, field, passed: false, message: `gate ${entry.gate}: ${message}`, expected, actual });
  if (entry.outcomes !== undefined && outcomes.join(',') !== entry.outcomes.join(',')) {
    return fail('outcomes', `outcomes were [${outcomes.join(', ')}], expected [${entry.outcomes.join(', ')}]`, entry.outcomes.join(', '), outcomes.join(', ') || 'never checked');
  }
  if (entry.revisions !== undefined) {
    const revisions = checks.filter((gate) => gate.onFail === 'revise').length;
    if (!countHolds(entry.revisions, revisions)) return fail('revisions', `caused ${revisions} revision(s), expected ${describeCount(entry.revisions)}`, describeCount(entry.revisions), String(revisions));
  }
  if (entry.routed_to !== undefined) {
    const routed = checks.flatMap((gate) => (gate.routedTo === undefined ? [] : [gate.routedTo]));
    if (!routed.includes(entry.routed_to)) return fail('routed_to', `routed to ${routed.join(', ') || 'nothing'}, expected ${entry.routed_to}`, entry.routed_to, routed.join(', ') || 'nothing');
  }
  if (entry.outcomes === undefined && entry.revisions === undefined && entry.routed_to === undefined && checks.length === 0) {
    return fail('gate', 'never checked', 'checked at least once', 'never checked');
  }
  return { path: at, passed: true, message: `gate ${entry.gate}: [${outcomes.join(', ')}]` };
}

/**
 * A `where` as a CEL expression whose errors are placed where the file writes it (`cases.yaml:12:23`,
 * through `context.origin`), else in the expression itself (`expect.messages[0].where:2:11`).
 */
function whereExpression(source: string, at: string, context: ExpectationContext): WhereText {
  const pointer = `${pointerOfPath(at)}/where`;
  const origin = context.origin?.(pointer);
  return { source, origin: origin ?? { file: `${at}.where`, line: 1, column: 1, pointer, lineOffset: 0 }, inFile: origin !== undefined };
}

/** A `where`'s expression; `inFile` when its errors are located in the file. */
interface WhereText extends ExpressionText {
  inFile: boolean;
}

/**
 * Why a `where` failed and, when its origin is the file's, where in the file (`writtenAt`): the
 * reason then goes without the position, which the failure's location gives.
 */
function whereFailure(error: unknown, where: WhereText): { reason: string; writtenAt?: SopLocation } {
  const first = isSopError(error) ? error.diagnostics[0] : undefined;
  if (!where.inFile || first?.file === undefined || first.line === undefined || first.column === undefined) return { reason: namingWhere(reason(error)) };
  return { reason: namingWhere(first.message), writtenAt: { file: first.file, line: first.line, column: first.column } };
}

/**
 * The failure's own words, once (`the \`where\` expression \`…\` failed: No such key: x`): an
 * evaluation's already name the field; a compile error's `expression does not parse` is given it.
 */
function namingWhere(message: string): string {
  return message.replace(/^((?:\S+:\d+:\d+: )?)expression /, '$1the `where` expression ');
}

/**
 * `; the file has: approved, issues, summary (did you mean \`approved\`?)` after a `where` that read
 * `json.aproved`, a field the file's top level lacks (no schema names the fields of a file).
 */
function fieldsOfJson(reason: string, where: string, json: unknown): string {
  const key = /No such key: (\w+)/.exec(reason)?.[1];
  if (key === undefined || json === null || typeof json !== 'object' || Array.isArray(json) || Object.hasOwn(json, key)) return '';
  if (!new RegExp(`(^|[^\\w.])json\\s*\\.\\s*${key}\\b`).test(where)) return '';
  const fields = Object.keys(json);
  const meant = didYouMean(key, fields);
  return fields.length === 0 ? '; the file holds an empty object' : `; the file's fields: ${listNames(fields, SHOWN_WRITTEN_FILES)}${meant === undefined ? '' : ` (${meant})`}`;
}

/** Compares a golden file with what the run wrote; with `update`, rewrites it when they differ. Throws what the file system throws. */
function compareGolden(golden: string, text: string, update: boolean): 'same' | 'updated' | 'missing' | { expected: string } {
  const kind = existsSync(golden) ? notRegularFile(statSync(golden)) : undefined;
  // A named pipe would be read for ever; "cannot read" is the caller's message for a thrown error.
  if (kind !== undefined) throw Object.assign(new Error(`it is ${kind}; expected a regular file`), { code: 'ENOTREGULAR' });
  const current = existsSync(golden) ? readFileSync(golden, 'utf8') : undefined;
  if (current === text) return 'same';
  if (!update) return current === undefined ? 'missing' : { expected: current };
  mkdirSync(path.dirname(golden), { recursive: true });
  writeFileSync(golden, text);
  return 'updated';
}

function reason(error: unknown): string {
  return isSopError(error) || error instanceof Error ? error.message : String(error);
}
