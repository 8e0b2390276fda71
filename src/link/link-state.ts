import type { Contact, ImEvent, PrivacyItem, Presence } from './events';

export const MAX_TRACKED_THREADS = 1_000;
const MAX_PRESENCES = 10_000;
const MAX_PRIVACY_LISTS = 100;

/**
 * What a link remembers from its events: contact presences and pending subscription requests (to
 * answer `GET /v1/roster` synchronously), the latest roster and privacy lists, and the highest
 * message seq per thread that became an event. With it, `admit` tells a new event from a repetition: the upstream
 * replays chat history, presences, pending requests and snapshots on every IMGetRoster (§12.1), and
 * a client wants each once. All maps are bounded; forgetting only ever lets an event through again.
 */
export class LinkState {
  readonly presences = new Map<string, Presence>();
  /** Subscription requests announced and not yet answered. */
  readonly pendingRequests = new Set<string>();
  contacts?: Contact[];
  /**
   * Per thread, the highest message seq published: a thread's message events are in seq order, and
   * an older message that never became one (it was in a discarded batch) was covered by `resync`.
   */
  private readonly lastSeqByThread = new Map<string, number>();
  /** Canonical content of each privacy list as last announced. */
  private readonly privacyLists = new Map<string, string>();
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

  /**
   * Updates the state and says whether the event is news for a client: false for a message whose
   * thread already had it or a later one published, a presence, roster or privacy list identical to what the client was
   * last told, and a request still pending that a roster snapshot lists again. (A request sent live
   * is always news: it may have been withdrawn silently and asked anew.)
   */
  admit(event: ImEvent, context: { snapshot?: boolean } = {}): boolean {
    switch (event.type) {
      case 'message': {
        const { thread, seq, from, to } = event.data;
        // Own messages carry `to` (partner or room); a 1:1 partner's carry their address as `from`
        // (room occupants' carry a nickname, which is no address).
        if (to) this.rememberChat(thread, to);
        else if (from.includes('@') && !this.chatAddresses.has(thread)) this.rememberChat(thread, from);
        if (seq === 0) return true; // unsequenced (SYSTEM): never replayed
        const last = this.lastSeqByThread.get(thread) ?? 0;
        if (seq <= last) return false;
        this.lastSeqByThread.delete(thread); // re-insert: the map's order is the eviction order
        this.lastSeqByThread.set(thread, seq);
        evictOldest(this.lastSeqByThread, MAX_TRACKED_THREADS);
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
        const known = this.presences.get(address);
        this.presences.delete(address);
        this.presences.set(address, presence);
        evictOldest(this.presences, MAX_PRESENCES);
        return !known || known.show !== presence.show || known.status !== presence.status;
      }
      case 'roster': {
        const changed = !this.contacts || canonicalContacts(this.contacts) !== canonicalContacts(event.data.contacts);
        this.contacts = event.data.contacts;
        return changed;
      }
      case 'contact':
        // Roster pushes after the last full roster: keep the snapshot current.
        if (this.contacts) {
          const others = this.contacts.filter((c) => c.address !== event.data.address);
          this.contacts = [...others, event.data];
        }
        // The contact changed (e.g. was authorized elsewhere): a request from it, if asked again, is new.
        this.pendingRequests.delete(event.data.address);
        return true;
      case 'subscriptionRequest':
        if (context.snapshot && this.pendingRequests.has(event.data.from)) return false;
        this.pendingRequests.delete(event.data.from); // re-insert: the set's order is the eviction order
        this.pendingRequests.add(event.data.from);
        evictOldest(this.pendingRequests, MAX_PRESENCES);
        return true;
      case 'privacyList': {
        const { name, items } = event.data;
        const content = canonicalPrivacyItems(items);
        const changed = this.privacyLists.get(name) !== content;
        this.privacyLists.delete(name);
        this.privacyLists.set(name, content);
        evictOldest(this.privacyLists, MAX_PRIVACY_LISTS);
        return changed;
      }
      case 'resync':
        // A new upstream session starts with an offline view, and a gap may have hidden presence
        // changes: presences arrive again, and are news again.
        this.presences.clear();
        return true;
      default:
        return true;
    }
  }
}

/** Order-free content of a roster: contacts by address, groups as a set, absent name = none. */
function canonicalContacts(contacts: Contact[]): string {
  const rows = contacts.map((c) => [c.address, c.name ?? null, [...c.groups].sort(), c.subscription, c.pending] as const);
  return JSON.stringify(rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

function canonicalPrivacyItems(items: PrivacyItem[]): string {
  return JSON.stringify(items.map((i) => [i.order, i.action, i.address]));
}

export function evictOldest(collection: Map<string, unknown> | Set<string>, max: number): void {
  while (collection.size > max) {
    const oldest = collection.keys().next().value as string;
    collection.delete(oldest);
  }
}
