import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, lastRun, project, run } from './providers-helpers.js';

/**
 * `sop run --model script:FILE` end to end (the real CLI): scripts make SOPs take the branches the
 * offline model never takes (a judge that rejects, a reviewer who asks for changes, a route to the
 * second category, a tool call), a strict script names the call it could not answer, and a broken
 * script is refused before the run with the line and column of each problem.
 */
const DESK = path.join(repoRoot, 'test', 'fixtures', 'script', 'desk.yaml');
const TECHNICAL = path.join(repoRoot, 'test', 'fixtures', 'script', 'technical.script.yaml');

afterAll(removeTempDirs);

/** A project folder holding `answers.yaml` with these answers. */
function withScript(answers: string, header = 'apiVersion: sop-script/v1\n'): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'answers.yaml'), `${header}answers:\n${answers}`);
  return cwd;
}

function ofType(events: any[], type: string): any[] {
  return events.filter((event) => event.type === type);
}

describe('the scripted model', () => {
  it('a judge that rejects the PRD sends it back for revision; the revision passes', async () => {
    const cwd = withScript(
      [
        '  - role: product_manager',
        '    action: write_prd',
        '    gate: prd-is-testable',
        '    attempt: 1',
        '    judge: { score: 3, reasons: ["the stories name no user"] }',
        '  - { role: product_manager, action: write_prd, gate: prd-is-testable, attempt: 2, judge: { score: 8 } }',
      ].join('\n'),
    );
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--workspace', 'out'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('model: script:answers.yaml');
    // What the script left to the offline model, to script next.
    // No human gate is on (review is off): the note names only the offline model.
    expect(result.stderr).toMatch(/script answers\.yaml had no answer for \d+ calls \(the offline model answered\):\n/);
    expect(result.stderr).toContain('  role "architect", action "write_design", output, attempt 1\n');
    const { events, report } = lastRun(cwd);
    const judged = events.filter((event) => event.gate === 'prd-is-testable' && event.type.startsWith('gate-'));
    expect(judged.map((event) => [event.type, event.score, event.onFail])).toEqual([
      ['gate-failed', 3, 'revise'],
      ['gate-passed', 8, undefined],
    ]);
    expect(judged[0].feedback).toContain('the stories name no user');
    // Two PRDs and two verdicts: the revise path ran.
    expect(report.usage.byAction.write_prd.calls).toBe(4);
    expect(report.gates['write_prd/prd-is-testable']).toMatchObject({ checks: 2, passed: 1 });
    // The revision answers were used: no warning about them.
    expect(result.stderr).not.toContain('answered no call');
  });

  it('revision answers (attempt 2) the run never reached, their action having run, are named in one warning at the end, at their `attempt:`', async () => {
    const answers = [
      '  - { role: product_manager, action: write_prd, gate: prd-is-testable, attempt: 1, judge: { score: 9 } }',
      '  - { role: product_manager, action: write_prd, attempt: 2, output: "# PRD, revised" }',
      '  - { role: product_manager, action: write_prd, gate: prd-is-testable, attempt: 2, judge: { score: 8 } }',
      // An action that never runs (no bug report without --input bug=...): a branch not taken, left alone.
      '  - { role: engineer, action: fix_bug, attempt: 2, output: "fixed" }',
    ];
    const cwd = withScript(answers.join('\n'));
    /** `line:col` of `attempt:`'s value in the answer on line `line` (the answers start on line 3). */
    const at = (line: number): string => `${line}:${(answers[line - 3] as string).indexOf('attempt: ') + 'attempt: '.length + 1}`;
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--workspace', 'out', '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const warning = `script answers.yaml: 2 answers for a revision answered no call: answers.yaml:${at(4)} (role "product_manager", action "write_prd", output, attempt 2); answers.yaml:${at(5)} (role "product_manager", action "write_prd", gate "prd-is-testable", judge, attempt 2): their action ran, but no gate asked for that attempt (it passed before, or the run ended first)`;
    expect(result.stderr.split('\n').filter((line) => line.includes('answered no call'))).toEqual([`warning: ${warning}`]);
    expect(JSON.parse(result.stdout).warnings).toContainEqual({ message: warning });
  });

  it('after a resume, revisions made before it (answered again from the journal) are not named unused; one the run never reached still is', async () => {
    const cwd = withScript(
      [
        '  - { role: writer, action: write, attempt: 1, output: "no title" }',
        '  - { role: writer, action: write, gate: good, attempt: 1, judge: { score: 3, reasons: ["no title"] } }',
        '  - { role: writer, action: write, attempt: 2, output: "# Title" }',
        '  - { role: writer, action: write, gate: good, attempt: 2, judge: { score: 9 } }',
        '  - { role: writer, action: write, attempt: 5, output: "# never asked" }',
        '  - { role: writer, action: write, output: "# Title again" }',
        '  - { role: writer, action: write, gate: good, judge: { score: 9 } }',
      ].join('\n'),
    );
    // A judge gate that asks one revision, then a human gate the script leaves to a person: the run pauses there.
    writeFileSync(path.join(cwd, 'sop.yaml'), [
      'apiVersion: sop/v1', 'kind: SOP', 'metadata: { name: revs, version: 1.0.0 }', 'messages: { Idea: {}, Draft: {} }',
      'start: [{ type: Idea, content: "{{ inputs.idea }}" }]', 'roles:', '  writer:', '    profile: Writer', '    watch: [Idea]', '    actions:',
      '      - id: write', '        prompt: "draft {{ message.content }}{% if feedback != \'\' %} FIX: {{ feedback }}{% endif %}"', '        output: { type: Draft }',
      '        gates:', '          - { name: good, judge: { rubric: "Has a title", min_score: 7 }, on_fail: { revise: 3 } }',
      '          - { name: approve, human: { prompt: "Ship it?" }, on_fail: { revise: 2 } }', 'stop_when: { type: Draft }', '',
    ].join('\n'));
    const first = await run(cwd, ['run', 'sop.yaml', 'an idea', '--model', 'script:answers.yaml'], {});
    expect(first.code, first.stderr).toBe(8);
    const unusedAttempt5 = 'script answers.yaml: an answer for a revision answered no call: answers.yaml:7:45 (role "writer", action "write", output, attempt 5): its action ran';
    expect(first.stderr).toContain(`warning: ${unusedAttempt5}`);
    // The rejection is a third output: the script's attempts 1 and 2 come from the journal, not the script.
    const resumed = await run(cwd, ['resume', path.basename(lastRun(cwd).dir), '--reject', 'shorter'], {});
    expect(resumed.code, resumed.stderr).toBe(8);
    expect(resumed.stderr.split('\n').filter((line) => line.includes('answered no call'))).toEqual([expect.stringContaining(`warning: ${unusedAttempt5}`)]);
  });

  it('a reviewer rejects the plan with feedback, then approves the revision (no terminal, no resume)', async () => {
    const cwd = withScript(
      [
        '  - { role: project_manager, action: write_tasks, gate: approve-plan, attempt: 1, human: { reject: "one task per module, please" } }',
        '  - { role: project_manager, action: write_tasks, gate: approve-plan, attempt: 2, human: approve }',
      ].join('\n'),
    );
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--input', 'review=true', '--workspace', 'out'], {});
    expect(result.code, result.stderr).toBe(0);
    const { events } = lastRun(cwd);
    expect(ofType(events, 'approval-decided').map((event) => [event.decision, event.by, event.feedback])).toEqual([
      ['reject', 'script', 'one task per module, please'],
      ['approve', 'script', undefined],
    ]);
    expect(ofType(events, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'approve-plan', onFail: 'revise', attempt: 1 })]);
    expect(existsSync(path.join(cwd, 'out', 'tests'))).toBe(true);
  });

  it('routes a ticket to the second category after a tool call, where the offline model always picks the first', async () => {
    const cwd = project();
    mkdirSync(path.join(cwd, 'ws'));
    writeFileSync(path.join(cwd, 'ws', 'faq.md'), 'Reinstalling fixes most crashes.\n');
    const offline = await run(cwd, ['run', DESK, 'my app crashes on start', '--workspace', 'offline-ws'], {});
    expect(offline.code, offline.stderr).toBe(0);
    expect(ofType(lastRun(cwd).events, 'action-start').map((event) => event.action)).toEqual(['route', 'answer_billing']);

    const scripted = await run(cwd, ['run', DESK, 'my app crashes on start', '--model', `script:${TECHNICAL}`, '--workspace', 'ws'], {});
    expect(scripted.code, scripted.stderr).toBe(0);
    const { events } = lastRun(cwd);
    expect(ofType(events, 'action-start').map((event) => event.action)).toEqual(['route', 'answer_technical']);
    expect(ofType(events, 'tool-call-end')).toEqual([expect.objectContaining({ action: 'route', tool: 'fs.read', ok: true })]);
    expect(events.filter((event) => event.type.startsWith('gate-')).map((event) => [event.gate, event.type])).toEqual([
      ['polite', 'gate-failed'],
      ['polite', 'gate-passed'],
      ['sign-off', 'gate-passed'],
    ]);
    expect(readFileSync(path.join(cwd, 'ws', 'reply.md'), 'utf8')).toBe('Sorry for the trouble! Please reinstall the app; it fixes the crash.');
  });

  it('with --event-prompts a tool call keeps the result the model got (masked, cut after 8192 characters) and report.html shows it; without, the event has none', async () => {
    const cwd = project();
    mkdirSync(path.join(cwd, 'ws'));
    const filler = 'x'.repeat(9000);
    writeFileSync(path.join(cwd, 'ws', 'faq.md'), `Reinstalling fixes most crashes. Key: ${TEST_KEY}\n${filler}`);
    const args = ['run', DESK, 'my app crashes on start', '--model', `script:${TECHNICAL}`, '--workspace', 'ws'];

    const kept = await run(cwd, [...args, '--event-prompts'], { OPENAI_API_KEY: TEST_KEY });
    expect(kept.code, kept.stderr).toBe(0);
    const record = lastRun(cwd);
    const [read] = ofType(record.events, 'tool-call-end');
    const shownLength = `Reinstalling fixes most crashes. Key: ***\n`.length + filler.length;
    expect(read.result).toBe(`Reinstalling fixes most crashes. Key: ***\n${filler}`.slice(0, 8192) + `\n[cut: ${shownLength - 8192} more characters went to the model]`);
    const html = readFileSync(path.join(record.dir, 'report.html'), 'utf8');
    expect(html).toContain('Reinstalling fixes most crashes. Key: ***');
    for (const file of ['journal.jsonl', 'report.html']) expect(readFileSync(path.join(record.dir, file), 'utf8')).not.toContain(TEST_KEY);

    const plain = await run(cwd, args, { OPENAI_API_KEY: TEST_KEY });
    expect(plain.code, plain.stderr).toBe(0);
    const [bare] = ofType(lastRun(cwd).events, 'tool-call-end');
    expect(bare).toMatchObject({ tool: 'fs.read', ok: true });
    expect(bare).not.toHaveProperty('result');
  });

  it('an invalid route is repaired by the re-ask answer, and the reviewer\'s edit replaces the reply', async () => {
    const cwd = withScript(
      [
        '  - { role: triage, action: route, output: { category: hardware, summary: "crash on start" } }',
        '  - { role: triage, action: route, reask: { category: technical, summary: "crash on start" } }',
        '  - { role: technical, action: answer_technical, output: "Reinstall." }',
        '  - { role: technical, action: answer_technical, judge: { score: 9 } }',
        '  - { role: technical, action: answer_technical, gate: sign-off, human: { edit: "Sorry about the crash: please reinstall." } }',
      ].join('\n'),
    );
    const result = await run(cwd, ['run', DESK, 'my app crashes', '--model', 'script:answers.yaml', '--workspace', 'ws'], {});
    expect(result.code, result.stderr).toBe(0);
    const { events } = lastRun(cwd);
    expect(ofType(events, 'output-invalid')).toEqual([expect.objectContaining({ action: 'route', attempt: 1 })]);
    expect(ofType(events, 'output-invalid')[0].errors.join('\n')).toContain('category');
    expect(ofType(events, 'action-start').map((event) => event.action)).toEqual(['route', 'answer_technical']);
    expect(ofType(events, 'approval-decided')).toEqual([expect.objectContaining({ gate: 'sign-off', decision: 'edit', by: 'script' })]);
    expect(readFileSync(path.join(cwd, 'ws', 'reply.md'), 'utf8')).toBe('Sorry about the crash: please reinstall.');
  });

  it('strict: a call without an answer fails the run (exit 10) naming the call and the YAML to add', async () => {
    const cwd = withScript('  - { role: product_manager, action: write_prd, gate: prd-is-testable, judge: { score: 9 } }\n', 'apiVersion: sop-script/v1\nstrict: true\n');
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('error SCRIPT_MISS: the strict script answers.yaml has no answer for role "product_manager", action "write_prd", output, attempt 1');
    expect(result.stderr).toContain('- { role: product_manager, action: write_prd, attempt: 1, output: { ... } }');
    const { report } = lastRun(cwd);
    expect(report).toMatchObject({ status: 'failed', exitCode: 10, error: { code: 'SCRIPT_MISS' } });
    // The script is read anew on resume: once it answers the call (here: unscripted calls go to the offline model), the run goes on.
    expect(report.hint).toMatch(new RegExp(`or set \`strict: false\` to let the offline model answer unscripted calls; then continue the run from its last finished round: sop resume ${report.runId} --allow-changed-sop$`));
    expect(result.stderr).toContain(`hint: ${report.hint}`);
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nstrict: false\nanswers:\n  - { role: product_manager, action: write_prd, gate: prd-is-testable, judge: { score: 9 } }\n');
    // The script changed since the run started: a resume compares it as it compares the SOP's files.
    expect((await run(cwd, ['resume', report.runId], {})).stderr).toContain('error RESUME_SOP_CHANGED: script answers.yaml changed since run');
    const resumed = await run(cwd, ['resume', report.runId, '--allow-changed-sop'], {});
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastRun(cwd).report).toMatchObject({ runId: report.runId, status: 'completed' });
  });

  it('a malformed script is refused before the run (exit 2) with file:line:col, the field, what was expected and a hint', async () => {
    const cwd = withScript(['  - role: product_manager', '    action: write_prd', '    atempt: 2', '    judge: { score: high }'].join('\n'));
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--json'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('answers.yaml:5:5: error SCHEMA_UNKNOWN_FIELD: unknown field `atempt`');
    expect(result.stderr).toContain('hint: did you mean `attempt`?');
    expect(result.stderr).toContain('answers.yaml:6:21: error SCHEMA_TYPE: expected a number, got a string (`high`)');
    const envelope = JSON.parse(result.stdout);
    expect(envelope.error).toMatchObject({ code: 'SCRIPT_INVALID', exitCode: 2 });
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('an answer for a role, action or gate the SOP does not have is named in a warning before the run, at that field, with a suggestion', async () => {
    const answers = [
        '  - { role: product_managr, action: write_prd, output: "x" }',
        '  - { role: product_manager, action: write_prdd, output: "x" }',
        '  - { role: product_manager, action: write_prd, gate: no-such-gate, judge: { score: 2 } }',
        '  - { role: architect, action: write_design, human: approve }',
        '  - { role: product_manager, action: write_prd, gate: prd-is-testable, judge: { score: 9 } }',
        '  - { role: engineer, choose: write_code }',
        '  - { role: architect, action: write_design, item: 0, output: "x" }',
      ];
    const cwd = withScript(answers.join('\n'));
    /** `line:col` of the value of `field` in the answer on line `line` of the script (its answers start on line 3). */
    const at = (line: number, field: string): string => `${line}:${(answers[line - 3] as string).indexOf(`${field}: `) + field.length + 3}`;
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--workspace', 'out', '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const serves = "this answer can serve no call";
    expect(result.stderr).toContain(`answers.yaml:${at(3, 'role')}: warning ANSWER_MISFIT: ${serves}: the SOP has no role \`product_managr\` (did you mean \`product_manager\`?)`);
    expect(result.stderr).toContain(`answers.yaml:${at(4, 'action')}: warning ANSWER_MISFIT: ${serves}: the SOP has no action \`write_prdd\` of role \`product_manager\` (did you mean \`write_prd\`?)`);
    expect(result.stderr).toContain(`answers.yaml:${at(5, 'gate')}: warning ANSWER_MISFIT: ${serves}: the SOP has no judge gate \`no-such-gate\` on action \`write_prd\` (it has: \`prd-is-testable\`)`);
    expect(result.stderr).toContain(`answers.yaml:${at(6, 'human')}: warning ANSWER_MISFIT: ${serves}: the SOP has no human gate on action \`write_design\``);
    // The answer that fits the SOP is not named.
    expect(result.stderr).not.toContain('answers.yaml:7:');
    expect(result.stderr).toContain(`answers.yaml:${at(8, 'choose')}: warning ANSWER_MISFIT: ${serves}: role \`engineer\` chooses no action (its react mode is by_order, not react)`);
    expect(result.stderr).toContain(`answers.yaml:${at(9, 'item')}: warning ANSWER_MISFIT: ${serves}: action \`write_design\` has no items (no \`foreach\`), so no call has an \`item\``);
    // --json: each at the same place, as fields.
    const [line, column] = at(3, 'role').split(':').map(Number);
    expect(JSON.parse(result.stdout).warnings).toHaveLength(6);
    expect(JSON.parse(result.stdout).warnings).toContainEqual({ code: 'ANSWER_MISFIT', file: 'answers.yaml', line, column, message: `${serves}: the SOP has no role \`product_managr\` (did you mean \`product_manager\`?)` });
  });

  it('a scripted edit that breaks the output schema is named in a warning before the run', async () => {
    const cwd = withScript('  - { role: project_manager, action: write_tasks, gate: approve-plan, human: { edit: { tasks: nope } } }\n');
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--input', 'review=true', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr.split('\n')[0]).toBe(
      // At the edit itself.
      'answers.yaml:3:86: warning ANSWER_MISFIT: this edit is not a valid TaskList (the run would fail when the gate applies it): /language: required property is missing; /shared_knowledge: required property is missing; /anything_unclear: required property is missing; /tasks: "nope" given; must be array',
    );
    // As warned: the gate applies the edit, and the run fails on it.
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("the reviewer's edit is not a valid TaskList");
    // The edit that failed the run does not count as a pass of the gate.
    const { report, events } = lastRun(cwd);
    expect(report.gates['write_tasks/approve-plan'] ?? { passed: 0 }).toMatchObject({ passed: 0 });
    expect(events.filter((event) => event.type === 'gate-passed' && event['gate'] === 'approve-plan')).toEqual([]);
  });

  it('--record writes every scripted answer to a cassette', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', DESK, 'my app crashes', '--model', `script:${TECHNICAL}`, '--record', 'desk.cassette', '--workspace', 'ws', '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(path.join(cwd, 'desk.cassette'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(resultOf(result).usage.total.calls + 1);
    expect(lines.slice(1).map((exchange) => exchange.label)).toContain('role "technical", action "answer_technical", judge call');
    expect(lines.slice(1).every((exchange) => exchange.provider === 'script')).toBe(true);
  });

  it('sop resume answers with the run\'s script: a gate the script did not decide waits, and the completed script decides it (--allow-changed-sop: the script changed)', async () => {
    const cwd = withScript('  - { role: product_manager, action: write_prd, judge: { score: 9 } }\n');
    const stopped = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml', '--input', 'review=true', '--workspace', 'out'], {});
    expect(stopped.code, stopped.stderr).toBe(8);
    expect(stopped.stderr).toMatch(/had no answer for \d+ calls \(the offline model answered; a human gate asked as without a script\):\n/);
    const { report } = lastRun(cwd);
    expect(report.awaiting).toEqual([expect.objectContaining({ gate: 'approve-plan', action: 'write_tasks' })]);

    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: project_manager, action: write_tasks, gate: approve-plan, human: approve }\n');
    const resumed = await run(cwd, ['resume', report.runId, '--allow-changed-sop'], {});
    expect(resumed.code, resumed.stderr).toBe(0);
    const finished = lastRun(cwd);
    expect(finished.report.status).toBe('completed');
    expect(ofType(finished.events, 'approval-decided')).toEqual([expect.objectContaining({ gate: 'approve-plan', decision: 'approve', by: 'script' })]);
  });
});
