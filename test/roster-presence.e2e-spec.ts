import { eventually, Stack, startStack } from './support/stack';
import { EventClient } from './support/ws-client';

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

  it('a removed contact is gone from the roster and its event says removed; a refusal is not a removal', async () => {
    const { api } = stack;
    const GRACE = 'grace@example.com';
    const HEIDI = 'heidi@example.com';
    const IVAN = 'ivan@example.com';
    const [grace, heidi] = [await api.login('grace'), await api.login('heidi')];
    const graceEvents = await EventClient.ready(stack.url, { token: grace });
    try {
      const listed = async () => ((await api.get('/v1/roster', grace)).body.contacts as { address: string }[]).map((c) => c.address).sort();
      await api.get('/v1/roster', heidi);
      expect((await api.post('/v1/roster/contacts', { address: HEIDI, name: 'Heidi', groups: ['Team'] }, grace)).status).toBe(201);
      expect((await api.post('/v1/roster/contacts', { address: IVAN }, grace)).status).toBe(201);
      expect(await listed()).toEqual([HEIDI, IVAN]);

      // heidi refuses: still a contact (subscription none), and the event is no removal.
      await eventually(async () => ((await api.get('/v1/roster', heidi)).body.requests.includes(GRACE) ? true : undefined), 3_000, 'request at heidi');
      expect((await api.post(`/v1/roster/requests/${GRACE}`, { authorize: false }, heidi)).status).toBe(204);
      const refusal = await graceEvents.waitFor((f) => f.type === 'contact' && f.data.address === HEIDI && !f.data.pending);
      expect(refusal.data).not.toHaveProperty('removed');
      expect(await listed()).toEqual([HEIDI, IVAN]);

      // grace removes ivan: one event says so, and no roster read brings him back.
      expect((await api.delete(`/v1/roster/contacts/${IVAN}`, grace)).status).toBe(204);
      const removal = await graceEvents.waitFor((f) => f.type === 'contact' && f.data.address === IVAN && f.data.removed === true);
      expect(removal.data).toEqual({ address: IVAN, groups: [], subscription: 'none', pending: false, removed: true });
      expect(await listed()).toEqual([HEIDI]);
      expect(await listed()).toEqual([HEIDI]);
      await api.put('/v1/presence', { show: 'chat', status: 'marker' }, grace); // anything queued after the reads
      await graceEvents.waitFor((f) => f.type === 'presence' && f.data.status === 'marker');
      expect(graceEvents.events('contact').filter((f) => f.data.address === IVAN && !f.data.pending)).toEqual([removal]);
      const sinceRemoval = graceEvents.events().slice(graceEvents.events().indexOf(removal) + 1);
      for (const roster of sinceRemoval.filter((f) => f.type === 'roster')) {
        expect(roster.data.contacts.map((c: { address: string }) => c.address)).not.toContain(IVAN);
      }
      expect((await api.put(`/v1/roster/contacts/${IVAN}`, { name: 'Ivan' }, grace)).status).toBe(404);

      // Added again, he is back.
      expect((await api.post('/v1/roster/contacts', { address: IVAN }, grace)).status).toBe(201);
      expect(await listed()).toEqual([HEIDI, IVAN]);
    } finally {
      await graceEvents.close();
    }
  });

  it('PUT /v1/roster/contacts/{address} on someone who is not a contact is a 404 and adds nobody', async () => {
    const { api } = stack;
    const judy = await api.login('judy'); // a fresh link: the roster is read first
    const subscribes = stack.sim.requestCount('IMSubscribeRequest');
    const res = await api.put('/v1/roster/contacts/frank@example.com', { name: 'Frank' }, judy);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(stack.sim.requestCount('IMSubscribeRequest')).toBe(subscribes);
    expect((await api.get('/v1/roster', judy)).body.contacts).toEqual([]);
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
