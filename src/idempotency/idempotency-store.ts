/** How a first request ended: its value, or the error it was answered with. */
export type Outcome = { value: unknown } | { error: unknown };

interface Entry {
  fingerprint: string;
  /** Settles when the first request has its answer. */
  outcome: Promise<Outcome>;
  expiresAt: number;
}

export interface IdempotencyLimits {
  /** How long a key's answer is kept (IDEMPOTENCY_TTL_MS). */
  ttlMs: number;
  /** Keys kept at most (oldest forgotten first). */
  maxKeys: number;
}

/** The same key came with another request (method, route, parameters or body). */
export class KeyReused extends Error {
  constructor() {
    super('this Idempotency-Key was used for another request');
  }
}

/** Runs a request once per (scope, key) and answers its retries as it did (see IdempotencyStore, and its Redis twin in cluster mode). */
export interface IdempotencyKeys {
  run<T>(scope: string, key: string, fingerprint: string, execute: () => Promise<T>): Promise<T>;
}

/**
 * The first answer to each idempotency key, per scope (a token): a retry with the same key and the
 * same request gets it again without running the request a second time; a retry while the first
 * still runs waits for it. Answers that say "not done, try again" are not kept (see `keep`), so the
 * retry runs. Bounded by count and age, in memory.
 */
export class IdempotencyStore implements IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();
  /**
   * Ids in insertion order, which is also expiry order (every key lives as long), from `head` on.
   * A queue of our own: deleting from the front of a Map leaves holes V8 skips on every later walk.
   */
  private readonly order: { id: string; entry: Entry }[] = [];
  private head = 0;

  constructor(
    private readonly limits: IdempotencyLimits,
    /** Whether an error answer is final (kept and replayed) or lets a retry run again. */
    private readonly keep: (error: unknown) => boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Runs `execute` once per (scope, key), or answers as it did; throws KeyReused for another request under the key. */
  async run<T>(scope: string, key: string, fingerprint: string, execute: () => Promise<T>, now = Date.now()): Promise<T> {
    const id = `${scope}\n${key}`;
    let entry = this.entries.get(id);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(id);
      entry = undefined;
    }
    if (entry) {
      if (entry.fingerprint !== fingerprint) throw new KeyReused();
      return settle(await entry.outcome) as T;
    }
    const outcome = execute().then(
      (value): Outcome => ({ value }),
      (error: unknown): Outcome => ({ error }),
    );
    entry = { fingerprint, outcome, expiresAt: now + this.limits.ttlMs };
    this.entries.set(id, entry);
    this.order.push({ id, entry });
    this.evict(now);
    const ended = await outcome;
    if ('error' in ended && !this.keep(ended.error) && this.entries.get(id) === entry) this.entries.delete(id);
    return settle(ended) as T;
  }

  /** Drops the oldest entries while they are expired or over the bound: constant time per send. */
  private evict(now: number): void {
    while (this.head < this.order.length) {
      const { id, entry } = this.order[this.head];
      const current = this.entries.get(id) === entry;
      if (current && this.entries.size <= this.limits.maxKeys && entry.expiresAt > now) break;
      if (current) this.entries.delete(id);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
    // Keys dropped early (an answer not kept) still sit in the queue: never let them outnumber the kept ones.
    if (this.order.length - this.head > 2 * this.limits.maxKeys + 1024) {
      const kept = this.order.slice(this.head).filter(({ id, entry }) => this.entries.get(id) === entry);
      this.order.length = 0;
      this.order.push(...kept);
      this.head = 0;
    }
  }
}

function settle(outcome: Outcome): unknown {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
