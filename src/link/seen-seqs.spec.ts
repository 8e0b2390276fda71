import fc from 'fast-check';
import { SeenSeqs } from './seen-seqs';

const ranges = (seen: SeenSeqs) => (seen as unknown as { ranges: [number, number][] }).ranges;

describe('SeenSeqs', () => {
  it('is a set of seqs in any order of arrival (few enough holes to keep every range)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 200 }), (seqs) => {
        const seen = new SeenSeqs();
        const model = new Set<number>();
        for (const seq of seqs) {
          expect(seen.add(seq)).toBe(!model.has(seq));
          model.add(seq);
        }
        for (let seq = 1; seq <= 60; seq++) expect(seen.has(seq)).toBe(model.has(seq));
        // Sorted, disjoint, not adjacent.
        const r = ranges(seen);
        r.forEach(([lo, hi], i) => {
          expect(lo).toBeLessThanOrEqual(hi);
          if (i > 0) expect(lo).toBeGreaterThan(r[i - 1][1] + 1);
        });
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('stays bounded with many holes, and never admits a seq twice', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 300 }), (seqs) => {
        const seen = new SeenSeqs();
        const admitted = new Set<number>();
        for (const seq of seqs) {
          if (seen.add(seq)) {
            expect(admitted.has(seq)).toBe(false);
            admitted.add(seq);
          }
          expect(ranges(seen).length).toBeLessThanOrEqual(32);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
