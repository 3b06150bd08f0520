import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: three-steps, version: 1.0.0, description: "Three steps in a chain" }
settings: { n_round: 10 }
messages:
  UserRequirement: { description: the idea }
  Step1: { description: step 1 }
  Step2: { description: step 2 }
  Step3: { description: step 3 }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  s1: { profile: One, watch: [UserRequirement], actions: [{ id: one, prompt: "Refine: {{ message.content }}", output: { type: Step1 } }] }
  s2: { profile: Two, watch: [Step1], actions: [{ id: two, prompt: "Refine: {{ message.content }}", output: { type: Step2 } }] }
  s3: { profile: Three, watch: [Step2], actions: [{ id: three, prompt: "Refine: {{ message.content }}", output: { type: Step3 } }] }
stop_when: { type: Step3 }
`;

// strace (Debian's package) counts the system calls; where it is missing or may not trace, the
// tests show as skipped, never as passed.
const canTrace = spawnSync('strace', ['-f', '-e', 'trace=none', 'true']).status === 0;

/** Runs `sop ARGS` under strace; the fsyncs and fdatasyncs of report.html (its temporary file, by path) and of anything. */
function tracedSop(cwd: string, args: string[]): { code: number | null; reportSyncs: number; syncs: number } {
  const trace = path.join(cwd, `strace-${Date.now()}.txt`);
  const child = spawnSync('strace', ['-f', '-y', '-o', trace, '-e', 'trace=fsync,fdatasync', process.execPath, binPath, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined },
  });
  const calls = readFileSync(trace, 'utf8').split('\n').filter((line) => /\bf(data)?sync\(/.test(line));
  return { code: child.status, reportSyncs: calls.filter((line) => /\.report\.html\.sop-/.test(line)).length, syncs: calls.length };
}

describe('report.html follows the run\'s durability', () => {
  it.skipIf(!canTrace)('is written without fsync by default, and fsynced with --durability machine, also by a resume that keeps it', () => {
    const dir = tempDir('sop-report-durability-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    const runsDir = path.join(dir, 'runs');
    const common = ['--runs-dir', runsDir, '--quiet'];

    const plain = tracedSop(dir, ['run', 'sop.yaml', 'an idea', '--workspace', 'ws1', ...common]);
    expect(plain.code).toBe(0);
    expect(plain.reportSyncs).toBe(0);
    const [first] = readdirSync(runsDir);
    expect(readFileSync(path.join(runsDir, first as string, 'report.html'), 'utf8')).toMatch(/<\/html>\s*$/);

    // Stopped by its round limit after 2 rounds, then resumed (more rounds) with the durability it recorded.
    const machine = tracedSop(dir, ['run', 'sop.yaml', 'an idea', '--workspace', 'ws2', '--durability', 'machine', '--n-round', '2', ...common]);
    expect(machine.code).toBe(5);
    expect(machine.reportSyncs).toBe(1);
    expect(machine.syncs).toBeGreaterThan(1);
    const second = readdirSync(runsDir).find((name) => name !== first) as string;
    const resumed = tracedSop(dir, ['resume', second, '--n-round', '10', ...common]);
    expect(resumed.code).toBe(0);
    expect(resumed.reportSyncs).toBe(1);
    expect(readFileSync(path.join(runsDir, second, 'report.html'), 'utf8')).toContain('completed');
  });
});
