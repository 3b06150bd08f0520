/** A Map that remembers which keys were set since the last `takeChanged`: a round's record holds only those. */
export class TrackedMap<K, V> extends Map<K, V> {
  private changed: Set<K> | undefined;

  override set(key: K, value: V): this {
    (this.changed ??= new Set()).add(key);
    return super.set(key, value);
  }

  /** The entries set since the last call, in the order first set. */
  takeChanged(): Array<[K, V]> {
    const keys = this.changed;
    this.changed = undefined;
    return keys ? [...keys].map((key) => [key, this.get(key) as V]) : [];
  }
}
