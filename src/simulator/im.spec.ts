import { attr, child, children, type XmlNode } from '../soap/xml';
import { DEMO_ACCOUNTS, ImSimulator } from './index';
import { envelope, online, post, TestClient } from './spec-support';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
const pick = (n: XmlNode, ...names: string[]) => Object.fromEntries(names.map((k) => [k, attr(n, k)]));
const types = (ns: XmlNode[]) => ns.map((n) => attr(n, 'type'));

/** Drains pending notifications so the next assertions see only new ones. */
async function drain(...clients: TestClient[]): Promise<void> {
  for (const c of clients) await c.noop('');
}

describe('simulator IM: listeners, roster, subscriptions, presence (§4, §12, §13)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 60_000, privacyDelayMs: 60_000, noopTimeoutClampMs: [100, 3000] });
  });
  afterEach(() => sim.stop());

  /** alice and bob both see each other (subscription both). */
  async function befriend(a: TestClient, b: TestClient): Promise<void> {
    await a.im('IMSubscribeRequest', `addr="${b.address}" op="add" name="B" groups="Friends"`);
    await b.im('IMAuthorizeSubscribeRequest', `addr="${a.address}" authorized="true" add="true" name="A"`);
    await a.im('IMAuthorizeSubscribeRequest', `addr="${b.address}" authorized="true"`);
    await drain(a, b);
  }

  it('needs auth for IM requests', async () => {
    const reply = await post(sim.url, envelope('<IMGetRosterRequest xmlns="urn:zimbraIM"/>'));
    expect(reply.fault!.code).toBe('service.AUTH_REQUIRED');
  });

  it('IMGatewayList lists the gateways and registers the session; without it the persona stays offline', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    const offline = await c.im('IMGetRosterRequest');
    expect(pick(child(offline.body, 'presence')!, 'show')).toEqual({ show: 'OFFLINE' });
    expect(offline.raw).toContain('<chats/>');
    expect(offline.notifications).toEqual([]);
    sim.flushRosters();
    expect(sim.persona(ALICE)!.online).toBe(false);

    const list = await c.register();
    expect(list.notifications).toEqual([]); // the first registration ever: no self presence (§12.14)
    expect(children(list.body, 'service').map((s) => pick(s, 'type', 'domain', 'name'))).toEqual(
      ['aim', 'icq', 'msn', 'yahoo'].map((t) => ({ type: t, domain: `${t}.example.com`, name: undefined })),
    );
    expect(sim.persona(ALICE)).toMatchObject({ online: true, listenerSessionIds: [c.sessionId], rosterLoaded: false });
    const roster = await c.im('IMGetRosterRequest');
    expect(pick(child(roster.body, 'presence')!, 'show', 'status')).toEqual({ show: 'ONLINE', status: undefined });
    expect(roster.notifications).toEqual([]); // roster not there yet
  });

  it('IMGetRoster sends roster + presences to the requesting session once the roster is there', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await befriend(alice, bob);
    const other = new TestClient(sim.url, ALICE); // a second, non-listener session
    await other.login();
    const reply = await other.im('IMGetRosterRequest');
    expect(types(reply.notifications)).toEqual(['roster', 'presence']);
    const [roster, presence] = reply.notifications;
    expect(children(roster, 'n').map((n) => pick(n, 'type', 'name', 'groups', 'to', 'ask'))).toEqual([
      { type: 'subscribed', name: 'B', groups: 'Friends', to: BOB, ask: undefined },
    ]);
    expect(pick(presence, 'from', 'show')).toEqual({ from: BOB, show: 'ONLINE' });
    // Only the requesting session got it.
    expect((await alice.noop('')).notifications).toEqual([]);
  });

  it('delivers a late roster to all listeners, waking a parked NoOp', async () => {
    await sim.stop();
    sim = await ImSimulator.start({ accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 150, privacyDelayMs: 60_000, noopTimeoutClampMs: [100, 3000] });
    const one = await online(sim, ALICE);
    const two = await online(sim, ALICE);
    expect((await one.im('IMGetRosterRequest')).notifications).toEqual([]);
    const started = Date.now();
    const [r1, r2] = await Promise.all([one.noop('wait="1" timeout="3000"'), two.noop('wait="1" timeout="3000"')]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(types(r1.notifications)).toEqual(['roster']);
    expect(types(r2.notifications)).toEqual(['roster']);
    expect(r1.raw).toContain('<n type="roster"/>');
  });

  it('runs a subscription between two users with notifications on both sides', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await drain(alice, bob);

    const sub = await alice.im('IMSubscribeRequest', 'addr="bob" op="add" name="Bob" groups="Friends,Work"');
    expect(attr(sub.body, 'addr')).toBe(BOB); // bare local part resolved through the default domain
    expect(sub.notifications.map((n) => pick(n, 'type', 'name', 'groups', 'ask', 'to'))).toEqual([
      { type: 'unsubscribed', name: 'Bob', groups: 'Friends,Work', ask: 'subscribe', to: BOB },
    ]);
    const bobSees = await bob.noop('');
    expect(bobSees.notifications.map((n) => pick(n, 'type', 'from'))).toEqual([{ type: 'subscribe', from: ALICE }]);
    expect(sim.persona(BOB)!.pendingRequests).toEqual([ALICE]);

    // Pending requests are replayed on IMGetRoster until answered.
    expect(types((await bob.im('IMGetRosterRequest')).notifications)).toEqual(['roster', 'subscribe']);

    const auth = await bob.im('IMAuthorizeSubscribeRequest', `addr="${ALICE}" authorized="TRUE"`);
    expect(auth.bodyName).toBe('IMAuthorizeSubscribeResponse');
    expect(auth.notifications.map((n) => pick(n, 'type', 'to', 'ask'))).toEqual([{ type: 'unsubscribed', to: ALICE, ask: undefined }]);
    const aliceSees = await alice.noop('');
    expect(aliceSees.notifications.map((n) => pick(n, 'type', 'to', 'from', 'show', 'name'))).toEqual([
      { type: 'subscribed', to: BOB, from: undefined, show: undefined, name: 'Bob' },
      { type: 'presence', to: undefined, from: BOB, show: 'ONLINE', name: undefined },
    ]);
    expect(sim.persona(ALICE)!.roster).toEqual([{ addr: BOB, name: 'Bob', groups: ['Friends', 'Work'], subscription: 'to', ask: false }]);
    expect(sim.persona(BOB)!.roster[0]).toMatchObject({ addr: ALICE, subscription: 'from' });
    expect(types((await bob.im('IMGetRosterRequest')).notifications)).toEqual(['roster']);
  });

  it('authorize with add=1 subscribes back; refusal gives unsubscribed name=address without groups', async () => {
    const carol = await online(sim, CAROL);
    const dave = await online(sim, DAVE);
    sim.flushRosters();
    await drain(carol, dave);
    await carol.im('IMSubscribeRequest', `addr="${DAVE}" op="add" name="Dave"`);
    const refused = await dave.im('IMAuthorizeSubscribeRequest', `addr="${CAROL}" authorized="0"`);
    expect(refused.status).toBe(200);
    const carolSees = (await carol.noop('')).notifications;
    const refusal = carolSees.find((n) => attr(n, 'name') === DAVE)!;
    expect(refusal).toBeDefined();
    expect(pick(refusal, 'type', 'to', 'groups')).toEqual({ type: 'unsubscribed', to: DAVE, groups: undefined });
    expect(sim.persona(CAROL)!.roster[0]).toMatchObject({ subscription: 'none', ask: false });

    await dave.im('IMSubscribeRequest', `addr="${CAROL}" op="add"`);
    await carol.im('IMAuthorizeSubscribeRequest', `addr="${DAVE}" authorized="1" add="1" name="D" groups="G"`);
    await drain(carol);
    await dave.im('IMAuthorizeSubscribeRequest', `addr="${CAROL}" authorized="1"`);
    expect(sim.persona(CAROL)!.roster[0]).toMatchObject({ subscription: 'both', name: 'D', groups: ['G'] });
    expect(sim.persona(DAVE)!.roster[0]).toMatchObject({ subscription: 'both' });
  });

  it('remove posts unsubscribed at once with the request name/groups and keeps the item', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await befriend(alice, bob);
    const removed = await alice.im('IMSubscribeRequest', `addr="${BOB}" op="ReMoVe"`);
    expect(pick(removed.notifications[0], 'type', 'name', 'groups', 'to')).toEqual({ type: 'unsubscribed', name: '', groups: '', to: BOB });
    expect(removed.raw).toContain(`<n type="unsubscribed" name="" groups="" to="${BOB}"/>`);
    const offline = removed.notifications.find((n) => attr(n, 'type') === 'presence')!;
    expect(pick(offline, 'from', 'show', 'status')).toEqual({ from: BOB, show: 'OFFLINE', status: '' });
    expect(sim.persona(ALICE)!.roster[0]).toMatchObject({ addr: BOB, subscription: 'from' });
    const roster = (await alice.im('IMGetRosterRequest')).ofType('roster')[0];
    expect(pick(children(roster, 'n')[0], 'type', 'to')).toEqual({ type: 'unsubscribed', to: BOB });
  });

  it('validates IMSubscribe/IMAuthorizeSubscribe arguments', async () => {
    const alice = await online(sim, ALICE);
    expect((await alice.im('IMSubscribeRequest', 'op="add"')).fault!.reason).toBe('invalid request: missing required attribute: addr');
    expect((await alice.im('IMSubscribeRequest', 'addr="@x" op="add"')).fault!.code).toBe('im.INVALID_ADDRESS');
    expect((await alice.im('IMAuthorizeSubscribeRequest', 'addr="x@y"')).fault!.reason).toBe('invalid request: missing required attribute: authorized');
    expect((await alice.im('IMAuthorizeSubscribeRequest', 'addr="x@y" authorized="yes"')).fault!.reason).toBe(
      "invalid request: invalid boolean value 'yes' for attribute: authorized",
    );
    // Child-element form (§10) and external addresses are accepted as given.
    const ext = await alice.im('IMSubscribeRequest', '', '<addr>friend@elsewhere.org</addr><op>add</op>');
    expect(attr(ext.body, 'addr')).toBe('friend@elsewhere.org');
  });

  it('IMSetPresence: first presence only, upper-case show, self notification, propagation to contacts', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await befriend(alice, bob);
    const set = await bob.im('IMSetPresenceRequest', '', '<presence show="dnd" status="meeting" priority="5"/><presence show="xa"/>');
    expect(set.bodyName).toBe('IMSetPresenceResponse');
    expect(set.raw).toContain(`<n type="presence" from="${BOB}" show="DND" status="meeting"/>`);
    const aliceSees = await alice.noop('');
    expect(aliceSees.raw).toContain(`<n type="presence" from="${BOB}" show="DND" status="meeting"/>`);

    const invalid = await bob.im('IMSetPresenceRequest', '', '<presence show="sleepy"/>');
    expect(invalid.fault).toMatchObject({ code: 'service.FAILURE', value: 'soap:Receiver' });
    expect(invalid.fault!.reason).toMatch(/^system failure: java\.lang\.IllegalArgumentException: /);
    expect((await bob.im('IMSetPresenceRequest')).fault!.reason).toBe('invalid request: missing required element: presence');
  });

  it('the last session ending takes the persona offline: contacts see OFFLINE status=""', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await befriend(alice, bob);
    const bob2 = await online(sim, BOB);
    sim.endSessions(BOB);
    expect(bob2.sessionId).toBeDefined();
    const seen = await alice.noop('');
    expect(seen.raw).toContain(`<n type="presence" from="${BOB}" show="OFFLINE" status=""/>`);
    expect(sim.persona(BOB)).toMatchObject({ online: false, rosterLoaded: false, listenerSessionIds: [] });
    const bobRoster = await bob.im('IMGetRosterRequest');
    expect(pick(child(bobRoster.body, 'presence')!, 'show')).toEqual({ show: 'OFFLINE' });
    expect(bobRoster.notifications).toEqual([]);

    // Coming back: contacts see ONLINE, and the roster comes with alice's presence.
    // A later first registration reports the stored presence to itself (§12.14 quirk).
    const back = await bob.register();
    expect(back.raw).toContain(`<n type="presence" from="${BOB}" show="ONLINE"/>`);
    expect((await alice.noop('')).raw).toContain(`<n type="presence" from="${BOB}" show="ONLINE"/>`);
    sim.flushRosters();
    const arrived = await bob.noop('');
    expect(types(arrived.notifications)).toEqual(['roster', 'presence']);
    expect(pick(arrived.notifications[1], 'from', 'show')).toEqual({ from: ALICE, show: 'ONLINE' });
  });

  it('IMSetIdle: AWAY with no status only when every listener is idle', async () => {
    const alice = await online(sim, ALICE);
    const bob = await online(sim, BOB);
    sim.flushRosters();
    await befriend(alice, bob);
    await bob.im('IMSetPresenceRequest', '', '<presence show="ONLINE" status="here"/>');
    const bob2 = await online(sim, BOB);
    await drain(alice, bob, bob2);

    const first = await bob.im('IMSetIdleRequest', 'isIdle="1" idleTime="600"');
    expect(first.bodyName).toBe('IMSetIdleResponse');
    expect(first.notifications).toEqual([]);
    const both = await bob2.im('IMSetIdleRequest', 'isIdle="true" idleTime="600"');
    expect(both.raw).toContain(`<n type="presence" from="${BOB}" show="AWAY"/>`);
    expect((await alice.noop('')).raw).toContain(`<n type="presence" from="${BOB}" show="AWAY"/>`);
    expect(pick(child((await bob.im('IMGetRosterRequest')).body, 'presence')!, 'show', 'status')).toEqual({ show: 'AWAY', status: undefined });

    await bob.im('IMSetIdleRequest', 'isIdle="0" idleTime="600"');
    expect((await alice.noop('')).raw).toContain(`<n type="presence" from="${BOB}" show="ONLINE" status="here"/>`);
  });

  it('IMSetIdle needs a session, both attributes, and ignores non-listeners', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    const noSession = await c.call('<IMSetIdleRequest xmlns="urn:zimbraIM" isIdle="1" idleTime="5"/>', { session: false });
    expect(noSession.fault).toMatchObject({ code: 'service.FAILURE', reason: 'system failure: Must be called in the context of a session' });
    expect((await c.im('IMSetIdleRequest', 'isIdle="1"')).fault!.reason).toBe('invalid request: missing required attribute: idleTime');
    expect((await c.im('IMSetIdleRequest', 'isIdle="1" idleTime="5"')).status).toBe(200);
    expect(sim.persona(ALICE)!.idle).toBe(false);
  });

  it('postNotification reaches every listener session of the account only', async () => {
    const one = await online(sim, ALICE);
    const notListener = new TestClient(sim.url, ALICE);
    await notListener.login();
    sim.postNotification(ALICE, '<n type="gwStatus" service="yahoo" state="online"/>');
    expect(types((await one.noop('')).notifications)).toEqual(['gwStatus']);
    expect((await notListener.noop('')).notifications).toEqual([]);
  });

  it('postNotification takes several <n> side by side, with content, as one <im> block in order (§5)', async () => {
    const one = await online(sim, ALICE);
    await drain(one);
    sim.postNotification(
      ALICE,
      '<n type="message" from="x@example.org" thread="t1"><body>one</body></n>\n<n type="message" from="x@example.org" thread="t1"><body>two</body></n>',
    );
    const notifications = (await one.noop('')).notifications;
    expect(notifications.map((n) => child(n, 'body')?.['#text'])).toEqual(['one', 'two']);
    expect(() => sim.postNotification(ALICE, '<m/>')).toThrow(/one or more <n> elements/);
  });
});
