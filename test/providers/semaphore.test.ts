import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/providers/semaphore.js';

/** A task that resolves when told to, and says when it started. */
function gate(started: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      started.push(name);
      await opened;
      return name;
    },
    open: () => open(),
  };
}

describe('Semaphore (the one limiter of endpoints and of a run)', () => {
  it('runs at most `limit` tasks at once, the rest first come, first served, each result to its caller', async () => {
    const semaphore = new Semaphore(2);
    const started: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((name) => gate(started, name));
    const results = gates.map((each) => semaphore.run(each.task));
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(semaphore.active).toBe(2);
    gates[1]?.open();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c']);
    for (const each of gates) each.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(semaphore.active).toBe(0);
  });

  it('frees the slot of a task that throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(async () => 'next')).toBe('next');
    expect(semaphore.active).toBe(0);
  });

  it('a queued caller whose signal aborts leaves the queue without running its task', async () => {
    const semaphore = new Semaphore(1);
    const started: string[] = [];
    const first = gate(started, 'first');
    const running = semaphore.run(first.task);
    const controller = new AbortController();
    const queued = semaphore.run(async () => 'never', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(queued).rejects.toThrow('cancelled');
    first.open();
    expect(await running).toBe('first');
    expect(semaphore.active).toBe(0);
  });
});
