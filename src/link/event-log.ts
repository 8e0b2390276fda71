import type { ImEvent, LinkEvent } from './events';

export interface EventLogLimits {
  /** Events kept for replay. */
  maxEvents: number;
  /** Events older than this are no longer replayed. */
  maxAgeMs: number;
}

/** What a resume from an event id can get: exactly the missed events, or a gap. */
export type Replay = { events: LinkEvent[] } | { gap: true };

/**
 * A link's numbered, bounded event history. Ids are `<epoch>.<n>`: the epoch is fixed per log
 * (per link), so an id handed out by an earlier link for the same token is recognised as not
 * replayable instead of being confused with this log's numbering.
 */
export class EventLog {
  private readonly epoch: string;
  private readonly entries: { event: LinkEvent; n: number; at: number }[] = [];
  private next = 1;

  constructor(private readonly limits: EventLogLimits, now = Date.now()) {
    this.epoch = now.toString(36);
  }

  /** Numbers and stores an event; returns it as published. */
  append(event: ImEvent, now = Date.now()): LinkEvent {
    const n = this.next++;
    const published = { id: `${this.epoch}.${n}`, type: event.type, at: new Date(now).toISOString(), data: event.data } as LinkEvent;
    this.entries.push({ event: published, n, at: now });
    this.trim(now);
    return published;
  }

  get lastId(): string | null {
    return this.entries.length ? this.entries[this.entries.length - 1].event.id : this.next > 1 ? `${this.epoch}.${this.next - 1}` : null;
  }

  /** The events after `id`, if every one of them is still here; otherwise a gap. */
  since(id: string, now = Date.now()): Replay {
    this.trim(now);
    const n = this.parse(id);
    if (n === undefined || n >= this.next) return { gap: true };
    const oldestKept = this.entries.length ? this.entries[0].n : this.next;
    if (n < oldestKept - 1) return { gap: true };
    return { events: this.entries.filter((e) => e.n > n).map((e) => e.event) };
  }

  private parse(id: string): number | undefined {
    const dot = id.lastIndexOf('.');
    if (dot < 0 || id.slice(0, dot) !== this.epoch) return undefined;
    const n = Number(id.slice(dot + 1));
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }

  private trim(now: number): void {
    let drop = Math.max(0, this.entries.length - this.limits.maxEvents);
    while (drop < this.entries.length && now - this.entries[drop].at > this.limits.maxAgeMs) drop++;
    if (drop > 0) this.entries.splice(0, drop);
  }
}
