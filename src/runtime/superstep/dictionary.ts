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

/** Names interned so far, each as the property name V8 keeps (see `propertyName`). */
const NAMES = new Map<string, string>();
/** More distinct names than a process's SOPs have: the table starts again rather than grow for good. */
const NAMES_AT_MOST = 10_000;

/**
 * `name` as one property name for the whole process: a dictionary's keys are role and action ids,
 * cut from an SOP's text, and model keys made at run time (`provider:model`). V8 keeps such a text
 * as a property name only while something holds it, so each run used new ones, and every keyed
 * read and write of the counts' and patches' dictionaries missed its inline caches (~3 µs a round
 * of one call, more than the rest of the round's counting). The same text gives the same string.
 */
export function propertyName(name: string): string {
  let interned = NAMES.get(name);
  if (interned === undefined) {
    if (NAMES.size >= NAMES_AT_MOST) NAMES.clear();
    interned = Object.keys({ [name]: 0 })[0] as string;
    NAMES.set(name, interned);
  }
  return interned;
}
