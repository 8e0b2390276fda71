import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import type { EventData } from '../client/src';
import { TcpRelay } from './support/cluster';
import { eventually, Stack, startStack } from './support/stack';

/** Debian's Chromium (installed by `npm test`'s pretest step); no browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';
/** The SDK's browser bundle, as `npm run build -w client` writes it (the root `npm test` pretest runs that). */
const BUNDLE = join(__dirname, '..', 'client', 'dist', 'imbridge-client.min.js');
const SCREENSHOTS = join(__dirname, '..', 'test-results');
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

/**
 * A page on another origin that uses nothing but the SDK's browser bundle, imported as an ES module:
 * it signs in, opens the event stream with the browser's own WebSocket, and keeps what it hears. The
 * test drives it through `window.sdk`.
 */
const SDK_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>imbridge SDK in a browser</title>
<style>body { font: 14px sans-serif; margin: 1em } li { font-family: monospace }</style>
<h1>imbridge SDK in a browser</h1>
<p>State: <b id="state">idle</b></p>
<ol id="messages"></ol>
<script type="module">
import { login, EventsClient, Imbridge } from '/imbridge-client.min.js';

let imbridge;
const messages = [];
const states = [];
const resyncs = [];
const errors = [];

window.sdk = {
  exports: { login: typeof login, EventsClient: typeof EventsClient, Imbridge: typeof Imbridge },
  /** Signs in, listens to messages, resyncs and states, connects; resolves once the stream is ready. */
  async start(baseUrl, account, password) {
    imbridge = await login({ baseUrl, account, password, onError: (error) => errors.push(String(error && error.stack || error)) });
    const { events } = imbridge;
    events.onState((state) => {
      states.push(state);
      document.getElementById('state').textContent = state;
    });
    events.on('message', (data, event) => {
      messages.push({ id: event.id, type: event.type, ...data });
      const item = document.createElement('li');
      item.textContent = data.from + ' #' + data.seq + ': ' + data.text;
      document.getElementById('messages').append(item);
    });
    events.on('resync', (data) => resyncs.push(data));
    await events.connect();
    return {
      isImbridge: imbridge instanceof Imbridge,
      isEventsClient: events instanceof EventsClient,
      account: imbridge.session.account,
      state: events.state,
    };
  },
  send: (to, text) => imbridge.events.send({ to, text }),
  roster: async () => {
    const { data, error, response } = await imbridge.rest.GET('/v1/roster');
    return { status: response.status, data, error };
  },
  messages: () => messages,
  states: () => states,
  state: () => imbridge.events.state,
  lastId: () => imbridge.events.lastId,
  resyncs: () => resyncs,
  errors: () => errors,
};
</script>
`;

/** A static HTTP server for the page and the bundle, on its own loopback port: a different origin from the API. */
async function servePage(bundle: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(SDK_PAGE);
    } else if (path === '/imbridge-client.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the page keeps of a `message` event: its id and type beside its data. */
type PageMessage = EventData['message'] & { id: string; type: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the SDK browser bundle in a page on another origin', () => {
  let stack: Stack;
  let relay: TcpRelay;
  let site: Awaited<ReturnType<typeof servePage>>;
  let browser: Browser;
  let page: Page;
  /** Uncaught exceptions in the page: there must be none. */
  const pageErrors: string[] = [];

  /** Calls `window.sdk[name](...args)` in the page and hands back its (awaited) result. */
  function sdk<T = any>(name: string, ...args: unknown[]): Promise<T> {
    return page.evaluate(([n, a]) => (globalThis as any).sdk[n](...a), [name, args] as const);
  }
  const received = () => sdk<PageMessage[]>('messages');

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) {
      throw new Error(`${BUNDLE} is missing: run \`npm run build -w client\` first (the root \`npm test\` pretest step builds it)`);
    }
    site = await servePage(readFileSync(BUNDLE, 'utf8'));
    stack = await startStack({ config: { corsOrigins: [site.origin] } });
    // All of the page's API traffic (REST and the event stream) goes through a relay that can cut it.
    relay = await TcpRelay.start(Number(new URL(stack.url).port));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => (globalThis as any).sdk !== undefined, undefined, { timeout: 10_000 }).catch((error: Error) => {
      throw new Error(`the page never set up window.sdk (did the bundle load as an ES module?): ${pageErrors.join('; ') || error.message}`);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.close();
    await stack?.close();
    await site?.close();
  });

  it('loads the bundle as an ES module, signs in, connects, and receives a message with its typed fields', async () => {
    expect(await page.evaluate(() => (globalThis as any).sdk.exports)).toEqual({ login: 'function', EventsClient: 'function', Imbridge: 'function' });

    const started = await sdk('start', `http://127.0.0.1:${relay.port}`, ALICE, 'alice-pass');
    expect(started).toEqual({ isImbridge: true, isEventsClient: true, account: ALICE, state: 'open' });
    expect(await sdk('states')).toEqual(['connecting', 'open']);
    expect(relay.connections).toBeGreaterThan(0); // the page's stream is relayed

    // The typed REST client works from the page too (CORS preflight, bearer token).
    const roster = await sdk('roster');
    expect(roster).toEqual({ status: 200, data: expect.objectContaining({ contacts: expect.any(Array), requests: expect.any(Array) }) });

    const bob = await stack.api.login('bob');
    const posted = await stack.api.post('/v1/chats', { to: ALICE, text: 'Hi alice, from bob' }, bob);
    expect(posted.status).toBe(201);
    await page.waitForFunction(() => (globalThis as any).sdk.messages().some((m: any) => m.text === 'Hi alice, from bob'), undefined, { timeout: 5_000 });

    const messages = await received();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual({
      id: expect.any(String),
      type: 'message',
      thread: posted.body.thread,
      from: BOB,
      seq: expect.any(Number),
      sentAt: expect.any(String),
      text: 'Hi alice, from bob',
    });
    expect(Number.isInteger(messages[0].seq) && messages[0].seq > 0).toBe(true);
    expect(Number.isNaN(Date.parse(messages[0].sentAt))).toBe(false);
    expect(await sdk('lastId')).toBe(messages[0].id);
  });

  it('sends a message with events.send and bob\'s history has it exactly once', async () => {
    const text = `From the browser SDK ${Date.now()}`;
    const sent = await sdk('send', BOB, text);
    expect(sent).toEqual({ thread: expect.any(String), seq: expect.any(Number), sentAt: expect.any(String) });
    expect(sent.seq).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(sent.sentAt))).toBe(false);

    const bob = await stack.api.login('bob');
    const history = `/v1/chats/${encodeURIComponent(sent.thread)}`;
    await eventually(async () => ((await stack.api.get(history, bob)).body.messages?.some((m: any) => m.text === text) ? true : undefined), 3_000, 'the message at bob');
    await sleep(300); // a repeat would have arrived by now
    const res = await stack.api.get(history, bob);
    expect(res.status).toBe(200);
    const copies = res.body.messages.filter((m: any) => m.text === text);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ from: ALICE, text });

    // The page's own stream carries the message back once, as the answer numbered it.
    await page.waitForFunction((t) => (globalThis as any).sdk.messages().some((m: any) => m.text === t), text, { timeout: 5_000 });
    const echoes = (await received()).filter((m) => m.text === text);
    expect(echoes).toEqual([expect.objectContaining({ thread: sent.thread, from: ALICE, seq: sent.seq })]);
  });

  it('delivers every message once and in order while the connection is cut and restored mid-stream', async () => {
    const before = (await received()).length;
    const statesBefore = (await sdk<string[]>('states')).length;
    const texts = Array.from({ length: 30 }, (_, i) => `burst ${String(i).padStart(2, '0')}`);
    const cutAt = [6, 14, 22];
    let cuts = 0;
    let healAt = -1;

    for (let i = 0; i < texts.length; i++) {
      if (cutAt.includes(i)) {
        // Cut a live stream: wait until the page is connected (the previous cut healed) first.
        await eventually(async () => ((await sdk('state')) === 'open' ? true : undefined), 15_000, 'the page connected again');
        relay.cut();
        cuts++;
        healAt = i + 3; // three messages arrive while nothing gets through
      }
      if (i === healAt) relay.heal();
      expect(stack.sim.receiveMessage(ALICE, { from: BOB, body: texts[i] })).toEqual(expect.any(String));
      await sleep(20);
    }
    expect(cuts).toBe(3);

    // Until the last one is in (or time is up: the comparison below then shows what is missing).
    await page
      .waitForFunction((last) => (globalThis as any).sdk.messages().some((m: any) => m.text === last), texts[texts.length - 1], { timeout: 15_000 })
      .catch(() => undefined);
    await sleep(300); // a repeat would have arrived by now
    const burst = (await received()).slice(before);
    expect(burst.map((m) => m.text)).toEqual(texts);
    expect(burst.every((m) => m.from === BOB && m.type === 'message')).toBe(true);
    const ids = burst.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await sdk('lastId')).toBe(ids[ids.length - 1]);

    // Each cut dropped the connection, and each time it came back: resumed, not resynced.
    expect((await sdk<string[]>('states')).slice(statesBefore)).toEqual(['reconnecting', 'open', 'reconnecting', 'open', 'reconnecting', 'open']);
    expect(await sdk('state')).toBe('open');
    expect(await sdk('resyncs')).toEqual([]);
    expect(await sdk('errors')).toEqual([]);
    expect(pageErrors).toEqual([]);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'sdk-browser.png'), fullPage: true });
  }, 60_000);
});
