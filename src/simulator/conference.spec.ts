import { attr, child, children, text, type XmlNode } from '../soap/xml';
import { DEMO_ACCOUNTS, ImSimulator } from './index';
import { online, TestClient } from './spec-support';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
const ROOM = 'team@conference.example.com';
const pick = (n: XmlNode | undefined, ...names: string[]) => Object.fromEntries(names.map((k) => [k, attr(n, k)]));
const p = (n: XmlNode) => pick(child(n, 'p'), 'addr', 'me', 'fulladdr', 'role', 'affiliation');

const join = (c: TestClient, attrs: string) => c.im('IMJoinConferenceRoomRequest', attrs);
const say = (c: TestClient, to: string, thread: string, words: string) =>
  c.im('IMSendMessageRequest', '', `<message addr="${to}" thread="${thread}"><body><text>${words}</text></body></message>`);
const configure = (c: TestClient, thread: string, vars: string) => c.im('IMModifyChatRequest', `thread="${thread}" op="configure"`, vars);
const vars = (room: XmlNode | undefined) =>
  Object.fromEntries(children(room, 'var').map((v) => [attr(v, 'name'), attr(v, 'multi') ? children(v, 'value').map((x) => text(x)) : text(v)]));

describe('simulator conference rooms (§12.7–12.9, §12.13, §13.6–13.9)', () => {
  let sim: ImSimulator;
  let alice: TestClient;
  let bob: TestClient;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 60_000, noopTimeoutClampMs: [100, 3000] });
    alice = await online(sim, ALICE);
    bob = await online(sim, BOB);
  });
  afterEach(() => sim.stop());

  it('lists the conference service and its public rooms; svc is required', async () => {
    const services = await alice.im('IMListConferenceServicesRequest');
    expect(children(services.body, 'svc').map((s) => pick(s, 'name', 'addr'))).toEqual([{ name: 'Public Chatrooms', addr: 'conference.example.com' }]);
    expect((await alice.im('IMListConferenceRoomsRequest')).fault?.reason).toBe('invalid request: missing required attribute: svc');
    const notSvc = await alice.im('IMListConferenceRoomsRequest', 'svc="example.com"');
    expect(notSvc.fault?.code).toBe('im.NOT_A_CONFERENCE_SERVICE');
    expect(notSvc.fault?.reason).toBe('example.com is not a conference service');
    sim.createRoom('lobby@conference.example.com', { config: { longname: 'The Lobby' } });
    sim.createRoom('hidden@conference.example.com', { config: { publicroom: '0' } });
    await join(alice, 'addr="fresh@conference.example.com"'); // locked until configured: not listed
    const rooms = await alice.im('IMListConferenceRoomsRequest', 'svc="conference.example.com"');
    expect(children(rooms.body, 'room').map((r) => pick(r, 'name', 'addr'))).toEqual([{ name: 'The Lobby', addr: 'lobby@conference.example.com' }]);

    const offline = new TestClient(sim.url, CAROL);
    await offline.login();
    expect((await offline.im('IMListConferenceServicesRequest')).fault?.code).toBe('service.FAILURE');
  });

  it('create-on-join: owner/moderator, enteredchat me="1", room locked until the owner configures it', async () => {
    const created = await join(alice, `addr="${ROOM}" nickname="ignored"`);
    expect(pick(created.body, 'thread', 'error')).toEqual({ thread: 'team', error: undefined });
    expect(attr(created.body, 'status')!.split(',')).toEqual(expect.arrayContaining(['NewRoomCreated', 'OccupantPresence']));
    const [own] = created.ofType('enteredchat');
    expect(pick(own, 'thread', 'addr')).toEqual({ thread: 'team', addr: 'alice' });
    expect(p(own)).toEqual({ addr: 'alice', me: '1', fulladdr: `${ALICE}/zcs`, role: 'moderator', affiliation: 'owner' });
    expect(own['@_role']).toBeUndefined(); // only on <p>

    expect(attr((await join(bob, `addr="${ROOM}"`)).body, 'error')).toBe('NoSuchRoom');
    expect(pick((await configure(bob, 'team', '')).body, 'error')).toEqual({ error: 'not_found' }); // bob has no such chat
    expect((await configure(alice, 'team', '<var name="bogus">1</var>')).fault?.code).toBe('service.FAILURE');
    const ok = await configure(alice, 'team',
      '<var name="description">Team room</var><var name="passwordprotect">false</var><var name="subject"></var>' +
      '<var name="admins" multi="1"><value>carol@example.com</value><value></value></var>');
    expect(pick(ok.body, 'thread', 'error')).toEqual({ thread: 'team', error: undefined });

    const joined = await join(bob, `addr="${ROOM}" nick="bobby" thread="t-bob"`);
    expect(pick(joined.body, 'thread', 'status', 'error')).toEqual({ thread: 't-bob', status: 'OccupantPresence', error: undefined });
    // Bob sees alice first, then himself; as a participant of a semi-anonymous room he sees no real JIDs.
    expect(joined.ofType('enteredchat').map(p)).toEqual([
      { addr: 'alice', me: undefined, fulladdr: undefined, role: 'moderator', affiliation: 'owner' },
      { addr: 'bobby', me: '1', fulladdr: undefined, role: 'participant', affiliation: 'none' },
    ]);
    const seen = (await alice.noop()).ofType('enteredchat');
    expect(seen.map(p)).toEqual([{ addr: 'bobby', me: undefined, fulladdr: `${BOB}/zcs`, role: 'participant', affiliation: 'none' }]);
    // A non-owner cannot configure.
    const denied = await configure(bob, 't-bob', '<var name="description">mine</var>');
    expect(denied.fault?.code).toBe('im.NOT_ALLOWED');
    expect(denied.fault?.reason).toBe(`Permission denied trying to access: ${ROOM}`);
  });

  it('IMGetChatConfiguration: <room threadId addr [owner]>, server spellings, multi vars, error attributes', async () => {
    await join(alice, `addr="${ROOM}"`);
    await configure(alice, 'team', '<var name="description">Team room</var><var name="noanonymous">true</var>');
    const info = await alice.im('IMGetChatConfigurationRequest', 'thread="team"');
    const room = child(info.body, 'room');
    expect(pick(room, 'threadId', 'addr', 'owner')).toEqual({ threadId: 'team', addr: ROOM, owner: undefined });
    expect(vars(room)).toMatchObject({ description: 'Team room', noanonymous: '1', numoccupants: '1', publicroom: '1' });
    const owner = await alice.im('IMGetChatConfigurationRequest', 'thread="team" requestOwnerConfig="1"');
    const form = child(owner.body, 'room');
    expect(attr(form, 'owner')).toBe('1');
    expect(vars(form)).toMatchObject({ owners: [ALICE], logsurl: '', maxusers: '30', whois: ['moderators'] });
    expect(Object.keys(vars(form))).not.toContain('nonanonymous');

    const byAddr = await bob.im('IMGetChatConfigurationRequest', `addr="${ROOM}"`);
    expect(attr(byAddr.body, 'thread')).toBeUndefined();
    expect(pick(child(byAddr.body, 'room'), 'threadId', 'addr')).toEqual({ threadId: undefined, addr: ROOM });
    const errorOf = async (attrs: string) => attr((await bob.im('IMGetChatConfigurationRequest', attrs)).body, 'error');
    expect(await errorOf(`addr="${ROOM}" requestOwnerConfig="1"`)).toBe('not_allowed');
    expect(await errorOf('addr="nope@conference.example.com"')).toBe('not_found');
    expect(await errorOf(`addr="${ALICE}"`)).toBe('not_a_conference_room');
    expect(await errorOf('thread="nope"')).toBe('not_found');
    expect((await bob.im('IMGetChatConfigurationRequest')).fault?.reason).toBe(
      'invalid request: Missing required argument -- one of (thread, addr) must be specified');
    // A 1:1 chat: the bare response.
    await bob.im('IMSendMessageRequest', '', `<message addr="${ALICE}"><body><text>hi</text></body></message>`);
    const oneToOne = await bob.im('IMGetChatConfigurationRequest', 'thread="chat-bob%example.com-0"');
    expect(oneToOne.body).toEqual({ '@_thread': 'chat-bob%example.com-0' });
  });

  it('join errors by name: PasswordRequired, NotAMember, Banned, MaxUsers, NicknameConflict', async () => {
    const errorOf = async (c: TestClient, attrs: string) => pick((await join(c, attrs)).body, 'thread', 'status', 'error');
    sim.createRoom('secret@conference.example.com', { owner: ALICE, config: { passwordprotect: '1', password: 'pw' } });
    expect(await errorOf(bob, 'addr="secret@conference.example.com"')).toEqual({ thread: 'secret', status: undefined, error: 'PasswordRequired' });
    expect((await errorOf(bob, 'addr="secret@conference.example.com" password="pw"')).error).toBeUndefined();

    sim.createRoom('club@conference.example.com', { config: { membersonly: '1' }, members: [ALICE] });
    expect((await errorOf(bob, 'addr="club@conference.example.com"')).error).toBe('NotAMember');
    expect((await errorOf(alice, 'addr="club@conference.example.com"')).error).toBeUndefined();

    sim.createRoom('small@conference.example.com', { config: { maxusers: '1' } });
    await join(alice, 'addr="small@conference.example.com"');
    expect((await errorOf(bob, 'addr="small@conference.example.com"')).error).toBe('MaxUsers');

    sim.createRoom(ROOM);
    await join(alice, `addr="${ROOM}" nick="boss"`);
    expect((await errorOf(bob, `addr="${ROOM}" nick="Boss"`)).error).toBe('NicknameConflict');
    await join(bob, `addr="${ROOM}"`);
    await alice.noop('');
    sim.banFromRoom(ROOM, BOB);
    expect((await alice.noop()).ofType('leftchat').map((n) => pick(n, 'thread', 'addr', 'me', 'status'))).toEqual([
      { thread: 'team', addr: 'bob', me: undefined, status: 'YouHaveBeenBanned' },
    ]);
    expect((await bob.noop()).ofType('leftchat').map((n) => pick(n, 'addr', 'me'))).toEqual([{ addr: 'bob', me: '1' }]);
    expect((await errorOf(bob, `addr="${ROOM}"`)).error).toBe('Banned');
    expect(sim.rooms().find((r) => r.addr === ROOM)?.affiliations).toMatchObject({ [BOB]: 'outcast' });
    // Nobody answers for a host that is no conference service: only the thread.
    expect(await errorOf(bob, 'addr="x@example.com"')).toEqual({ thread: 'x', status: undefined, error: undefined });
  });

  it('room messages: own echo from the bare address, others see the nickname; close → leftchat for the rest', async () => {
    sim.createRoom(ROOM, { owner: ALICE });
    await join(alice, `addr="${ROOM}"`);
    await join(bob, `addr="${ROOM}" nick="bobby"`);
    await alice.noop('');
    const sent = await say(alice, ROOM, 'team', 'morning');
    expect(sent.ofType('message').map((m) => pick(m, 'from', 'to', 'thread', 'seq'))).toEqual([
      { from: ALICE, to: ROOM, thread: 'team', seq: '1' },
    ]);
    expect((await bob.noop()).ofType('message').map((m) => pick(m, 'from', 'to', 'thread', 'seq'))).toEqual([
      { from: 'alice', to: undefined, thread: 'team', seq: '1' },
    ]);
    await bob.im('IMSendMessageRequest', '', `<message addr="${ROOM}" thread="team"><typing/></message>`);
    expect((await alice.noop()).ofType('message').map((m) => pick(m, 'from', 'seq'))).toEqual([{ from: ROOM, seq: undefined }]);

    const closed = await bob.im('IMModifyChatRequest', 'thread="team" op="close"');
    expect(closed.ofType('chatclosed').map((n) => attr(n, 'thread'))).toEqual(['team']);
    expect((await alice.noop()).ofType('leftchat').map((n) => pick(n, 'thread', 'addr', 'me'))).toEqual([
      { thread: 'team', addr: 'bobby', me: undefined },
    ]);
    const history = child((await alice.im('IMGetChatRequest', 'thread="team"')).body, 'chat');
    expect(children(child(history, 'pcps'), 'p').map((x) => pick(x, 'addr', 'me', 'role', 'affiliation'))).toEqual([
      { addr: 'alice', me: '1', role: 'moderator', affiliation: 'owner' },
    ]);
    // Going offline leaves the room; an empty temporary room goes away.
    sim.endSessions(ALICE);
    expect(sim.rooms().find((r) => r.addr === ROOM)?.occupants).toEqual([]);
  });

  it('adduser converts a 1:1 chat into <thread>@conf.<domain>; the partner auto-joins, a new user is invited', async () => {
    const carol = await online(sim, CAROL);
    const thread = 'chat-alice%example.com-0';
    await alice.im('IMSendMessageRequest', '', `<message addr="${BOB}"><body><text>hi</text></body></message>`);
    await bob.noop();
    const added = await alice.im('IMModifyChatRequest', `thread="${thread}" op="adduser" addr="${CAROL}"`, 'Come in');
    expect(pick(added.body, 'thread', 'error')).toEqual({ thread, error: undefined });
    const convRoom = `${thread}@conf.example.com`;
    expect(sim.chats(ALICE)[0]).toMatchObject({ thread, room: convRoom, joined: true, nick: 'alice' });

    const bobSees = await bob.noop();
    expect(bobSees.ofType('message').map((m) => pick(m, 'from', 'seq', 'thread'))).toEqual([{ from: 'SYSTEM', seq: '0', thread }]);
    expect(bobSees.ofType('enteredchat').map((n) => attr(n, 'addr'))).toEqual(['alice', 'bob']);
    expect(bobSees.ofType('invited')).toEqual([]);

    const carolSees = await carol.noop();
    const [invited] = carolSees.ofType('invited');
    expect(pick(invited, 'thread', 'addr')).toEqual({ thread, addr: convRoom });
    expect(text(invited)).toBe(`Come in (/join ${convRoom})`);
    expect(carolSees.ofType('message').map((m) => [attr(m, 'from'), attr(m, 'seq'), text(child(m, 'body'))])).toEqual([
      [convRoom, '1', `Come in (/join ${convRoom})`],
    ]);
    const joined = await join(carol, `addr="${convRoom}" thread="${thread}"`);
    expect(attr(joined.body, 'error')).toBeUndefined();
    expect(joined.ofType('enteredchat').map((n) => attr(n, 'addr'))).toEqual(['alice', 'bob', 'carol']);

    // Another invitation to an existing room, by its default text.
    const dave = await online(sim, DAVE);
    await alice.im('IMModifyChatRequest', `thread="${thread}" op="adduser" addr="${DAVE}"`);
    expect(text((await dave.noop()).ofType('invited')[0])).toBe(`Please join my chat (/join ${convRoom})`);
  });
});
