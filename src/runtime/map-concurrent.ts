/**
 * Runs `worker` over items with at most `limit` at once; results keep the items' order. After a
 * failure no new item starts, unless `goesOn` says the others may still run (a human gate awaiting
 * its decision: every item reaches its own gate, and one resume decides them all). Once all settle
 * the error of the lowest failing index is thrown, one that stopped the others before one that did not.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
  goesOn: (error: unknown) => boolean = () => false,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const stopping = new Map<number, unknown>();
  const others = new Map<number, unknown>();
  let nextIndex = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (nextIndex < items.length && stopping.size === 0) {
      const index = nextIndex;
      nextIndex += 1;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        (goesOn(error) ? others : stopping).set(index, error);
      }
    }
  });
  await Promise.all(lanes);
  for (const failures of [stopping, others]) if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return results;
}
