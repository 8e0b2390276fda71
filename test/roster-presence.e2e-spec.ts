import { eventually, Stack, startStack } from './support/stack';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('roster and presence: the alice/bob story over real HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('add, authorize both ways, presence changes and logout are seen on both sides', async () => {
    const { api } = stack;
    const alice = await api.login('alice');
    const bob = await api.login('bob');

    // Both come online (the first roster read registers the link's session as an IM listener).
    expect((await api.get('/v1/roster', alice)).status).toBe(200);
    const bobFirst = await api.get('/v1/roster', bob);
    expect(bobFirst.body).toEqual({ presence: { show: 'online' }, contacts: [], requests: [], chats: [] });

    const added = await api.post('/v1/roster/contacts', { address: BOB, name: 'Bob', groups: ['Friends'] }, alice);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ address: BOB });

    // Until bob answers, alice sees bob as a pending contact.
    const pending = await eventually(async () => {
      const res = await api.get('/v1/roster', alice);
      return res.body.contacts.find((c: { address: string }) => c.address === BOB);
    });
    expect(pending).toEqual({ address: BOB, name: 'Bob', groups: ['Friends'], subscription: 'none', pending: true });

    // bob sees alice's request and accepts it, subscribing back.
    await eventually(async () => {
      const res = await api.get('/v1/roster', bob);
      return res.body.requests.includes(ALICE) ? true : undefined;
    }, 3_000, "alice's request on bob's side");
    const answered = await api.post(`/v1/roster/requests/${ALICE}`, { authorize: true, addToRoster: true, name: 'Alice' }, bob);
    expect(answered.body).toBe('');
    expect(answered.status).toBe(204);
    expect((await api.get('/v1/roster', bob)).body.requests).toEqual([]);

    // alice now sees bob (subscription "to", online) and bob's request; she accepts it.
    const aliceView = await eventually(async () => {
      const res = await api.get('/v1/roster', alice);
      const contact = res.body.contacts.find((c: { address: string }) => c.address === BOB);
      return contact?.subscription === 'to' && res.body.requests.includes(BOB) ? res.body : undefined;
    }, 3_000, 'bob subscribed on alice side');
    expect(aliceView.contacts).toEqual([
      { address: BOB, name: 'Bob', groups: ['Friends'], subscription: 'to', pending: false, presence: { show: 'online' } },
    ]);
    expect((await api.post(`/v1/roster/requests/${BOB}`, { authorize: true }, alice)).status).toBe(204);

    const bobView = await eventually(async () => {
      const res = await api.get('/v1/roster', bob);
      const contact = res.body.contacts.find((c: { address: string }) => c.address === ALICE);
      return contact?.subscription === 'to' ? contact : undefined;
    }, 3_000, 'alice subscribed on bob side');
    expect(bobView).toEqual({ address: ALICE, name: 'Alice', groups: [], subscription: 'to', pending: false, presence: { show: 'online' } });

    // bob goes away with a status: alice's roster shows it.
    expect((await api.put('/v1/presence', { show: 'away', status: 'lunch' }, bob)).status).toBe(204);
    expect((await api.get('/v1/roster', bob)).body.presence).toEqual({ show: 'away', status: 'lunch' });
    await eventually(async () => {
      const res = await api.get('/v1/roster', alice);
      const contact = res.body.contacts.find((c: { address: string }) => c.address === BOB);
      return contact?.presence?.show === 'away' && contact.presence.status === 'lunch' ? true : undefined;
    }, 3_000, 'bob away on alice side');

    // bob logs out: his upstream session ends, alice sees him offline, his token is refused.
    expect((await api.delete('/v1/sessions/current', bob)).status).toBe(204);
    await eventually(async () => {
      const res = await api.get('/v1/roster', alice);
      const contact = res.body.contacts.find((c: { address: string }) => c.address === BOB);
      return contact?.presence?.show === 'offline' ? true : undefined;
    }, 3_000, 'bob offline on alice side');
    const refused = await api.get('/v1/roster', bob);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('removing a contact keeps it listed as unsubscribed, as the upstream does', async () => {
    const { api } = stack;
    const carol = await api.login('carol');
    await api.post('/v1/roster/contacts', { address: 'dave@example.com' }, carol);
    expect((await api.delete('/v1/roster/contacts/dave@example.com', carol)).status).toBe(204);
    const res = await eventually(async () => {
      const r = await api.get('/v1/roster', carol);
      const dave = r.body.contacts.find((c: { address: string }) => c.address === 'dave@example.com');
      return dave && !dave.pending ? dave : undefined;
    });
    expect(res).toMatchObject({ subscription: 'none', pending: false });
  });

  it('PUT /v1/roster/contacts/{address} renames and regroups', async () => {
    const { api } = stack;
    const dave = await api.login('dave');
    await api.post('/v1/roster/contacts', { address: 'carol@example.com' }, dave);
    const res = await api.put('/v1/roster/contacts/carol@example.com', { name: 'Caro', groups: ['Work', 'Chess'] }, dave);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ address: 'carol@example.com' });
    const contact = await eventually(async () => {
      const r = await api.get('/v1/roster', dave);
      const c = r.body.contacts.find((x: { address: string }) => x.address === 'carol@example.com');
      return c?.name === 'Caro' ? c : undefined;
    });
    expect(contact.groups).toEqual(['Work', 'Chess']);
  });

  it('idle: the user shows as away while the session is idle, and back when it is not', async () => {
    const { api } = stack;
    const erin = await api.login('erin');
    await api.get('/v1/roster', erin);
    expect((await api.put('/v1/presence/idle', { idle: true, idleSeconds: 600 }, erin)).status).toBe(204);
    expect((await api.get('/v1/roster', erin)).body.presence).toEqual({ show: 'away' });
    expect((await api.put('/v1/presence/idle', { idle: false, idleSeconds: 0 }, erin)).status).toBe(204);
    expect((await api.get('/v1/roster', erin)).body.presence).toEqual({ show: 'online' });
  });
});
