import { attr, child, children, type XmlNode } from '../soap/xml';
import { isBlocked } from './im/privacy';
import { DEMO_ACCOUNTS, ImSimulator } from './index';
import { online, TestClient } from './spec-support';

/** Connect-time roster and privacy notifications taken, so replies hold only new ones. */
const DRAINED = { drained: true };

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const FRIEND = 'friend@spam.example';
const MALLORY = 'mallory@spam.example';
const EVE = 'eve@spam.example';
const ACCOUNTS = [...DEMO_ACCOUNTS, ...[FRIEND, MALLORY, EVE].map((a) => ({ address: a, password: `${a.split('@')[0]}-pass` }))];

const types = (ns: XmlNode[]) => ns.map((n) => attr(n, 'type'));
const listOf = (n: XmlNode) => child(n, 'list')!;
const itemsOf = (n: XmlNode) => children(listOf(n), 'item').map((i) => ({ addr: attr(i, 'addr'), action: attr(i, 'action'), order: attr(i, 'order') }));

/** Waits (long-poll) for the next privacy notification(s). */
async function nextPrivacy(c: TestClient): Promise<XmlNode[]> {
  const reply = await c.noop('wait="1" timeout="2000"');
  return reply.ofType('privacy');
}

const setList = (c: TestClient, inner: string, listAttrs = '') =>
  c.im('IMSetPrivacyListRequest', '', `<list ${listAttrs}>${inner}</list>`);
const item = (action: string, order: string, addr?: string) =>
  `<item action="${action}" order="${order}"${addr === undefined ? '' : ` addr="${addr}"`}/>`;

describe('simulator privacy lists (§12.10, §13.11)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, rosterDelayMs: 60_000, privacyDelayMs: 20, noopTimeoutClampMs: [100, 3000] });
  });
  afterEach(() => sim.stop());

  it('IMGetPrivacyList answers empty; an empty default list arrives later to every listener', async () => {
    const a1 = await online(sim, ALICE, DRAINED);
    const a2 = await online(sim, ALICE, DRAINED);
    const reply = await a1.im('IMGetPrivacyListRequest');
    expect(reply.bodyName).toBe('IMGetPrivacyListResponse');
    expect(reply.raw).toContain('<IMGetPrivacyListResponse xmlns="urn:zimbraIM"/>');
    expect(reply.ofType('privacy')).toEqual([]);
    const [n] = await nextPrivacy(a1);
    expect(attr(listOf(n), 'name')).toBe('default');
    expect(itemsOf(n)).toEqual([]);
    expect((await a1.noop('')).raw).not.toContain('type="privacy"');
    expect((await nextPrivacy(a2)).length).toBe(1);
  });

  it('connecting and IMGetRoster both fetch the list; the connect-time one follows the roster', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    await c.register();
    sim.flushRosters();
    const first = await c.noop('');
    expect(types(first.notifications)).toEqual(['roster']);
    expect((await nextPrivacy(c)).length).toBe(1);
    const other = await online(sim, ALICE, DRAINED);
    await c.im('IMGetRosterRequest');
    expect((await nextPrivacy(other)).length).toBe(1); // to all listeners, not only the requester
  });

  it('IMSetPrivacyList stores the list (first one = default) and pushes it; items come back in order', async () => {
    const c = await online(sim, ALICE, DRAINED);
    const set = await setList(c, item('deny', '2', 'spam.example') + item('allow', '1', FRIEND), 'name="default"');
    expect(set.bodyName).toBe('IMSetPrivacyListResponse');
    expect(set.raw).toContain('<IMSetPrivacyListResponse xmlns="urn:zimbraIM"/>');
    const [pushed] = await nextPrivacy(c);
    const expected = [
      { addr: FRIEND, action: 'allow', order: '1' },
      { addr: 'spam.example', action: 'deny', order: '2' },
    ];
    expect(itemsOf(pushed)).toEqual(expected);

    await c.im('IMGetPrivacyListRequest', 'name="default"');
    const got = await c.noop('wait="1" timeout="2000"');
    expect(got.raw).toContain(
      `<n type="privacy"><list name="default"><item addr="${FRIEND}" action="allow" order="1"/><item addr="spam.example" action="deny" order="2"/></list></n>`,
    );
    expect(sim.privacyLists(ALICE)).toEqual({ defaultName: 'default', lists: [{ name: 'default', items: expected.map((i) => ({ ...i, order: Number(i.order) })) }] });
  });

  it('a second named list does not replace the default; a missing named list never answers', async () => {
    const c = await online(sim, ALICE, DRAINED);
    await setList(c, item('deny', '1', MALLORY)); // no name: "default"
    await nextPrivacy(c);
    await setList(c, item('deny', '1', BOB), 'name="work"');
    const [push] = await nextPrivacy(c);
    expect(attr(listOf(push), 'name')).toBe('default'); // the push re-fetches the default list
    await c.im('IMGetPrivacyListRequest', 'name="work"');
    const [work] = await nextPrivacy(c);
    expect([attr(listOf(work), 'name'), itemsOf(work)]).toEqual(['work', [{ addr: BOB, action: 'deny', order: '1' }]]);
    await c.im('IMGetPrivacyListRequest', 'name="nope"');
    sim.flushPrivacy();
    expect((await c.noop('')).ofType('privacy')).toEqual([]);
    expect(sim.privacyLists(ALICE).defaultName).toBe('default');
  });

  it('an offline persona gets nothing and its set is lost', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    await c.im('IMGetPrivacyListRequest');
    expect((await setList(c, item('deny', '1', BOB))).fault).toBeUndefined();
    sim.flushPrivacy();
    expect((await c.noop('')).notifications).toEqual([]);
    expect(sim.privacyLists(ALICE)).toEqual({ lists: [] });
  });

  it('validates like the server: order ≤ 0, duplicates, action case, missing addr/list/order', async () => {
    const c = await online(sim, ALICE, DRAINED);
    const fault = async (inner: string) => (await setList(c, inner)).fault!;

    const zero = await fault(item('deny', '0', BOB));
    expect(zero.code).toBe('service.INVALID_REQUEST');
    expect(zero.reason).toMatch(/^invalid request: Order must be >= 0 in item <item /);
    const dup = await fault(item('deny', '1', BOB) + item('allow', '1', MALLORY));
    expect(dup.code).toBe('service.INVALID_REQUEST');
    expect(dup.reason).toContain('Order must be unique for every item within list.');
    const cased = await fault(item('Deny', '1', BOB));
    expect([cased.code, cased.value]).toEqual(['service.FAILURE', 'soap:Receiver']);
    expect(cased.reason).toContain('PrivacyListEntry.Action.Deny');
    const noAddr = await fault(item('deny', '1'));
    expect([noAddr.code, noAddr.reason]).toEqual(['service.INVALID_REQUEST', 'invalid request: missing required attribute: addr']);
    expect((await fault('<item action="deny" addr="x@y"/>')).reason).toBe('invalid request: missing required attribute: order');
    expect((await fault(item('deny', 'one', BOB))).reason).toContain('invalid long value');
    const noList = (await c.im('IMSetPrivacyListRequest')).fault!;
    expect(noList.reason).toBe('invalid request: missing required element: list');
    sim.flushPrivacy();
    expect(sim.privacyLists(ALICE)).toEqual({ lists: [] });
  });

  it('enforces the default list on incoming presence and subscribe requests; an earlier allow wins', async () => {
    const alice = await online(sim, ALICE, DRAINED);
    const others = await Promise.all([BOB, FRIEND, MALLORY].map((a) => online(sim, a, DRAINED)));
    const [bob, friend, mallory] = others;
    // Everyone sees everyone (alice ↔ each).
    for (const o of others) {
      await alice.im('IMSubscribeRequest', `addr="${o.address}" op="add"`);
      await o.im('IMAuthorizeSubscribeRequest', `addr="${ALICE}" authorized="1" add="1"`);
      await alice.im('IMAuthorizeSubscribeRequest', `addr="${o.address}" authorized="1"`);
    }
    await setList(alice, item('allow', '1', FRIEND) + item('deny', '2', 'spam.example'));
    sim.flushPrivacy();
    await alice.noop('');

    await mallory.im('IMSetPresenceRequest', '', '<presence show="AWAY" status="spam"/>');
    await friend.im('IMSetPresenceRequest', '', '<presence show="DND"/>');
    await bob.im('IMSetPresenceRequest', '', '<presence show="XA"/>');
    const seen = (await alice.noop('')).ofType('presence').map((n) => [attr(n, 'from'), attr(n, 'show')]);
    expect(seen).toEqual([[FRIEND, 'DND'], [BOB, 'XA']]);
    expect(sim.persona(ALICE)!.knownPresences[MALLORY]).toEqual({ show: 'ONLINE' }); // from before the list

    // A subscribe request from the denied domain is kept server-side but never delivered.
    const eve = await online(sim, EVE, DRAINED);
    await eve.im('IMSubscribeRequest', `addr="${ALICE}" op="add"`);
    expect((await alice.noop('')).ofType('subscribe')).toEqual([]);
    expect(sim.persona(ALICE)!.pendingRequests).toEqual([EVE]);
    expect((await alice.im('IMGetRosterRequest')).ofType('subscribe')).toEqual([]);

    // Reconnecting: the probe answers from the denied domain are dropped too.
    sim.endSessions(ALICE);
    await online(sim, ALICE, DRAINED);
    expect(Object.keys(sim.persona(ALICE)!.knownPresences).sort()).toEqual([BOB, FRIEND]);
  });
});

describe('isBlocked (pure)', () => {
  const list = {
    name: 'default',
    items: [
      { action: 'deny' as const, order: 5, addr: 'spam.example' },
      { action: 'allow' as const, order: 2, addr: 'Friend@Spam.Example' },
      { action: 'deny' as const, order: 9, addr: 'bob@example.com' },
    ],
  };

  it('takes the first match in ascending order; bare domains match their users; no match delivers', () => {
    expect(isBlocked(list, 'mallory@spam.example')).toBe(true);
    expect(isBlocked(list, 'friend@spam.example')).toBe(false);
    expect(isBlocked(list, 'spam.example')).toBe(true);
    expect(isBlocked(list, 'bob@example.com/laptop')).toBe(true);
    expect(isBlocked(list, 'carol@example.com')).toBe(false);
    expect(isBlocked(list, 'x@sub.spam.example')).toBe(false);
    expect(isBlocked(undefined, 'mallory@spam.example')).toBe(false);
  });
});
