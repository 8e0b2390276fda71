import fc from 'fast-check';
import { backoffDelay, judge, parseRetryAfter, retryDelay } from './retry-policy';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('judge', () => {
  it('delivers on 2xx, retries 5xx, 429, timeouts and connection errors, refuses everything else for good', () => {
    const cases: [Parameters<typeof judge>[0], string][] = [
      [{ status: 200 }, 'delivered'],
      [{ status: 204 }, 'delivered'],
      [{ status: 500 }, 'retry:server_error'],
      [{ status: 503 }, 'retry:server_error'],
      [{ status: 429 }, 'retry:rate_limited'],
      [{ failure: 'timeout' }, 'retry:timeout'],
      [{ failure: 'connection' }, 'retry:connection'],
      [{ status: 400 }, 'reject:400'],
      [{ status: 401 }, 'reject:401'],
      [{ status: 404 }, 'reject:404'],
      [{ status: 408 }, 'reject:408'],
      [{ status: 410 }, 'reject:410'],
      [{ status: 413 }, 'reject:413'],
      [{ status: 301 }, 'reject:301'],
    ];
    const outcome = (v: ReturnType<typeof judge>) => (v.kind === 'retry' ? `retry:${v.reason}` : v.kind === 'reject' ? `reject:${v.status}` : v.kind);
    expect(cases.map(([result]) => outcome(judge(result, NOW)))).toEqual(cases.map(([, expected]) => expected));
  });

  it('takes the receiver\'s Retry-After on a 429 or a 5xx, as seconds or as a date', () => {
    expect(judge({ status: 429, retryAfter: '3' }, NOW)).toEqual({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 3_000 });
    expect(judge({ status: 503, retryAfter: new Date(NOW + 90_000).toUTCString() }, NOW)).toEqual({ kind: 'retry', reason: 'server_error', retryAfterMs: 90_000 });
    expect(judge({ status: 429, retryAfter: 'soon' }, NOW)).toEqual({ kind: 'retry', reason: 'rate_limited' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates (a past date is now); anything else is unknown', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
    for (const bad of [undefined, '', '-5', '1.5', 'tomorrow']) expect(parseRetryAfter(bad, NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles from the first delay up to the cap, each delay between half and all of its ceiling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 10, max: 10_000 }), fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, base, factor, r) => {
        const max = base * factor;
        const ceiling = Math.min(max, base * 2 ** (retry - 1));
        const delay = backoffDelay(retry, base, max, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }),
      { seed: 42, numRuns: 500 },
    );
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, 1_000, 10_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('never retries sooner than the receiver asked', () => {
    expect(retryDelay({ retryAfterMs: 5_000 }, 1, 100, 1_000, () => 0)).toBe(5_000);
    expect(retryDelay({ retryAfterMs: 10 }, 5, 100, 1_000, () => 1)).toBe(1_000);
    expect(retryDelay({}, 1, 100, 1_000, () => 0)).toBe(50);
  });
});
