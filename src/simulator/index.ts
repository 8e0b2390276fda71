/**
 * An embedded Zimbra IM SOAP server (urn:zimbraIM and the account/mail requests around it) that
 * behaves as the wire-format document describes, quirks included. Several users in one simulator
 * see each other's presence and subscriptions.
 *
 *   const sim = await ImSimulator.start({ accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 20 });
 *   sim.url                          'http://127.0.0.1:<port>/service/soap'
 *   sim.clock.advance(ms)            move simulated time (token expiry, session idle expiry + sweep)
 *   sim.addAccount(address, pw)
 *   sim.requests / requestCount(name?) / resetRequests()     what reached the server
 *   sim.injectFault({ request?, account?, times?, kind: 'fault'|'http'|'garbage'|'reset'|'lostReply'|'stall'|'drip', … })
 *   sim.clearFaults()
 *   sim.endSessions(account)         as if every session of the account timed out
 *   sim.sessionIds(account)          live session ids
 *   sim.sessionsCreated              sessions created since the start, ended ones included
 *   sim.postNotification(account, '<n type="presence" …/><n …/>')   raw <n>s, in order, to every listener session
 *   sim.repeatLastBlock(sessionIdOrAccount)  next response repeats the last acked notify block (§5 race)
 *   sim.flushRosters()               deliver rosters still waiting for rosterDelayMs now
 *   sim.parkedNoOps                  blocking NoOps currently parked
 *   sim.parkedNoOpsOf(account)       … of them, those on the account's sessions
 *   sim.chaos                        with option chaos { seed, rates }: stats(), tail(n), pause(), resume()
 *                                    (chaos.ts lists the kinds; undefined when chaos is off)
 *   sim.persona(address)             read-only view for assertions
 *   Privacy (§12.10; options privacyDelayMs = delay of each `privacy` notification, default 20):
 *   sim.flushPrivacy()               deliver privacy notifications still waiting for privacyDelayMs now
 *   sim.putPrivacyList(account, name, [{ action: 'allow'|'deny', order, addr }])  store a list server-side
 *                                    (first one becomes the default), pushing it to listeners if online
 *   sim.privacyLists(account)        { defaultName?, lists } as stored
 *   Gateways (§12.11, §12.12, §13.10; option gatewayConnectDelayMs = connect attempt delay, default 30):
 *   sim.setGatewayPassword(type, name, pw)   the remote password; unset: anything but 'wrong' succeeds
 *   sim.gatewayDisconnect(account, type, retryInMs)  trying_to_connect + timeUntilNextConnect, reconnect
 *                                    when the time passes (real timers or sim.clock.advance)
 *   sim.gatewayLoggedInElsewhere(account, type)      otherLocation, then gwStatus disabled
 *   sim.gatewayRegistrations(account)                [{ type, name, state, timeUntilNextConnect? }]
 *   Chats and conference rooms (§11–§13; options chatFlushMs 300 000 and chatCloseMs 3 600 000: a chat
 *   auto-closes chatFlushMs + chatCloseMs after its last stored message, on real time or sim.clock.advance):
 *   sim.chats(account)               [{ thread, room?, nick?, joined, participants, messages }] (seq from 0)
 *   sim.rooms()                      [{ addr, name, locked, config, affiliations, occupants }]
 *   sim.createRoom(addr, { owner?, admins?, members?, config? })  a persistent, unlocked room on
 *                                    conference.<domain> (or conf.<domain>); config uses server var names
 *   sim.banFromRoom(room, address)   outcast; an occupant is thrown out (leftchat YouHaveBeenBanned)
 *   sim.receiveMessage(account, { from, body?, html?, subject?, thread?, typing? })  an incoming chat
 *                                    message from anyone (§11 thread rules); returns the thread, or
 *                                    undefined when dropped (privacy, or typing to an offline user)
 *   await sim.stop()
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { child, children } from '../soap/xml';
import { parseXml } from './xml-reader';
import type { Chaos } from './chaos';
import type { SimClock } from './clock';
import { SimulatorCore } from './core';
import type { InjectedFault } from './fault-injection';
import { createSoapServer } from './http-server';
import type { Presence } from './im/notifications';
import type { Subscription } from './im/roster-store';
import { resolveOptions, type SimulatorOptions } from './options';
import * as cc from './chat-controls';
import * as pg from './privacy-gateway-controls';
import type { RecordedRequest } from './request-log';

export { DEMO_ACCOUNTS } from './demo-accounts';
export type { SimulatorOptions, SimulatorAccount } from './options';
export type { InjectedFault } from './fault-injection';
export type { ChaosKind, ChaosOptions, ChaosRates } from './chaos';
export type { RecordedRequest } from './request-log';
export type { Presence, Show } from './im/notifications';
export type { Subscription } from './im/roster-store';
export type { ChatMessageView, ChatView, CreateRoomOptions, IncomingMessage, RoomView } from './chat-controls';
export type { GatewayRegistrationView, GatewayState, GatewayType, PrivacyItem, PrivacyList, PrivacyView } from './privacy-gateway-controls';

export interface PersonaView {
  address: string;
  /** At least one listener session. */
  online: boolean;
  /** Effective presence (what IMGetRoster reports). */
  presence: Presence;
  /** Presence last set through IMSetPresence. */
  storedPresence: Presence;
  idle: boolean;
  rosterLoaded: boolean;
  roster: { addr: string; name: string; groups: string[]; subscription: Subscription; ask: boolean }[];
  /** Inbound subscribe requests not yet answered. */
  pendingRequests: string[];
  /** Contact presences the persona's connection knows. */
  knownPresences: Record<string, Presence>;
  listenerSessionIds: string[];
}

export class ImSimulator {
  readonly url: string;

  private constructor(private readonly core: SimulatorCore, private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    const host = core.options.host.includes(':') ? `[${core.options.host}]` : core.options.host;
    this.url = `http://${host}:${port}/service/soap`;
  }

  static async start(options: SimulatorOptions = {}): Promise<ImSimulator> {
    const resolved = resolveOptions(options);
    const core = new SimulatorCore(resolved);
    const server = createSoapServer(core);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(resolved.port, resolved.host, () => resolve());
      });
    } catch (err) {
      core.stop();
      throw err;
    }
    return new ImSimulator(core, server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get clock(): Pick<SimClock, 'now' | 'advance'> {
    return this.core.clock;
  }

  addAccount(address: string, password: string): void {
    this.core.accounts.add(address, password);
  }

  get requests(): RecordedRequest[] {
    return this.core.log.list();
  }

  requestCount(name?: string): number {
    return this.core.log.count(name);
  }

  resetRequests(): void {
    this.core.log.reset();
  }

  injectFault(fault: InjectedFault): void {
    this.core.faults.add(fault);
  }

  clearFaults(): void {
    this.core.faults.clear();
  }

  /** Ends every session of the account as a timeout would; returns how many ended. */
  endSessions(account: string): number {
    const found = this.core.accounts.byName(account);
    if (!found) return 0;
    const sessions = this.core.sessions.forAccount(found.id);
    for (const s of sessions) this.core.sessions.end(s, 'timeout');
    return sessions.length;
  }

  /** Sessions created since the start, ended ones included (a storm of new sessions shows here). */
  get sessionsCreated(): number {
    return this.core.sessions.created;
  }

  sessionIds(account: string): string[] {
    const found = this.core.accounts.byName(account);
    return found ? this.core.sessions.forAccount(found.id).map((s) => s.id) : [];
  }

  /**
   * Posts raw `<n …>` element(s) to every listener session of the account. Several `<n>` side by
   * side are not a document: they are read as what they stand for, the content of an `<im>` block
   * of a `<notify>` (§5), and posted in order.
   */
  postNotification(account: string, xml: string): void {
    const found = this.core.accounts.byName(account);
    if (!found) throw new Error(`unknown account: ${account}`);
    const notifications = children(child(parseXml(`<im>${xml}</im>`), 'im'), 'n');
    if (!notifications.length) throw new Error('postNotification needs one or more <n> elements');
    const persona = this.core.im.persona(found);
    for (const n of notifications) persona.postToListeners(n);
  }

  /** The next response on that session (or each session of that account) repeats its last acked block. */
  repeatLastBlock(sessionIdOrAccount: string): void {
    const byId = this.core.sessions.get(sessionIdOrAccount);
    const account = byId ? undefined : this.core.accounts.byName(sessionIdOrAccount);
    const sessions = byId ? [byId] : account ? this.core.sessions.forAccount(account.id) : [];
    for (const s of sessions) s.queue.repeatLastAcked();
  }

  /** The seeded chaos, when the simulator was started with one. */
  get chaos(): Pick<Chaos, 'seed' | 'stats' | 'tail' | 'pause' | 'resume'> | undefined {
    return this.core.chaos;
  }

  /** Blocking NoOps currently parked. */
  get parkedNoOps(): number {
    return this.core.waits.size;
  }

  /** Blocking NoOps currently parked on the sessions of one account. */
  parkedNoOpsOf(account: string): number {
    const found = this.core.accounts.byName(account);
    return found ? this.core.waits.countOf(found.id) : 0;
  }

  flushRosters(): void {
    this.core.im.flushRosters();
  }

  // ---- privacy lists and gateways (privacy-gateway-controls.ts) ----

  flushPrivacy(): void {
    this.core.privacy.flush();
  }

  putPrivacyList(account: string, name: string, items: pg.PrivacyItem[]): void {
    pg.putPrivacyList(this.core, account, name, items);
  }

  privacyLists(account: string): pg.PrivacyView {
    return pg.privacyLists(this.core, account);
  }

  setGatewayPassword(type: string, name: string, password: string): void {
    pg.setGatewayPassword(this.core, type, name, password);
  }

  gatewayDisconnect(account: string, type: string, retryInMs: number): void {
    pg.gatewayDisconnect(this.core, account, type, retryInMs);
  }

  gatewayLoggedInElsewhere(account: string, type: string): void {
    pg.gatewayLoggedInElsewhere(this.core, account, type);
  }

  gatewayRegistrations(account: string): pg.GatewayRegistrationView[] {
    return pg.gatewayRegistrations(this.core, account);
  }

  // ---- chats and conference rooms (chat-controls.ts) ----

  chats(account: string): cc.ChatView[] {
    return cc.chats(this.core, account);
  }

  rooms(): cc.RoomView[] {
    return cc.rooms(this.core);
  }

  createRoom(addr: string, opts?: cc.CreateRoomOptions): void {
    cc.createRoom(this.core, addr, opts);
  }

  banFromRoom(room: string, address: string): void {
    cc.banFromRoom(this.core, room, address);
  }

  receiveMessage(account: string, message: cc.IncomingMessage): string | undefined {
    return cc.receiveMessage(this.core, account, message);
  }

  persona(address: string): PersonaView | undefined {
    const account = this.core.accounts.byName(address);
    if (!account) return undefined;
    const p = this.core.im.persona(account);
    return structuredClone({
      address: p.address,
      online: p.online,
      presence: p.effective(),
      storedPresence: p.stored,
      idle: p.idle,
      rosterLoaded: p.rosterLoaded,
      roster: p.roster.list(),
      pendingRequests: p.roster.pending(),
      knownPresences: Object.fromEntries(p.buffered),
      listenerSessionIds: [...p.listeners].map((s) => s.id),
    });
  }

  async stop(): Promise<void> {
    this.core.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
