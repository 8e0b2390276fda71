import { Frame, OpenSockets } from './support/ws-client';
import { Api, makeFriends, Stack, startStack, TEST_ACCOUNTS } from './support/stack';

const ALICE = 'alice@example.com';
const FRIEND = { address: 'friend@spam.example', password: 'friend-pass' };
const OTHER = { address: 'other@spam.example', password: 'other-pass' };

async function loginAs(api: Api, account: { address: string; password: string }): Promise<string> {
  const res = await api.post('/v1/sessions', { account: account.address, password: account.password });
  if (res.status !== 201) throw new Error(`login ${account.address} failed: ${res.status}`);
  return res.body.token;
}

const presenceOf = (address: string, status?: string) => (f: Frame) =>
  f.type === 'presence' && f.data.address === address && (status === undefined || f.data.status === status);

describe('privacy lists over real HTTP and WebSocket', () => {
  let stack: Stack;
  let alice: string;
  const sockets = new OpenSockets(() => stack.url);
  const open = (token: string) => sockets.ready({ token });

  /** What reached the upstream for an account, apart from the long-poll. */
  const upstreamCalls = (account: string) => stack.sim.requests.filter((r) => r.account === account && r.name !== 'NoOpRequest');

  beforeAll(async () => {
    stack = await startStack({ sim: { accounts: [...TEST_ACCOUNTS, FRIEND, OTHER] }, config: { rosterTimeoutMs: 1_000 } });
    alice = await stack.api.login('alice');
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('alice denies spam.example but allows friend@spam.example: only friend\'s presence reaches her; the list reads back as written', async () => {
    const { api } = stack;
    const friend = await loginAs(api, FRIEND);
    const other = await loginAs(api, OTHER);
    await makeFriends(api, { token: alice, address: ALICE }, { token: friend, address: FRIEND.address });
    await makeFriends(api, { token: alice, address: ALICE }, { token: other, address: OTHER.address });
    const socket = await open(alice);

    // Before the list, other's presence does reach alice.
    expect((await api.put('/v1/presence', { show: 'dnd', status: 'before' }, other)).status).toBe(204);
    await socket.waitFor(presenceOf(OTHER.address, 'before'));

    const items = [
      { order: 1, action: 'allow', address: FRIEND.address },
      { order: 2, action: 'deny', address: 'spam.example' },
    ];
    const put = await api.put('/v1/privacy-lists/default', { items }, alice);
    expect(put.status).toBe(204);
    expect(put.body).toBe('');
    expect(stack.sim.privacyLists(ALICE)).toEqual({
      defaultName: 'default',
      lists: [{ name: 'default', items: [{ action: 'allow', order: 1, addr: FRIEND.address }, { action: 'deny', order: 2, addr: 'spam.example' }] }],
    });

    const read = await api.get('/v1/privacy-lists/default', alice);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ name: 'default', items });
    // The new list also reached the event stream (earlier ones, sent on roster reads, were empty).
    await socket.waitFor((f) => f.type === 'privacyList' && JSON.stringify(f.data) === JSON.stringify({ name: 'default', items }));

    // other changes first, then friend: had other's presence been let through, it would come first.
    const mark = socket.frames.length;
    expect((await api.put('/v1/presence', { show: 'away', status: 'blocked' }, other)).status).toBe(204);
    expect((await api.put('/v1/presence', { show: 'away', status: 'allowed' }, friend)).status).toBe(204);
    const seen = await socket.waitFor(presenceOf(FRIEND.address, 'allowed'));
    expect(seen.data).toEqual({ address: FRIEND.address, show: 'away', status: 'allowed' });
    await new Promise((r) => setTimeout(r, 150));
    expect(socket.frames.slice(mark).filter(presenceOf(OTHER.address))).toEqual([]);

    // Messages too: other's chat message is dropped, friend's arrives (sent in that order).
    expect((await api.post('/v1/chats', { to: ALICE, text: 'buy cheap stuff' }, other)).status).toBe(201);
    expect((await api.post('/v1/chats', { to: ALICE, text: 'hello from a friend' }, friend)).status).toBe(201);
    const message = await socket.waitFor((f) => f.type === 'message' && f.data.from === FRIEND.address);
    expect(message.data.text).toBe('hello from a friend');
    await new Promise((r) => setTimeout(r, 150));
    expect(socket.frames.filter((f) => f.type === 'message' && f.data.from === OTHER.address)).toEqual([]);
    const chats = await api.get('/v1/chats', alice);
    expect(chats.body.map((c: { participants: { address: string }[] }) => c.participants[0]?.address)).not.toContain(OTHER.address);
  });

  it('a named list reads back exactly as written, in order, and is not the default', async () => {
    const { api } = stack;
    const items = [
      { order: 5, action: 'deny', address: 'mallory@evil.example' },
      { order: 10, action: 'allow', address: 'evil.example' },
      { order: 300, action: 'deny', address: 'bots.example' },
    ];
    expect((await api.put('/v1/privacy-lists/work', { items }, alice)).status).toBe(204);
    // The write pushes the default list first; the named read waits for its own list.
    const read = await api.get('/v1/privacy-lists/work', alice);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ name: 'work', items });
    expect((await api.get('/v1/privacy-lists/default', alice)).body.name).toBe('default');

    // Replacing with an empty list empties it.
    expect((await api.put('/v1/privacy-lists/work', { items: [] }, alice)).status).toBe(204);
    expect((await api.get('/v1/privacy-lists/work', alice)).body).toEqual({ name: 'work', items: [] });
  });

  it('default is the default list under its real name; a user without one gets an empty list', async () => {
    const { api } = stack;
    const bob = await api.login('bob');
    expect((await api.get('/v1/privacy-lists/default', bob)).body).toEqual({ name: 'default', items: [] });

    const carol = await api.login('carol');
    stack.sim.putPrivacyList('carol@example.com', 'strict', [{ action: 'deny', order: 1, addr: 'spam.example' }]);
    const read = await api.get('/v1/privacy-lists/default', carol);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ name: 'strict', items: [{ order: 1, action: 'deny', address: 'spam.example' }] });
  });

  it('a list the upstream never sends ends in 504 roster.TIMEOUT', async () => {
    const res = await stack.api.get('/v1/privacy-lists/no-such-list', alice);
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 504, code: 'roster.TIMEOUT' });
  });

  it.each<[string, unknown, string]>([
    ['duplicate orders', [{ order: 1, action: 'allow', address: FRIEND.address }, { order: 1, action: 'deny', address: 'spam.example' }], 'items.1.order'],
    ['order 0', [{ order: 0, action: 'deny', address: 'spam.example' }], 'items.0.order'],
    ['action "Deny"', [{ order: 1, action: 'Deny', address: 'spam.example' }], 'items.0.action'],
    ['an address with a resource', [{ order: 1, action: 'deny', address: 'other@spam.example/laptop' }], 'items.0.address'],
  ])('%s → 400 naming the field, and no upstream request', async (_name, items, field) => {
    stack.sim.resetRequests();
    const res = await stack.api.put('/v1/privacy-lists/default', { items }, alice);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(stack.sim.requestCount('IMSetPrivacyListRequest')).toBe(0);
    expect(upstreamCalls(ALICE)).toEqual([]);
  });

  it('a bad list name → 400 before the upstream', async () => {
    stack.sim.resetRequests();
    const long = await stack.api.get(`/v1/privacy-lists/${'n'.repeat(65)}`, alice);
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([{ field: 'name', message: 'name must be 1 to 64 characters long' }]);
    const slash = await stack.api.put('/v1/privacy-lists/a%2Fb', { items: [] }, alice);
    expect(slash.status).toBe(400);
    expect(slash.body.errors).toEqual([{ field: 'name', message: 'name must not contain a /' }]);
    const control = await stack.api.get('/v1/privacy-lists/a%0Ab', alice);
    expect(control.status).toBe(400);
    expect(upstreamCalls(ALICE)).toEqual([]);
  });
});
