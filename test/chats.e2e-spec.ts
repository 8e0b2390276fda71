import { EventClient, Frame } from './support/ws-client';
import { Stack, startStack } from './support/stack';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('chats over real HTTP and WebSocket', () => {
  let stack: Stack;
  let alice: string;
  let bob: string;
  let aliceEvents: EventClient;
  let bobEvents: EventClient;
  /** The chat alice starts with bob in the first test; later tests continue it. */
  let thread: string;

  const path = (t: string, rest = '') => `/v1/chats/${encodeURIComponent(t)}${rest}`;
  const sends = () => stack.sim.requestCount('IMSendMessageRequest');
  const messageOn = (client: EventClient, match: (data: any) => boolean) =>
    client.waitFor((f) => f.type === 'message' && match(f.data));

  beforeAll(async () => {
    // Chats auto-close 1 s + 60 s (the upstream's floors) after their last message, on the simulator clock.
    stack = await startStack({ sim: { chatFlushMs: 1_000, chatCloseMs: 60_000 } });
    [alice, bob] = await Promise.all([stack.api.login('alice'), stack.api.login('bob')]);
    [aliceEvents, bobEvents] = await Promise.all([
      EventClient.ready(stack.url, { token: alice }),
      EventClient.ready(stack.url, { token: bob }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([aliceEvents.close(), bobEvents.close()]);
    await stack.close();
  });

  it('alice starts a chat with bob: the real thread id; bob sees it as an event and in history; bob replies', async () => {
    const { api } = stack;
    const started = await api.post('/v1/chats', { to: BOB, text: 'Hi Bob' }, alice);
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ thread: expect.stringMatching(/^chat-alice%example\.com-\d+$/), seq: 1, sentAt: expect.stringMatching(ISO) });
    thread = started.body.thread;
    expect(stack.sim.chats(ALICE).map((c) => c.thread)).toContain(thread);

    const incoming = await messageOn(bobEvents, (d) => d.thread === thread && d.text === 'Hi Bob');
    expect(incoming.data).toEqual({ thread, from: ALICE, seq: 1, sentAt: started.body.sentAt, text: 'Hi Bob' });
    const echo = await messageOn(aliceEvents, (d) => d.thread === thread && d.seq === 1);
    expect(echo.data).toMatchObject({ from: ALICE, to: BOB, text: 'Hi Bob' });

    const history = await api.get(path(thread), bob);
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      thread,
      participants: [{ address: ALICE, me: false }],
      messages: [{ seq: 1, from: ALICE, sentAt: started.body.sentAt, text: 'Hi Bob' }],
      hasMore: false,
    });

    // bob answers from a second device whose link has seen nothing yet: the proxy asks the upstream
    // for the chat's partner (IMGetChat) to address the message.
    const bobPhone = await api.login('bob');
    const lookups = stack.sim.requestCount('IMGetChatRequest');
    const reply = await api.post(path(thread, '/messages'), { text: 'Hello Alice' }, bobPhone);
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ thread, seq: 2, sentAt: expect.stringMatching(ISO) });
    expect(stack.sim.requestCount('IMGetChatRequest')).toBe(lookups + 1);
    const answer = await messageOn(aliceEvents, (d) => d.thread === thread && d.text === 'Hello Alice');
    expect(answer.data).toMatchObject({ from: BOB, seq: 2 });
    expect(answer.data.to).toBeUndefined();

    // alice continues on the thread; ?after= is applied by the proxy.
    const more = await api.post(path(thread, '/messages'), { text: 'How are you?' }, alice);
    expect(more.body).toMatchObject({ thread, seq: 3 });
    const after = await api.get(`${path(thread)}?after=1`, alice);
    expect(after.body.participants).toEqual([{ address: BOB, me: false }]);
    expect(after.body.messages.map((m: any) => [m.seq, m.from, m.text])).toEqual([
      [2, BOB, 'Hello Alice'],
      [3, ALICE, 'How are you?'],
    ]);
    expect((await api.get(`${path(thread)}?after=0`, alice)).body.messages).toHaveLength(3);
    expect((await api.get(`${path(thread)}?after=3`, alice)).body.messages).toEqual([]);

    // A phone pages back from the newest message: limit and before, hasMore until the start.
    const seqs = (res: { body: { messages: { seq: number }[] } }) => res.body.messages.map((m) => m.seq);
    const newest = await api.get(`${path(thread)}?limit=2`, alice);
    expect([seqs(newest), newest.body.hasMore]).toEqual([[2, 3], true]);
    const older = await api.get(`${path(thread)}?limit=2&before=2`, alice);
    expect([seqs(older), older.body.hasMore]).toEqual([[1], false]);
    const forward = await api.get(`${path(thread)}?after=0&limit=2`, alice);
    expect([seqs(forward), forward.body.hasMore]).toEqual([[1, 2], true]);
    const between = await api.get(`${path(thread)}?after=1&before=3&limit=5`, alice);
    expect([seqs(between), between.body.hasMore]).toEqual([[2], false]);

    const list = await api.get('/v1/chats', alice);
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual(expect.objectContaining({ thread, participants: [{ address: BOB }], lastMessage: expect.objectContaining({ text: 'How are you?' }) }));
  });

  it('typing on and off reaches the other side as typing events', async () => {
    const before = bobEvents.events('typing').length;
    const on = await stack.api.put(path(thread, '/typing'), { typing: true }, alice);
    expect(on.status).toBe(204);
    await bobEvents.waitFor((f) => f.type === 'typing' && f.data.typing === true && f.data.thread === thread);
    expect((await stack.api.put(path(thread, '/typing'), { typing: false }, alice)).status).toBe(204);
    await bobEvents.waitFor((f) => f.type === 'typing' && f.data.typing === false && f.data.thread === thread);
    expect(bobEvents.events('typing').slice(before).map((f) => f.data)).toEqual([
      { thread, from: ALICE, typing: true },
      { thread, from: ALICE, typing: false },
    ]);
    // Typing is neither stored nor numbered.
    expect((await stack.api.get(path(thread), bob)).body.messages).toHaveLength(3);
  });

  it('HTML with entities and markup round-trips: event and history agree', async () => {
    const html = '<p><b>Tom</b> &amp; <i class="x">Jerry</i>&nbsp;&lt;3 &#x263A;<br/>bye</p>';
    const sent = await stack.api.post(path(thread, '/messages'), { text: 'Tom & Jerry <3 :) bye', html }, alice);
    expect(sent.status).toBe(201);
    const expectedHtml = '<p><b>Tom</b> &amp; <i class="x">Jerry</i>&#160;&lt;3 &#x263A;<br/>bye</p>';
    const expectedText = 'Tom & Jerry\u00a0<3 \u263a\nbye';
    const event = await messageOn(bobEvents, (d) => d.thread === thread && d.seq === sent.body.seq);
    expect(event.data).toEqual({ thread, from: ALICE, seq: sent.body.seq, sentAt: sent.body.sentAt, text: expectedText, html: expectedHtml });

    const history = await stack.api.get(`${path(thread)}?after=${sent.body.seq - 1}`, bob);
    expect(history.body.messages).toEqual([
      { seq: sent.body.seq, from: ALICE, sentAt: sent.body.sentAt, text: expectedText, html: expectedHtml },
    ]);
  });

  it('malformed XHTML is a 400 naming html, and nothing is sent', async () => {
    const before = sends();
    for (const html of ['<b>unclosed', '<b>x</i>', 'Tom & Jerry', '&bogus;', '<a href=x>y</a>', '   ']) {
      const res = await stack.api.post(path(thread, '/messages'), { text: 'x', html }, alice);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'request.INVALID', errors: [{ field: 'html', message: expect.stringMatching(/^html /) }] });
    }
    const started = await stack.api.post('/v1/chats', { to: BOB, text: 'x', html: '<p><b>crossed</p></b>' }, alice);
    expect(started.status).toBe(400);
    expect(started.body.errors).toEqual([{ field: 'html', message: expect.stringContaining('not well-formed') }]);
    expect(sends()).toBe(before);
  });

  it('other invalid input is a 400 before any upstream call', async () => {
    stack.sim.resetRequests();
    const bad: [string, string, unknown][] = [
      ['POST', '/v1/chats', { to: 'bob', text: 'hi' }],
      ['POST', '/v1/chats', { to: BOB, text: '   ' }],
      ['POST', '/v1/chats', { to: BOB, text: 'hi', subject: 'x' }],
      ['POST', path(thread, '/messages'), { text: '/info' }],
      ['POST', path(thread, '/messages'), { text: 'hi', to: 'bob@example.com/phone' }],
      ['POST', path('x'.repeat(257), '/messages'), { text: 'hi' }],
      ['PUT', path(thread, '/typing'), { typing: 'yes' }],
      ['POST', path(thread, '/invitations'), { address: 'not an address' }],
      ['GET', `${path(thread)}?after=-1`, undefined],
      ['GET', `${path(thread)}?after=x`, undefined],
      ['GET', `${path(thread)}?limit=0`, undefined],
      ['GET', `${path(thread)}?limit=1001`, undefined],
      ['GET', `${path(thread)}?before=1e3`, undefined],
      ['DELETE', path('bad\u0001thread'), undefined],
    ];
    for (const [method, url, body] of bad) {
      const res = await stack.api.request(method, url, { token: alice, body });
      expect([method, url, res.status]).toEqual([method, url, 400]);
      expect(res.body.code).toBe('request.INVALID');
    }
    expect(stack.sim.requestCount()).toBe(0);
  });

  it('unknown thread → 404 not_found on GET, POST messages, typing, invitations and DELETE', async () => {
    const unknown = path('no-such-thread');
    const before = sends();
    const answers = [
      await stack.api.get(unknown, alice),
      await stack.api.post(`${unknown}/messages`, { text: 'hello?' }, alice),
      await stack.api.put(`${unknown}/typing`, { typing: true }, alice),
      await stack.api.post(`${unknown}/invitations`, { address: CAROL }, alice),
      await stack.api.delete(unknown, alice),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(sends()).toBe(before);
  });

  it("bob's roster read replays chat history upstream, but his socket gets no duplicate message", async () => {
    const key = (f: Frame) => `${f.data.thread}#${f.data.seq}`;
    const before = bobEvents.events('message').map(key);
    expect(new Set(before).size).toBe(before.length);
    const roster = await stack.api.get('/v1/roster', bob);
    expect(roster.status).toBe(200);
    expect(roster.body.chats).toContainEqual({ thread, participants: [{ address: ALICE }] });
    await stack.api.put('/v1/presence', { show: 'chat', status: 'marker' }, bob); // anything queued after the replay
    await bobEvents.waitFor((f) => f.type === 'presence' && f.data.status === 'marker');
    expect(bobEvents.events('message').map(key)).toEqual(before);
  });

  it('an invitation reaches the invitee as an invitation event, and the invitee joins and talks', async () => {
    const withCarol = await stack.api.post('/v1/chats', { to: CAROL, text: 'Hi Carol' }, alice);
    expect(withCarol.status).toBe(201);
    const room = `${withCarol.body.thread}@conf.example.com`;
    const invited = await stack.api.post(path(withCarol.body.thread, '/invitations'), { address: BOB, message: 'Join us' }, alice);
    expect(invited.status).toBe(204);
    const invitation = await bobEvents.waitFor((f) => f.type === 'invitation' && f.data.room === room);
    // The inviter's words only: not the IM server's "(/join ROOM)" hint.
    expect(invitation.data).toEqual({ thread: withCarol.body.thread, room, message: 'Join us' });
    expect(stack.sim.chats(ALICE).find((c) => c.thread === withCarol.body.thread)?.room).toBe(room);

    // bob accepts: joins the room on the invitation's thread, and can talk in it.
    const joined = await stack.api.post(`/v1/rooms/${encodeURIComponent(room)}/join`, { thread: invitation.data.thread }, bob);
    expect(joined.status).toBe(200);
    expect(joined.body.thread).toBe(invitation.data.thread);
    await aliceEvents.waitFor((f) => f.type === 'participantJoined' && f.data.thread === withCarol.body.thread && f.data.participant.address === 'bob');
    const said = await stack.api.post(path(invitation.data.thread, '/messages'), { text: 'thanks for the invite' }, bob);
    expect(said.status).toBe(201);
    await aliceEvents.waitFor((f) => f.type === 'message' && f.data.thread === withCarol.body.thread && f.data.text === 'thanks for the invite');

    // The copy of the invitation the IM server stores in the thread (and replays on roster reads)
    // stays in the history but is no message event: bob was told once, by the invitation.
    const history = await stack.api.get(path(invitation.data.thread), bob);
    expect(history.body.messages).toContainEqual(expect.objectContaining({ from: room, text: `Join us (/join ${room})` }));
    expect((await stack.api.get('/v1/roster', bob)).status).toBe(200);
    await stack.api.put('/v1/presence', { show: 'chat', status: 'after the invitation' }, bob); // anything queued after the replay
    await bobEvents.waitFor((f) => f.type === 'presence' && f.data.status === 'after the invitation');
    expect(bobEvents.events('message').filter((f) => f.data.thread === invitation.data.thread).map((f) => f.data.text)).toEqual(['thanks for the invite']);
  });

  it('closing a chat emits chatClosed; a send on the stale thread reports the new thread', async () => {
    const closed = await stack.api.delete(path(thread), alice);
    expect(closed.status).toBe(204);
    await aliceEvents.waitFor((f) => f.type === 'chatClosed' && f.data.thread === thread);
    expect((await stack.api.get(path(thread), alice)).status).toBe(404);
    expect((await stack.api.delete(path(thread), alice)).status).toBe(404);

    // With the address given, the stale thread goes upstream; the upstream opens a new chat.
    const again = await stack.api.post(path(thread, '/messages'), { text: 'Back again', to: BOB }, alice);
    expect(again.status).toBe(201);
    expect(again.body.thread).not.toBe(thread);
    expect(again.body.seq).toBe(1);
    expect(stack.sim.chats(ALICE).map((c) => c.thread)).toContain(again.body.thread);
  });

  it('an auto-closed chat emits chatClosed and is then unknown (404) to a send without to', async () => {
    const started = await stack.api.post('/v1/chats', { to: 'dave@example.com', text: 'Still there?' }, alice);
    expect(started.status).toBe(201);
    stack.sim.clock.advance(62_000);
    await aliceEvents.waitFor((f) => f.type === 'chatClosed' && f.data.thread === started.body.thread);
    const before = sends();
    const res = await stack.api.post(path(started.body.thread, '/messages'), { text: 'Hello?' }, alice);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(sends()).toBe(before);
  });
});
