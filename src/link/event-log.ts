import { isoTime } from '../common/iso-time';
import type { EventJournal } from './event-journal';
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
export class EventLog implements EventJournal {
  private readonly epoch: string;
  /** Kept events, oldest first, from `head` on; numbers are consecutive, so positions are computed. */
  private readonly entries: { event: LinkEvent; n: number; at: number }[] = [];
  private head = 0;
  private next = 1;

  constructor(private readonly limits: EventLogLimits, now = Date.now()) {
    this.epoch = now.toString(36);
  }

  /** Numbers and stores an event; returns it as published. */
  append(event: ImEvent, now = Date.now()): LinkEvent {
    const n = this.next++;
    const id = `${this.epoch}.${n}`;
    id.charCodeAt(0); // flat, not a two-part cons string: it may be kept for long (see isoTime)
    const published = { id, type: event.type, at: isoTime(now), data: event.data } as LinkEvent;
    this.entries.push({ event: published, n, at: now });
    this.trim(now);
    return published;
  }

  /** Kept at once: a process's own memory is as durable as its link. */
  commit(events: readonly ImEvent[]): LinkEvent[] {
    return events.map((event) => this.append(event));
  }

  get lastId(): string | null {
    return this.next > 1 ? `${this.epoch}.${this.next - 1}` : null;
  }

  /** The events after `id`, if every one of them is still here; otherwise a gap. */
  since(id: string, now = Date.now()): Replay {
    this.trim(now);
    const n = this.parse(id);
    if (n === undefined || n >= this.next) return { gap: true };
    const oldestKept = this.head < this.entries.length ? this.entries[this.head].n : this.next;
    if (n < oldestKept - 1) return { gap: true };
    return { events: this.entries.slice(this.head + (n + 1 - oldestKept)).map((e) => e.event) };
  }

  private parse(id: string): number | undefined {
    const dot = id.lastIndexOf('.');
    if (dot < 0 || id.slice(0, dot) !== this.epoch) return undefined;
    // Only the form append writes: `Number` alone would also take "", " 1", "0x1" or "1e3".
    const digits = id.slice(dot + 1);
    const n = Number(digits);
    return Number.isSafeInteger(n) && String(n) === digits ? n : undefined;
  }

  /** Drops by moving `head` (no copying per event); the array is compacted once half of it is dropped. */
  private trim(now: number): void {
    const end = this.entries.length;
    this.head = Math.max(this.head, end - this.limits.maxEvents);
    while (this.head < end && now - this.entries[this.head].at > this.limits.maxAgeMs) this.head++;
    if (this.head > 64 && this.head * 2 > end) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
