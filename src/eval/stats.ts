/** The statistics of an eval's results: pure functions over numbers. */

/** A proportion's 95 % confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of `passed` successes out of `total` trials (95 %): unlike the normal
 * approximation it stays inside [0, 1] and means something for small samples and rates of 0 or 1.
 * No trials: the whole [0, 1].
 */
export function wilsonInterval(passed: number, total: number, z: number = Z95): Interval {
  if (total <= 0) return { low: 0, high: 1 };
  const rate = passed / total;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((rate * (1 - rate)) / total + z2 / (4 * total * total));
  // At a rate of 0 or 1 the bound is exactly 0 or 1; floating point would say 0.9999999999999999.
  return { low: passed === 0 ? 0 : Math.max(0, centre - half), high: passed === total ? 1 : Math.min(1, centre + half) };
}

/**
 * The `p`-th percentile (0-100) by the nearest-rank method: always one of the values, so a p95
 * latency is one a case really took. Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
