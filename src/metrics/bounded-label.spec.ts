import fc from 'fast-check';
import { BoundedLabel, OTHER } from './bounded-label';

describe('BoundedLabel', () => {
  it('keeps known values and the first `limit` others; later newcomers become "other"', () => {
    const label = new BoundedLabel(2, ['request.INVALID']);
    expect(['a', 'b', 'c', 'a', 'request.INVALID', 'b'].map((v) => label.valueOf(v))).toEqual(['a', 'b', OTHER, 'a', 'request.INVALID', 'b']);
  });

  it('never yields more than known + limit + 1 distinct values, and a value once kept stays kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(fc.string({ maxLength: 120 }), { maxLength: 300 }), (limit, values) => {
        const label = new BoundedLabel(limit, ['known']);
        const first = new Map<string, string>();
        for (const value of values) {
          const out = label.valueOf(value);
          expect(out === value || out === OTHER).toBe(true);
          if (first.has(value)) expect(out).toBe(first.get(value));
          first.set(value, out);
        }
        expect(new Set(first.values()).size).toBeLessThanOrEqual(1 + limit + 1);
        expect(label.valueOf('known')).toBe('known');
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
