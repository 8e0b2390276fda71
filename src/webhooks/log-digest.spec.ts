import { LogDigest } from './log-digest';

describe('LogDigest', () => {
  it('writes the first line of a kind at once, then sums the rest into one line per interval', () => {
    const lines: string[] = [];
    const digest = new LogDigest((line) => lines.push(line), 60_000);
    const format = (n: number, last: string) => `${n} drops (last ${last})`;
    digest.note('drop', 1, 'a', format, 0);
    for (let i = 1; i <= 1_000; i++) digest.note('drop', 2, `b${i}`, format, i);
    digest.note('other', 1, 'x', format, 500);
    expect(lines).toEqual(['1 drops (last a)', '1 drops (last x)']);
    digest.flush(59_999);
    expect(lines).toHaveLength(2);
    digest.flush(60_000);
    expect(lines).toEqual(['1 drops (last a)', '1 drops (last x)', '2000 drops (last b1000)']);
    digest.note('drop', 1, 'c', format, 60_001); // within the new interval: held back
    expect(lines).toHaveLength(3);
    digest.stop(); // what was held back is written at shutdown
    expect(lines.at(-1)).toBe('1 drops (last c)');
  });
});
