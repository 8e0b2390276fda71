import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import WebSocket from 'ws';
import { Imbridge, ImbridgeError, login, type ConnectionState, type Resync, type StreamEvent } from '../client/src';
import { TcpRelay } from './support/cluster';
import { readmeFences } from './support/readme-blocks';
import { eventually, makeFriends, startStack, TEST_ACCOUNTS, type Stack } from './support/stack';

/**
 * The client SDK (client/) against the running service: typed REST, typed events, commands with
 * acks, resume after sockets cut abruptly (through a TCP relay that resets every connection), the
 * re-read on resync, the end of a token, and the README's example run by Node on the built package.
 */
const ROOT = join(__dirname, '..');
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const passwordOf = (address: string) => TEST_ACCOUNTS.find((a) => a.address === address)!.password;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('client SDK against the service', () => {
  let stack: Stack;
  let relay: TcpRelay;
  /** The service as the SDK sees it: through the relay, so tests can cut its connections. */
  let viaRelay: string;
  let bobToken: string;
  const opened: Imbridge[] = [];

  async function signIn(account: string, options: { baseUrl?: string } = {}): Promise<Imbridge> {
    const im = await login({
      baseUrl: options.baseUrl ?? viaRelay, account, password: passwordOf(account), WebSocket,
      // Quick reconnects: the tests cut sockets many times.
      reconnect: { initialMs: 50, maxMs: 400 },
    });
    opened.push(im);
    return im;
  }

  /** Resets every connection through the relay (the client sees its socket die without a close frame); new ones get through. */
  function cutSockets(): void {
    relay.cut();
    relay.heal();
  }

  beforeAll(async () => {
    stack = await startStack();
    relay = await TcpRelay.start(Number(new URL(stack.url).port));
    viaRelay = `http://127.0.0.1:${relay.port}`;
    bobToken = await stack.api.login('bob');
    const aliceToken = await stack.api.login('alice');
    await makeFriends(stack.api, { token: aliceToken, address: ALICE }, { token: bobToken, address: BOB });
    await stack.api.delete('/v1/sessions/current', aliceToken);
  });

  // Logged out, not just closed: the upstream keeps at most five sessions per account and evicts the
  // least recently used, so tokens left behind would soon evict the ones a test uses.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((im) => im.logout().catch(() => im.events.close())));
  });

  afterAll(async () => {
    await relay.close();
    await stack.close();
  });

  it('signs in, reads REST with types, receives typed events, and sends, types and sets presence over the socket', async () => {
    const alice = await signIn(ALICE);
    expect(alice.session).toMatchObject({ account: ALICE, token: expect.any(String), expiresAt: expect.any(String) });
    const { data: roster } = await alice.rest.GET('/v1/roster');
    expect(roster?.contacts.map((c) => c.address)).toContain(BOB);

    const messages: StreamEvent<'message'>['data'][] = [];
    alice.events.on('message', (data) => messages.push(data));
    await alice.events.connect();
    expect(alice.events.state).toBe('open');

    const incoming = await stack.api.post('/v1/chats', { to: ALICE, text: 'hi alice' }, bobToken);
    await eventually(() => (messages.some((m) => m.text === 'hi alice') ? true : undefined), 3_000, 'bob\'s message');
    expect(messages.find((m) => m.text === 'hi alice')).toMatchObject({ from: BOB, thread: expect.any(String), seq: expect.any(Number) });

    const sent = await alice.events.send({ to: BOB, text: 'hi bob' });
    expect(sent).toMatchObject({ thread: expect.any(String), seq: expect.any(Number), sentAt: expect.any(String) });
    const history = await stack.api.get(`/v1/chats/${encodeURIComponent(incoming.body.thread)}`, bobToken);
    expect(history.body.messages.filter((m: { text: string }) => m.text === 'hi bob')).toHaveLength(1);

    await alice.events.typing(sent.thread, true);
    await alice.events.presence('dnd', 'busy');
    await alice.events.idle(false);
    await eventually(async () => {
      const contacts = (await stack.api.get('/v1/roster', bobToken)).body.contacts as { address: string; presence?: { show: string; status?: string } }[];
      const seen = contacts.find((c) => c.address === ALICE)?.presence;
      return seen?.show === 'dnd' && seen.status === 'busy' ? true : undefined;
    }, 3_000, 'alice dnd at bob');

    // A command the service refuses rejects with its problem.
    const refused = await alice.events.send({ to: 'not an address', text: 'x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ImbridgeError);
    expect(refused).toMatchObject({ code: 'request.INVALID', status: 400 });
  });

  it('resumes after sockets cut at generated moments mid-stream: the consumer sees every event once, in order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 5, max: 120 }), { minLength: 1, maxLength: 6 }), async (cutGaps) => {
        const alice = await signIn(ALICE);
        const seen: string[] = [];
        const states: ConnectionState[] = [];
        const resyncs: Resync[] = [];
        alice.events.on('message', (m) => seen.push(m.text));
        alice.events.on('resync', (r) => resyncs.push(r));
        alice.events.onState((s) => states.push(s));
        await alice.events.connect();

        run++;
        const texts = Array.from({ length: 60 }, (_, i) => `resume ${run}.${i}`);
        const injecting = (async () => {
          for (const text of texts) {
            stack.sim.receiveMessage(ALICE, { from: 'ext@elsewhere.example', body: text });
            await sleep(4);
          }
        })();
        for (const gap of cutGaps) {
          await sleep(gap);
          cutSockets();
        }
        await injecting;
        await eventually(() => (texts.every((t) => seen.includes(t)) ? true : undefined), 10_000, 'every message');
        await sleep(100); // a repeat would come now
        opened.splice(opened.indexOf(alice), 1);
        await alice.logout();

        expect(seen.filter((t) => texts.includes(t))).toEqual(texts);
        expect(resyncs).toEqual([]); // the in-memory log replays every cut exactly
        expect(states).toContain('reconnecting');
        expect(states[states.length - 1]).toBe('closed');
      }),
      { numRuns: 4 },
    );
  }, 90_000);

  it('sends each message once though its socket is cut before the answer: a retry carries the same id', async () => {
    const alice = await signIn(ALICE);
    await alice.events.connect();
    const texts = Array.from({ length: 24 }, (_, i) => `once ${i}`);
    const sending = Promise.all(texts.map((text) => alice.events.send({ to: BOB, text })));
    let cuts = 0;
    let done = false;
    void sending.finally(() => (done = true));
    while (!done && cuts < 12) {
      await sleep(15);
      cutSockets();
      cuts++;
    }
    const acks = await sending;
    expect(cuts).toBeGreaterThan(0);

    const chat = stack.sim.chats(ALICE).find((c) => c.thread === acks[0].thread)!;
    for (const [i, text] of texts.entries()) {
      const stored = chat.messages.filter((m) => m.text === text);
      expect(stored).toHaveLength(1);
      expect(acks[i]).toMatchObject({ thread: chat.thread, seq: stored[0].seq + 1 });
    }
    expect(new Set(acks.map((a) => a.seq)).size).toBe(texts.length);
  }, 30_000);

  it('re-reads the chat list and roster on resync, before the events that follow it', async () => {
    const alice = await signIn(ALICE);
    const order: string[] = [];
    let resync: Resync | undefined;
    alice.events.on('resync', (r) => {
      resync = r;
      order.push('resync');
    });
    alice.events.on('message', (m) => order.push(m.text));
    await alice.events.connect();
    await alice.events.send({ to: BOB, text: 'before the resync' });

    // The upstream session times out: the link starts a new one, and its stream says resync.
    expect(stack.sim.endSessions(ALICE)).toBeGreaterThan(0);
    await eventually(() => resync, 10_000, 'the resync');
    stack.sim.receiveMessage(ALICE, { from: 'ext@elsewhere.example', body: 'after the resync' });
    await eventually(() => (order.includes('after the resync') ? true : undefined), 5_000, 'the next message');

    expect(resync).toMatchObject({ reason: 'upstream_session' });
    expect(resync!.roster?.contacts.map((c) => c.address)).toContain(BOB);
    expect(resync!.chats?.length).toBeGreaterThan(0);
    expect(resync!.chats![0]).toMatchObject({ thread: expect.any(String), unread: expect.any(Number) });
    expect(order.indexOf('resync')).toBeLessThan(order.indexOf('after the resync'));
  }, 20_000);

  it('stops for good when the token ends: state closed, waiting commands rejected, no reconnection', async () => {
    const alice = await signIn(ALICE);
    await alice.events.connect();
    const other = await signIn(ALICE, { baseUrl: stack.url }); // another token of the same user stays unaffected
    await other.events.connect();

    // The token ends elsewhere (its other device logs out): this socket closes 4401.
    const closed = new Promise<void>((resolve) => alice.events.onState((s) => s === 'closed' && resolve()));
    expect((await stack.api.delete('/v1/sessions/current', alice.session.token)).status).toBe(204);
    await closed;
    const before = relay.connections;
    await expect(alice.events.send({ to: BOB, text: 'too late' })).rejects.toMatchObject({ code: 'client.CLOSED' });
    await sleep(600); // longer than the largest reconnect wait
    expect(relay.connections).toBe(before);
    expect(other.events.state).toBe('open');

    // logout() ends the token and closes the stream; a command waiting meanwhile is rejected.
    const waiting = other.events.send({ to: BOB, text: 'raced' }).catch((e: unknown) => e);
    await other.logout();
    expect(other.events.state).toBe('closed');
    const outcome = await waiting;
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: expect.stringMatching(/^(client\.CLOSED|auth\.REQUIRED)$/) });
    else expect(outcome).toMatchObject({ thread: expect.any(String) }); // answered before the logout
    await expect(login({ baseUrl: stack.url, account: ALICE, password: 'wrong', WebSocket })).rejects.toMatchObject({ status: 401 });
  }, 20_000);

  describe('the README example, run by Node on the built package', () => {
    const EXAMPLE = join(ROOT, 'client', 'examples', 'quickstart.mjs');

    it('is the README\'s "Mobile and SDK" example, word for word', () => {
      const fence = readmeFences(readFileSync(join(ROOT, 'README.md'), 'utf8')).find((f) => f.section === 'Mobile and SDK' && f.lang === 'js');
      expect(fence?.body.join('\n')).toBe(readFileSync(EXAMPLE, 'utf8').trimEnd());
    });

    it('signs in, reads the roster, sends and sees its echo, and logs out', async () => {
      if (!existsSync(join(ROOT, 'client', 'dist', 'index.js'))) throw new Error('client/dist is missing: run `npm run build -w client` (npm test does)');
      const { stdout } = await promisify(execFile)(process.execPath, [EXAMPLE], { env: { ...process.env, IMBRIDGE_URL: stack.url }, timeout: 20_000 });
      // A new session's first roster read brings the open chats' history as messages (wire format §12.1): lines of their own.
      const lines = stdout.trim().split('\n');
      expect(lines.filter((l) => !/^\S+@\S+: /.test(l))).toEqual([expect.stringMatching(/^[1-9]\d* contacts$/), expect.stringMatching(/^sent as #[1-9]\d* in \S+$/)]);
      expect(lines.filter((l) => l === `${ALICE}: hello from the SDK`)).toHaveLength(1);
    }, 30_000);

    it('loads as CommonJS too: require() signs in, sends over the socket and logs out', async () => {
      const script = `
        const { login } = require('@imbridge/client');
        const WebSocket = require('ws');
        (async () => {
          const im = await login({ baseUrl: process.env.IMBRIDGE_URL, account: 'bob@example.com', password: 'bob-pass', WebSocket });
          await im.events.connect();
          const sent = await im.events.send({ to: 'alice@example.com', text: 'from CommonJS' });
          await im.logout();
          console.log(JSON.stringify({ seq: sent.seq, state: im.events.state }));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, IMBRIDGE_URL: stack.url }, timeout: 20_000 });
      expect(JSON.parse(stdout)).toEqual({ seq: expect.any(Number), state: 'closed' });
    }, 30_000);
  });
});
