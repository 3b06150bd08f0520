/**
 * Runs `worker` over items with at most `limit` at once; results keep the items' order. After a
 * failure no new item starts; the error of the lowest failing index is thrown once all settle.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const failures = new Map<number, unknown>();
  let nextIndex = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (nextIndex < items.length && failures.size === 0) {
      const index = nextIndex;
      nextIndex += 1;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        failures.set(index, error);
      }
    }
  });
  await Promise.all(lanes);
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return results;
}
