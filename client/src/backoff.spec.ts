import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff';

/** The largest double below 1: the top of what a `() => number` in [0, 1) can return. */
const ALMOST_ONE = 1 - 2 ** -53;

const backoffs: fc.Arbitrary<Backoff> = fc.record({
  initialMs: fc.integer({ min: 1, max: 1_000_000 }),
  maxMs: fc.integer({ min: 1, max: 10_000_000 }),
});
/** Random draws as `Math.random` gives them, including both ends of [0, 1). */
const draws = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constant(0), fc.constant(ALMOST_ONE));
const attempts = fc.integer({ min: 0, max: 64 });

/** The documented cap: min(maxMs, initialMs·2^attempt). */
const cap = (attempt: number, { initialMs, maxMs }: Backoff): number => Math.min(maxMs, initialMs * 2 ** attempt);

describe('backoffDelay', () => {
  it('is an integer in [0, min(maxMs, initialMs·2^attempt)]', () => {
    fc.assert(
      fc.property(attempts, backoffs, draws, (attempt, backoff, draw) => {
        const delay = backoffDelay(attempt, backoff, () => draw);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(cap(attempt, backoff));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('spans the whole range: the top draw lands within 1 ms of the cap (full jitter, not a smaller cap)', () => {
    fc.assert(
      fc.property(attempts, backoffs, (attempt, backoff) => {
        const top = backoffDelay(attempt, backoff, () => ALMOST_ONE);
        expect(top).toBeGreaterThanOrEqual(cap(attempt, backoff) - 1);
        expect(backoffDelay(attempt, backoff, () => 0)).toBe(0);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('never shrinks as the attempt grows, and never exceeds maxMs', () => {
    fc.assert(
      fc.property(attempts, backoffs, draws, (attempt, backoff, draw) => {
        // The same draw against a later attempt: the wait can only grow with the cap.
        const now = backoffDelay(attempt, backoff, () => draw);
        const later = backoffDelay(attempt + 1, backoff, () => draw);
        expect(later).toBeGreaterThanOrEqual(now);
        expect(later).toBeLessThanOrEqual(backoff.maxMs);
        expect(backoffDelay(attempt + 1, backoff, () => ALMOST_ONE)).toBeGreaterThanOrEqual(backoffDelay(attempt, backoff, () => ALMOST_ONE));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('does not overflow for huge attempts (a client down for days still gets a finite wait of at most maxMs)', () => {
    const huge = fc.oneof(fc.integer({ min: 1_000, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(1024, 1e308, Number.MAX_VALUE, Infinity));
    // initialMs 0 (no wait at all) must stay 0, not 0·∞ = NaN.
    const anyBackoff = fc.record({ initialMs: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, 1e300)), maxMs: fc.integer({ min: 1, max: 10_000_000 }) });
    fc.assert(
      fc.property(huge, anyBackoff, draws, (attempt, backoff, draw) => {
        const delay = backoffDelay(attempt, backoff, () => draw);
        expect(Number.isFinite(delay)).toBe(true);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoff.maxMs);
        // Past the doubling, the cap is maxMs itself.
        expect(backoffDelay(attempt, backoff, () => ALMOST_ONE)).toBe(backoff.initialMs === 0 ? 0 : backoff.maxMs - 1);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('treats a negative attempt as the first one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: -1 }), backoffs, draws, (attempt, backoff, draw) => {
        expect(backoffDelay(attempt, backoff, () => draw)).toBe(backoffDelay(0, backoff, () => draw));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('jitters with Math.random: many waits are spread over [0, cap), not all equal', () => {
    // Clients cut off together must not come back together: the waits must differ and cover the range.
    const attempt = 10; // cap = min(30 000, 500·1024) = 30 000
    const delays = Array.from({ length: 1000 }, () => backoffDelay(attempt, DEFAULT_BACKOFF));
    const limit = cap(attempt, DEFAULT_BACKOFF);
    expect(limit).toBe(30_000);
    expect(new Set(delays).size).toBeGreaterThan(500);
    expect(Math.min(...delays)).toBeLessThan(limit / 4);
    expect(Math.max(...delays)).toBeGreaterThan((3 * limit) / 4);
    expect(Math.max(...delays)).toBeLessThanOrEqual(limit);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(0.35 * limit);
    expect(mean).toBeLessThan(0.65 * limit);
  });
});
