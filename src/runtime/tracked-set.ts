/** A Set that remembers which values were added or deleted since the last `takeChanged`: a round's record holds only those. */
export class TrackedSet<T> extends Set<T> {
  private changed: Set<T> | undefined;

  override add(value: T): this {
    (this.changed ??= new Set()).add(value);
    return super.add(value);
  }

  override delete(value: T): boolean {
    const deleted = super.delete(value);
    if (deleted) (this.changed ??= new Set()).add(value);
    return deleted;
  }

  /** The values added or deleted since the last call, in the order first changed (`has` tells which). */
  takeChanged(): T[] {
    const values = this.changed;
    this.changed = undefined;
    return values ? [...values] : [];
  }
}
