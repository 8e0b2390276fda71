import { EventClient, OpenSockets } from './support/ws-client';
import { eventually, makeFriends, Stack, startStack } from './support/stack';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('WebSocket /v1/events', () => {
  let stack: Stack;
  let alice: string;
  let bob: string;
  let carol: string;
  const sockets = new OpenSockets(() => stack.url);
  const open = (options: Parameters<typeof EventClient.connect>[1]) => sockets.ready(options);

  beforeAll(async () => {
    stack = await startStack({ config: { eventLogSize: 50 } });
    alice = await stack.api.login('alice');
    bob = await stack.api.login('bob');
    carol = await stack.api.login('carol');
    await makeFriends(stack.api, { token: alice, address: ALICE }, { token: bob, address: BOB });
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('first frame is ready; a token\'s sockets share its events with the same ids, in order; other tokens see none', async () => {
    const a1 = await open({ token: alice });
    const a2 = await open({ token: alice, viaQuery: true });
    const c1 = await open({ token: carol });
    expect(a1.frames[0]).toEqual({ type: 'ready', data: { resumed: false, lastId: expect.anything() } });

    await stack.api.put('/v1/presence', { show: 'dnd', status: 'busy' }, bob);
    await stack.api.delete(`/v1/roster/contacts/${ALICE}`, bob); // bob drops and re-asks: a subscription request
    await stack.api.post('/v1/roster/contacts', { address: ALICE }, bob);

    const isBobPresence = (f: { type: string; data?: any }) => f.type === 'presence' && f.data.address === BOB && f.data.show === 'dnd';
    await a1.waitFor(isBobPresence);
    await a1.waitFor((f) => f.type === 'subscriptionRequest' && f.data.from === BOB);
    await a2.waitFor((f) => f.type === 'subscriptionRequest' && f.data.from === BOB);
    expect(a1.events().find(isBobPresence)?.data).toEqual({ address: BOB, show: 'dnd', status: 'busy' });
    // a2 connected after a1: compare what both were connected for (after a2's starting point).
    const start = Number(String(a2.frames[0].data.lastId ?? '0.0').split('.')[1]);
    const ids = (c: EventClient) => c.events().filter((e) => Number(e.id!.split('.')[1]) > start).map((e) => `${e.id}:${e.type}`);
    await eventually(() => (ids(a1).join() === ids(a2).join() ? true : undefined), 2_000, 'both sockets in step');
    const presenceIndex = a1.events().findIndex(isBobPresence);
    const requestIndex = a1.events().findIndex((f) => f.type === 'subscriptionRequest');
    expect(presenceIndex).toBeLessThan(requestIndex);
    const numbers = a1.events().map((e) => Number(e.id!.split('.')[1]));
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(new Set(numbers).size).toBe(numbers.length);
    await new Promise((r) => setTimeout(r, 100));
    expect(c1.events().filter((e) => JSON.stringify(e.data).includes(BOB))).toEqual([]);
  });

  it('a notification that came back in a REST reply is delivered on the socket too', async () => {
    const a1 = await open({ token: alice });
    await stack.api.put('/v1/presence', { show: 'xa', status: 'away for a bit' }, alice);
    const own = await a1.waitFor((f) => f.type === 'presence' && f.data.address === ALICE);
    expect(own.data).toEqual({ address: ALICE, show: 'xa', status: 'away for a bit' });
    await stack.api.put('/v1/presence', { show: 'online' }, alice);
  });

  it('resume with ?after= delivers exactly the missed events, then live ones, without duplicates', async () => {
    const first = await open({ token: alice });
    await stack.api.put('/v1/presence', { show: 'chat', status: 'r0' }, bob);
    const seen = await first.waitFor((f) => f.type === 'presence' && f.data.status === 'r0');
    await first.close();

    for (const status of ['r1', 'r2', 'r3']) await stack.api.put('/v1/presence', { show: 'chat', status }, bob);
    const link = stack.app.get((await import('../src/link/link-registry.service')).LinkRegistry).acquire(alice);
    await eventually(() => (link.replay(seen.id!) as { events?: unknown[] }).events?.length === 3 ? true : undefined, 3_000, 'three events logged');

    const again = await open({ token: alice, query: { after: seen.id! } });
    expect(again.frames[0]).toEqual({ type: 'ready', data: { resumed: true, lastId: expect.any(String) } });
    await stack.api.put('/v1/presence', { show: 'chat', status: 'r4' }, bob);
    await again.waitFor((f) => f.type === 'presence' && f.data.status === 'r4');
    const statuses = again.events('presence').filter((e) => e.data.address === BOB).map((e) => e.data.status);
    expect(statuses).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(again.frames.filter((f) => f.type === 'resync')).toEqual([]);
  });

  it('an id older than the log → one resync "gap"; an unknown id → gap too', async () => {
    const first = await open({ token: alice });
    await stack.api.put('/v1/presence', { show: 'chat', status: 'g0' }, bob);
    const seen = await first.waitFor((f) => f.type === 'presence' && f.data.status === 'g0');
    await first.close();
    const watcher = await open({ token: alice });
    for (let i = 1; i <= 60; i++) await stack.api.put('/v1/presence', { show: 'chat', status: `g${i}` }, bob); // log keeps 50
    await watcher.waitFor((f) => f.type === 'presence' && f.data.status === 'g60');

    const late = await open({ token: alice, query: { after: seen.id! } });
    expect(late.frames[0]).toMatchObject({ type: 'ready', data: { resumed: false } });
    // This socket's own notice, not an event of the stream: no id, so a client de-duplicating by id
    // cannot mistake it for the event it saw last.
    const gapNotice = { type: 'resync', at: expect.any(String), data: { reason: 'gap' } };
    expect(late.frames.filter((f) => f.type === 'resync')).toStrictEqual([gapNotice]);
    const bogus = await open({ token: alice, query: { after: 'zzz.1' } });
    expect(bogus.frames.filter((f) => f.type === 'resync')).toStrictEqual([gapNotice]);
  });

  it('the upstream session dropped → resync "upstream_session", and events keep flowing', async () => {
    const a1 = await open({ token: alice });
    stack.sim.endSessions(ALICE);
    const resync = await a1.waitFor((f) => f.type === 'resync', 5_000);
    expect(a1.frames.filter((f) => f.type === 'resync').map((f) => f.data)).toEqual([{ reason: 'upstream_session' }]);
    // An event of the token's stream: an id of its own, after every earlier one, and replayed like any other.
    const earlier = a1.events().slice(0, a1.events().indexOf(resync));
    expect(resync).toEqual({ id: expect.any(String), type: 'resync', at: expect.any(String), data: { reason: 'upstream_session' } });
    expect(earlier.map((e) => e.id)).not.toContain(resync.id);
    const resumed = await open({ token: alice, query: { after: earlier.length > 0 ? earlier[earlier.length - 1].id! : a1.frames[0].data.lastId } });
    expect(resumed.events('resync')).toEqual([resync]);
    await eventually(() => (stack.sim.persona(ALICE)?.online ? true : undefined), 3_000, 'alice registered again');
    await stack.api.put('/v1/presence', { show: 'chat', status: 'after-resync' }, bob);
    await a1.waitFor((f) => f.type === 'presence' && f.data.status === 'after-resync', 5_000);
  });

  it('a bad or missing token closes with 4401 before any frame', async () => {
    for (const options of [{ token: 'not-a-token' }, {}]) {
      const client = EventClient.connect(stack.url, options);
      const closed = await client.closed;
      expect(closed.code).toBe(4401);
      expect(client.frames).toEqual([]);
    }
  });

  it('malformed frames get an error frame and the socket stays usable; ping → pong', async () => {
    const a1 = await open({ token: alice });
    a1.send('{nope');
    a1.send({ op: 'dance' });
    a1.send({ op: 'subscribe', types: ['nonsense'] });
    await a1.waitForCount((f) => f.type === 'error', 3);
    expect(a1.frames.filter((f) => f.type === 'error').map((f) => f.data.code)).toEqual(['request.INVALID', 'request.INVALID', 'request.INVALID']);
    expect(a1.frames.filter((f) => f.type === 'error')[1].data.detail).toContain('dance');
    a1.send({ op: 'ping' });
    await a1.waitFor((f) => f.type === 'pong');
  });

  it('a frame over the payload limit closes the socket with 1009 (message too big)', async () => {
    const a1 = await open({ token: alice });
    a1.send({ op: 'subscribe', threads: ['x'.repeat(20_000)] });
    expect((await a1.closed).code).toBe(1009);
  });

  it('a subscription filter is honoured', async () => {
    const filtered = await open({ token: alice });
    filtered.send({ op: 'subscribe', types: ['subscriptionRequest'] });
    const all = await open({ token: alice });
    await new Promise((r) => setTimeout(r, 50));
    await stack.api.put('/v1/presence', { show: 'chat', status: 'filtered' }, bob);
    await stack.api.delete(`/v1/roster/contacts/${ALICE}`, bob);
    await stack.api.post('/v1/roster/contacts', { address: ALICE }, bob);
    await all.waitFor((f) => f.type === 'subscriptionRequest');
    await filtered.waitFor((f) => f.type === 'subscriptionRequest');
    expect(all.events('presence').some((e) => e.data.status === 'filtered')).toBe(true);
    expect(filtered.events().map((e) => e.type)).toEqual(['subscriptionRequest']);
  });

  it('many sockets on one token: still exactly one long-poll upstream', async () => {
    await open({ token: alice });
    await new Promise((r) => setTimeout(r, 200));
    stack.sim.resetRequests();
    for (let i = 0; i < 8; i++) await open({ token: alice });
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.sim.requests.filter((r) => r.name === 'NoOpRequest' && r.account === ALICE)).toHaveLength(0);
    expect(stack.sim.parkedNoOps).toBeLessThanOrEqual(3); // alice's one, plus at most bob's and carol's
  });

  it('an upgrade to another path gets an HTTP 404 problem, not a dropped connection', async () => {
    const client = EventClient.connect(stack.url, { token: alice, path: '/v1/nowhere' });
    const response = await new Promise<{ status?: number; type?: string }>((resolve) => {
      client.ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
      client.ws.on('error', () => resolve({}));
    });
    expect(response).toEqual({ status: 404, type: 'application/problem+json' });
  });

  it('logout closes the token\'s sockets with 4401', async () => {
    const dave = await stack.api.login('dave');
    const d1 = await open({ token: dave });
    expect((await stack.api.delete('/v1/sessions/current', dave)).status).toBe(204);
    expect((await d1.closed).code).toBe(4401);
  });
});

describe('WebSocket liveness and backpressure', () => {
  it('a client that stops reading is closed with 4008 while another keeps receiving', async () => {
    const stack = await startStack({ config: { wsMaxBufferedBytes: 64 * 1024 } });
    try {
      const erin = await stack.api.login('erin');
      const slow = await EventClient.ready(stack.url, { token: erin });
      const fast = await EventClient.ready(stack.url, { token: erin });
      slow.pauseReading();
      const status = 'x'.repeat(4000);
      for (let round = 0; round < 10; round++) {
        const batch = Array.from({ length: 200 }, (_, i) => `<n type="presence" from="p${round}-${i}@example.com" show="AWAY" status="${status}"/>`).join('');
        stack.sim.postNotification('erin@example.com', batch);
        await new Promise((r) => setTimeout(r, 30));
      }
      slow.resumeReading();
      expect((await slow.closed).code).toBe(4008);
      await fast.waitFor((f) => f.type === 'presence' && f.data.address === 'p9-199@example.com', 10_000);
      await fast.close();
    } finally {
      await stack.close();
    }
  });

  it('a client that does not answer pings is dropped', async () => {
    const stack = await startStack({ config: { wsPingIntervalMs: 100 } });
    try {
      const frank = await stack.api.login('frank');
      const deaf = await EventClient.ready(stack.url, { token: frank, autoPong: false });
      const polite = await EventClient.ready(stack.url, { token: frank });
      expect((await deaf.closed).code).toBe(1006);
      await new Promise((r) => setTimeout(r, 300));
      expect(polite.ws.readyState).toBe(1);
      await polite.close();
    } finally {
      await stack.close();
    }
  });

  it('shutting down closes sockets with 1001', async () => {
    const stack = await startStack();
    const grace = await stack.api.login('grace');
    const client = await EventClient.ready(stack.url, { token: grace });
    await stack.close();
    expect((await client.closed).code).toBe(1001);
  });
});

describe('idle across clients', () => {
  it('the user is away only while every client of the token is idle', async () => {
    const stack = await startStack();
    try {
      const heidi = await stack.api.login('heidi');
      const phone = await EventClient.ready(stack.url, { token: heidi, query: { clientId: 'phone' } });
      const web = await EventClient.ready(stack.url, { token: heidi, query: { clientId: 'web' } });
      const idle = (clientId: string, value: boolean) =>
        stack.api.request('PUT', '/v1/presence/idle', { token: heidi, body: { idle: value, idleSeconds: value ? 300 : 0 }, headers: { 'x-client-id': clientId } });
      const presence = async () => (await stack.api.get('/v1/roster', heidi)).body.presence;

      stack.sim.resetRequests();
      expect((await idle('phone', true)).status).toBe(204);
      expect(stack.sim.requestCount('IMSetIdleRequest')).toBe(0); // web is still active
      expect(await presence()).toEqual({ show: 'online' });

      expect((await idle('web', true)).status).toBe(204);
      expect(stack.sim.requestCount('IMSetIdleRequest')).toBe(1);
      expect(await presence()).toEqual({ show: 'away' });

      expect((await idle('phone', false)).status).toBe(204);
      expect(stack.sim.requestCount('IMSetIdleRequest')).toBe(2);
      expect(await presence()).toEqual({ show: 'online' });

      // phone idle again, then it leaves: only web remains, and it is idle.
      await idle('phone', true);
      await phone.close();
      await eventually(async () => ((await presence()).show === 'away' ? true : undefined), 3_000, 'away after phone left');
      const invalid = await stack.api.request('PUT', '/v1/presence/idle', { token: heidi, body: { idle: true, idleSeconds: 1 }, headers: { 'x-client-id': 'bad id!' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].field).toBe('x-client-id');
      await web.close();
    } finally {
      await stack.close();
    }
  });
});
