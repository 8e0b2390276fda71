/** The label value that stands for every value beyond the bound. */
export const OTHER = 'other';

/** Longer values are not codes or names but noise; they become `other` too. */
const MAX_VALUE_LENGTH = 100;

/**
 * Label values that come from outside our code (the upstream's fault codes, in principle anything):
 * the known ones always pass, and the first `limit` other distinct values; later newcomers become
 * `other`. Each label value is a time series of its own, so a misbehaving upstream must not be able
 * to grow their number without bound.
 */
export class BoundedLabel {
  private readonly known: ReadonlySet<string>;
  private readonly admitted = new Set<string>();

  constructor(
    private readonly limit: number,
    known: Iterable<string> = [],
  ) {
    this.known = new Set(known);
  }

  valueOf(raw: string): string {
    if (this.known.has(raw) || this.admitted.has(raw)) return raw;
    if (this.admitted.size >= this.limit || raw.length === 0 || raw.length > MAX_VALUE_LENGTH) return OTHER;
    this.admitted.add(raw);
    return raw;
  }
}
