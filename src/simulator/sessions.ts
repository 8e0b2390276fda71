import type { XmlNode } from '../soap/xml';
import type { Account } from './accounts';
import type { SimClock } from './clock';
import { NotifyQueue } from './notify-queue';

export type SessionEndReason = 'timeout' | 'evicted' | 'ended';

/** A SOAP session (§4): a notification queue plus the IM listener flags. */
export class SoapSession {
  readonly queue = new NotifyQueue();
  /** Registered through IMGatewayList (§4, §12.11). */
  listener = false;
  /** Set by IMSetIdle (§12.14). */
  idle = false;
  ended = false;
  private readonly watchers = new Set<() => void>();

  constructor(readonly id: string, readonly account: Account, public lastUsed: number) {}

  /** Appends an IM notification and wakes whoever waits on this session (a parked NoOp). */
  post(n: XmlNode): void {
    if (this.ended) return;
    this.queue.append(n);
    this.wake();
  }

  /** Registers a callback for "something arrived or the session ended"; returns the unsubscribe. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  wake(): void {
    for (const fn of [...this.watchers]) fn();
  }
}

export interface SessionLimits {
  idleMs: number;
  maxPerAccount: number;
}

/** Session cache: creation, lookup, LRU eviction, idle expiry, explicit end (§4). */
export class SessionManager {
  private counter = 0;
  private readonly sessions = new Map<string, SoapSession>();

  constructor(
    private readonly clock: SimClock,
    private readonly limits: SessionLimits,
    private readonly onEnd: (session: SoapSession, reason: SessionEndReason) => void,
  ) {}

  /** The named session if it exists, is alive and belongs to the account; otherwise undefined (§4). */
  find(id: string | undefined, account: Account): SoapSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.isExpired(session)) {
      this.end(session, 'timeout');
      return undefined;
    }
    return session.account.id === account.id ? session : undefined;
  }

  get(id: string): SoapSession | undefined {
    return this.sessions.get(id);
  }

  /** Sessions created since the start, ended ones included. */
  get created(): number {
    return this.counter;
  }

  /** A new session; a sixth one for the account evicts the least recently used (§4). */
  create(account: Account): SoapSession {
    const own = this.forAccount(account.id);
    if (own.length >= this.limits.maxPerAccount) {
      const lru = own.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
      this.end(lru, 'evicted');
    }
    // Type digit 1 (SOAP) + a counter (§4).
    const session = new SoapSession(`1${++this.counter}`, account, this.clock.now());
    this.sessions.set(session.id, session);
    return session;
  }

  touch(session: SoapSession): void {
    session.lastUsed = this.clock.now();
  }

  end(session: SoapSession, reason: SessionEndReason): void {
    if (session.ended) return;
    session.ended = true;
    this.sessions.delete(session.id);
    this.onEnd(session, reason);
    session.wake();
  }

  forAccount(accountId: string): SoapSession[] {
    return [...this.sessions.values()].filter((s) => s.account.id === accountId);
  }

  all(): SoapSession[] {
    return [...this.sessions.values()];
  }

  /** The sweeper: ends every session idle for longer than the limit. */
  sweep(): void {
    for (const session of this.all()) if (this.isExpired(session)) this.end(session, 'timeout');
  }

  private isExpired(session: SoapSession): boolean {
    return this.clock.now() - session.lastUsed >= this.limits.idleMs;
  }
}
