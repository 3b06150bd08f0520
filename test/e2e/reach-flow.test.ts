import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * Format reach (issue #13, items 1, 3, 4) end to end with the real CLI and the scripted model:
 * a manager delegates by payload and the worker replies to the sender; a value that names no role
 * fails the action; gates from a set and from the message type apply to a revise path; a gate
 * whose revisions run out escalates to a senior editor instead of stopping the run.
 */
const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'reach');

afterAll(removeTempDirs);

function sopRun(cwd: string, name: string, script: string) {
  return run(cwd, ['run', path.join(FIXTURES, `${name}.yaml`), 'todo apps', '--model', `script:${path.join(FIXTURES, script)}`, '--workspace', 'out'], {});
}

function published(events: any[]): Array<[string, string, string | null]> {
  return events.filter((event) => event.type === 'message-published').map((event) => [event.message.type, event.message.from, event.message.to]);
}

describe('dynamic recipients', () => {
  it('the manager addresses the worker its payload names; the worker replies to the sender', async () => {
    const cwd = project();
    const result = await sopRun(cwd, 'delegate', 'delegate-backend.script.yaml');
    expect(result.code, result.stderr).toBe(0);
    const { events } = lastRun(cwd);
    expect(published(events)).toEqual([
      ['Request', 'user', null],
      ['Assignment', 'manager', 'backend'],
      ['Done', 'backend', 'manager'],
    ]);
    // Only the named worker ran.
    const ran = events.filter((event) => event.type === 'action-start').map((event) => event.action);
    expect(ran).toEqual(['delegate', 'build_api']);
    expect(readFileSync(path.join(cwd, 'out', 'backend.md'), 'utf8')).not.toBe('');
  });

  it('a rendered value that names no role fails the action (exit 9), naming the value, the roles and the SOP line', async () => {
    const cwd = project();
    const result = await sopRun(cwd, 'delegate-open', 'delegate-nobody.script.yaml');
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('error ADDRESS_UNRESOLVED:');
    expect(result.stderr).toMatch(/delegate-open\.yaml:24:\d+: role manager, action delegate: `to: \{\{ payload\.owner \}\}` rendered to "nobody", which names no role \(roles: manager, worker\)/);
    expect(result.stderr).toContain('hint: make the value one of the roles');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(published(lastRun(cwd).events)).toEqual([['Request', 'user', null]]);
  });
});

describe('gates that follow a message', () => {
  it('the set\'s gate sends the draft back once; the Draft type\'s gate stops the revise path that publishes a Draft too', async () => {
    const cwd = project();
    const result = await sopRun(cwd, 'gate-sets', 'gate-sets.script.yaml');
    expect(result.code, result.stderr).toBe(7);
    const { events, report } = lastRun(cwd);
    const gates = events.filter((event) => event.type.startsWith('gate-')).map((event) => [event.action, event.gate, event.type, event.onFail]);
    expect(gates).toEqual([
      ['draft', 'has-title', 'gate-failed', 'revise'],
      ['draft', 'has-title', 'gate-passed', undefined],
      ['draft', 'long-enough', 'gate-passed', undefined],
      ['revise', 'has-title', 'gate-passed', undefined],
      ['revise', 'long-enough', 'gate-failed', 'stop'],
    ]);
    expect(report.status).toBe('gate_stopped');
    expect(published(events).map(([type]) => type)).toEqual(['Brief', 'Draft', 'Notes']);
  });
});

describe('escalation when revisions run out', () => {
  it('the rejected draft goes to the senior editor with the feedback and the last draft; the run completes', async () => {
    const cwd = project();
    const result = await sopRun(cwd, 'escalate', 'escalate.script.yaml');
    expect(result.code, result.stderr).toBe(0);
    const { events, report } = lastRun(cwd);
    expect(published(events)).toEqual([
      ['Brief', 'user', null],
      ['Escalated', 'writer', 'senior_editor'],
      ['Verdict', 'senior_editor', null],
    ]);
    const escalated = events.find((event) => event.type === 'message-published' && event.message.type === 'Escalated').message;
    expect(escalated.payload).toMatchObject({ gate: 'reviewed', action: 'draft', output: 'Second draft.' });
    expect(escalated.payload.feedback).toContain('too vague');
    expect(report.status).toBe('completed');
    expect(readFileSync(path.join(cwd, 'out', 'verdict.md'), 'utf8')).toContain('Rewrite it.');
    // The senior editor's verdict was signed off by a person (here the script) before it ended the run.
    expect(events.filter((event) => event.type === 'approval-decided').map((event) => [event.gate, event.by])).toEqual([['sign-off', 'script']]);
  });
});
