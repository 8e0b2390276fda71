/**
 * Results of a pure function of a string, kept up to a budget of characters (keys and results
 * together), least recently used out first. For work repeated on the same input, such as the stored
 * bodies of a history read again and again.
 */
export class BoundedMemo<T> {
  private readonly entries = new Map<string, { value: T; size: number }>();
  private used = 0;

  /**
   * @param compute the pure function remembered
   * @param sizeOf the characters a result holds (beside its key)
   * @param budget characters kept at most; a single entry larger than a tenth of it is not kept
   */
  constructor(
    private readonly compute: (key: string) => T,
    private readonly sizeOf: (value: T) => number,
    private readonly budget: number,
  ) {}

  get(key: string): T {
    const known = this.entries.get(key);
    if (known) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.value;
    }
    const value = this.compute(key);
    const size = key.length + this.sizeOf(value);
    if (size <= this.budget / 10) {
      this.entries.set(key, { value, size });
      this.used += size;
      for (const [oldest, entry] of this.entries) {
        if (this.used <= this.budget) break;
        this.entries.delete(oldest);
        this.used -= entry.size;
      }
    }
    return value;
  }

  /** Characters held now. */
  get size(): number {
    return this.used;
  }
}
