import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the limit per minute per key, then says how long to wait, and resets with the next window', () => {
    const limiter = new RateLimiter(3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.hit('a', t0))).toEqual([0, 0, 0]);
    expect(limiter.hit('a', t0 + 15_000)).toBe(45);
    expect(limiter.hit('b', t0 + 15_000)).toBe(0); // keys are independent
    expect(limiter.hit('a', t0 + 60_000)).toBe(0);
  });

  it('stays within maxKeys', () => {
    const limiter = new RateLimiter(1, 10);
    for (let i = 0; i < 100; i++) limiter.hit(`k${i}`, i);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10);
  });
});
