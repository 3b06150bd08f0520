import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, spawnSop, until } from './queue-helpers.js';

/**
 * A Redis URL a user mistypes, on a real redis-server: one clear error with its exit code, never
 * an internal error or a stack trace, and never a run queued where no worker of the URL looks.
 */
let redis: RedisServer;
let cwd: string;
beforeAll(async () => {
  redis = await startRedis();
  cwd = tempDir('sop-queue-url-');
  writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
});
afterAll(async () => {
  await redis?.close();
  removeTempDirs();
});

const submit = (url: string) => sop(['run', 'team.yaml', 'an idea', '--model', 'offline', '--queue', url, '--detach'], { cwd, env: { SOP_REDIS_URL: undefined } });

describe.skipIf(redisProgram.missing)(`a mistyped Redis URL${redisProgram.skipNote}`, () => {
  it('a password with a bare %: USAGE (exit 2) naming the part, not its value, and how to write it', async () => {
    const result = await submit(redis.url.replace('redis://', 'redis://:pa%ss-word@'));
    expect(result.stderr).toBe(`error USAGE: --queue: the password in ${redis.url.replace('redis://', 'redis://:***@')} is not valid percent-encoding (a % not followed by two hex digits)\n  hint: write a % in a password or user name as %25 (and @ as %40, : as %3A, / as %2F)\n`);
    expect(result.code).toBe(2);
    const worker = await sop(['worker', '--redis', redis.url.replace('redis://', 'redis://us%er:pw@')], { cwd });
    expect(worker.stderr).toContain('error USAGE: --redis: the user name in redis://***:***@');
    expect(worker.code).toBe(2);
  });

  it('a wrong password: QUEUE_UNREACHABLE (exit 18) saying Redis refused it, with how to give it, never its value', async () => {
    const admin = new Redis(redis.url);
    await admin.call('ACL', 'SETUSER', 'alice', 'on', '>right-Passw0rd-123', '~*', '&*', '+@all');
    admin.disconnect();
    const wrong = redis.url.replace('redis://', 'redis://alice:wrong-Passw0rd-456@');
    const shown = redis.url.replace('redis://', 'redis://***:***@');
    const hint = '  hint: put the server\'s password in the URL, percent-encoded: redis://:PASSWORD@host:port (with an ACL user, redis://USER:PASSWORD@host:port)\n';
    const result = await submit(wrong);
    expect(result.stderr).toBe(`error QUEUE_UNREACHABLE: Redis at ${shown} refused the connection's credentials: WRONGPASS invalid username-password pair or user is disabled.\n${hint}`);
    expect(result.code).toBe(18);
    const worker = await sop(['worker', '--redis', wrong], { cwd });
    expect(worker.stderr).toContain(`Redis at ${shown} refused the connection's credentials`);
    expect(worker.stderr).not.toContain('wrong-Passw0rd-456');
    expect(worker.code).toBe(18);
    expect((await sop(['runs', '--queue', redis.url.replace('redis://', 'redis://alice:right-Passw0rd-123@')], { cwd })).code).toBe(0);
  });

  it('a password the server does not need: one sop warning saying it is not checked, never ioredis\'s lines nor the password', async () => {
    const url = redis.url.replace('redis://', 'redis://:unneeded-Passw0rd-789@');
    const shown = redis.url.replace('redis://', 'redis://:***@');
    const warning = `warning: Redis at ${shown} requires no password: the URL's password is not checked, so whoever reaches the server can queue runs (which run commands on the workers); set one on the server (requirepass, or an ACL user), or drop it from the URL\n`;
    const listed = await sop(['runs', '--queue', url], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toBe(`${warning}queue sop on ${shown}: 0 waiting, 0 active, 0 interrupted, 0 completed, 0 failed\n`);
    // A worker opens several connections (its own, BullMQ's): still one line.
    const worker = spawnSop(cwd, ['worker', '--redis', url, '--queue', 'unneeded'], 'http://127.0.0.1:9/v1');
    try {
      await until(() => worker.output().includes('worker ready'), () => worker.output(), 30_000);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect((await worker.exited).code, worker.output()).toBe(0);
    expect(worker.output().split(warning)).toHaveLength(2);
    for (const output of [listed.stdout + listed.stderr, worker.output()]) {
      expect(output).not.toContain('[WARN]');
      expect(output).not.toContain('unneeded-Passw0rd-789');
    }
    // Without a password in the URL, nothing is said.
    expect((await sop(['runs', '--queue', redis.url], { cwd })).stderr).not.toContain('warning');
  });

  it('a run followed on a queue no worker takes from (another --queue-name): said at once, with the worker command; Ctrl-C stops following', async () => {
    const followed = spawnSop(cwd, ['run', 'team.yaml', 'an idea', '--model', 'offline', '--queue', redis.url, '--queue-name', 'nobody'], 'http://127.0.0.1:9/v1');
    try {
      await until(() => followed.output().includes('no sop worker'), () => followed.output(), 30_000);
      const runId = /queued run (\S+) on/.exec(followed.output())?.[1] as string;
      expect(followed.output()).toContain(`no sop worker is taking runs from queue nobody on ${redis.url}: run ${runId} waits until one starts (\`sop worker --redis ${redis.url} --queue nobody\`)\n`);
    } finally {
      followed.child.kill('SIGINT');
    }
    expect((await followed.exited).code, followed.output()).toBe(130);
  });

  it('sop eval --queue on a queue no worker takes from: said at once; Ctrl-C twice quits', async () => {
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name": "one", "inputs": {"idea": "x"}}\n');
    const evaluated = spawnSop(cwd, ['eval', 'team.yaml', '--dataset', 'cases.jsonl', '--model', 'offline', '--queue', redis.url, '--queue-name', 'nobody'], 'http://127.0.0.1:9/v1');
    try {
      await until(() => evaluated.output().includes('no sop worker'), () => evaluated.output(), 30_000);
      expect(evaluated.output()).toContain(`no sop worker is taking runs from queue nobody on ${redis.url}: its runs wait until one starts (\`sop worker --redis ${redis.url} --queue nobody\`)\n`);
      evaluated.child.kill('SIGINT');
      await until(() => evaluated.output().includes('Ctrl-C again'), () => evaluated.output(), 30_000);
    } finally {
      evaluated.child.kill('SIGINT');
    }
    expect((await evaluated.exited).code, evaluated.output()).toBe(130);
  });

  it('a database that is not a number: USAGE (exit 2), no stack trace', async () => {
    const result = await submit(`${redis.url}/abc`);
    expect(result.stderr).toBe(`error USAGE: --queue: the database after the address must be a number, got /abc in ${redis.url}/abc\n  hint: --queue redis://127.0.0.1:6379/0 (or no path: database 0)\n`);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
  });

  it('a database the server lacks: QUEUE_UNREACHABLE (exit 18) saying so, nothing queued in database 0', async () => {
    const result = await submit(`${redis.url}/99`);
    expect(result.stderr).toContain(`error QUEUE_UNREACHABLE: Redis at ${redis.url}/99 has no database 99: ERR DB index is out of range\n  hint: name a database the server has`);
    expect(result.code).toBe(18);
    expect(result.stdout).toBe('');
    const listed = await sop(['runs', '--queue', redis.url], { cwd });
    expect(listed.stderr).toContain('0 waiting, 0 active, 0 interrupted, 0 completed, 0 failed');
    const worker = await sop(['worker', '--redis', `${redis.url}/99`], { cwd });
    expect(worker.stderr).toContain(`Redis at ${redis.url}/99 has no database 99`);
    expect(worker.code).toBe(18);
  });

  it('a database the server has: the run is queued there, and listed there only', async () => {
    const result = await submit(`${redis.url}/3`);
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    expect((await sop(['runs', '--queue', `${redis.url}/3`], { cwd })).stdout).toContain(runId);
    expect((await sop(['runs', '--queue', redis.url], { cwd })).stdout).not.toContain(runId);
  });

  it('a run id the queue lacks: QUEUE_RUN_NOT_FOUND (exit 18) naming the queue looked in and the command that lists its runs', async () => {
    const result = await sop(['resume', '20260101-000000-abcdef', '--queue', redis.url, '--queue-name', 'other'], { cwd });
    expect(result.stderr).toContain(`error QUEUE_RUN_NOT_FOUND: queue other on ${redis.url} has no run 20260101-000000-abcdef: the id is mistyped, or its Redis no longer has the run (restarted without persistence`);
    expect(result.stderr).toContain(`\n  hint: list its runs with \`sop runs --queue ${redis.url} --queue-name other\`; submit it again`);
    expect(result.code).toBe(18);
  });
});
