import { attr, child, children, text, type XmlNode } from '../soap/xml';
import { DEMO_ACCOUNTS, ImSimulator } from './index';
import { online, TestClient } from './spec-support';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const T0 = 'chat-alice%example.com-0';
const pick = (n: XmlNode | undefined, ...names: string[]) => Object.fromEntries(names.map((k) => [k, attr(n, k)]));
const bodyOf = (n: XmlNode) => ({ html: attr(child(n, 'body'), 'html'), text: text(child(n, 'body')) });

const send = (c: TestClient, attrs: string, inner: string) => c.im('IMSendMessageRequest', '', `<message ${attrs}>${inner}</message>`);
const say = (c: TestClient, to: string, words: string, thread?: string) =>
  send(c, `addr="${to}"${thread ? ` thread="${thread}"` : ''}`, `<body><text>${words}</text></body>`);

describe('simulator chats: IMSendMessage, IMGetChat, IMModifyChat (§11, §12.5–12.7, §13.2)', () => {
  let sim: ImSimulator;
  let alice: TestClient;
  let bob: TestClient;
  beforeEach(async () => {
    sim = await ImSimulator.start({
      accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 60_000, noopTimeoutClampMs: [100, 3000], sessionIdleMs: 10 * 24 * 3600_000,
    });
    alice = await online(sim, ALICE);
    bob = await online(sim, BOB);
  });
  afterEach(() => sim.stop());

  it('two users share the thread id; live seq from 1, echo with `to`, html escaped both ways', async () => {
    const html = '&lt;b&gt;hello&lt;/b&gt; &amp;amp; welcome';
    const sent = await send(alice, `addr="${BOB}"`, `<body><text>hello &amp; welcome</text><html>${html}</html></body>`);
    expect(attr(sent.body, 'thread')).toBeUndefined(); // the request had none
    const [echo] = sent.ofType('message');
    expect(pick(echo, 'from', 'to', 'thread', 'seq')).toEqual({ from: ALICE, to: BOB, thread: T0, seq: '1' });
    expect(bodyOf(echo)).toEqual({ html: '1', text: '<b>hello</b> &amp; welcome' });
    expect(Number(attr(echo, 'ts'))).toBeGreaterThan(0);

    const [got] = (await bob.noop()).ofType('message');
    expect(pick(got, 'from', 'to', 'thread', 'seq')).toEqual({ from: ALICE, to: undefined, thread: T0, seq: '1' });
    expect(bodyOf(got)).toEqual({ html: '1', text: '<b>hello</b> &amp; welcome' });

    const reply = await say(bob, ALICE, 'hi back', T0);
    expect(attr(reply.body, 'thread')).toBe(T0);
    expect(pick(reply.ofType('message')[0], 'from', 'to', 'thread', 'seq')).toEqual({ from: BOB, to: ALICE, thread: T0, seq: '2' });
    const [incoming] = (await alice.noop()).ofType('message');
    expect(pick(incoming, 'from', 'thread', 'seq')).toEqual({ from: BOB, thread: T0, seq: '2' });
    expect(bodyOf(incoming)).toEqual({ html: '0', text: 'hi back' });

    // IMGetChat: seq ignored, history from 0, <body> without html (raw XHTML), the other party only.
    const chat = child((await alice.im('IMGetChatRequest', `thread="${T0}" seq="5"`)).body, 'chat');
    expect(attr(chat, 'thread')).toBe(T0);
    expect(children(child(chat, 'pcps'), 'p').map((p) => pick(p, 'addr', 'me'))).toEqual([{ addr: BOB, me: undefined }]);
    const history = children(child(chat, 'messages'), 'message');
    expect(history.map((m) => pick(m, 'seq', 'from'))).toEqual([{ seq: '0', from: ALICE }, { seq: '1', from: BOB }]);
    expect(history.map((m) => [attr(child(m, 'body'), 'html'), text(child(m, 'body'))])).toEqual([
      [undefined, '<b>hello</b> &amp; welcome'], [undefined, 'hi back'],
    ]);
  });

  it('IMGetRoster lists chats (`chats` in `chats`) and replays history to the requesting session only, seq from 0', async () => {
    await say(alice, BOB, 'one');
    await say(bob, ALICE, 'two', T0);
    await alice.noop('');
    const other = new TestClient(sim.url, ALICE);
    await other.login();
    const roster = await other.im('IMGetRosterRequest');
    const listed = children(child(roster.body, 'chats'), 'chats');
    expect(listed.map((c) => [attr(c, 'thread'), children(child(c, 'pcps'), 'p').map((p) => p['@_addr'])])).toEqual([[T0, [BOB]]]);
    expect(roster.ofType('message').map((m) => pick(m, 'from', 'to', 'seq'))).toEqual([
      { from: ALICE, to: BOB, seq: '0' }, { from: BOB, to: undefined, seq: '1' },
    ]);
    expect((await alice.noop('')).notifications).toEqual([]);
  });

  it('malformed XHTML silently blanks the body; old-style bodies are html unless they hold < or &', async () => {
    const bad = await send(alice, `addr="${BOB}"`, '<body><text>oops</text><html>&lt;b&gt;unclosed</html></body>');
    expect(bad.ofType('message')).toEqual([]); // blank: not stored, not echoed
    const [typing] = (await bob.noop()).ofType('message');
    expect(pick(typing, 'from', 'thread', 'seq')).toEqual({ from: ALICE, thread: T0, seq: undefined });
    expect(child(typing, 'body')).toBeUndefined();
    expect(child(typing, 'typing')).toBeUndefined();
    expect(sim.chats(ALICE)[0].messages).toEqual([]);

    const plainHtml = await send(alice, `addr="${BOB}"`, '<body>just words</body>');
    expect(bodyOf(plainHtml.ofType('message')[0])).toEqual({ html: '1', text: 'just words' });
    const notHtml = await send(alice, `addr="${BOB}"`, '<body>a &lt; b</body>');
    expect(bodyOf(notHtml.ofType('message')[0])).toEqual({ html: '0', text: 'a < b' });
    expect(sim.chats(ALICE)[0].messages.map((m) => m.seq)).toEqual([0, 1]);
  });

  it('typing is a child of <message>; typing-only messages go to the recipient and are never stored', async () => {
    await say(alice, BOB, 'first');
    await bob.noop();
    const on = await send(alice, `addr="${BOB}" thread="${T0}"`, '<typing/>');
    expect(on.ofType('message')).toEqual([]);
    const [start] = (await bob.noop()).ofType('message');
    expect(pick(start, 'from', 'thread', 'seq')).toEqual({ from: ALICE, thread: T0, seq: undefined });
    expect(child(start, 'typing')).toBeDefined();
    await send(alice, `addr="${BOB}" thread="${T0}"`, '');
    const [stop] = (await bob.noop()).ofType('message');
    expect(child(stop, 'typing')).toBeUndefined();
    expect(child(stop, 'body')).toBeUndefined();
    // Text with typing is stored and carries <typing/>.
    const both = await send(alice, `addr="${BOB}" thread="${T0}"`, '<typing/><body><text>more</text></body>');
    expect(child(both.ofType('message')[0], 'typing')).toBeDefined();
    expect(sim.chats(BOB)[0].messages.map((m) => m.text)).toEqual(['first', 'more']);
  });

  it('a stale thread gets a new chat while the response echoes the stale id; the real id comes in the echo', async () => {
    const carol = await online(sim, CAROL);
    const reply = await say(alice, CAROL, 'hello?', 'chat-alice%example.com-77');
    expect(attr(reply.body, 'thread')).toBe('chat-alice%example.com-77');
    expect(attr(reply.ofType('message')[0], 'thread')).toBe(T0);
    expect(attr((await carol.noop()).ofType('message')[0], 'thread')).toBe(T0);
    // The next message without a thread reuses the open 1:1 chat with that address.
    expect(attr((await say(alice, 'carol', 'again')).ofType('message')[0], 'seq')).toBe('2');
  });

  it('argument rules and unknown threads', async () => {
    expect((await send(alice, `thread="${T0}"`, '<body>x</body>')).fault?.reason).toBe('invalid request: missing required attribute: addr');
    expect((await alice.im('IMSendMessageRequest')).fault?.reason).toBe('invalid request: missing required element: message');
    expect((await send(alice, `addr="${BOB}"`, '<body><html>x</html></body>')).fault?.code).toBe('service.INVALID_REQUEST');
    expect((await say(alice, 'nobody', 'x')).fault?.code).toBe('im.INVALID_ADDRESS');
    expect(pick((await alice.im('IMGetChatRequest', 'thread="nope"')).body, 'error', 'thread')).toEqual({ error: 'not_found', thread: 'nope' });
    expect(pick((await alice.im('IMModifyChatRequest', 'thread="nope" op="bogus"')).body, 'thread', 'error')).toEqual({ thread: 'nope', error: 'not_found' });
    await say(alice, BOB, 'x');
    const badOp = await alice.im('IMModifyChatRequest', `thread="${T0}" op="leave"`);
    expect(badOp.fault?.code).toBe('service.FAILURE');
    expect((await alice.im('IMModifyChatRequest', `thread="${T0}" op="configure"`)).fault?.code).toBe('im.NOT_A_MUC_CHAT');
  });

  it('an offline sender is answered normally and the message is dropped', async () => {
    const offline = new TestClient(sim.url, CAROL);
    await offline.login();
    const reply = await say(offline, BOB, 'lost', 'x-1');
    expect(reply.fault).toBeUndefined();
    expect(attr(reply.body, 'thread')).toBe('x-1');
    expect(sim.chats(CAROL)).toEqual([]);
    expect(sim.chats(BOB)).toEqual([]);
  });

  it('close posts chatclosed in the same response and removes the chat', async () => {
    await say(alice, BOB, 'bye');
    const closed = await alice.im('IMModifyChatRequest', `thread="${T0}" op="CLOSE"`);
    expect(pick(closed.body, 'thread', 'error')).toEqual({ thread: T0, error: undefined });
    expect(closed.ofType('chatclosed').map((n) => pick(n, 'thread'))).toEqual([{ thread: T0 }]);
    expect(attr((await alice.im('IMGetChatRequest', `thread="${T0}"`)).body, 'error')).toBe('not_found');
    expect(sim.chats(BOB).map((c) => c.thread)).toEqual([T0]); // the other side keeps its chat
  });

  it('auto-closes after flush + close time on the simulator clock, emitting chatclosed', async () => {
    await say(alice, BOB, 'anyone?');
    await bob.noop();
    sim.clock.advance(300_000 + 3_600_000 - 1000);
    expect(sim.chats(ALICE)).toHaveLength(1);
    sim.clock.advance(1000);
    expect(sim.chats(ALICE)).toEqual([]);
    expect((await alice.noop()).ofType('chatclosed').map((n) => attr(n, 'thread'))).toEqual([T0]);
    expect((await bob.noop()).ofType('chatclosed').map((n) => attr(n, 'thread'))).toEqual([T0]);
  });

  it('subjects follow the serialisation bug only when they are XML names; /info answers as SYSTEM', async () => {
    const named = await send(alice, `addr="${BOB}"`, '<subject>hello</subject><body><text>x</text></body>');
    expect(named.raw).toContain('<subject><hello/></subject>');
    const spaced = await send(alice, `addr="${BOB}"`, '<subject>two words</subject><body><text>y</text></body>');
    expect(child(spaced.ofType('message')[0], 'subject')).toBeUndefined();
    const chat = child((await alice.im('IMGetChatRequest', `thread="${T0}"`)).body, 'chat');
    expect(children(child(chat, 'messages'), 'message').map((m) => text(child(m, 'subject')))).toEqual(['hello', 'two words']);

    const info = await say(alice, BOB, '/info', T0);
    const [system] = info.ofType('message');
    expect(pick(system, 'from', 'seq', 'thread')).toEqual({ from: 'SYSTEM', seq: '0', thread: T0 });
    expect(sim.chats(ALICE)[0].messages).toHaveLength(2);
  });

  it('a local-domain address without an account bounces with an error message', async () => {
    const reply = await say(alice, 'ghost@example.com', 'boo');
    const [echo, error] = reply.ofType('message');
    expect(attr(echo, 'to')).toBe('ghost@example.com');
    expect(pick(error, 'from', 'thread', 'error', 'seq')).toEqual({ from: 'ghost@example.com', thread: T0, error: 'service_unavailable', seq: undefined });
    expect(bodyOf(error).text).toMatch(/^ERROR: <message type="error"/);
  });

  it('incoming messages from outside pick their chat by the §11 rules; privacy denies drop them', async () => {
    expect(sim.receiveMessage(BOB, { from: 'zed@remote.org', body: 'hi' })).toBe('zed');
    expect(sim.receiveMessage(BOB, { from: 'zed@remote.org', body: 'again' })).toBe('zed');
    expect(sim.receiveMessage(BOB, { from: 'zed@remote.org', html: '<i>t</i>', body: 't', thread: 'their-thread' })).toBe('their-thread');
    const got = (await bob.noop()).ofType('message');
    expect(got.map((m) => pick(m, 'from', 'thread', 'seq'))).toEqual([
      { from: 'zed@remote.org', thread: 'zed', seq: '1' }, { from: 'zed@remote.org', thread: 'zed', seq: '2' },
      { from: 'zed@remote.org', thread: 'their-thread', seq: '1' },
    ]);
    sim.putPrivacyList(BOB, 'default', [{ action: 'deny', order: 1, addr: ALICE }]);
    await say(alice, BOB, 'let me in');
    expect((await bob.noop('')).ofType('message')).toEqual([]);
    expect(sim.chats(BOB).map((c) => c.thread)).toEqual(['zed', 'their-thread']);
  });
});
