import type { Contact, ImEvent, Presence } from './events';

const MAX_TRACKED_THREADS = 1_000;
const MAX_PRESENCES = 10_000;

/**
 * What a link remembers from its events: contact presences and pending subscription requests (to
 * answer `GET /v1/roster` synchronously), the latest roster, and the highest message seq per thread
 * (so the upstream's history replays never become events twice). All maps are bounded.
 */
export class LinkState {
  readonly presences = new Map<string, Presence>();
  readonly pendingRequests = new Set<string>();
  contacts?: Contact[];
  private readonly lastSeqByThread = new Map<string, number>();
  /** Where each chat's messages go (the 1:1 partner or the room): the upstream wants `addr` on every send. */
  private readonly chatAddresses = new Map<string, string>();

  chatAddress(thread: string): string | undefined {
    return this.chatAddresses.get(thread);
  }

  rememberChat(thread: string, address: string): void {
    this.chatAddresses.delete(thread);
    this.chatAddresses.set(thread, address);
    evictOldest(this.chatAddresses, MAX_TRACKED_THREADS);
  }

  /** Updates the state and says whether the event is new (false = a replayed message already seen). */
  admit(event: ImEvent): boolean {
    switch (event.type) {
      case 'message': {
        const { thread, seq, from, to } = event.data;
        // Own messages carry `to` (partner or room); a 1:1 partner's carry their address as `from`
        // (room occupants' carry a nickname, which is no address).
        if (to) this.rememberChat(thread, to);
        else if (from.includes('@') && !this.chatAddresses.has(thread)) this.rememberChat(thread, from);
        if (seq > 0) {
          const last = this.lastSeqByThread.get(thread) ?? 0;
          if (seq <= last) return false;
          this.lastSeqByThread.delete(thread); // re-insert: the map's order is the eviction order
          this.lastSeqByThread.set(thread, seq);
          evictOldest(this.lastSeqByThread, MAX_TRACKED_THREADS);
        }
        return true;
      }
      case 'chatClosed':
        // The upstream may reuse a closed chat's thread id, numbering from 1 again.
        this.lastSeqByThread.delete(event.data.thread);
        this.chatAddresses.delete(event.data.thread);
        return true;
      case 'invitation':
        this.rememberChat(event.data.thread, event.data.room);
        return true;
      case 'presence': {
        const { address, ...presence } = event.data;
        this.presences.delete(address);
        this.presences.set(address, presence);
        evictOldest(this.presences, MAX_PRESENCES);
        return true;
      }
      case 'roster':
        this.contacts = event.data.contacts;
        return true;
      case 'contact':
        // Roster pushes after the last full roster: keep the snapshot current.
        if (this.contacts) {
          const others = this.contacts.filter((c) => c.address !== event.data.address);
          this.contacts = [...others, event.data];
        }
        return true;
      case 'subscriptionRequest':
        this.pendingRequests.add(event.data.from);
        evictOldest(this.pendingRequests, MAX_PRESENCES);
        return true;
      case 'resync':
        // A new upstream session starts with an offline view; presences arrive again.
        this.presences.clear();
        return true;
      default:
        return true;
    }
  }
}

function evictOldest(collection: Map<string, unknown> | Set<string>, max: number): void {
  while (collection.size > max) {
    const oldest = collection.keys().next().value as string;
    collection.delete(oldest);
  }
}
