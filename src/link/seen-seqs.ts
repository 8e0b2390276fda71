/** Most ranges a thread keeps; beyond it the two lowest merge (their hole counts as seen: never a duplicate). */
const MAX_RANGES = 32;

/**
 * The message seqs of one chat that already became events, as sorted, disjoint, non-adjacent
 * ranges: live messages and replayed history fill it in any order, and it stays small because
 * seqs are mostly contiguous.
 */
export class SeenSeqs {
  private readonly ranges: [number, number][] = [];

  /** Records `seq`; false when it was already there. */
  add(seq: number): boolean {
    const at = this.ranges.findIndex(([, hi]) => hi >= seq - 1);
    if (at < 0) {
      this.ranges.push([seq, seq]);
    } else {
      const range = this.ranges[at];
      if (range[0] <= seq && seq <= range[1]) return false;
      if (seq === range[1] + 1) {
        range[1] = seq;
        const next = this.ranges[at + 1];
        if (next && next[0] === seq + 1) {
          range[1] = next[1];
          this.ranges.splice(at + 1, 1);
        }
      } else if (seq === range[0] - 1) {
        range[0] = seq;
      } else {
        this.ranges.splice(at, 0, [seq, seq]);
      }
    }
    if (this.ranges.length > MAX_RANGES) {
      const [first, second] = this.ranges.splice(0, 2);
      this.ranges.unshift([first[0], second[1]]);
    }
    return true;
  }

  has(seq: number): boolean {
    return this.ranges.some(([lo, hi]) => lo <= seq && seq <= hi);
  }
}
