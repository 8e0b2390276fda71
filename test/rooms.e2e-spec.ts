import { Frame, OpenSockets } from './support/ws-client';
import { ApiResponse, Stack, startStack } from './support/stack';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
const ERIN = 'erin@example.com';
const SERVICE = 'conference.example.com';
const TEAM = `team@${SERVICE}`;

/** The problem code and status of an error response, for compact assertions. */
const problem = (res: ApiResponse) => ({ status: res.status, code: res.body?.code });

describe('conference rooms and chat configuration', () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const sockets = new OpenSockets(() => stack.url);
  const open = (token: string) => sockets.ready({ token });
  const join = (address: string, body: Record<string, unknown>, who: string) => stack.api.post(`/v1/rooms/${address}/join`, body, tokens[who]);
  const patch = (thread: string, body: unknown, who: string) =>
    stack.api.request('PATCH', `/v1/chats/${encodeURIComponent(thread)}/configuration`, { token: tokens[who], body });

  beforeAll(async () => {
    stack = await startStack();
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'grace']) tokens[name] = await stack.api.login(name);
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('lists the conference services and the public rooms of one (svc sent upstream)', async () => {
    stack.sim.createRoom(`lobby@${SERVICE}`, { config: { longname: 'The Lobby' } });
    stack.sim.createRoom(`hidden@${SERVICE}`, { config: { publicroom: '0' } });

    const services = await stack.api.get('/v1/conference-services', tokens.alice);
    expect(services.status).toBe(200);
    expect(services.body).toEqual([{ name: 'Public Chatrooms', address: SERVICE }]);

    const rooms = await stack.api.get(`/v1/conference-services/${SERVICE}/rooms`, tokens.alice);
    expect(rooms.status).toBe(200);
    expect(rooms.body).toEqual(expect.arrayContaining([{ name: 'The Lobby', address: `lobby@${SERVICE}` }]));
    expect(rooms.body.map((r: { address: string }) => r.address)).not.toContain(`hidden@${SERVICE}`);

    expect(problem(await stack.api.get('/v1/conference-services/example.com/rooms', tokens.alice))).toEqual({
      status: 404,
      code: 'im.NOT_A_CONFERENCE_SERVICE',
    });
  });

  it('alice creates a room, configures it, reads it back typed; every join error maps per the status table; occupants come and go as events', async () => {
    const aliceEvents = await open(tokens.alice);

    // Create on join; the nickname travels as `nick` (the upstream ignores `nickname`).
    const created = await join(TEAM, { nickname: 'Alice' }, 'alice');
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ thread: 'team', created: true, statuses: expect.arrayContaining(['NewRoomCreated']) });
    expect(stack.sim.rooms().find((r) => r.addr === TEAM)?.occupants.map((o) => o.nick)).toEqual(['Alice']);
    const me = await aliceEvents.waitFor((f) => f.type === 'participantJoined' && f.data.participant.me);
    expect(me.data).toEqual({
      thread: 'team',
      participant: expect.objectContaining({ address: 'Alice', me: true, role: 'moderator', affiliation: 'owner' }),
      statuses: expect.arrayContaining(['NewRoomCreated']),
    });

    // Configure: password, members-only, max users, and a few more types.
    const settings = {
      passwordProtected: true,
      password: 'sesame',
      membersOnly: true,
      maxUsers: 2,
      description: 'Team room',
      presenceBroadcast: ['moderator', 'participant'],
    };
    const configured = await patch('team', { settings }, 'alice');
    expect(configured.status).toBe(204);

    const ownerForm = await stack.api.get('/v1/chats/team/configuration?owner=true', tokens.alice);
    expect(ownerForm.status).toBe(200);
    expect(ownerForm.body).toMatchObject({ thread: 'team', conference: true, room: { address: TEAM, owner: true } });
    expect(ownerForm.body.settings).toMatchObject({ ...settings, publicRoom: true, owners: [ALICE], admins: [] });
    expect(Object.values(ownerForm.body.settings).every((v) => ['boolean', 'number', 'string'].includes(typeof v) || Array.isArray(v))).toBe(true);

    const infoForm = await stack.api.get('/v1/chats/team/configuration', tokens.alice);
    expect(infoForm.body).toMatchObject({
      room: { address: TEAM, owner: false },
      settings: { passwordProtected: true, membersOnly: true, nonAnonymous: false, occupantCount: 1, description: 'Team room' },
    });
    // ISO-8601 UTC like every timestamp, not the room's XMPP form (20261202T06:58:38).
    const { creationDate } = infoForm.body.settings;
    expect(creationDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(new Date(creationDate).toISOString()).toBe(creationDate);
    expect(infoForm.body.settings).not.toHaveProperty('password');

    // Anyone may read a room by address; the owner form is for owners.
    const byAddress = await stack.api.get(`/v1/rooms/${TEAM}/configuration`, tokens.bob);
    expect(byAddress.status).toBe(200);
    expect(byAddress.body).toMatchObject({ thread: null, conference: true, room: { address: TEAM, owner: false }, settings: { membersOnly: true, occupantCount: 1 } });
    expect(byAddress.body.settings).not.toHaveProperty('password');
    expect(problem(await stack.api.get(`/v1/rooms/${TEAM}/configuration?owner=true`, tokens.bob))).toEqual({ status: 403, code: 'not_allowed' });

    // Members only: bob is no member.
    expect(problem(await join(TEAM, { password: 'sesame' }, 'bob'))).toEqual({ status: 403, code: 'NotAMember' });
    expect((await patch('team', { settings: { membersOnly: false } }, 'alice')).status).toBe(204);

    // Password.
    expect(problem(await join(TEAM, {}, 'bob'))).toEqual({ status: 403, code: 'PasswordRequired' });
    expect(problem(await join(TEAM, { password: 'wrong' }, 'bob'))).toEqual({ status: 403, code: 'PasswordRequired' });
    const bobEvents = await open(tokens.bob);
    const bobJoined = await join(TEAM, { password: 'sesame' }, 'bob');
    expect(bobJoined.status).toBe(200);
    expect(bobJoined.body).toEqual({ thread: 'team', created: false, statuses: ['OccupantPresence'] });

    // The others see the newcomer; the newcomer sees who is there and itself.
    const isBob = (f: Frame) => f.type === 'participantJoined' && f.data.participant.address === 'bob';
    expect((await aliceEvents.waitFor(isBob)).data).toEqual({
      thread: 'team',
      participant: expect.objectContaining({ address: 'bob', me: false, affiliation: 'none' }),
      statuses: [],
    });
    await bobEvents.waitFor((f) => f.type === 'participantJoined' && f.data.participant.address === 'Alice' && !f.data.participant.me);
    await bobEvents.waitFor((f) => isBob(f) && f.data.participant.me);

    // Only an owner configures.
    expect(problem(await patch('team', { settings: { moderated: true } }, 'bob'))).toEqual({ status: 403, code: 'im.NOT_ALLOWED' });

    // Nickname clash, then a full room (max 2: alice and bob).
    expect(problem(await join(TEAM, { password: 'sesame', nickname: 'bob' }, 'carol'))).toEqual({ status: 409, code: 'NicknameConflict' });
    expect(problem(await join(TEAM, { password: 'sesame' }, 'carol'))).toEqual({ status: 409, code: 'MaxUsers' });

    // Banned.
    stack.sim.banFromRoom(TEAM, DAVE);
    expect(problem(await join(TEAM, { password: 'sesame' }, 'dave'))).toEqual({ status: 403, code: 'Banned' });

    // A locked room (created, never configured) is no room to others.
    expect((await join(`locked@${SERVICE}`, {}, 'alice')).body.created).toBe(true);
    expect(problem(await join(`locked@${SERVICE}`, {}, 'carol'))).toEqual({ status: 404, code: 'NoSuchRoom' });

    // Bob leaves: alice sees him go.
    expect((await stack.api.delete('/v1/chats/team', tokens.bob)).status).toBe(204);
    const gone = await aliceEvents.waitFor((f) => f.type === 'participantLeft' && f.data.address === 'bob');
    expect(gone.data).toEqual({ thread: 'team', address: 'bob', me: false, statuses: [], errors: [] });
  });

  it('the settings of a configuration read can be sent back as they are, and change nothing', async () => {
    const room = `roundtrip@${SERVICE}`;
    expect((await join(room, {}, 'carol')).body.created).toBe(true);
    // A fresh room reports empty values (no subject, no admins) and read-only ones (occupants, creation date).
    const read = async (form: string) => {
      const res = await stack.api.get(`/v1/chats/roundtrip/configuration${form}`, tokens.carol);
      expect(res.status).toBe(200);
      return res.body.settings as Record<string, unknown>;
    };
    const owner = await read('?owner=true');
    expect(owner).toMatchObject({ admins: [], subject: '' });
    expect(await read('')).toMatchObject({ occupantCount: 1, creationDate: expect.any(String) });

    for (const form of ['?owner=true', '?owner=false', '']) {
      const settings = await read(form);
      stack.sim.resetRequests();
      expect((await patch('roundtrip', { settings }, 'carol')).status).toBe(204);
      expect(stack.sim.requestCount('IMModifyChatRequest')).toBe(1);
    }
    expect(await read('?owner=true')).toEqual(owner);
  });

  it('a members-only room refuses strangers and admits members', async () => {
    const room = `club@${SERVICE}`;
    stack.sim.createRoom(room, { owner: ALICE, members: [ERIN], config: { membersonly: '1' } });
    expect(problem(await join(room, {}, 'carol'))).toEqual({ status: 403, code: 'NotAMember' });
    const erin = await join(room, { nickname: 'erin-the-member' }, 'erin');
    expect(erin.status).toBe(200);
    expect(erin.body).toEqual({ thread: 'club', created: false, statuses: ['OccupantPresence'] });
  });

  it('joins into a given thread; a room the upstream cannot reach is a 504', async () => {
    const room = `side@${SERVICE}`;
    stack.sim.createRoom(room);
    const joined = await join(room, { thread: 'my side chat' }, 'carol');
    expect(joined.body).toEqual({ thread: 'my side chat', created: false, statuses: ['OccupantPresence'] });
    const config = await stack.api.get(`/v1/chats/${encodeURIComponent('my side chat')}/configuration`, tokens.carol);
    expect(config.body).toMatchObject({ thread: 'my side chat', conference: true, room: { address: room, owner: false } });

    // Not on a conference service: nobody answers the join presence.
    expect(problem(await join('room@example.com', {}, 'carol'))).toEqual({ status: 504, code: 'no_response_from_remote' });
  });

  it('a 1:1 chat has no room configuration: reading says conference false, configuring is a 409', async () => {
    await stack.api.get('/v1/conference-services', tokens.erin); // erin is online
    const thread = stack.sim.receiveMessage(ERIN, { from: 'frank@example.com', body: 'hi', thread: 'chat-frank%example.com-7' });
    expect(thread).toBe('chat-frank%example.com-7');
    const path = `/v1/chats/${encodeURIComponent(thread!)}/configuration`;

    const read = await stack.api.get(path, tokens.erin);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ thread, conference: false, settings: {} });

    expect(problem(await patch(thread!, { settings: { moderated: true } }, 'erin'))).toEqual({ status: 409, code: 'im.NOT_A_MUC_CHAT' });
  });

  it('an unknown thread or room is a 404 everywhere', async () => {
    expect(problem(await stack.api.get('/v1/chats/no-such-thread/configuration', tokens.alice))).toEqual({ status: 404, code: 'not_found' });
    expect(problem(await stack.api.get('/v1/chats/no-such-thread/configuration?owner=true', tokens.alice))).toEqual({ status: 404, code: 'not_found' });
    expect(problem(await patch('no-such-thread', { settings: { moderated: true } }, 'alice'))).toEqual({ status: 404, code: 'not_found' });
    expect(problem(await stack.api.get(`/v1/rooms/nosuch@${SERVICE}/configuration`, tokens.alice))).toEqual({ status: 404, code: 'not_found' });
    expect(problem(await stack.api.get('/v1/rooms/someone@example.com/configuration', tokens.alice))).toEqual({ status: 404, code: 'not_a_conference_room' });
  });

  it('invalid input is a 400 naming each field, before any upstream request', async () => {
    const grace = tokens.grace;
    stack.sim.resetRequests();
    const cases: [Promise<ApiResponse>, string[]][] = [
      [patch('team', { settings: { isMUC: true } }, 'grace'), ['settings.isMUC']],
      [patch('team', { settings: { occupantCount: '3', creationDate: 'x' } }, 'grace'), ['settings.occupantCount', 'settings.creationDate']],
      [patch('team', { settings: { membersOnly: 'yes', maxUsers: '10', owners: ['bob'], whois: 'anyone' } }, 'grace'),
        ['settings.membersOnly', 'settings.maxUsers', 'settings.owners', 'settings.whois']],
      [patch('team', { settings: { password: 7, admins: [''] } }, 'grace'), ['settings.password', 'settings.admins']],
      [patch('team', { settings: {}, extra: 1 }, 'grace'), ['extra']],
      [patch('team', {}, 'grace'), ['settings']],
      [stack.api.request('PATCH', '/v1/chats/a%01b/configuration', { token: grace, body: { settings: {} } }), ['thread']],
      [stack.api.get('/v1/chats/team/configuration?owner=yes', grace), ['owner']],
      [stack.api.get(`/v1/rooms/${TEAM}/configuration?owner=1`, grace), ['owner']],
      [stack.api.get('/v1/rooms/not-an-address/configuration', grace), ['address']],
      [stack.api.post('/v1/rooms/team@conference.example.com%2Fres/join', {}, grace), ['address']],
      [stack.api.post(`/v1/rooms/${TEAM}/join`, { nickname: '' }, grace), ['nickname']],
      [stack.api.post(`/v1/rooms/${TEAM}/join`, { nick: 'x', password: 5 }, grace), ['nick', 'password']],
      [stack.api.get('/v1/conference-services/bad_domain!/rooms', grace), ['service']],
    ];
    for (const [request, fields] of cases) {
      const res = await request;
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'request.INVALID' });
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([...fields].sort());
    }
    expect(stack.sim.requests.filter((r) => r.account === 'grace@example.com')).toEqual([]);
  });

  it('needs a bearer token', async () => {
    expect((await stack.api.get('/v1/conference-services')).status).toBe(401);
    expect((await stack.api.request('PATCH', '/v1/chats/team/configuration', { body: { settings: {} } })).status).toBe(401);
    expect((await stack.api.post(`/v1/rooms/${TEAM}/join`, {})).status).toBe(401);
  });
});
