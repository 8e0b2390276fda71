import type { LinkEvent } from '../link/events';
import { parseEventId, RedisEventStore, StoreRead } from './event-store';
import type { ClusterKeys } from './keys';
import type { RedisConnection } from './redis';

/** A message on the token's channel that is not an event (it has no `id`), e.g. `{"note":"revoked"}`. */
export type FeedNote = { note: string; [key: string]: unknown };

/** Called synchronously from the feed's message handling: they must not throw nor await. */
export interface FeedHandlers {
  /** The next event of the token, in order, each once. */
  event(event: LinkEvent): void;
  /** Continuity was lost (an epoch change not announced by a `resync` event, or a hole the log could not fill). */
  resync(): void;
  /** A note on the channel; notes are passed on as they come, not ordered with the events. */
  note(note: FeedNote): void;
}

export interface FeedOptions {
  /** Delivered events kept in memory, so most joining sockets replay without a Redis read. */
  ringSize: number;
}

export type FeedReplay = { events: LinkEvent[]; lastId: string | null } | { gap: true; lastId: string | null };

/**
 * - new: constructed.
 * - starting: subscribed, reading the head; messages wait in the inbox.
 * - live: delivering messages as they come.
 * - reading: a catch-up read is in flight or its answer not yet applied; messages wait in the inbox,
 *   since the read may hold the events before them.
 * - stopped: unsubscribed; nothing is delivered any more.
 */
type FeedState = 'new' | 'starting' | 'live' | 'reading' | 'stopped';

interface ReadWaiter {
  resolve(): void;
  reject(err: Error): void;
}

type ReadDone = { outcome: StoreRead } | { error: Error };

/** Epochs left behind, remembered so their late messages and ids are known to be stale. */
const MAX_RETIRED_EPOCHS = 8;
/** A replay looks again when the feed moved while it read Redis; a few times is plenty. */
const MAX_REPLAY_ATTEMPTS = 3;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2_000;

/**
 * One token's events on one instance, for all of that instance's sockets of the token: subscribed to
 * the token's channel first, then positioned at the log's head, so nothing committed afterwards is
 * missed. Pub/sub is at-most-once, so every discontinuity (a number skipped, an epoch change, a
 * reconnect) is repaired from the log in Redis; what cannot be repaired becomes one `resync`.
 *
 * The position (epoch, lastN) is always the newest event given to `handlers.event` (or the head the
 * feed started from): the ring, `lastId` and `replay` answer relative to it.
 */
export class TokenFeed {
  private state: FeedState = 'new';
  private epoch: string | null = null;
  private lastN = 0;
  /** The epoch changed under us: the next event is preceded by handlers.resync unless it is a `resync` itself. */
  private resyncOwed = false;
  private readonly retired: string[] = [];
  /** Delivered events by number (slot n % ringSize); `ringCount` consecutive ones up to lastN are valid. */
  private ring: (LinkEvent | undefined)[];
  private ringCount = 0;
  /** Live events not yet handled, in arrival order. */
  private readonly inbox: LinkEvent[] = [];
  private readWanted = false;
  /** Waiting for the next read to be issued and applied. */
  private waiting: ReadWaiter[] = [];
  /** Waiting for the read in flight. */
  private readingWaiters: ReadWaiter[] = [];
  private readDone?: ReadDone;
  /** Deliveries paused until the caller of `replay` has attached its socket (same turn). */
  private held = false;
  private holdRelease?: NodeJS.Immediate;
  private pumping = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelay = RETRY_MIN_MS;
  private stopWatchingReconnects?: () => void;
  private started?: Promise<void>;
  private readonly listener = (message: string): void => this.onMessage(message);

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly store: RedisEventStore,
    readonly tag: string,
    private readonly handlers: FeedHandlers,
    private readonly options: FeedOptions,
  ) {
    this.ring = new Array<LinkEvent | undefined>(Math.max(0, options.ringSize));
  }

  /** The id of the newest event delivered (or of the head the feed started from); null before any. */
  get lastId(): string | null {
    return this.epoch !== null && this.lastN > 0 ? `${this.epoch}.${this.lastN}` : null;
  }

  /** Subscribes, then reads where the log is: the feed delivers the events after that. */
  start(): Promise<void> {
    this.started ??= this.begin();
    return this.started;
  }

  /**
   * The events after `afterId` up to the feed's position, exactly, or a gap (an id of another epoch,
   * trimmed, too old, or not an event id). Once it resolves, and until the end of the current turn,
   * the feed delivers nothing: a caller that attaches in that turn gets every later event from
   * `handlers.event`, and none at or before `lastId`.
   */
  async replay(afterId: string): Promise<FeedReplay> {
    if (this.state === 'new' || this.state === 'starting') await this.start();
    const from = parseEventId(afterId);
    if (!from) return this.answer(undefined);
    let caughtUp = false;
    for (let attempt = 0; attempt < MAX_REPLAY_ATTEMPTS; attempt++) {
      this.assertRunning();
      if (from.epoch === this.epoch && from.n <= this.lastN) {
        const kept = this.ringAfter(from.n);
        if (kept) return this.answer(kept); // no await: the common case costs no Redis read
        const read = await this.store.read(this.tag, from.n, from.epoch);
        this.assertRunning();
        if ('gap' in read) return this.answer(undefined);
        const joined = this.joinWithRing(from.n, read);
        if (joined) return this.answer(joined);
        continue; // the feed moved on past what the read and the ring can join: look again
      }
      if (caughtUp || this.retired.includes(from.epoch)) return this.answer(undefined);
      // Ahead of the feed (or of an epoch it has not reached): its message is still on the way. Catch up first.
      caughtUp = true;
      await this.catchUp();
    }
    return this.answer(undefined);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    if (this.holdRelease) clearImmediate(this.holdRelease);
    this.stopWatchingReconnects?.();
    const stopped = new Error('the token feed was stopped');
    for (const waiter of [...this.waiting, ...this.readingWaiters]) waiter.reject(stopped);
    this.waiting = [];
    this.readingWaiters = [];
    this.inbox.length = 0;
    // The listener ignores everything once stopped, so an unreachable Redis cannot keep the feed alive.
    await this.redis.unsubscribe(this.keys.events(this.tag), this.listener).catch(() => undefined);
  }

  private async begin(): Promise<void> {
    if (this.state !== 'new') throw new Error('the token feed was stopped');
    this.state = 'starting';
    // Pub/sub messages published while the subscription was down are lost: read them from the log.
    this.stopWatchingReconnects = this.redis.onReconnect(() => this.catchUpSoon());
    try {
      // Subscribed first, then the head: an event committed in between is both read and received, never neither.
      await this.redis.subscribe(this.keys.events(this.tag), this.listener);
      const head = await this.store.head(this.tag);
      this.assertRunning();
      if (head) {
        this.epoch = head.epoch;
        this.lastN = head.n;
      }
      this.state = 'live';
      this.pump();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private onMessage(message: string): void {
    if (this.state === 'stopped') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // not ours
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    if (typeof (parsed as { id?: unknown }).id === 'string') {
      this.inbox.push(parsed as LinkEvent);
      this.pump();
    } else if (typeof (parsed as { note?: unknown }).note === 'string') {
      this.handlers.note(parsed as FeedNote);
    }
  }

  /** Handles what can be handled now: a finished read, then the inbox in order, until a read is needed. */
  private pump(): void {
    if (this.pumping) return; // called back from a handler: the running pump carries on
    this.pumping = true;
    try {
      while ((this.state === 'live' || this.state === 'reading') && !this.held) {
        if (this.state === 'reading') {
          const done = this.readDone;
          if (!done) return;
          this.readDone = undefined;
          this.state = 'live';
          this.settle(done);
          continue;
        }
        if (this.readWanted) return this.startRead();
        const event = this.inbox.shift();
        if (!event) return;
        this.takeLive(event);
      }
    } finally {
      this.pumping = false;
    }
  }

  private takeLive(event: LinkEvent): void {
    const id = parseEventId(event.id);
    if (!id || this.retired.includes(id.epoch)) return; // a late message of an epoch left behind
    if (id.epoch === this.epoch) {
      if (id.n <= this.lastN) return; // already delivered (from the log or an earlier message)
      if (id.n === this.lastN + 1) return this.deliver(event);
    }
    // A hole or a new epoch. An event is published only once committed, so the log holds it and all before it.
    this.readWanted = true;
  }

  private startRead(): void {
    this.state = 'reading';
    this.readWanted = false;
    this.readingWaiters = this.waiting;
    this.waiting = [];
    this.store.readFrom(this.tag, { epoch: this.epoch, n: this.lastN }).then(
      (outcome) => this.finishRead({ outcome }),
      (err: unknown) => this.finishRead({ error: err instanceof Error ? err : new Error(String(err)) }),
    );
  }

  private finishRead(done: ReadDone): void {
    if (this.state !== 'reading') return; // stopped meanwhile
    this.readDone = done;
    this.pump();
  }

  private settle(done: ReadDone): void {
    const waiters = this.readingWaiters;
    this.readingWaiters = [];
    if ('error' in done) {
      this.retryLater(); // Redis unreachable: the inbox keeps what arrives, the next read repairs
      for (const waiter of waiters) waiter.reject(done.error);
      return;
    }
    this.retryDelay = RETRY_MIN_MS;
    this.apply(done.outcome);
    for (const waiter of waiters) waiter.resolve();
  }

  private apply(outcome: StoreRead): void {
    if ('gap' in outcome) {
      // No record: Redis lost it (restart) or the link is being re-established. The owner's next commit
      // starts a new epoch; the epoch change then tells the sockets, once.
      if (outcome.epoch === null) return;
      this.moveTo(outcome.epoch, outcome.lastN);
      this.resyncOwed = false;
      this.handlers.resync(); // the missing events are gone: carry on from the newest
      return;
    }
    if (outcome.epoch !== this.epoch) {
      // A new epoch, read from its start. Its owner normally opens it with a resync event; if not, we say it.
      this.resyncOwed = this.epoch !== null;
      this.moveTo(outcome.epoch, 0);
    }
    for (const event of outcome.events) this.deliver(event);
  }

  private deliver(event: LinkEvent): void {
    if (this.resyncOwed) {
      this.resyncOwed = false;
      if (event.type !== 'resync') this.handlers.resync();
    }
    this.lastN++;
    if (this.ring.length > 0) {
      this.ring[this.lastN % this.ring.length] = event;
      this.ringCount = Math.min(this.ringCount + 1, this.ring.length);
    }
    this.handlers.event(event);
  }

  /** Jumps to a position: the ring no longer connects to it, and a left epoch is remembered as stale. */
  private moveTo(epoch: string, n: number): void {
    if (this.epoch !== null && this.epoch !== epoch && !this.retired.includes(this.epoch)) {
      this.retired.push(this.epoch);
      if (this.retired.length > MAX_RETIRED_EPOCHS) this.retired.shift();
    }
    this.epoch = epoch;
    this.lastN = n;
    this.ring = new Array<LinkEvent | undefined>(this.ring.length);
    this.ringCount = 0;
  }

  /** Events after number `n` up to the position, if the ring holds all of them. */
  private ringAfter(n: number): LinkEvent[] | undefined {
    if (n > this.lastN || this.lastN - n > this.ringCount) return undefined;
    const events: LinkEvent[] = [];
    for (let k = n + 1; k <= this.lastN; k++) events.push(this.ring[k % this.ring.length]!);
    return events;
  }

  /** A log read after `afterN`, cut or topped up from the ring to end exactly at the position. */
  private joinWithRing(afterN: number, read: { epoch: string; lastN: number; events: LinkEvent[] }): LinkEvent[] | undefined {
    if (read.epoch !== this.epoch || afterN > this.lastN) return undefined;
    if (read.lastN >= this.lastN) return read.events.slice(0, this.lastN - afterN); // the rest comes live
    const newer = this.ringAfter(read.lastN);
    return newer && read.events.concat(newer);
  }

  /** Answers a replay and holds deliveries until the caller had its turn to attach. */
  private answer(events: LinkEvent[] | undefined): FeedReplay {
    this.held = true;
    this.holdRelease ??= setImmediate(() => {
      this.holdRelease = undefined;
      this.held = false;
      this.pump();
    });
    return events ? { events, lastId: this.lastId } : { gap: true, lastId: this.lastId };
  }

  /** Resolves once a read issued after this call has been applied. */
  private catchUp(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.catchUpSoon();
    });
  }

  private catchUpSoon(): void {
    this.readWanted = true;
    this.pump();
  }

  private retryLater(): void {
    if (this.retryTimer || this.state === 'stopped') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.catchUpSoon();
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private assertRunning(): void {
    if (this.state === 'stopped') throw new Error('the token feed was stopped');
  }
}
