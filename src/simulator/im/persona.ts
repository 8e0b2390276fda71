import type { XmlNode } from '../../soap/xml';
import type { Account } from '../accounts';
import type { SoapSession } from '../sessions';
import { UNAVAILABLE, type Presence } from './notifications';
import { PrivacyStore } from './privacy';
import { RosterStore } from './roster-store';

/** One user's IM presence in the world (§4, §11). */
export class Persona {
  /** Server-side roster: kept while offline. */
  readonly roster = new RosterStore();
  /** Server-side privacy lists: kept while offline; the default one filters inbound stanzas (privacy.ts). */
  readonly privacy = new PrivacyStore();
  /** Sessions registered through IMGatewayList. */
  readonly listeners = new Set<SoapSession>();
  /** The presence last set (memory only, §11). */
  stored: Presence = { show: 'ONLINE' };
  /** Combined idle flag: every listener idle (§12.14). */
  idle = false;
  /** The XMPP roster result has arrived since the persona last went online. */
  rosterLoaded = false;
  rosterTimer?: NodeJS.Timeout;
  /** Contact presences the XMPP connection has seen (replayed by IMGetRoster). */
  readonly buffered = new Map<string, Presence>();
  /** Inbound subscribe requests already delivered to this connection's listeners. */
  readonly deliveredSubscribes = new Set<string>();
  /** The first registration ever produces no self presence (§12.14 quirk). */
  everOnline = false;

  constructor(readonly account: Account) {}

  get address(): string {
    return this.account.name;
  }

  get online(): boolean {
    return this.listeners.size > 0;
  }

  allListenersIdle(): boolean {
    return this.listeners.size > 0 && [...this.listeners].every((s) => s.idle);
  }

  /** Effective own presence (§11): OFFLINE keeping the status when no listener, AWAY when idle, else stored. */
  effective(): Presence {
    if (!this.online) return { show: 'OFFLINE', ...(this.stored.status !== undefined ? { status: this.stored.status } : {}) };
    if (this.idle) return { show: 'AWAY' };
    return { ...this.stored };
  }

  /** What contacts see: unavailable when offline or when the user chose OFFLINE (§12.4). */
  forContacts(): Presence {
    const p = this.effective();
    return p.show === 'OFFLINE' ? UNAVAILABLE : p;
  }

  /** The contact is reachable and available. */
  available(): boolean {
    return this.forContacts().show !== 'OFFLINE';
  }

  postToListeners(n: XmlNode): void {
    for (const session of this.listeners) session.post(structuredClone(n));
  }
}
