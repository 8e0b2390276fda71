/** XMPP subscription state of one roster item (RFC 3921): does the user see them (to), do they see the user (from). */
export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface RosterItem {
  addr: string;
  name: string;
  groups: string[];
  subscription: Subscription;
  /** An outgoing subscribe is pending (`ask="subscribe"`). */
  ask: boolean;
}

export const hasTo = (s: Subscription) => s === 'to' || s === 'both';
export const hasFrom = (s: Subscription) => s === 'from' || s === 'both';

export function withTo(s: Subscription, on: boolean): Subscription {
  const from = hasFrom(s);
  return on ? (from ? 'both' : 'to') : from ? 'from' : 'none';
}

export function withFrom(s: Subscription, on: boolean): Subscription {
  const to = hasTo(s);
  return on ? (to ? 'both' : 'from') : to ? 'to' : 'none';
}

/**
 * A user's roster as the XMPP server stores it: it survives the persona going offline (only the
 * persona's cached copy is dropped, §4). Also holds inbound subscribe requests not yet answered.
 */
export class RosterStore {
  private readonly items = new Map<string, RosterItem>();
  private readonly pendingIn = new Map<string, string>();

  get(addr: string): RosterItem | undefined {
    return this.items.get(addr.toLowerCase());
  }

  upsert(addr: string): RosterItem {
    const key = addr.toLowerCase();
    let item = this.items.get(key);
    if (!item) {
      item = { addr, name: '', groups: [], subscription: 'none', ask: false };
      this.items.set(key, item);
    }
    return item;
  }

  list(): RosterItem[] {
    return [...this.items.values()];
  }

  addPending(from: string): void {
    this.pendingIn.set(from.toLowerCase(), from);
  }

  dropPending(from: string): void {
    this.pendingIn.delete(from.toLowerCase());
  }

  pending(): string[] {
    return [...this.pendingIn.values()];
  }
}
