// Small numeric helpers shared by the benchmark scripts.

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const ms = (value) => `${value.toFixed(2)} ms`;
export const us = (value) => `${(value * 1000).toFixed(0)} µs`;
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

/** Median wall time (ms) of `iterations` sequential calls of `fn(i)`. */
export async function timeRuns(iterations, fn) {
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return median(times);
}
