import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/runtime/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel } from './helpers/scripted-model.js';

describe('command actions', () => {
  it('a non-zero exit is a normal result: passed false, tails kept, scrubbed env plus the SOP env', async () => {
    process.env['SECRET_TOKEN'] = 'leak';
    try {
      const run = await runFixture('commands.yaml', { model: scriptedModel([]), inputs: { code: '1' } });
      expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
      const report = eventsOf(run, 'message-published').map((event) => event['message'] as Message).find((message) => message.type === 'TestReport');
      expect(report?.payload).toMatchObject({ exit_code: 1, passed: false, stdout: 'out:hi go:none\n', stderr: 'boom\n' });
      expect((report?.payload as { command: string }).command).toMatch(/^node -e '/);
      expect(report?.content).toContain('exit code 1 (failed)');
      expect(eventsOf(run, 'command-end')).toEqual([expect.objectContaining({ exitCode: 1, passed: false, timedOut: false })]);
      expect(run.result.report.usage.total.calls).toBe(0);
    } finally {
      delete process.env['SECRET_TOKEN'];
    }
  });

  it('exit 0 passes', async () => {
    const run = await runFixture('commands.yaml', { model: scriptedModel([]), inputs: { code: '0' } });
    const report = eventsOf(run, 'message-published').map((event) => event['message'] as Message).find((message) => message.type === 'TestReport');
    expect(report?.payload).toMatchObject({ exit_code: 0, passed: true });
  });

  it('a missing program fails the action with COMMAND_FAILED (exit 9) and a hint', async () => {
    const run = await runFixture('commands.yaml', { model: scriptedModel([]), inputs: { program: 'sop-no-such-program-xyz' } });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('COMMAND_FAILED');
    expect(run.result.error?.message).toContain('sop-no-such-program-xyz');
    expect(run.result.error?.hint).toContain('PATH');
    // Located at the program in the SOP (line 24, the text after the quote), naming the action.
    expect(run.result.error?.message).toMatch(/commands\.yaml:24:22: action \w+: cannot run "sop-no-such-program-xyz"/);
    expect(run.result.error?.diagnostics[0]).toMatchObject({ code: 'COMMAND_FAILED', line: 24, column: 22, hint: expect.stringContaining('PATH') });
  });
});

describe('command timeouts', () => {
  it('kills the command after its timeout: exit_code 124, passed false, output kept', async () => {
    const run = await runFixture('timeout.yaml', { model: scriptedModel([]) });
    expect(run.result.status).toBe('completed');
    const result = eventsOf(run, 'message-published').map((event) => event['message'] as Message).find((message) => message.type === 'Result');
    expect(result?.payload).toMatchObject({ exit_code: 124, passed: false, stdout: 'started\n' });
    expect((result?.payload as { stderr: string }).stderr).toContain('timeout');
    expect(eventsOf(run, 'command-end')).toEqual([expect.objectContaining({ timedOut: true, exitCode: 124 })]);
  });
});
