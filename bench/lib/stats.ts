/** Nearest-rank percentile of unsorted samples (sorted in place). */
export function percentile(samples: number[] | Float64Array, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples instanceof Float64Array ? samples.sort() : samples.sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** A growable list of numbers without per-sample allocation. */
export class Samples {
  private data = new Float64Array(1 << 14);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  append(other: Samples): void {
    for (let i = 0; i < other.length; i++) this.push(other.data[i]);
  }

  percentile(p: number): number {
    return percentile(this.data.subarray(0, this.length), p);
  }
}

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const median = (values: number[]): number => percentile([...values], 50);
