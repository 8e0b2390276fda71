import type { SoapSession } from './sessions';

export type WaitOutcome = 'notified' | 'timeout' | 'cancelled' | 'aborted' | 'ended';

interface Parked {
  session: SoapSession;
  limitToOne: boolean;
  finish(outcome: WaitOutcome): void;
}

/**
 * Parked blocking NoOps (§6): one per session, optionally one per account (limitToOneBlocked),
 * the newest always winning. Bounded by `max`; a client that disconnects is unparked.
 */
export class NoopWaits {
  private readonly parked = new Set<Parked>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.parked.size;
  }

  /** Parked waits of one account (on any of its sessions). */
  countOf(accountId: string): number {
    let count = 0;
    for (const p of this.parked) if (p.session.account.id === accountId) count++;
    return count;
  }

  park(session: SoapSession, limitToOne: boolean, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    if (signal.aborted) return Promise.resolve('aborted');
    for (const other of [...this.parked]) {
      const sameAccount = other.session.account.id === session.account.id;
      if (other.session === session || (limitToOne && other.limitToOne && sameAccount)) other.finish('cancelled');
    }
    // Over the bound: answer at once rather than hold another socket.
    if (this.parked.size >= this.max) return Promise.resolve('timeout');

    return new Promise<WaitOutcome>((resolve) => {
      let done = false;
      let wakeScheduled: NodeJS.Immediate | undefined;
      const entry: Parked = {
        session,
        limitToOne,
        finish: (outcome) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (wakeScheduled) clearImmediate(wakeScheduled);
          unwatch();
          signal.removeEventListener('abort', onAbort);
          this.parked.delete(entry);
          resolve(outcome);
        },
      };
      // Wake on the next turn so every notification a handler posts synchronously lands in one response.
      const unwatch = session.watch(() => {
        wakeScheduled ??= setImmediate(() => entry.finish(session.ended ? 'ended' : 'notified'));
      });
      const onAbort = () => entry.finish('aborted');
      signal.addEventListener('abort', onAbort);
      const timer = setTimeout(() => entry.finish('timeout'), timeoutMs);
      timer.unref();
      this.parked.add(entry);
    });
  }

  /** Ends every parked wait (server shutdown). */
  releaseAll(): void {
    for (const p of [...this.parked]) p.finish('aborted');
  }
}
