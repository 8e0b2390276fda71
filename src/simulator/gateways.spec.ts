import { attr, child, children, type XmlNode } from '../soap/xml';
import { DEMO_ACCOUNTS, ImSimulator } from './index';
import { online, type Reply, TestClient } from './spec-support';

/** Connect-time roster and privacy notifications taken, so replies hold only new ones. */
const DRAINED = { drained: true };

const ALICE = 'alice@example.com';
const GW = new Set(['gwStatus', 'otherLocation']);

const pick = (n: XmlNode, ...names: string[]) => Object.fromEntries(names.map((k) => [k, attr(n, k)]));
const gw = (r: Reply) => r.notifications.filter((n) => GW.has(attr(n, 'type') ?? ''));
const status = (n: XmlNode) => pick(n, 'type', 'service', 'state', 'timeUntilNextConnect', 'username');

/** Gateway notifications from `first` on, long-polling until `count` have arrived. */
async function gatewayNotes(c: TestClient, count: number, first?: Reply): Promise<Record<string, string | undefined>[]> {
  const seen = first ? gw(first) : [];
  while (seen.length < count) {
    const reply = await c.noop('wait="1" timeout="2000"');
    const got = gw(reply);
    if (!got.length) throw new Error(`expected ${count} gateway notifications, got ${seen.length}`);
    seen.push(...got);
  }
  return seen.map(status);
}

async function registrations(c: TestClient): Promise<Record<string, Record<string, string | undefined>>> {
  const list = await c.register();
  return Object.fromEntries(
    children(list.body, 'service')
      .filter((s) => child(s, 'registration'))
      .map((s) => [attr(s, 'type')!, pick(child(s, 'registration')!, 'name', 'state', 'timeUntilNextConnect')]),
  );
}

const reg = (c: TestClient, service: string, name: string, password: string) =>
  c.im('IMGatewayRegisterRequest', `op="reg" service="${service}" name="${name}" password="${password}"`);
const op = (c: TestClient, o: string, service: string) => c.im('IMGatewayRegisterRequest', `op="${o}" service="${service}"`);

const trying = { type: 'gwStatus', service: 'yahoo', state: 'trying_to_connect', timeUntilNextConnect: undefined, username: undefined };
const state = (s: string, service = 'yahoo') => ({ ...trying, service, state: s });

describe('simulator IM gateways (§12.11, §12.12, §13.10)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 60_000, privacyDelayMs: 60_000, gatewayConnectDelayMs: 30 });
  });
  afterEach(() => sim.stop());

  it('reg: result="1", trying_to_connect then online to every listener, and listed as registered', async () => {
    const a1 = await online(sim, ALICE, DRAINED);
    const a2 = await online(sim, ALICE, DRAINED);
    const r = await reg(a1, 'yahoo', 'alice_y', 'pw');
    expect(r.raw).toContain('<IMGatewayRegisterResponse xmlns="urn:zimbraIM" result="1"/>');
    expect(await gatewayNotes(a1, 2, r)).toEqual([trying, state('online')]);
    expect(await gatewayNotes(a2, 2)).toEqual([trying, state('online')]);
    expect(await registrations(a1)).toEqual({ yahoo: { name: 'alice_y', state: 'online', timeUntilNextConnect: undefined } });
    expect(sim.gatewayRegistrations(ALICE)).toEqual([{ type: 'yahoo', name: 'alice_y', state: 'online' }]);
  });

  it('a wrong remote password ends in bad_auth; the remote password is settable', async () => {
    const c = await online(sim, ALICE, DRAINED);
    expect(await gatewayNotes(c, 2, await reg(c, 'yahoo', 'alice_y', 'wrong'))).toEqual([trying, state('bad_auth')]);
    expect((await registrations(c)).yahoo.state).toBe('bad_auth');

    sim.setGatewayPassword('msn', 'alice_m', 's3cret');
    expect(await gatewayNotes(c, 2, await reg(c, 'msn', 'alice_m', 'pw'))).toEqual([state('trying_to_connect', 'msn'), state('bad_auth', 'msn')]);
    expect(await gatewayNotes(c, 2, await reg(c, 'msn', 'alice_m', 's3cret'))).toEqual([state('trying_to_connect', 'msn'), state('online', 'msn')]);
  });

  it('unreg (or any other op) removes the registration', async () => {
    const c = await online(sim, ALICE, DRAINED);
    await gatewayNotes(c, 2, await reg(c, 'yahoo', 'alice_y', 'pw'));
    await gatewayNotes(c, 2, await reg(c, 'aim', 'alice_a', 'pw'));
    expect(Object.keys(await registrations(c))).toEqual(['aim', 'yahoo']);
    expect((await op(c, 'unreg', 'yahoo')).raw).toContain('result="1"');
    expect((await op(c, 'Reg', 'aim')).fault).toBeUndefined(); // ops are case-sensitive: "Reg" unregisters
    expect(await registrations(c)).toEqual({});
    expect(gw(await c.noop(''))).toEqual([]);
  });

  it('logged in elsewhere: otherLocation + disabled; reconnect brings it back', async () => {
    const c = await online(sim, ALICE, DRAINED);
    await gatewayNotes(c, 2, await reg(c, 'yahoo', 'alice_y', 'pw'));
    sim.gatewayLoggedInElsewhere(ALICE, 'yahoo');
    expect(await gatewayNotes(c, 2)).toEqual([
      { type: 'otherLocation', service: 'yahoo', state: undefined, timeUntilNextConnect: undefined, username: 'alice_y' },
      state('disabled'),
    ]);
    expect((await registrations(c)).yahoo.state).toBe('disabled');
    expect(await gatewayNotes(c, 2, await op(c, 'reconnect', 'yahoo'))).toEqual([trying, state('online')]);
    expect((await registrations(c)).yahoo.state).toBe('online');
  });

  it('a dropped link schedules a reconnect on the simulator clock (timeUntilNextConnect)', async () => {
    const c = await online(sim, ALICE, DRAINED);
    await gatewayNotes(c, 2, await reg(c, 'yahoo', 'alice_y', 'pw'));
    sim.gatewayDisconnect(ALICE, 'yahoo', 30_000);
    const dropped = await c.noop('');
    expect(dropped.raw).toContain('<n type="gwStatus" service="yahoo" state="trying_to_connect" timeUntilNextConnect="30000"/>');
    const listed = (await registrations(c)).yahoo;
    expect(listed).toMatchObject({ name: 'alice_y', state: 'trying_to_connect' });
    expect(listed.timeUntilNextConnect).toMatch(/^\d+$/);
    expect(Number(listed.timeUntilNextConnect)).toBeGreaterThan(29_000);
    expect(Number(listed.timeUntilNextConnect)).toBeLessThanOrEqual(30_000);

    sim.clock.advance(20_000);
    expect(Number((await registrations(c)).yahoo.timeUntilNextConnect)).toBeLessThanOrEqual(10_000);
    expect(gw(await c.noop(''))).toEqual([]);
    sim.clock.advance(10_000);
    expect(await gatewayNotes(c, 1)).toEqual([state('online')]);
    expect(await registrations(c)).toEqual({ yahoo: { name: 'alice_y', state: 'online', timeUntilNextConnect: undefined } });
  });

  it('faults: unknown service is service.FAILURE, reg needs name and password, op and service are required', async () => {
    const c = await online(sim, ALICE, DRAINED);
    const unknown = (await reg(c, 'gtalk', 'x', 'y')).fault!;
    expect([unknown.code, unknown.value]).toEqual(['service.FAILURE', 'soap:Receiver']);
    expect((await op(c, 'unreg', 'Yahoo')).fault!.code).toBe('service.FAILURE');
    const noPw = (await c.im('IMGatewayRegisterRequest', 'op="reg" service="gtalk" name="x"')).fault!;
    expect(noPw.reason).toBe('invalid request: missing required attribute: password');
    expect((await c.im('IMGatewayRegisterRequest', 'service="yahoo"')).fault!.reason).toBe('invalid request: missing required attribute: op');
    expect((await c.im('IMGatewayRegisterRequest', 'op="unreg"')).fault!.reason).toBe('invalid request: missing required attribute: service');
    expect(() => sim.gatewayDisconnect(ALICE, 'yahoo', 10)).toThrow(/no yahoo gateway registration/);
  });
});
