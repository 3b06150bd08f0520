import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.js';
import { COMMANDS } from '../../src/cli/commands.js';
import Worker from '../../src/cli/commands/worker.js';

/**
 * No Docker engine runs where the tests run, so the image and the compose file cannot be built
 * here: what can be checked is that they say what docs/queue.md promises and name flags and
 * commands that exist.
 */
const read = (name: string): string => readFileSync(path.join(repoRoot, name), 'utf8');

describe('docker-compose.yml and the Dockerfile', () => {
  it('the compose file is YAML with Redis (append-only) and workers running `sop worker` on a read-only root file system', () => {
    const compose = parse(read('docker-compose.yml'));
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    const worker = compose.services.worker;
    const [command, ...args] = worker.command as string[];
    expect(command).toBe('worker');
    expect(Object.keys(COMMANDS)).toContain(command);
    for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(Object.keys(Worker.flags)).toContain(flag.slice(2));
    // The worker's --redis comes from SOP_REDIS_URL, the variable the flag reads.
    expect(worker.environment.SOP_REDIS_URL).toMatch(/^redis:\/\//);
    expect((Worker.flags.redis as { env?: string }).env).toBe('SOP_REDIS_URL');
    expect(worker.read_only).toBe(true);
    expect(worker.tmpfs).toContain('/tmp');
  });

  it("the workers' stop grace period outlasts their SIGTERM drain (--drain-timeout), so Docker does not kill a draining worker", () => {
    const worker = parse(read('docker-compose.yml')).services.worker;
    const grace = /^(\d+)s$/.exec(String(worker.stop_grace_period))?.[1];
    const drain = (Worker.flags['drain-timeout'] as { default?: number }).default;
    expect(drain).toBe(30);
    expect(Number(grace)).toBeGreaterThanOrEqual((drain as number) + 10);
  });

  it('the Dockerfile is multi-stage and runs as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const user = dockerfile.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('the README shows the compose file', () => {
    expect(read('README.md')).toMatch(/## Running workers[\s\S]*```yaml\nservices:\n  redis:/);
  });
});
