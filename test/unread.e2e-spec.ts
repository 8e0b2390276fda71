import fc from 'fast-check';
import { Api, Stack, startStack } from './support/stack';
import { EventClient } from './support/ws-client';

/** GET /v1/chats as a phone wants it: each chat's newest message and how many are unread after its marker. */
describe('chat list with last messages and unread counts', () => {
  let stack: Stack;
  let api: Api;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    stack = await startStack();
    api = stack.api;
    [alice, bob, carol] = await Promise.all([api.login('alice'), api.login('bob'), api.login('carol')]);
  });
  afterAll(() => stack.close());

  /** `writer` writes to alice (in their one chat); resolves once alice has every message. */
  async function writesToAlice(writer: string, texts: string[]): Promise<string> {
    const socket = await EventClient.ready(stack.url, { token: alice });
    let thread = '';
    for (const text of texts) {
      const res = thread
        ? await api.post(`/v1/chats/${encodeURIComponent(thread)}/messages`, { text }, writer)
        : await api.post('/v1/chats', { to: 'alice@example.com', text }, writer);
      thread = res.body.thread;
    }
    await socket.waitForCount((f) => f.type === 'message', texts.length);
    await socket.close();
    return thread;
  }

  const itemOf = async (token: string, thread: string) => (await api.get('/v1/chats', token)).body.find((c: { thread: string }) => c.thread === thread);

  it('lists the newest message and the messages from others after the marker; own messages never count', async () => {
    const thread = await writesToAlice(bob, ['one', 'two', 'three']);
    const fresh = await itemOf(alice, thread);
    expect(fresh).toMatchObject({ thread, unread: 3, lastMessage: { text: 'three', from: 'bob@example.com' } });

    const reply = await api.post(`/v1/chats/${encodeURIComponent(thread)}/messages`, { text: 'mine' }, alice);
    expect(reply.status).toBe(201);
    expect(await itemOf(alice, thread)).toMatchObject({ unread: 3, lastMessage: { text: 'mine' } });

    expect((await api.put(`/v1/chats/${encodeURIComponent(thread)}/read`, { seq: fresh.lastMessage.seq - 1 }, alice)).status).toBe(204);
    expect((await itemOf(alice, thread)).unread).toBe(1);
    expect((await api.put(`/v1/chats/${encodeURIComponent(thread)}/read`, { seq: reply.body.seq }, alice)).status).toBe(204);
    expect((await itemOf(alice, thread)).unread).toBe(0);
    // Markers are per token: bob's side counts alice's reply, unmarked.
    expect((await itemOf(bob, thread)).unread).toBe(1);
  });

  it('refuses a marker for an unknown chat (404) or a bad seq (400 naming it), calling nothing upstream for the latter', async () => {
    expect((await api.put('/v1/chats/no-such-thread/read', { seq: 1 }, alice)).status).toBe(404);
    const reads = stack.sim.requestCount('IMGetChatRequest');
    for (const seq of [-1, 1.5, 'two', null]) {
      const res = await api.put('/v1/chats/any/read', { seq }, alice);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'seq' })]);
    }
    expect(stack.sim.requestCount('IMGetChatRequest')).toBe(reads);
  });

  it('counts what came after any marker (generated markers)', async () => {
    const thread = await writesToAlice(carol, ['a', 'b', 'c', 'd', 'e']);
    const { lastMessage } = await itemOf(alice, thread);
    const top: number = lastMessage.seq;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: top + 2 }), async (marker) => {
        expect((await api.put(`/v1/chats/${encodeURIComponent(thread)}/read`, { seq: marker }, alice)).status).toBe(204);
        expect((await itemOf(alice, thread)).unread).toBe(Math.max(0, Math.min(5, top - marker)));
      }),
      { numRuns: 12, seed: 4 },
    );
  });
});
