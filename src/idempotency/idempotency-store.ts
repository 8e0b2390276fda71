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

/**
 * The first answer to each idempotency key, per scope (a token): a retry with the same key and the
 * same request gets it again without running the request a second time; a retry while the first
 * still runs waits for it. Answers that say "not done, try again" are not kept (see `keep`), so the
 * retry runs. Bounded by count and age, in memory.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

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
    this.evict(now);
    const ended = await outcome;
    if ('error' in ended && !this.keep(ended.error) && this.entries.get(id) === entry) this.entries.delete(id);
    return settle(ended) as T;
  }

  /** Expired entries first, then the oldest, down to the bound (Map order is insertion order). */
  private evict(now: number): void {
    if (this.entries.size <= this.limits.maxKeys) return;
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
    while (this.entries.size > this.limits.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function settle(outcome: Outcome): unknown {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
