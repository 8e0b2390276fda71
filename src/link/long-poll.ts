const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;
/** Pause after the upstream cancelled our wait in favour of another one on the session. */
const WAIT_DISALLOWED_PAUSE_MS = 1_000;

export interface LongPollHooks {
  /** Whether anyone still needs notifications (listeners or waiters). */
  wanted(): boolean;
  /** One NoOp wait; resolves true when the upstream answered `waitDisallowed`. */
  pollOnce(signal: AbortSignal): Promise<boolean>;
  /** Errors that end the loop for good (a dead token). */
  isFatal(err: unknown): boolean;
  onRetry(err: Error, backoffMs: number): void;
}

/**
 * Exactly one long-poll loop while it is wanted: back-off on errors, stop on fatal ones.
 *
 * A parked wait is never cut short because nobody needs it any more: it runs out at the upstream
 * (notification or timeout), and the loop ends then. Cutting it would free nothing there — the
 * upstream holds a wait until it answers it (§6), so the next wait on the session would arrive as a
 * second long-poll and cancel the first — and a client that comes back meanwhile is served by the
 * wait already parked. Only closing the link cuts it (the upstream session is ended with it).
 */
export class LongPoll {
  private running = false;
  private readonly closing = new AbortController();
  /** Set while the loop sleeps off an error; ends the sleep early. */
  private wakeUp?: () => void;

  constructor(private readonly hooks: LongPollHooks) {}

  start(): void {
    if (this.running || this.closing.signal.aborted || !this.hooks.wanted()) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      // Someone may have started wanting it between the loop's last check and now.
      if (this.hooks.wanted()) this.start();
    });
  }

  /**
   * The upstream answered another call: if the loop is backing off after errors, it polls again now
   * instead of sleeping out the rest (up to 30 s) while notifications wait upstream.
   */
  wake(): void {
    this.wakeUp?.();
  }

  /** The link closes: cuts a parked wait or a pause short, and never polls again. */
  stop(): void {
    this.closing.abort();
  }

  private async loop(): Promise<void> {
    const { signal } = this.closing;
    let backoff = 0;
    while (this.hooks.wanted() && !signal.aborted) {
      try {
        const disallowed = await this.hooks.pollOnce(signal);
        backoff = 0;
        if (disallowed) await sleep(WAIT_DISALLOWED_PAUSE_MS, signal);
      } catch (err) {
        if (signal.aborted || !this.hooks.wanted() || this.hooks.isFatal(err)) return;
        backoff = Math.min(Math.max(FIRST_BACKOFF_MS, backoff * 2), MAX_BACKOFF_MS);
        this.hooks.onRetry(err as Error, backoff);
        const rest = pause(backoff, signal);
        let woken = false;
        this.wakeUp = () => {
          woken = true;
          rest.end();
        };
        await rest.done;
        this.wakeUp = undefined;
        if (woken) backoff = 0;
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return pause(ms, signal).done;
}

/** A pause of `ms` that ends early when `signal` aborts or `end` is called. */
function pause(ms: number, signal: AbortSignal): { done: Promise<void>; end: () => void } {
  let end!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    end = finish;
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
  });
  return { done, end };
}
