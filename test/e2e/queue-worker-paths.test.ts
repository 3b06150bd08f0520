import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { queueTestServices, until, type Spawned } from './queue-helpers.js';

/**
 * An MCP server that cannot start on the worker: the submitter was told
 * `/tmp/sop-worker-…/bundles/HASH/sop.yaml:5:3` and to look in that folder, a path of the worker's
 * it cannot reach. Now it is told the SOP as it typed it and what to do from its side. On a real
 * redis-server and a real `sop worker` whose data folder the test knows.
 */
let redis: RedisServer;
let project: string;
let workerData: string;
let worker: Spawned;
const { start, sopIn } = queueTestServices();

const MISSING = '/nonexistent/sop-test/bin/notes-server';

/** The MCP server `notes` (its `command` and more lines of it), offering the action `tools`. */
const sopWith = (server: string, tools = 'notes.*'): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0 }
mcp_servers:
  notes:
    ${server}
messages:
  Question: { description: q }
  Answer: { description: a }
start:
  - { type: Question, content: "{{ inputs.idea }}" }
roles:
  support:
    profile: Support
    watch: [Question]
    actions:
      - id: answer
        prompt: "{{ message.content }}"
        output: { type: Answer }
        tools: [${tools}]
stop_when: { type: Answer }
`;
const SOP = sopWith(`command: [${MISSING}]`);

/** What a queued run's hint adds when an MCP server could not start on the worker. */
const ON_WORKER = "a queued run's MCP servers start on its worker: install what the server needs";
const TEST_SERVER = path.resolve('test/support/mcp/test-server.mjs');

function expectNoWorkerPath(text: string): void {
  expect(text).not.toContain(workerData);
  expect(text).not.toContain(path.join(os.tmpdir(), 'sop-worker-'));
  expect(text).not.toMatch(/bundles\/[0-9a-f]{64}/);
}

describe.skipIf(redisProgram.missing)(`a queued run's MCP server that cannot start on the worker${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    ({ redis, project } = await start('sop-queue-worker-paths-', { maxRequests: 10 }));
    workerData = path.join(project, 'worker-data');
    const workerDir = path.join(project, 'worker');
    mkdirSync(workerDir);
    worker = sopIn(workerDir, ['worker', '--redis', redis.url, '--no-cache', '--data-dir', workerData]);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
  }, 60_000);

  it('a command the worker does not have: the hint says it runs on the worker, to install it on every worker and continue through the queue', async () => {
    const cwd = path.join(project, 'submitter-command');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'sop.yaml'), `apiVersion: sop/v1
kind: SOP
metadata: { name: tool, version: 1.0.0 }
messages:
  Idea: {}
  Ran: {}
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
stop_when: { type: Ran }
roles:
  checker:
    profile: Checker
    watch: [Idea]
    actions:
      - id: check
        run: { command: [sop-test-missing-tool, --check], timeout: 10 }
        output: { type: Ran }
`);
    const run = sopIn(cwd, ['run', 'sop.yaml', 'check', '--model', 'offline', '--queue', redis.url, '--ci']);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(9);
    expect(run.output()).toContain('error COMMAND_FAILED: sop.yaml:16:26: action check: cannot run "sop-test-missing-tool": command not found\n');
    expect(run.output()).toContain(
      '  hint: "sop-test-missing-tool" is not installed on the worker that ran the run, or not on its PATH: a queued run\'s commands run on its worker; install the program on every worker of the queue and continue the run through the queue, or run without --queue (commands run without a shell, so shell built-ins and pipes are not available)\n',
    );
    expect(run.output()).toMatch(/hint: resume with: sop resume \S+ --queue /);
    expectNoWorkerPath(run.output());
  }, 60_000);

  it('names the SOP as the submitter typed it, and says what to do from the submitter\'s side; its brought-home copy too', async () => {
    const cwd = path.join(project, 'submitter');
    mkdirSync(path.join(cwd, 'sub'), { recursive: true });
    writeFileSync(path.join(cwd, 'sub', 'sop.yaml'), SOP);
    const run = sopIn(cwd, ['run', 'sub/sop.yaml', 'How do we deploy?', '--model', 'offline', '--queue', redis.url, '--ci']);
    expect((await run.exited).code, `${run.output()}\nworker: ${worker.output()}`).toBe(9);
    const output = run.output();
    expect(output).toContain(`error MCP_SERVER_FAILED: sub/sop.yaml:5:3: MCP server "notes": cannot connect: cannot start \`${MISSING}\`: command not found\n`);
    expect(output).toContain(
      `  hint: is \`${MISSING}\` installed and on PATH? \`${MISSING}\` is started from the worker's copy of the SOP's folder without a shell (no aliases or shell functions); an npm package runs as \`command: [npx, -y, PACKAGE]\`; a queued run's MCP servers start on its worker: install what the server needs (its program, its folders) on every worker of the queue and continue the run through the queue, or name a path present on every worker (absolute, or \`\${env:NAME}\` set in each worker's environment) and submit a new run; or run without --queue\n`,
    );
    expectNoWorkerPath(output);

    const runId = /queued run (\S+) on/.exec(output)?.[1] as string;
    const runDir = path.join(cwd, '.sop', 'runs', runId);
    for (const file of readdirSync(runDir)) expectNoWorkerPath(readFileSync(path.join(runDir, file), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'))).toMatchObject({ error: { code: 'MCP_SERVER_FAILED', message: expect.stringMatching(/^sub\/sop\.yaml:5:3: /) } });
  }, 90_000);

  /** A queued run of `sopText` from a folder of its own: its exit code and output. */
  async function queued(name: string, sopText: string): Promise<{ code: number | null; output: string }> {
    const cwd = path.join(project, name);
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'sop.yaml'), sopText);
    const run = sopIn(cwd, ['run', 'sop.yaml', 'How do we deploy?', '--model', 'offline', '--queue', redis.url, '--ci']);
    const { code } = await run.exited;
    return { code, output: run.output() };
  }

  it('a server that cannot start on the worker is said to have started there, whatever failed: its folder, or its program in a folder the worker has', async () => {
    const noFolder = await queued('no-folder', sopWith(`command: [node, ${TEST_SERVER}]\n    cwd: /nonexistent/sop-test/notes`));
    expect(noFolder.code, noFolder.output).toBe(9);
    expect(noFolder.output).toContain('error MCP_SERVER_FAILED: sop.yaml:5:3: MCP server "notes": cannot connect: its working folder /nonexistent/sop-test/notes does not exist (`cwd`)\n');
    expect(noFolder.output).toContain(`  hint: create /nonexistent/sop-test/notes, or correct the server's \`cwd\` (relative to the SOP's folder); ${ON_WORKER}`);
    // Started from a folder of the worker's, not the SOP's: its hint names no bundle, yet the server started on the worker all the same.
    const noProgram = await queued('no-program', sopWith(`command: [${MISSING}]\n    cwd: ${os.tmpdir()}`));
    expect(noProgram.code, noProgram.output).toBe(9);
    expect(noProgram.output).toContain(`is started from ${os.tmpdir()} without a shell`);
    expect(noProgram.output).toContain(`; ${ON_WORKER}`);
  }, 90_000);

  it('a server that started on the worker and lists a tool the action cannot be offered: no word of the worker, its fix is in the server', async () => {
    const broken = await queued('broken-tool', sopWith(`command: [node, ${TEST_SERVER}]`, 'notes.broken'));
    expect(broken.code, broken.output).toBe(9);
    expect(broken.output).toContain('error MCP_SERVER_FAILED: sop.yaml:5:3: MCP server "notes": tool `broken`, which action `answer` (role `support`) offers, cannot be used: ');
    expect(broken.output).toContain('  hint: fix the tool in the server');
    expect(broken.output).not.toContain(ON_WORKER);
  }, 90_000);
});
