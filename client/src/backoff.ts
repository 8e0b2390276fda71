/** How long to wait before reconnecting or retrying: exponential, capped, with full jitter. */
export interface Backoff {
  /** The cap of the first wait (attempt 0), in milliseconds. */
  initialMs: number;
  /** The largest cap, however many attempts failed. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/**
 * A wait drawn uniformly from [0, min(maxMs, initialMs·2^attempt)] ("full jitter"): clients cut off
 * together do not come back together.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const cap = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(Math.max(attempt, 0), 32));
  return Math.floor(random() * cap);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
