import fc from 'fast-check';
import { nonNegativeInt } from './values';

/** The definition, written the slow way: trimmed, then 1–15 decimal digits. */
function oracle(value: string): number | undefined {
  const v = value.trim();
  return /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

describe('nonNegativeInt', () => {
  it('reads 1–15 decimal digits, surrounding whitespace allowed, and nothing else', () => {
    const digitsAndMore = fc.stringMatching(/^[\s0-9+\-.eEx\u00a0\u0660-\u0669]{0,18}$/);
    fc.assert(fc.property(fc.oneof(digitsAndMore, fc.string(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(String)), (value) => {
      expect(nonNegativeInt(value)).toBe(oracle(value));
    }), { numRuns: 5_000 });
  });

  it.each([['0', 0], ['007', 7], [' 7 ', 7], ['999999999999999', 999_999_999_999_999], ['1000000000000000', undefined], ['', undefined], ['-1', undefined], ['1e3', undefined], ['٣', undefined]])(
    '%j → %j', (value, expected) => expect(nonNegativeInt(value)).toBe(expected),
  );
});
