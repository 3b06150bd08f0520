/**
 * Records keyed by what the SOP or the run names (role and action ids, artifact paths, gate keys).
 * They have no prototype, so V8 keeps them as hash tables from the start: a plain `{}` given a
 * thousand keys one by one (a round of a thousand roles) copies its growing key list at each new
 * key, which made a wide round's counters allocate megabytes. JSON sees no difference, and nothing
 * inherited (`constructor`, `__proto__`) can be read or set through a key.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A dictionary of these entries (a later key wins, as in `Object.fromEntries`). */
export function dictionaryOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const record = dictionary<T>();
  for (const [key, value] of entries) record[key] = value;
  return record;
}
