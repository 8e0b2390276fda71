/** One waiting event: its token's queue, and where it stands there. */
class Entry<T> {
  /** Part of the token's current batch. */
  batched = false;

  constructor(
    readonly item: T,
    readonly queue: TokenQueue<T>,
    /** Waiting for the socket linger to end (a socket that opens meanwhile takes it over). */
    public held: boolean,
  ) {}
}

/**
 * One token's waiting events, oldest first: the current batch (a prefix, unchanged once formed except
 * by drops), then the events released for delivery, then those still held by the socket linger.
 */
export class TokenQueue<T> {
  /** @internal */ readonly entries: Entry<T>[] = [];
  /** @internal */ batched = 0;
  /** @internal */ held = 0;
  /** The current batch is in a request now: it cannot be dropped until the answer. */
  sending = false;

  /** Every waiting event, the batch included. */
  get size(): number {
    return this.entries.length;
  }

  /** Events released for delivery (the batch included). */
  get released(): number {
    return this.entries.length - this.held;
  }

  /** Events in the current batch (0 when none is formed). */
  get batchSize(): number {
    return this.batched;
  }

  /** The current batch (empty when none is formed). */
  get batch(): T[] {
    return this.entries.slice(0, this.batched).map((entry) => entry.item);
  }

  /** The oldest event that may be dropped: not in a batch under way. */
  droppableIndex(): number {
    return this.sending ? this.batched : 0;
  }
}

export interface QueueLimits {
  perToken: number;
  total: number;
}

/**
 * The waiting events of every token, bounded per token and in all. Beyond a bound the oldest event
 * that is not in a request under way is dropped (per token for the token's bound, across tokens for
 * the total): the newest events are the ones worth a wake-up. So memory stays bounded however long
 * a receiver stays down: the limits, plus the batches in flight.
 */
export class WebhookQueues<T> {
  /** Every waiting event in arrival order (each token's events in its own order). */
  private readonly order = new Set<Entry<T>>();

  constructor(
    private readonly limits: QueueLimits,
    /** Events dropped to stay within a bound (a batch losing its oldest events changes its id). */
    private readonly dropped: (queue: TokenQueue<T>, items: T[]) => void,
  ) {}

  get total(): number {
    return this.order.size;
  }

  open(): TokenQueue<T> {
    return new TokenQueue<T>();
  }

  /**
   * Adds an event, held (socket linger) or released; drops the oldest beyond the bounds. A released
   * event releases the held ones before it: a token's events go out in the order they came.
   */
  push(queue: TokenQueue<T>, item: T, held: boolean): void {
    if (!held && queue.held > 0) this.release(queue);
    const entry = new Entry(item, queue, held);
    queue.entries.push(entry);
    if (held) queue.held++;
    this.order.add(entry);
    if (queue.size > this.limits.perToken) this.dropFrom(queue, queue.droppableIndex());
    while (this.order.size > this.limits.total) {
      const oldest = this.oldestDroppable();
      if (!oldest) break;
      // Every older event of its token is in the batch under way: it is the token's first droppable one.
      this.dropFrom(oldest.queue, oldest.queue.droppableIndex());
    }
  }

  /** The socket linger ended: the held events are released for delivery. */
  release(queue: TokenQueue<T>): void {
    for (let i = queue.entries.length - queue.held; i < queue.entries.length; i++) queue.entries[i].held = false;
    queue.held = 0;
  }

  /** A socket opened during the linger: it resumes what was held, so nothing of it is sent. */
  discardHeld(queue: TokenQueue<T>): number {
    const count = queue.held;
    for (const entry of queue.entries.splice(queue.entries.length - count, count)) this.order.delete(entry);
    queue.held = 0;
    return count;
  }

  /** The current batch, formed from the oldest released events when there is none. */
  formBatch(queue: TokenQueue<T>, maxEvents: number): T[] {
    if (queue.batched === 0) {
      queue.batched = Math.min(maxEvents, queue.released);
      for (let i = 0; i < queue.batched; i++) queue.entries[i].batched = true;
    }
    return queue.batch;
  }

  /** The batch is done with (delivered, refused or given up): its events leave the queue. */
  completeBatch(queue: TokenQueue<T>): T[] {
    const done = queue.entries.splice(0, queue.batched);
    for (const entry of done) this.order.delete(entry);
    queue.batched = 0;
    queue.sending = false;
    return done.map((entry) => entry.item);
  }

  /** The token is gone: everything it had waiting leaves. */
  close(queue: TokenQueue<T>): T[] {
    const all = queue.entries.splice(0);
    for (const entry of all) this.order.delete(entry);
    queue.batched = queue.held = 0;
    queue.sending = false;
    return all.map((entry) => entry.item);
  }

  /** The oldest waiting event anywhere that is not in a request under way (those are few: concurrency × batch size). */
  private oldestDroppable(): Entry<T> | undefined {
    for (const entry of this.order) if (!(entry.batched && entry.queue.sending)) return entry;
    return undefined;
  }

  private dropFrom(queue: TokenQueue<T>, index: number): void {
    const entry = queue.entries[index];
    if (!entry) return;
    queue.entries.splice(index, 1);
    this.order.delete(entry);
    if (entry.held) queue.held--;
    if (entry.batched) queue.batched--;
    this.dropped(queue, [entry.item]);
  }
}
