import type { LinkEvent } from '../link/events';
import type { MetricsService } from '../metrics/metrics.service';
import type { EventSocket } from './event-socket';

/** Where a token's events come from: its link, or (in cluster mode) the shared log's feed. */
export interface EventSource {
  subscribe(listener: (event: LinkEvent) => void): () => void;
}

/** Sockets served per event-loop turn; a bigger fan-out yields between chunks. */
const CHUNK = 256;

/**
 * The sockets of one token, fed from one subscription to the token's events. Events queue in order;
 * a large fan-out is delivered in chunks so one busy token cannot stall the event loop. When the last
 * socket leaves, the subscription lingers (the link keeps polling and logging) so a reconnecting client
 * resumes without loss.
 */
export class Fanout {
  readonly sockets = new Set<EventSocket>();
  private readonly queue: LinkEvent[] = [];
  /** The event being fanned out: the sockets it goes to (as they were when it started) and how far along. */
  private current?: { event: LinkEvent; targets: EventSocket[]; next: number };
  /** A drain is running or scheduled. */
  private busy = false;
  private unsubscribe?: () => void;
  private lingerTimer?: NodeJS.Timeout;

  constructor(
    readonly source: EventSource,
    private readonly lingerMs: number,
    private readonly onEmpty: (fanout: Fanout) => void,
    private readonly metrics: MetricsService,
  ) {}

  add(socket: EventSocket): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.sockets.add(socket);
    this.unsubscribe ??= this.source.subscribe((event) => this.push(event));
  }

  remove(socket: EventSocket): void {
    if (!this.sockets.delete(socket) || this.sockets.size > 0) return;
    this.lingerTimer = setTimeout(() => this.end(), this.lingerMs);
    this.lingerTimer.unref();
  }

  /** Stops listening to the source (linger over, or the link closed). */
  end(): void {
    clearTimeout(this.lingerTimer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.onEmpty(this);
  }

  private push(event: LinkEvent): void {
    this.metrics.eventPublished(event);
    this.queue.push(event);
    if (!this.busy) this.drain();
  }

  /** Delivers queued events in order, each to every socket, at most CHUNK deliveries per turn. */
  private drain(): void {
    this.busy = true;
    let budget = CHUNK;
    for (;;) {
      if (!this.current) {
        const event = this.queue.shift();
        if (!event) {
          this.busy = false;
          return;
        }
        this.current = { event, targets: [...this.sockets], next: 0 };
      }
      const { event, targets } = this.current;
      while (this.current.next < targets.length && budget > 0) {
        if (targets[this.current.next++].deliver(event)) this.metrics.eventDelivered();
        budget--;
      }
      if (this.current.next < targets.length || (budget === 0 && this.queue.length > 0)) {
        if (this.current.next >= targets.length) this.current = undefined;
        setImmediate(() => this.drain());
        return;
      }
      this.current = undefined;
    }
  }
}
