import { EventClient, Frame, OpenSockets } from './support/ws-client';
import { eventually, Stack, startStack } from './support/stack';

const ALICE = 'alice@example.com';
const CONNECT_DELAY_MS = 250;

type Gateway = { type: string; domain: string; registration: null | { name: string; state: string; reconnectInMs?: number } };

describe('IM gateways over real HTTP and WebSocket', () => {
  let stack: Stack;
  let alice: string;
  const sockets = new OpenSockets(() => stack.url);
  const open = (token: string) => sockets.ready({ token });

  const gateway = async (token: string, type: string): Promise<Gateway> => {
    const res = await stack.api.get<Gateway[]>('/v1/gateways', token);
    expect(res.status).toBe(200);
    const found = res.body.find((g) => g.type === type);
    if (!found) throw new Error(`no ${type} gateway in ${JSON.stringify(res.body)}`);
    return found;
  };
  const stateOf = (token: string, type: string, state: string) =>
    eventually(async () => {
      const g = await gateway(token, type);
      return g.registration?.state === state ? g : undefined;
    }, 3_000, `${type} ${state}`);
  const statuses = (socket: EventClient, type: string) => socket.events('gatewayStatus').filter((f) => f.data.type === type);
  const waitStatuses = (socket: EventClient, type: string, count: number) =>
    socket.waitForCount((f: Frame) => f.type === 'gatewayStatus' && f.data.type === type, count);
  /** What reached the upstream for an account, apart from the long-poll. */
  const upstreamCalls = (account: string) => stack.sim.requests.filter((r) => r.account === account && r.name !== 'NoOpRequest');

  beforeAll(async () => {
    stack = await startStack({ sim: { gatewayConnectDelayMs: CONNECT_DELAY_MS } });
    alice = await stack.api.login('alice');
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('lists the gateways the upstream offers, none registered', async () => {
    const res = await stack.api.get('/v1/gateways', alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      ['aim', 'icq', 'msn', 'yahoo'].map((type) => ({ type, domain: `${type}.example.com`, registration: null })),
    );
  });

  it('alice registers yahoo: trying_to_connect, then online, in GET and as gatewayStatus events in that order', async () => {
    const socket = await open(alice);
    const put = await stack.api.put('/v1/gateways/yahoo/registration', { name: 'alice_y', password: 'yahoo-pw' }, alice);
    expect(put.status).toBe(204);
    expect(put.body).toBe('');

    expect((await gateway(alice, 'yahoo')).registration).toEqual({ name: 'alice_y', state: 'trying_to_connect' });
    const online = await stateOf(alice, 'yahoo', 'online');
    expect(online).toEqual({ type: 'yahoo', domain: 'yahoo.example.com', registration: { name: 'alice_y', state: 'online' } });

    await waitStatuses(socket, 'yahoo', 2);
    expect(statuses(socket, 'yahoo').map((f) => f.data)).toEqual([
      { type: 'yahoo', state: 'trying_to_connect' },
      { type: 'yahoo', state: 'online' },
    ]);
  });

  it('a bad password ends in bad_auth', async () => {
    stack.sim.setGatewayPassword('msn', 'alice_m', 'the-right-one');
    const socket = await open(alice);
    expect((await stack.api.put('/v1/gateways/msn/registration', { name: 'alice_m', password: 'a-wrong-one' }, alice)).status).toBe(204);
    expect((await stateOf(alice, 'msn', 'bad_auth')).registration).toEqual({ name: 'alice_m', state: 'bad_auth' });
    await waitStatuses(socket, 'msn', 2);
    expect(statuses(socket, 'msn').map((f) => f.data.state)).toEqual(['trying_to_connect', 'bad_auth']);
  });

  it('unregistering removes the registration (and is idempotent)', async () => {
    expect((await gateway(alice, 'msn')).registration).not.toBeNull();
    const del = await stack.api.delete('/v1/gateways/msn/registration', alice);
    expect(del.status).toBe(204);
    expect((await gateway(alice, 'msn')).registration).toBeNull();
    expect(stack.sim.gatewayRegistrations(ALICE).map((r) => r.type)).toEqual(['yahoo']);
    expect((await stack.api.delete('/v1/gateways/msn/registration', alice)).status).toBe(204);
  });

  it('logged in elsewhere: otherLocation, disabled; reconnect brings it back online', async () => {
    await stateOf(alice, 'yahoo', 'online');
    const socket = await open(alice);
    stack.sim.gatewayLoggedInElsewhere(ALICE, 'yahoo');
    const elsewhere = await socket.waitFor((f) => f.type === 'gatewayOtherLocation');
    expect(elsewhere.data).toEqual({ type: 'yahoo', username: 'alice_y' });
    await socket.waitFor((f) => f.type === 'gatewayStatus' && f.data.state === 'disabled');
    expect((await gateway(alice, 'yahoo')).registration).toEqual({ name: 'alice_y', state: 'disabled' });

    const post = await stack.api.post('/v1/gateways/yahoo/reconnect', undefined, alice);
    expect(post.status).toBe(204);
    await stateOf(alice, 'yahoo', 'online');
    await waitStatuses(socket, 'yahoo', 3);
    expect(statuses(socket, 'yahoo').map((f) => f.data.state)).toEqual(['disabled', 'trying_to_connect', 'online']);
    // otherLocation came before the disabled status.
    const types = socket.events().map((f) => f.type);
    expect(types.indexOf('gatewayOtherLocation')).toBeLessThan(types.indexOf('gatewayStatus'));
  });

  it('a dropped connection shows the scheduled reconnect as reconnectInMs until it happens', async () => {
    const socket = await open(alice);
    stack.sim.gatewayDisconnect(ALICE, 'yahoo', 60_000);
    const status = await socket.waitFor((f) => f.type === 'gatewayStatus' && f.data.state === 'trying_to_connect');
    expect(status.data).toEqual({ type: 'yahoo', state: 'trying_to_connect', reconnectInMs: 60_000 });
    const { registration } = await gateway(alice, 'yahoo');
    expect(registration).toEqual({ name: 'alice_y', state: 'trying_to_connect', reconnectInMs: expect.any(Number) });
    expect(registration!.reconnectInMs).toBeGreaterThan(0);
    expect(registration!.reconnectInMs).toBeLessThanOrEqual(60_000);

    stack.sim.clock.advance(60_000);
    expect((await stateOf(alice, 'yahoo', 'online')).registration).toEqual({ name: 'alice_y', state: 'online' });
  });

  it('an unknown gateway type → 404 not_found naming the available types; nothing is sent to register', async () => {
    stack.sim.resetRequests();
    for (const [method, path, body] of [
      ['PUT', '/v1/gateways/icqq/registration', { name: 'x', password: 'y' }],
      ['DELETE', '/v1/gateways/YAHOO/registration', undefined],
      ['POST', '/v1/gateways/jabber/reconnect', undefined],
    ] as const) {
      const res = await stack.api.request(method, path, { token: alice, body });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
      expect(res.body.detail).toContain('available types: aim, icq, msn, yahoo');
    }
    expect(stack.sim.requestCount('IMGatewayRegisterRequest')).toBe(0);
  });

  it('reconnect without a registration → 409', async () => {
    const bob = await stack.api.login('bob');
    stack.sim.resetRequests();
    const res = await stack.api.post('/v1/gateways/aim/reconnect', undefined, bob);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
    expect(stack.sim.requestCount('IMGatewayRegisterRequest')).toBe(0);
  });

  it.each<[string, unknown, string]>([
    ['a missing password', { name: 'alice_a' }, 'password'],
    ['an empty name', { name: '', password: 'pw' }, 'name'],
    ['a control character in the name', { name: 'al\u0001ice', password: 'pw' }, 'name'],
    ['an unknown property', { name: 'alice_a', password: 'pw', op: 'unreg' }, 'op'],
  ])('registration with %s → 400 and no upstream request', async (_name, body, field) => {
    stack.sim.resetRequests();
    const res = await stack.api.put('/v1/gateways/aim/registration', body, alice);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'request.INVALID', errors: [{ field, message: expect.any(String) }] });
    expect(JSON.stringify(res.body)).not.toContain('"pw"');
    expect(upstreamCalls(ALICE)).toEqual([]);
  });

  it('needs a bearer token', async () => {
    expect((await stack.api.get('/v1/gateways')).status).toBe(401);
    expect((await stack.api.put('/v1/gateways/yahoo/registration', { name: 'a', password: 'b' })).status).toBe(401);
  });
});
