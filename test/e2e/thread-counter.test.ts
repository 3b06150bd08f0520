import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * `message.thread` end to end on the offline model: two roles answer each other, each action's
 * `when.if` counting the exchanges since the start message (`thread.turn < 5`) and each speech
 * logged with its thread (appended). The run stops awaiting a person's approval of the first
 * answer (`--ci`, exit 8) and `sop resume --approve` finishes it: the threads are rebuilt from the
 * journal, so the counts go on where they were and the loop ends at the same exchange.
 */
afterAll(removeTempDirs);

const RELAY = `apiVersion: sop/v1
kind: SOP
metadata: { name: relay, version: 1.0.0, requires: ">=0.2" }
messages: { Topic: {}, For: {}, Against: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  pro:
    profile: Proponent
    watch: [Topic, Against]
    actions:
      - id: argue
        when: { if: "thread.turn < 5" }
        prompt: "Exchange {{ message.thread.turn }}: argue for {{ inputs.idea }}"
        output: { type: For }
        artifacts: [{ path: log.md, mode: append, content: "for, after {{ message.thread.turn }} in {{ message.thread.id }}\\n" }]
  con:
    profile: Opponent
    watch: [For]
    actions:
      - id: answer
        prompt: "Argue against: {{ message.content }}"
        output: { type: Against }
        artifacts: [{ path: log.md, mode: append, content: "against, after {{ message.thread.turn }} in {{ message.thread.id }}\\n" }]
        gates:
          - { name: first-answer, if: "role.turn == 1", human: { prompt: "Publish the first answer?" } }
`;

const LOG = ['for, after 0', 'against, after 1', 'for, after 2', 'against, after 3', 'for, after 4', 'against, after 5'].map((line) => `${line} in m0001\n`).join('');

describe('message.thread: the exchanges since the start message', () => {
  it('counts in `when.if` and templates, and goes on counting after `sop resume`', async () => {
    const cwd = project();
    const file = path.join(cwd, 'relay.yaml');
    writeFileSync(file, RELAY);
    const stopped = await run(cwd, ['run', file, 'cities should ban cars', '--workspace', 'out', '--ci'], {});
    expect(stopped.stderr).not.toMatch(STACK_LINE);
    expect(stopped.code, stopped.stderr).toBe(8);
    const { report } = lastRun(cwd);
    const resumed = await run(cwd, ['resume', report.runId, '--approve'], {});
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'log.md'), 'utf8')).toBe(LOG);
    // The sixth answer (after exchange 5) starts no seventh speech: `thread.turn < 5` ended the loop.
    const published = lastRun(cwd).events.filter((event) => event.type === 'message-published').map((event) => event.message.type);
    expect(published).toEqual(['Topic', 'For', 'Against', 'For', 'Against', 'For', 'Against']);
  });
});
