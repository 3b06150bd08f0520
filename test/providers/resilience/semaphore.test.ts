import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../src/providers/resilience/semaphore.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Lets every pending callback run (no timing: the next turn of the event loop). */
const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('Semaphore.run', () => {
  it('runs at most `limit` tasks at once, in arrival order, and frees the slot when a task fails', async () => {
    const semaphore = new Semaphore(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    let peak = 0;
    const tasks = gates.map((gate, index) =>
      semaphore.run(async () => {
        started.push(index);
        peak = Math.max(peak, semaphore.active);
        await gate.promise;
        if (index === 0) throw new Error('task 0 failed');
        return index;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    gates[0]?.resolve();
    await expect(tasks[0]).rejects.toThrow('task 0 failed');
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(tasks.slice(1))).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(semaphore.active).toBe(0);
  });
});
