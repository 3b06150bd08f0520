import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.js';

const interrupts = pathToFileURL(path.join(repoRoot, 'dist', 'cli', 'interrupts.js')).href;

describe('Ctrl-C during a command', () => {
  it('a second Ctrl-C after the interrupted run stopped (handlers disposed) still exits 130, not by the signal', () => {
    // The window the e2e test "a second SIGINT exits at once" hits under load: the first signal
    // stopped the run, the command disposed its handlers, and the second arrives before the exit.
    const script = `
      const { interruptOnSignals } = await import(${JSON.stringify(interrupts)});
      const interrupts = interruptOnSignals(() => {});
      process.kill(process.pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!interrupts.signal.aborted) process.exit(3);
      interrupts.dispose();
      process.kill(process.pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(130);
  });

  it('a command that was not interrupted leaves the default Ctrl-C behaviour once it disposed its handlers', () => {
    const script = `
      const { interruptOnSignals } = await import(${JSON.stringify(interrupts)});
      interruptOnSignals(() => {}).dispose();
      process.kill(process.pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBe('SIGINT');
  });
});
