import { UpstreamError } from '../soap/upstream-error';
import type { ImEvent } from './events';

/** Where an event came from: the upstream session and the seq of its notify block. */
export interface EventOrigin {
  session: string | undefined;
  seq: number;
}

/** From a block the upstream serialised after `mark` (same session, higher seq). */
export function isLater(origin: EventOrigin, mark: EventOrigin): boolean {
  return origin.session === mark.session && origin.seq > mark.seq;
}

type Select = (event: ImEvent, origin: EventOrigin) => unknown;

interface Waiter {
  select: Select;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** REST calls waiting for a notification the upstream delivers asynchronously (a roster, a privacy list …). */
export class Waiters {
  private readonly waiting = new Set<Waiter>();

  get size(): number {
    return this.waiting.size;
  }

  add<T>(select: (event: ImEvent, origin: EventOrigin) => T | undefined, timeoutMs: number, timeoutCode: string): { promise: Promise<T>; cancel: () => void } {
    let waiter!: Waiter;
    const promise = new Promise<T>((resolve, reject) => {
      waiter = {
        select,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.drop(waiter);
          reject(new UpstreamError('timeout', timeoutCode, 'the upstream did not deliver the expected notification in time'));
        }, timeoutMs),
      };
    });
    // A caller that gave up (cancel) no longer listens; its rejection must not go unhandled.
    promise.catch(() => undefined);
    this.waiting.add(waiter);
    return { promise, cancel: () => this.drop(waiter) };
  }

  /** Resolves every waiter this event satisfies. */
  offer(event: ImEvent, origin: EventOrigin): void {
    for (const waiter of [...this.waiting]) {
      const value = waiter.select(event, origin);
      if (value !== undefined) {
        this.drop(waiter);
        waiter.resolve(value);
      }
    }
  }

  rejectAll(reason: Error): void {
    for (const waiter of [...this.waiting]) {
      this.drop(waiter);
      waiter.reject(reason);
    }
  }

  private drop(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiting.delete(waiter);
  }
}
