/** Ticks per ping interval. */
const SLICES = 16;

/** What the heartbeat needs of a socket: a ping that also drops it if it missed the previous one. */
export interface Pingable {
  ping(): void;
}

/**
 * Pings every socket once per interval. Each socket gets one of SLICES slots when it joins and each
 * tick pings one slot, so the pings of many sockets (and the pongs they bring back) are spread over
 * the interval instead of all going out in one event-loop turn: with 10 000 sockets that turn would
 * stall every other client for tens of milliseconds, once per interval.
 */
export class Heartbeat<T extends Pingable = Pingable> {
  private readonly slots: Set<T>[] = Array.from({ length: SLICES }, () => new Set<T>());
  private readonly slotOf = new Map<T, Set<T>>();
  private joined = 0;
  private tick = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.beat(), intervalMs / SLICES);
    this.timer.unref();
  }

  add(socket: T): void {
    const slot = this.slots[this.joined++ % SLICES];
    slot.add(socket);
    this.slotOf.set(socket, slot);
  }

  remove(socket: T): void {
    this.slotOf.get(socket)?.delete(socket);
    this.slotOf.delete(socket);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const socket of this.slots[this.tick++ % SLICES]) socket.ping();
  }
}
