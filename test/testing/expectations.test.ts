import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExpectations, observeEvents, SopLocator, type Expectations, type ObservedRun } from '../../src/testing/index.js';
import { repoRoot } from '../cli/run-cli.js';

/**
 * checkExpectations over a finished run given as plain data (no model, no run): each kind of
 * expectation passing and failing, with what was expected, what happened and the SOP line involved.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-expect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workspace = path.join(dir, 'workspace');
mkdirSync(path.join(workspace, 'docs'), { recursive: true });
writeFileSync(path.join(workspace, 'docs', 'prd.md'), '# PRD\n\nUser stories\n- one\n');
writeFileSync(path.join(workspace, 'out.json'), JSON.stringify({ items: [1, 2, 3] }));
writeFileSync(path.join(dir, 'golden.md'), '# PRD\n\nUser stories\n- two\n');

const SOP = path.join(repoRoot, 'sops', 'software-company.yaml');
const locator = SopLocator.read(SOP, 'sops/software-company.yaml');
/** The 1-based line of the first line of the SOP containing `text`. */
function lineOf(text: string): number {
  return readFileSync(SOP, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

/** Events as the run journal holds them (only what observeEvents reads). */
const events = [
  { seq: 1, type: 'message-published', round: 0, message: { type: 'UserRequirement', from: 'user', to: null, round: 0, payload: null } },
  { seq: 2, type: 'action-start', round: 1, role: 'product_manager', action: 'write_prd', message: 'm1' },
  { seq: 3, type: 'gate-failed', round: 1, role: 'product_manager', action: 'write_prd', message: 'm1', gate: 'prd-is-testable', onFail: 'revise', feedback: 'no user', attempt: 1 },
  { seq: 4, type: 'gate-passed', round: 1, role: 'product_manager', action: 'write_prd', message: 'm1', gate: 'prd-is-testable' },
  { seq: 5, type: 'message-published', round: 1, message: { type: 'PRD', from: 'product_manager', to: null, round: 1, payload: { title: 'Todo', stories: 2 } } },
  { seq: 6, type: 'action-start', round: 2, role: 'architect', action: 'write_design', message: 'm2' },
  { seq: 7, type: 'gate-failed', round: 2, role: 'architect', action: 'write_design', message: 'm2', gate: 'keeps-prd-language', onFail: 'route', feedback: 'wrong language', attempt: 3 },
  { seq: 8, type: 'message-published', round: 2, message: { type: 'BugReport', from: 'architect', to: null, round: 2, payload: { gate: 'keeps-prd-language', action: 'write_design', feedback: 'x' } } },
];

const run: ObservedRun = {
  status: 'completed',
  exitCode: 0,
  ...observeEvents(events),
  usage: { costUsd: 0.25, inputTokens: 1000, outputTokens: 500, calls: 4 },
  workspace,
  written: ['docs/prd.md', 'out.json'],
  runDir: path.join(dir, 'runs'),
};

function check(expect: Expectations, update = false) {
  return checkExpectations(run, expect, { baseDir: dir, update, updateCommand: 'sop test --update', sop: locator });
}

describe('observing a run from its events', () => {
  it('reads messages, steps, gates with their attempts, and the type a failing gate routed to', () => {
    expect(run.steps).toEqual([
      { round: 1, role: 'product_manager', action: 'write_prd' },
      { round: 2, role: 'architect', action: 'write_design' },
    ]);
    expect(run.gates).toEqual([
      { gate: 'prd-is-testable', role: 'product_manager', action: 'write_prd', attempt: 1, outcome: 'failed', onFail: 'revise', feedback: 'no user' },
      { gate: 'prd-is-testable', role: 'product_manager', action: 'write_prd', attempt: 2, outcome: 'passed' },
      { gate: 'keeps-prd-language', role: 'architect', action: 'write_design', attempt: 3, outcome: 'failed', onFail: 'route', feedback: 'wrong language', routedTo: 'BugReport' },
    ]);
    expect(run.messages.map((message) => [message.seq, message.type, message.from])).toEqual([
      [1, 'UserRequirement', 'user'],
      [5, 'PRD', 'product_manager'],
      [8, 'BugReport', 'architect'],
    ]);
  });
});

describe('checkExpectations', () => {
  it('status, exit code and error: equal or not, with the run\'s error when it failed', () => {
    expect(check({ status: 'completed', exit_code: 0 }).map((result) => result.passed)).toEqual([true, true]);
    const [status, code, error] = check({ status: 'stalled', exit_code: 4, error: 'ACTION_FAILED' });
    expect(status).toMatchObject({ path: 'expect.status', passed: false, message: 'status was completed, expected stalled', expected: 'stalled', actual: 'completed' });
    expect(code).toMatchObject({ path: 'expect.exit_code', passed: false, expected: '4', actual: '0' });
    expect(error).toMatchObject({ path: 'expect.error', passed: false, actual: 'none' });
  });

  it('messages: by type, sender, recipient and CEL `where`, counted exactly, by bounds, or at least one', () => {
    const results = check({
      messages: [
        { type: 'PRD' },
        { type: 'PRD', from: 'product_manager', where: "payload.title == 'Todo' && message.round == 1", count: 1 },
        { type: 'PRD', count: { min: 2 } },
        { type: 'PRD', where: 'payload.stories > 5' },
        { type: 'SystemDesign', count: 0 },
      ],
    });
    expect(results.map((result) => result.passed)).toEqual([true, true, false, false, true]);
    expect(results[2]).toMatchObject({ path: 'expect.messages[2]', message: '1 PRD message(s), expected at least 2', actual: '1 (messages published: UserRequirement 1, PRD 1, BugReport 1)' });
    expect(results[3]?.message).toBe('0 PRD message(s) where payload.stories > 5, expected at least 1 (1 before `where`, payload {"title":"Todo","stories":2})');
    // The action that outputs the type; for a type no action outputs, its declaration.
    expect(results[2]?.sopLocation).toEqual({ file: 'sops/software-company.yaml', line: lineOf('- id: write_prd'), column: 9 });
    expect(check({ messages: [{ type: 'UserRequirement', count: 2 }] })[0]?.sopLocation).toEqual({ file: 'sops/software-company.yaml', line: lineOf('  UserRequirement:'), column: 3 });
  });

  it('a `where` that does not compile fails the expectation with the reason', () => {
    const [result] = check({ messages: [{ type: 'PRD', where: 'payload.title ==' }] });
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^PRD message\(s\) where payload\.title ==: expect\.messages\[0\]\.where:1:\d+: the `where` expression does not parse/) });
  });

  it('path: an ordered subsequence; the first step missing is named, with the steps that ran and its action\'s SOP line', () => {
    expect(check({ path: [{ role: 'product_manager', round: 1 }, { role: 'architect', action: 'write_design' }] })).toEqual([
      { path: 'expect.path', passed: true, message: 'path product_manager in round 1 → architect.write_design' },
    ]);
    const [out] = check({ path: [{ role: 'architect', action: 'write_design' }, { role: 'product_manager', action: 'write_prd' }] });
    expect(out).toMatchObject({
      path: 'expect.path[1]',
      passed: false,
      message: 'product_manager.write_prd did not run after architect.write_design (it ran before)',
      actual: '1:product_manager.write_prd → 2:architect.write_design',
      sopLocation: { file: 'sops/software-company.yaml', line: lineOf('- id: write_prd'), column: 9 },
    });
  });

  it('not_ran: an action, or a whole role', () => {
    const results = check({ not_ran: [{ role: 'engineer' }, { role: 'architect', action: 'write_design' }] });
    expect(results.map((result) => [result.passed, result.message])).toEqual([
      [true, 'engineer did not run'],
      [false, 'architect.write_design ran in round 2'],
    ]);
    expect(results[0]?.sopLocation?.line).toBe(lineOf('  engineer:'));
  });

  it('artifacts: absent, exists, contains, matches (RE2), where (CEL over the JSON), golden', () => {
    const results = check({
      artifacts: [
        { path: 'docs/prd.md', contains: 'User stories', matches: '^# PRD' },
        { path: 'BUGS.md', absent: true },
        { path: 'out.json', where: 'json.items.size() == 3' },
        { path: 'docs/prd.md', contains: 'Acceptance' },
        { path: 'docs/prd.md', matches: '^User' },
        { path: 'docs/missing.md' },
        { path: 'out.json', where: 'json.items.size() == 2' },
        { path: 'docs/prd.md', golden: 'golden.md' },
      ],
    });
    expect(results.map((result) => result.passed)).toEqual([true, true, true, false, false, false, false, false]);
    expect(results[3]?.message).toBe('docs/prd.md: does not contain "Acceptance"');
    expect(results[5]).toMatchObject({ message: 'docs/missing.md: was not written; the run wrote: docs/prd.md, out.json', expected: 'exists', actual: 'absent' });
    expect(results[7]).toMatchObject({ message: 'docs/prd.md: differs from golden golden.md (`sop test --update` rewrites it)', expected: '# PRD\n\nUser stories\n- two\n', actual: '# PRD\n\nUser stories\n- one\n' });
    // The artifact's declaration in the SOP.
    expect(results[0]?.sopLocation?.line).toBe(lineOf('- path: docs/prd.md'));
  });

  it('a file the run did not write: the files it wrote, the near one as "did you mean"; none said when it wrote none, nothing listed for an ObservedRun without them', () => {
    const expectations = { artifacts: [{ path: 'Docs/PRD.md' }] };
    expect(checkExpectations(run, expectations, { baseDir: dir })[0]?.message).toBe('Docs/PRD.md: was not written (did you mean `docs/prd.md`?); the run wrote: docs/prd.md, out.json');
    expect(checkExpectations({ ...run, written: [] }, expectations, { baseDir: dir })[0]?.message).toBe('Docs/PRD.md: was not written; the run wrote no file');
    const { written: _written, ...byHand } = run;
    expect(checkExpectations(byHand, expectations, { baseDir: dir })[0]?.message).toBe('Docs/PRD.md: was not written');
  });

  it('golden without an update command (sop eval writes no golden file): the failure names the run\'s file to copy instead', () => {
    const [differs, missing] = checkExpectations(run, { artifacts: [{ path: 'docs/prd.md', golden: 'golden.md' }, { path: 'docs/prd.md', golden: 'nowhere.md' }] }, { baseDir: dir, sop: locator });
    const written = path.join(run.workspace, 'docs', 'prd.md');
    expect(differs?.message).toBe(`docs/prd.md: differs from golden golden.md (to accept the run's file, copy ${written} there)`);
    expect(missing?.message).toBe(`docs/prd.md: golden file nowhere.md does not exist (to accept the run's file, copy ${written} there)`);
    expect(`${differs?.message} ${missing?.message}`).not.toContain('--update');
  });

  it('golden with update: the golden file is rewritten and the expectation passes, saying so', () => {
    const [result] = check({ artifacts: [{ path: 'docs/prd.md', golden: 'golden.md' }] }, true);
    expect(result).toMatchObject({ passed: true, updated: 'golden.md' });
    expect(readFileSync(path.join(dir, 'golden.md'), 'utf8')).toBe('# PRD\n\nUser stories\n- one\n');
    expect(check({ artifacts: [{ path: 'docs/prd.md', golden: 'golden.md' }] })[0]?.passed).toBe(true);
  });

  it('gates: the exact outcomes, the revisions they caused, the type they routed to, at the gate\'s SOP line', () => {
    const results = check({
      gates: [
        { gate: 'prd-is-testable', outcomes: ['failed', 'passed'], revisions: 1 },
        { gate: 'keeps-prd-language', routed_to: 'BugReport' },
        { gate: 'prd-is-testable', outcomes: ['passed'] },
        { gate: 'prd-is-testable', revisions: 2 },
        { gate: 'keeps-prd-language', routed_to: 'PRD' },
        { gate: 'approve-plan' },
      ],
    });
    expect(results.map((result) => [result.passed, result.message])).toEqual([
      [true, 'gate prd-is-testable: [failed, passed]'],
      [true, 'gate keeps-prd-language: [failed]'],
      [false, 'gate prd-is-testable: outcomes were [failed, passed], expected [passed]'],
      [false, 'gate prd-is-testable: caused 1 revision(s), expected 2'],
      [false, 'gate keeps-prd-language: routed to BugReport, expected PRD'],
      [false, 'gate approve-plan: never checked'],
    ]);
    expect(results[2]?.sopLocation).toEqual({ file: 'sops/software-company.yaml', line: lineOf('- name: prd-is-testable'), column: 13 });
  });

  it('usage: cost, tokens and calls bounded, calls exact', () => {
    const results = check({ usage: { max_cost_usd: 0.5, max_tokens: 1000, max_calls: 4, calls: 3 } });
    expect(results.map((result) => [result.path, result.passed, result.message])).toEqual([
      ['expect.usage.max_cost_usd', true, 'cost (USD) 0.25 ≤ 0.5'],
      ['expect.usage.max_tokens', false, 'tokens 1500 is above 1000'],
      ['expect.usage.max_calls', true, 'model calls 4 ≤ 4'],
      ['expect.usage.calls', false, 'model calls was 4, expected 3'],
    ]);
  });
});
