/** What one request came to: the receiver's status (and Retry-After), or no answer at all. */
export type AttemptResult = { status: number; retryAfter?: string } | { failure: 'timeout' | 'connection' };

/** Why an attempt failed: the label of imbridge_webhook_failed_attempts_total. */
export type FailureReason = 'server_error' | 'rate_limited' | 'rejected' | 'timeout' | 'connection' | 'upstream';
export const FAILURE_REASONS: readonly FailureReason[] = ['server_error', 'rate_limited', 'rejected', 'timeout', 'connection', 'upstream'];

export type Verdict =
  | { kind: 'delivered' }
  /** Worth another try; `retryAfterMs` when the receiver said when (Retry-After). */
  | { kind: 'retry'; reason: FailureReason; retryAfterMs?: number }
  /** The receiver refused the batch for good: another try would get the same answer. */
  | { kind: 'reject'; status: number };

/**
 * 2xx delivers. 5xx, timeouts and connection errors are the receiver's trouble: retried. 429 is
 * retried no sooner than its Retry-After (so is a 5xx that carries one). Anything else (other 4xx,
 * and 3xx: redirects are not followed, a moved receiver is a configuration error) is refused for good.
 */
export function judge(result: AttemptResult, now: number): Verdict {
  if ('failure' in result) return { kind: 'retry', reason: result.failure };
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(result.retryAfter, now);
    return { kind: 'retry', reason: status === 429 ? 'rate_limited' : 'server_error', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { kind: 'reject', status };
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  // An HTTP-date starts with the day's name (all three of its forms); Date.parse alone takes "-5" too.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The delay before retry number `retry` (1 = the first): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" — half of it fixed, half random — so the receivers' many failing tokens spread
 * out without any retrying at once.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(retry - 1, 0), 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait before the next try: the backoff, and never sooner than the receiver asked. */
export function retryDelay(verdict: { retryAfterMs?: number }, retry: number, baseMs: number, maxMs: number, random?: () => number): number {
  return Math.max(verdict.retryAfterMs ?? 0, backoffDelay(retry, baseMs, maxMs, random));
}
