import fc from 'fast-check';
import { BoundedMemo } from './bounded-memo';

describe('BoundedMemo', () => {
  it('answers as the function does and never holds more than its budget', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 300 }), fc.integer({ min: 10, max: 500 }), (keys, budget) => {
        let calls = 0;
        const memo = new BoundedMemo((key: string) => {
          calls++;
          return key.toUpperCase() + key.length;
        }, (value) => value.length, budget);
        for (const key of keys) {
          expect(memo.get(key)).toBe(key.toUpperCase() + key.length);
          expect(memo.size).toBeLessThanOrEqual(budget);
        }
        expect(calls).toBeLessThanOrEqual(keys.length);
      }),
    );
  });

  it('computes a kept key once, keeps the most recently used, and skips results too large to keep', () => {
    const seen: string[] = [];
    const memo = new BoundedMemo((key: string) => (seen.push(key), key), (value) => value.length, 40);
    memo.get('aa');
    memo.get('bb');
    memo.get('aa');
    expect(seen).toEqual(['aa', 'bb']);
    for (const key of ['cc', 'dd', 'ee', 'ff', 'gg', 'hh', 'ii', 'jj', 'kk']) memo.get(key); // 11 × 4 > 40: bb goes
    memo.get('aa'); // used after bb: still kept
    memo.get('bb');
    expect(seen.filter((k) => k === 'aa')).toHaveLength(1);
    expect(seen.filter((k) => k === 'bb')).toHaveLength(2);
    memo.get('a-key-longer-than-a-tenth');
    memo.get('a-key-longer-than-a-tenth');
    expect(seen.filter((k) => k === 'a-key-longer-than-a-tenth')).toHaveLength(2);
  });
});
