import type { Account, AccountDirectory } from '../accounts';
import type { SoapSession } from '../sessions';
import { UNAVAILABLE, presenceN, rosterN, subscribeN, itemN, type Presence } from './notifications';
import { Persona } from './persona';
import { isBlockedFor } from './privacy';
import { hasFrom, hasTo, type RosterItem } from './roster-store';

/**
 * The IM world between the simulator's users: persona lifecycle (listeners, online/offline,
 * roster arrival), presence routing along subscriptions, and roster pushes. The subscription
 * protocol itself lives in subscriptions.ts.
 */
export class ImService {
  private readonly personas = new Map<string, Persona>();
  /** Runs once the roster result is in; the connect-time privacy fetch follows it (§4). */
  onRosterArrived: (persona: Persona) => void = () => {};
  /** Runs after every own-presence broadcast, online or not; joined rooms follow it (§12.4). */
  onPresenceBroadcast: (persona: Persona) => void = () => {};

  constructor(private readonly accounts: AccountDirectory, private readonly rosterDelayMs: number) {}

  persona(account: Account): Persona {
    let persona = this.personas.get(account.id);
    if (!persona) {
      persona = new Persona(account);
      this.personas.set(account.id, persona);
    }
    return persona;
  }

  /** The persona behind an address, if it is a local account. */
  local(addr: string): Persona | undefined {
    const account = addr.includes('@') ? this.accounts.byName(addr) : undefined;
    return account ? this.persona(account) : undefined;
  }

  // ---- listeners and the online/offline lifecycle (§4) ----

  /** IMGatewayList's side effect: the session becomes a listener; the first one brings the persona online. */
  registerListener(session: SoapSession): void {
    if (session.listener || session.ended) return;
    const persona = this.persona(session.account);
    session.listener = true;
    session.idle = false;
    const wasOnline = persona.online;
    persona.listeners.add(session);
    if (wasOnline) this.recomputeIdle(persona);
    else this.goOnline(persona);
  }

  /** Session end: drop the listener; the last one takes the persona offline. */
  unregisterListener(session: SoapSession): void {
    if (!session.listener) return;
    session.listener = false;
    const persona = this.persona(session.account);
    persona.listeners.delete(session);
    if (persona.online) this.recomputeIdle(persona);
    else this.goOffline(persona);
  }

  private goOnline(persona: Persona): void {
    persona.idle = false;
    // The very first registration sends no self presence; later ones do, with the stored presence (§12.14).
    if (persona.everOnline) persona.postToListeners(presenceN(persona.address, persona.effective()));
    persona.everOnline = true;
    this.broadcastPresence(persona);
    // Initial presence probes the contacts the user is subscribed to; answers are buffered, not posted.
    for (const item of persona.roster.list()) {
      const contact = hasTo(item.subscription) ? this.local(item.addr) : undefined;
      if (contact?.available() && !isBlockedFor(persona, contact.address)) persona.buffered.set(contact.address, contact.forContacts());
    }
    persona.rosterTimer = setTimeout(() => this.rosterArrived(persona), this.rosterDelayMs);
    persona.rosterTimer.unref();
  }

  private goOffline(persona: Persona): void {
    clearTimeout(persona.rosterTimer);
    persona.rosterTimer = undefined;
    persona.rosterLoaded = false;
    persona.buffered.clear();
    persona.deliveredSubscribes.clear();
    persona.idle = false;
    this.broadcastPresence(persona);
  }

  /** The XMPP roster result: roster, known presences and undelivered subscribe requests to all listeners (§13.1). */
  rosterArrived(persona: Persona): void {
    clearTimeout(persona.rosterTimer);
    persona.rosterTimer = undefined;
    if (!persona.online || persona.rosterLoaded) return;
    persona.rosterLoaded = true;
    persona.postToListeners(rosterN(persona.roster.list()));
    for (const [from, p] of persona.buffered) persona.postToListeners(presenceN(from, p));
    for (const from of persona.roster.pending()) {
      if (persona.deliveredSubscribes.has(from.toLowerCase()) || isBlockedFor(persona, from)) continue;
      persona.deliveredSubscribes.add(from.toLowerCase());
      persona.postToListeners(subscribeN(from));
    }
    this.onRosterArrived(persona);
  }

  /** Delivers every roster still "in flight" now. */
  flushRosters(): void {
    for (const persona of this.personas.values()) if (persona.rosterTimer) this.rosterArrived(persona);
  }

  /** IMGetRoster (§12.1 step 1): only to the requesting session, only when the roster is there. */
  rosterSnapshot(persona: Persona, session: SoapSession): void {
    if (!persona.rosterLoaded) return;
    session.post(rosterN(persona.roster.list()));
    for (const [from, p] of persona.buffered) session.post(presenceN(from, p));
    for (const from of persona.roster.pending()) if (!isBlockedFor(persona, from)) session.post(subscribeN(from));
  }

  // ---- presence (§12.4, §12.14) ----

  setPresence(persona: Persona, presence: Presence): void {
    persona.stored = presence;
    persona.postToListeners(presenceN(persona.address, persona.effective()));
    if (persona.online) this.broadcastPresence(persona);
  }

  setIdle(session: SoapSession, idle: boolean): void {
    if (!session.listener) return;
    session.idle = idle;
    this.recomputeIdle(this.persona(session.account));
  }

  private recomputeIdle(persona: Persona): void {
    const idle = persona.allListenersIdle();
    if (idle === persona.idle) return;
    persona.idle = idle;
    persona.postToListeners(presenceN(persona.address, persona.effective()));
    this.broadcastPresence(persona);
  }

  /** Sends the persona's presence to every online contact subscribed to it (item from/both). */
  broadcastPresence(persona: Persona): void {
    const p = persona.forContacts();
    for (const item of persona.roster.list()) {
      if (!hasFrom(item.subscription)) continue;
      const contact = this.local(item.addr);
      if (contact?.online) this.deliverPresence(contact, persona.address, p);
    }
    this.onPresenceBroadcast(persona);
  }

  /** A presence stanza reaching `to`: buffered for IMGetRoster and posted to its listeners (§13.4). */
  deliverPresence(to: Persona, from: string, p: Presence): void {
    // The recipient's default privacy list drops the stanza before the connection sees it (§12.10).
    if (!to.online || isBlockedFor(to, from)) return;
    to.buffered.set(from, p);
    to.postToListeners(presenceN(from, p));
  }

  /** The contact stops being visible to `to` (unsubscribe/revoke while it was available). */
  deliverUnavailable(to: Persona, from: Persona): void {
    if (from.available()) this.deliverPresence(to, from.address, UNAVAILABLE);
  }

  /** XMPP roster push (§13.3): reaches the user's listeners while online. */
  pushItem(persona: Persona, item: RosterItem): void {
    if (persona.online) persona.postToListeners(itemN(item));
  }

  all(): Persona[] {
    return [...this.personas.values()];
  }

  stop(): void {
    for (const persona of this.personas.values()) clearTimeout(persona.rosterTimer);
  }
}
