import { LinkRegistry } from '../src/link/link-registry.service';
import { envelope, post } from '../src/simulator/spec-support';
import { Stack, startStack } from './support/stack';
import { EventClient, Frame, OpenSockets } from './support/ws-client';

const address = (local: string) => `${local}@example.com`;

/**
 * Every upstream notification becomes an event exactly once, or the client is told with a
 * `resync`: through lost replies, resent and concurrent blocks, discarded batches, and the
 * snapshots every roster read repeats.
 */
describe('exactly once', () => {
  let stack: Stack;
  const sockets = new OpenSockets(() => stack.url);

  beforeAll(async () => {
    // Privacy lists arrive late enough that a read can be answered before the fresh one comes.
    stack = await startStack({ sim: { privacyDelayMs: 300 } });
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  /** A notification posted now arrives after everything queued before it: once it is seen, they were too. */
  async function settle(socket: EventClient, account: string, marker: string): Promise<void> {
    stack.sim.postNotification(account, `<n type="presence" from="${marker}@example.com" show="DND"/>`);
    await socket.waitFor((f) => f.type === 'presence' && f.data.address === `${marker}@example.com`);
  }

  it('a history replay resent after the IMGetRoster reply was lost is no new message', async () => {
    const alice = await stack.api.login('alice');
    const bob = await stack.api.login('bob');
    expect((await stack.api.get('/v1/roster', alice)).status).toBe(200);
    const socket = await sockets.ready({ token: alice });
    expect((await stack.api.post('/v1/chats', { to: address('alice'), text: 'hello' }, bob)).status).toBe(201);
    const live = await socket.waitFor((f) => f.type === 'message' && f.data.text === 'hello');
    expect(live.data.seq).toBe(1);

    // The proxy gives up on IMGetRoster; the upstream still runs it, and its history replay (seq
    // from 0) goes out in the next reply on the session, the long-poll's.
    stack.sim.injectFault({ request: 'IMGetRosterRequest', account: address('alice'), kind: 'stall', ms: 30_000 });
    expect((await stack.api.get('/v1/roster', alice)).status).toBeGreaterThanOrEqual(500);
    await settle(socket, address('alice'), 'after-replay');

    const thread = live.data.thread;
    expect(socket.events('message').filter((e) => e.data.thread === thread).map((e) => [e.data.seq, e.data.text])).toEqual([[1, 'hello']]);
  });

  it('batches the upstream discarded (a hole in the notify seq) are a resync gap event in the stream', async () => {
    const carol = await stack.api.login('carol');
    expect((await stack.api.get('/v1/roster', carol)).status).toBe(200);
    const session = stack.app.get(LinkRegistry).acquire(carol).currentSessionId;
    // Nobody listens, so nothing polls. Each batch goes out in a reply on the session that never
    // reaches the proxy (as if its replies were lost); past 20 unacknowledged the upstream drops them (§5).
    for (let i = 0; i < 25; i++) {
      stack.sim.postNotification(address('carol'), `<n type="presence" from="lost${i}@example.com" show="AWAY"/>`);
      const reply = await post(stack.sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${carol}</authToken><session id="${session}"/><notify seq="1"/>`));
      expect(reply.status).toBe(200);
    }
    const socket = await sockets.ready({ token: carol });
    await settle(socket, address('carol'), 'after-gap');

    const events = socket.events();
    const gap = events.findIndex((e) => e.type === 'resync');
    expect(events[gap]).toMatchObject({ type: 'resync', data: { reason: 'gap' }, id: expect.any(String) });
    expect(gap).toBeLessThan(events.findIndex((e) => e.type === 'presence' && e.data.address === 'after-gap@example.com'));
    expect(events.filter((e) => e.type === 'presence' && e.data.address.startsWith('lost')).length).toBeLessThan(25);
  });

  it('GET /v1/privacy-lists/{name} answers with the list as of the call, not an older notification still queued', async () => {
    const dave = await stack.api.login('dave');
    expect((await stack.api.get('/v1/roster', dave)).status).toBe(200); // asks for the privacy list too…
    stack.sim.flushPrivacy(); // …which is queued now, showing the empty list; nothing polls
    // Another client of dave's changes the list.
    stack.sim.putPrivacyList(address('dave'), 'default', [{ action: 'deny', order: 1, addr: 'spam.example' }]);

    const res = await stack.api.get('/v1/privacy-lists/default', dave);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'default', items: [{ order: 1, action: 'deny', address: 'spam.example' }] });
  });

  it('re-reading the roster and the chats repeats no request, roster or privacy list event; changes still come', async () => {
    const erin = await stack.api.login('erin');
    const frank = await stack.api.login('frank');
    const socket = await sockets.ready({ token: erin });
    expect((await stack.api.get('/v1/roster', erin)).status).toBe(200);
    stack.sim.flushPrivacy();
    expect((await stack.api.post('/v1/roster/contacts', { address: address('erin') }, frank)).status).toBe(201);
    await socket.waitFor((f) => f.type === 'subscriptionRequest');
    await socket.waitFor((f) => f.type === 'privacyList');
    await settle(socket, address('erin'), 'before-rereads');
    const before = socket.events().length;

    for (let i = 0; i < 3; i++) {
      const roster = await stack.api.get('/v1/roster', erin); // an unchanged snapshot still answers it
      expect(roster.status).toBe(200);
      expect(roster.body.requests).toEqual([address('frank')]);
      expect((await stack.api.get('/v1/chats', erin)).status).toBe(200);
    }
    stack.sim.flushPrivacy();
    await settle(socket, address('erin'), 'after-rereads');
    const repeated = socket.events().slice(before).filter((e) => !(e.type === 'presence' && e.data.address === 'after-rereads@example.com'));
    expect(repeated).toEqual([]);
    expect(socket.events('subscriptionRequest').map((e) => e.data)).toEqual([{ from: address('frank') }]);

    // Answered, then asked anew: a new request. A changed list: a new privacyList.
    expect((await stack.api.post(`/v1/roster/requests/${address('frank')}`, { authorize: false }, erin)).status).toBe(204);
    expect((await stack.api.delete(`/v1/roster/contacts/${address('erin')}`, frank)).status).toBe(204);
    expect((await stack.api.post('/v1/roster/contacts', { address: address('erin') }, frank)).status).toBe(201);
    await socket.waitForCount((f) => f.type === 'subscriptionRequest', 2);
    expect((await stack.api.put('/v1/privacy-lists/default', { items: [{ order: 1, action: 'deny', address: 'spam.example' }] }, erin)).status).toBe(204);
    stack.sim.flushPrivacy();
    const changed = await socket.waitFor((f: Frame) => f.type === 'privacyList' && f.data.items.length === 1);
    expect(changed.data).toEqual({ name: 'default', items: [{ order: 1, action: 'deny', address: 'spam.example' }] });
  });
});
