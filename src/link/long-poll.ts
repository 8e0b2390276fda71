const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;
/** Pause after the upstream cancelled our wait in favour of another one on the session. */
const WAIT_DISALLOWED_PAUSE_MS = 1_000;
/**
 * After we cut a wait short, the next one waits this long: the upstream learns of the cut only when
 * the closed connection reaches it, and a new wait arriving first would be a second long-poll on the
 * session (a listener that leaves and another that arrives in the same tick did exactly that).
 */
export const ABORT_SETTLE_MS = 100;

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
 * Exactly one long-poll loop while it is wanted: back-off on errors, stop on fatal ones, and an
 * abort that cuts a parked wait short when nobody needs it any more.
 */
export class LongPoll {
  private running = false;
  private abort?: AbortController;
  /** Whether a wait is with the upstream right now (rather than the loop pausing between waits). */
  private waiting = false;
  /** When we last cut a wait short that the upstream was holding. */
  private cutAt = 0;
  private delayedStart?: NodeJS.Timeout;
  /** Set while the loop sleeps off an error; ends the sleep early. */
  private wakeUp?: () => void;

  constructor(private readonly hooks: LongPollHooks) {}

  start(): void {
    if (this.running || this.delayedStart || !this.hooks.wanted()) return;
    const settling = this.cutAt + ABORT_SETTLE_MS - Date.now();
    if (settling > 0) {
      this.delayedStart = setTimeout(() => {
        this.delayedStart = undefined;
        this.start();
      }, settling);
      this.delayedStart.unref();
      return;
    }
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

  /** Cuts a parked wait short if the loop is no longer wanted (or always, on close). */
  stopIfUnwanted(force = false): void {
    if (!force && this.hooks.wanted()) return;
    if (this.waiting && !this.abort?.signal.aborted) this.cutAt = Date.now();
    this.abort?.abort();
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    while (this.hooks.wanted()) {
      const abort = (this.abort = new AbortController());
      try {
        this.waiting = true;
        const disallowed = await this.hooks.pollOnce(abort.signal).finally(() => (this.waiting = false));
        backoff = 0;
        if (disallowed) await sleep(WAIT_DISALLOWED_PAUSE_MS, abort.signal);
      } catch (err) {
        // A wait we cut short is no upstream error: the loop ends, and start() settles before the next.
        if (abort.signal.aborted || !this.hooks.wanted() || this.hooks.isFatal(err)) return;
        backoff = Math.min(Math.max(FIRST_BACKOFF_MS, backoff * 2), MAX_BACKOFF_MS);
        this.hooks.onRetry(err as Error, backoff);
        const rest = pause(backoff, abort.signal);
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
