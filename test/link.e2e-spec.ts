import { LinkRegistry } from '../src/link/link-registry.service';
import type { LinkEvent } from '../src/link/events';
import { eventually, Stack, startStack } from './support/stack';

/**
 * The link through its in-process subscription API (the event stream endpoint builds on it), with
 * the simulator as the upstream: seq order, de-duplication of resent blocks, one long-poll,
 * registration and re-registration.
 */
describe('link', () => {
  let stack: Stack;
  let links: LinkRegistry;
  beforeAll(async () => {
    stack = await startStack();
    links = stack.app.get(LinkRegistry);
  });
  afterAll(() => stack.close());

  function collect(token: string): { events: LinkEvent[]; stop: () => void } {
    const events: LinkEvent[] = [];
    const stop = links.acquire(token).subscribe((e) => events.push(e));
    return { events, stop };
  }

  it('registers the session as an IM listener before the first IM request', async () => {
    stack.sim.resetRequests();
    const token = await stack.api.login('frank');
    await stack.api.put('/v1/presence', { show: 'chat' }, token);
    const names = stack.sim.requests.map((r) => r.name);
    expect(names.slice(0, 3)).toEqual(['AuthRequest', 'IMGatewayListRequest', 'IMSetPresenceRequest']);
  });

  it('a notify block the upstream sends again becomes one event', async () => {
    const token = await stack.api.login('grace');
    await stack.api.get('/v1/roster', token);
    const { events, stop } = collect(token);
    stack.sim.postNotification('grace@example.com', '<n type="presence" from="zed@example.com" show="DND" status="one"/>');
    await eventually(() => (events.some((e) => e.type === 'presence') ? true : undefined));
    // The next reply carries the block we already processed, beside a new one.
    stack.sim.repeatLastBlock('grace@example.com');
    stack.sim.postNotification('grace@example.com', '<n type="presence" from="zed@example.com" show="XA" status="two"/>');
    await eventually(() => (events.filter((e) => e.type === 'presence').length >= 2 ? true : undefined));
    await stack.api.put('/v1/presence', { show: 'online' }, token); // one more reply, one more chance to duplicate
    await new Promise((r) => setTimeout(r, 100));
    stop();
    const zed = events.filter((e) => e.type === 'presence' && e.data.address === 'zed@example.com');
    expect(zed.map((e) => e.data)).toEqual([
      { address: 'zed@example.com', show: 'dnd', status: 'one' },
      { address: 'zed@example.com', show: 'xa', status: 'two' },
    ]);
    const ids = events.map((e) => Number(e.id.split('.')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('keeps exactly one long-poll per token however many listeners there are', async () => {
    const token = await stack.api.login('heidi');
    await stack.api.get('/v1/roster', token);
    const stops = Array.from({ length: 5 }, () => links.acquire(token).subscribe(() => undefined));
    await new Promise((r) => setTimeout(r, 300));
    const parked = stack.sim.parkedNoOpsOf('heidi@example.com');
    stops.forEach((s) => s());
    expect(parked).toBe(1);
  });

  it('an upstream session that vanished is replaced: re-registered, and a resync event is emitted', async () => {
    const token = await stack.api.login('judy');
    await stack.api.get('/v1/roster', token);
    const seen: LinkEvent[] = [];
    const stop = links.acquire(token).subscribe((e) => seen.push(e));
    stack.sim.endSessions('judy@example.com');
    const res = await stack.api.get('/v1/roster', token);
    expect(res.status).toBe(200);
    expect(res.body.presence.show).toBe('online'); // registered again, so the persona is online
    await eventually(() => (seen.some((e) => e.type === 'resync') ? true : undefined));
    expect(seen.find((e) => e.type === 'resync')?.data).toEqual({ reason: 'upstream_session' });
    expect(stack.sim.persona('judy@example.com')?.online).toBe(true);
    stop();
  });

  it('requests in flight when the upstream session is lost leave no orphan sessions behind', async () => {
    const token = await stack.api.login('ivan');
    await stack.api.get('/v1/roster', token);
    stack.sim.endSessions('ivan@example.com');
    // Each of these reaches the upstream on the lost session, and each gets a new session there.
    const answers = await Promise.all(Array.from({ length: 6 }, () => stack.api.get('/v1/gateways', token)));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(200));
    // One is the link's; the others are ended, or they would crowd the account's five and push out
    // the sessions of its other links.
    await eventually(() => (stack.sim.sessionIds('ivan@example.com').length === 1 ? true : undefined), 3_000, 'one session');
    expect(stack.sim.sessionIds('ivan@example.com')).toEqual([links.acquire(token).currentSessionId]);
  });

  it('chat reads name no session: a burst of them after a lost session creates none', async () => {
    const token = await stack.api.login('erin');
    const sent = await stack.api.post('/v1/chats', { to: 'judy@example.com', text: 'hello' }, token);
    expect(sent.status).toBe(201);
    await stack.api.get('/v1/roster', token);
    stack.sim.endSessions('erin@example.com');
    const created = stack.sim.sessionsCreated;
    const reads = await Promise.all([
      ...Array.from({ length: 5 }, () => stack.api.get(`/v1/chats/${encodeURIComponent(sent.body.thread)}`, token)),
      ...Array.from({ length: 5 }, () => stack.api.get('/v1/chats', token)),
    ]);
    expect(reads.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(reads[0].body.messages.map((m: { text: string }) => m.text)).toEqual(['hello']);
    expect(reads[5].body.map((c: { thread: string }) => c.thread)).toContain(sent.body.thread);
    expect(stack.sim.sessionsCreated).toBe(created);
    expect(stack.sim.sessionIds('erin@example.com')).toEqual([]);
  });

  it('a roster that arrives only later (through the long-poll) still answers GET /v1/roster', async () => {
    const slow = await startStack({ sim: { rosterDelayMs: 400 } });
    try {
      const token = await slow.api.login('alice');
      slow.sim.resetRequests();
      const res = await slow.api.get('/v1/roster', token);
      expect(res.status).toBe(200);
      expect(res.body.contacts).toEqual([]);
      expect(slow.sim.requests.map((r) => r.name)).toContain('NoOpRequest');
    } finally {
      await slow.close();
    }
  });
});

describe('one long-poll per token, as the upstream sees it', () => {
  it('listeners leaving and arriving never leave two waits on the session: a parked wait runs out rather than being cut', async () => {
    // Chaos with no misbehaviour: only its probe, which counts blocking NoOps held per session.
    const stack = await startStack({ sim: { chaos: { seed: 1, rates: {} } } });
    try {
      const token = await stack.api.login('ivan');
      const link = stack.app.get(LinkRegistry).acquire(token);
      await link.open();
      const waits = () => stack.sim.requests.filter((r) => r.name === 'NoOpRequest').length;
      let stop = link.subscribe(() => undefined);
      // Settled: one wait parked, and no notification (the login's roster, presence) renewing it.
      let seen = -1;
      await eventually(async () => {
        const now = waits();
        const settled = now === seen && stack.sim.parkedNoOpsOf('ivan@example.com') === 1;
        seen = now;
        await new Promise((r) => setTimeout(r, 300));
        return settled ? true : undefined;
      }, 5_000, 'a settled parked wait');
      const before = waits();
      for (const gapMs of [0, 0, 1, 0, 5, 0, 20, 50]) {
        stop();
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
        stop = link.subscribe(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 200));
      // The wait parked before the first listener left still serves the last one, and nothing else waits.
      expect(waits()).toBe(before);
      expect(stack.sim.parkedNoOpsOf('ivan@example.com')).toBe(1);
      // Nobody left: the wait runs out at the upstream (LONG_POLL_WAIT_MS here is 5 s) and is not renewed.
      stop();
      await eventually(() => (stack.sim.parkedNoOpsOf('ivan@example.com') === 0 ? true : undefined), 8_000, 'the wait to run out');
      await new Promise((r) => setTimeout(r, 300));
      expect(waits()).toBe(before);
      expect(stack.sim.chaos!.stats().longPollOverlap ?? 0).toBe(0);
    } finally {
      await stack.close();
    }
  }, 20_000);
});

describe('idle links', () => {
  it('a link nobody uses ends its upstream session (EndSessionRequest) and the persona goes offline', async () => {
    const stack = await startStack({ config: { linkIdleMs: 1_000 } });
    try {
      const token = await stack.api.login('alice');
      expect((await stack.api.get('/v1/roster', token)).status).toBe(200);
      expect(stack.sim.persona('alice@example.com')?.online).toBe(true);
      await eventually(
        () => (stack.sim.requests.some((r) => r.name === 'EndSessionRequest' && r.account === 'alice@example.com') ? true : undefined),
        5_000,
        'EndSessionRequest',
      );
      expect(stack.sim.persona('alice@example.com')?.online).toBe(false);
      expect(stack.app.get(LinkRegistry).size).toBe(0);
      // The token still works: the next call opens a new link.
      expect((await stack.api.get('/v1/roster', token)).status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
