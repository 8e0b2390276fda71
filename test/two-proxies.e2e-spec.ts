import { ImSimulator } from '../src/simulator';
import { eventually, startProxy, TEST_ACCOUNTS } from './support/stack';
import { EventClient } from './support/ws-client';

/**
 * Two proxy instances in front of one upstream: alice on one, bob on the other. They befriend, see
 * each other's presence and talk, each through their own proxy's REST and socket.
 */
describe('two proxies, one upstream', () => {
  it('users on different proxies see each other and talk', async () => {
    const sim = await ImSimulator.start({ accounts: TEST_ACCOUNTS, rosterDelayMs: 20, noopTimeoutClampMs: [1_000, 1_200_000] });
    const east = await startProxy(sim);
    const west = await startProxy(sim);
    try {
      const alice = await east.api.login('alice');
      const bob = await west.api.login('bob');
      await east.api.get('/v1/roster', alice);
      await west.api.get('/v1/roster', bob);
      expect((await east.api.post('/v1/roster/contacts', { address: 'bob@example.com' }, alice)).status).toBe(201);
      await eventually(async () => ((await west.api.get('/v1/roster', bob)).body.requests.includes('alice@example.com') ? true : undefined));
      expect((await west.api.post('/v1/roster/requests/alice@example.com', { authorize: true, addToRoster: true }, bob)).status).toBe(204);
      await eventually(async () => ((await east.api.get('/v1/roster', alice)).body.requests.includes('bob@example.com') ? true : undefined));
      expect((await east.api.post('/v1/roster/requests/bob@example.com', { authorize: true }, alice)).status).toBe(204);

      const aliceSocket = await EventClient.ready(east.url, { token: alice });
      const bobSocket = await EventClient.ready(west.url, { token: bob });

      await west.api.put('/v1/presence', { show: 'dnd', status: 'on the west side' }, bob);
      const presence = await aliceSocket.waitFor((f) => f.type === 'presence' && f.data.address === 'bob@example.com' && f.data.show === 'dnd');
      expect(presence.data).toEqual({ address: 'bob@example.com', show: 'dnd', status: 'on the west side' });

      const sent = await east.api.post('/v1/chats', { to: 'bob@example.com', text: 'hello across proxies' }, alice);
      expect(sent.status).toBe(201);
      const received = await bobSocket.waitFor((f) => f.type === 'message' && f.data.text === 'hello across proxies');
      expect(received.data).toMatchObject({ thread: sent.body.thread, from: 'alice@example.com', seq: sent.body.seq });
      const reply = await west.api.post(`/v1/chats/${encodeURIComponent(sent.body.thread)}/messages`, { text: 'hello back' }, bob);
      expect(reply.status).toBe(201);
      expect(reply.body.thread).toBe(sent.body.thread);
      await aliceSocket.waitFor((f) => f.type === 'message' && f.data.text === 'hello back' && f.data.from === 'bob@example.com');

      await aliceSocket.close();
      await bobSocket.close();
    } finally {
      await east.close();
      await west.close();
      await sim.stop();
    }
  });
});
