import fc from 'fast-check';
import { nestsDeeperThan } from './json-depth';

/** The nesting depth of a parsed value (a reference for small values only: it recurses). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('nestsDeeperThan', () => {
  it.each([
    ['0', 0, false],
    ['[]', 0, true],
    ['[]', 1, false],
    ['{"a":[{"b":[]}]}', 3, true],
    ['{"a":[{"b":[]}]}', 4, false],
    ['["[[[[", "{{{{\\"[[[["]', 1, false],
    ['"\\\\"', 0, false],
  ])('%s deeper than %d: %s', (text, max, expected) => {
    expect(nestsDeeperThan(text, max)).toBe(expected);
  });

  it('agrees with the depth of the parsed value, strings full of brackets and escapes included', () => {
    const trickyString = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, trickyString, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(trickyString, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.nat(12), (v, max) => {
        const text = JSON.stringify(v);
        expect(nestsDeeperThan(text, max)).toBe(depthOf(v) > max);
      }),
      { seed: 42, numRuns: 1_000 },
    );
  });

  it('scans deep text in linear time without recursing', () => {
    const levels = 1_000_000;
    expect(nestsDeeperThan('['.repeat(levels) + ']'.repeat(levels), levels - 1)).toBe(true);
    expect(nestsDeeperThan('['.repeat(levels) + ']'.repeat(levels), levels)).toBe(false);
  });
});
