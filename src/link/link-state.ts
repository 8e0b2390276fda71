import type { Contact, EventData, ImEvent, PrivacyItem, Presence } from './events';
import { invitationWords } from './notification-mapper';

export const MAX_TRACKED_THREADS = 1_000;
const MAX_PRESENCES = 10_000;
const MAX_PRIVACY_LISTS = 100;
const MAX_REMOVED_CONTACTS = 10_000;

/**
 * What a link remembers from its events: contact presences and pending subscription requests (to
 * answer `GET /v1/roster` synchronously), the latest roster and privacy lists, and the highest
 * message seq per thread that became an event. With it, `admit` tells a new event from a repetition: the upstream
 * replays chat history, presences, pending requests and snapshots on every IMGetRoster (§12.1), and
 * a client wants each once. It also hides what the upstream says twice or keeps saying: the stored
 * copy of an invitation, and contacts this link removed. All maps are bounded; forgetting only ever
 * lets an event (or a removed contact) through again.
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
  /**
   * Per thread, the invitation announced whose stored copy has not come yet: the upstream posts
   * `invited`, then stores the same text as a message from the room and posts that too (§13.9).
   */
  private readonly invitations = new Map<string, { room: string; words: string }>();
  /** Contacts (lower case) this link is removing: IMSubscribe op=remove is under way. */
  private readonly removing = new Set<string>();
  /**
   * Contacts (lower case) removed through this link. The upstream keeps the roster item and lists it
   * in every roster (§12.2); for the client it is gone until it is added again.
   */
  private readonly removed = new Set<string>();

  chatAddress(thread: string): string | undefined {
    return this.chatAddresses.get(thread);
  }

  /** The highest message seq of `thread` that became an event (0: none known). */
  lastMessageSeq(thread: string): number {
    return this.lastSeqByThread.get(thread) ?? 0;
  }

  /** A thread as another process left it: its last message that became an event, and where its messages go. */
  restoreChat(thread: string, lastSeq: number, address: string | null): void {
    if (lastSeq > 0) {
      this.lastSeqByThread.set(thread, lastSeq);
      evictOldest(this.lastSeqByThread, MAX_TRACKED_THREADS);
    }
    if (address !== null) this.rememberChat(thread, address);
  }

  rememberChat(thread: string, address: string): void {
    this.chatAddresses.delete(thread);
    this.chatAddresses.set(thread, address);
    evictOldest(this.chatAddresses, MAX_TRACKED_THREADS);
  }

  /**
   * Call before IMSubscribe op=remove: the `unsubscribed` the upstream posts at once (§12.2) then
   * becomes a `contact` event with `removed: true` (a refusal looks alike but is not ours).
   */
  removalStarted(address: string): void {
    this.removing.add(address.toLowerCase());
  }

  /**
   * After IMSubscribe op=remove. When it succeeded, the contact (by every address the upstream
   * knows it by, an alias resolved too) stays out of the rosters even if no notification said so.
   */
  removalEnded(addresses: string[], succeeded: boolean): void {
    for (const address of addresses) {
      this.removing.delete(address.toLowerCase());
      if (succeeded) this.markRemoved(address.toLowerCase());
    }
  }

  /** Whether the contact is in the roster as this link knows it (undefined: the roster is not known yet). */
  hasContact(address: string): boolean | undefined {
    const key = address.toLowerCase();
    return this.contacts?.some((c) => c.address.toLowerCase() === key);
  }

  private markRemoved(key: string): void {
    this.removed.delete(key); // re-insert: the set's order is the eviction order
    this.removed.add(key);
    evictOldest(this.removed, MAX_REMOVED_CONTACTS);
    if (this.contacts) this.contacts = this.contacts.filter((c) => c.address.toLowerCase() !== key);
  }

  /**
   * Updates the state and says whether the event is news for a client: false for a message whose
   * thread already had it or a later one published, a presence, roster or privacy list identical to what the client was
   * last told, a request still pending that a roster snapshot lists again, the stored copy of an
   * invitation, and a push about a contact this link removed. (A request sent live is always news:
   * it may have been withdrawn silently and asked anew.) Two events are amended on the way: a
   * roster loses the contacts this link removed, and the `contact` event of our own removal says
   * `removed: true`.
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
        // Numbered like any message (so its replays are repetitions), but the client has it as the invitation.
        return !this.isInvitationCopy(event.data);
      }
      case 'chatClosed':
        // The upstream may reuse a closed chat's thread id, numbering from 1 again.
        this.lastSeqByThread.delete(event.data.thread);
        this.chatAddresses.delete(event.data.thread);
        this.invitations.delete(event.data.thread);
        return true;
      case 'invitation': {
        const { thread, room, message } = event.data;
        this.rememberChat(thread, room);
        this.invitations.delete(thread);
        this.invitations.set(thread, { room, words: collapseBlanks(message) });
        evictOldest(this.invitations, MAX_TRACKED_THREADS);
        return true;
      }
      case 'presence': {
        const { address, ...presence } = event.data;
        const known = this.presences.get(address);
        this.presences.delete(address);
        this.presences.set(address, presence);
        evictOldest(this.presences, MAX_PRESENCES);
        return !known || known.show !== presence.show || known.status !== presence.status;
      }
      case 'roster': {
        // The upstream keeps removed items (§12.2): they stay out of what the client is told.
        if (this.removed.size > 0) {
          event.data.contacts = event.data.contacts.filter((c) => !this.removed.has(c.address.toLowerCase()));
        }
        const changed = !this.contacts || canonicalContacts(this.contacts) !== canonicalContacts(event.data.contacts);
        this.contacts = event.data.contacts;
        return changed;
      }
      case 'contact': {
        const contact = event.data;
        const key = contact.address.toLowerCase();
        // Only a new subscription (a request out, or granted) puts a removed contact back.
        const subscribing = contact.pending || contact.subscription === 'to';
        if (this.removing.has(key) && !subscribing && contact.name !== contact.address) {
          // The upstream's answer to our own removal (a refusal carries the address as its name, §13.3).
          this.removing.delete(key);
          this.markRemoved(key);
          event.data = { ...contact, removed: true };
          return true;
        }
        if (this.removed.has(key)) {
          if (!subscribing) return false; // later pushes about a contact the client was told is gone
          this.removed.delete(key);
        }
        // Roster pushes after the last full roster: keep the snapshot current.
        if (this.contacts) {
          const others = this.contacts.filter((c) => c.address !== contact.address);
          this.contacts = [...others, contact];
        }
        // The contact changed (e.g. was authorized elsewhere): a request from it, if asked again, is new.
        this.pendingRequests.delete(contact.address);
        return true;
      }
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

  /** The message the upstream stores for an invitation: from the room, same thread, the same words. */
  private isInvitationCopy(message: EventData['message']): boolean {
    const invitation = this.invitations.get(message.thread);
    if (!invitation || message.to !== undefined || message.from.toLowerCase() !== invitation.room.toLowerCase()) return false;
    if (collapseBlanks(invitationWords(message.text, invitation.room)) !== invitation.words) return false;
    this.invitations.delete(message.thread);
    return true;
  }
}

function collapseBlanks(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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
