import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { eventually, Stack, startStack } from './support/stack';

/** Debian's Chromium (installed by `npm test`'s pretest step); no browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

/**
 * A single-page client with no framework, as a web app on another origin would call the API: the API's
 * base URL comes in `?api=`; the test drives it through `window.client`.
 */
const CLIENT_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>imbridge web client</title>
<script>
'use strict';
const api = new URLSearchParams(location.search).get('api');
const events = [];

async function call(method, path, { token, body, headers } = {}) {
  const res = await fetch(api + path, {
    method,
    headers: {
      ...(token ? { Authorization: 'Bearer ' + token } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

window.client = {
  login: (account, password) => call('POST', '/v1/sessions', { body: { account, password } }),
  roster: (token) => call('GET', '/v1/roster', { token }),
  get: (path, token) => call('GET', path, { token }),
  send: (token, to, text) =>
    call('POST', '/v1/chats', {
      token,
      body: { to, text },
      headers: { 'X-Client-Id': 'web-1', 'Idempotency-Key': 'send-' + Math.random().toString(36).slice(2) },
    }),
  /** Opens the event stream; resolves once it is ready, or with the close code if it never is. */
  listen: (token) =>
    new Promise((resolve) => {
      const ws = new WebSocket(api.replace(/^http/, 'ws') + '/v1/events?clientId=web-1&access_token=' + encodeURIComponent(token));
      ws.onmessage = (message) => {
        const frame = JSON.parse(message.data);
        events.push(frame);
        if (frame.type === 'ready') resolve({ opened: true });
      };
      ws.onclose = (closed) => resolve({ opened: false, code: closed.code });
    }),
  events: () => events,
  /** Runs one of the calls above and reports how it ended: its answer, or what it was rejected with. */
  attempt: async (name, ...args) => {
    try {
      return { answered: await window.client[name](...args) };
    } catch (error) {
      return { rejected: error.name + ': ' + error.message };
    }
  },
};
</script>
<p>imbridge web client</p>
`;

/** A static HTTP server for the page, on its own loopback port: a different origin from the API. */
async function servePage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(CLIENT_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Calls `window.client[name](...args)` in the page and hands back how it ended. */
function attempt(page: Page, name: string, ...args: unknown[]): Promise<{ answered?: { status: number; body: any }; rejected?: string }> {
  return page.evaluate(([n, a]) => (globalThis as any).client.attempt(n, ...a), [name, args] as const);
}

describe('a browser page on another origin', () => {
  let stack: Stack;
  let browser: Browser;
  let allowedSite: Awaited<ReturnType<typeof servePage>>;
  let refusedSite: Awaited<ReturnType<typeof servePage>>;

  beforeAll(async () => {
    [allowedSite, refusedSite] = await Promise.all([servePage(), servePage()]);
    stack = await startStack({ config: { corsOrigins: [allowedSite.origin] } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await Promise.all([allowedSite?.close(), refusedSite?.close()]);
  });

  async function open(site: { origin: string }): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${site.origin}/?api=${encodeURIComponent(stack.url)}`);
    return page;
  }

  it('on a listed origin logs in, reads the roster, sends a message, reads an error and receives events', async () => {
    const page = await open(allowedSite);

    const login = await attempt(page, 'login', ALICE, 'alice-pass');
    expect(login.answered).toEqual({ status: 201, body: expect.objectContaining({ token: expect.any(String), account: ALICE }) });
    const token: string = login.answered!.body.token;

    const roster = await attempt(page, 'roster', token);
    expect(roster.answered).toEqual({ status: 200, body: expect.objectContaining({ contacts: expect.any(Array), requests: expect.any(Array) }) });

    // A preflighted call with every request header the API takes.
    const sent = await attempt(page, 'send', token, BOB, 'Hello from the web');
    expect(sent.answered).toEqual({ status: 201, body: expect.objectContaining({ thread: expect.any(String), seq: 1 }) });
    const bob = await stack.api.login('bob');
    const history = `/v1/chats/${encodeURIComponent(sent.answered!.body.thread)}`;
    const arrived = await eventually(async () => (await stack.api.get(history, bob)).body.messages?.find((m: any) => m.from === ALICE), 3_000, 'the message at bob');
    expect(arrived.text).toBe('Hello from the web');

    // Errors are readable too: the page sees the problem, not an opaque network failure.
    const missing = await attempt(page, 'get', '/v1/no-such-route', token);
    expect(missing.answered).toEqual({ status: 404, body: expect.objectContaining({ code: 'route.NOT_FOUND' }) });

    expect(await page.evaluate((t) => (globalThis as any).client.listen(t), token)).toEqual({ opened: true });
    expect((await stack.api.post('/v1/chats', { to: ALICE, text: 'Hi from bob' }, bob)).status).toBe(201);
    await page.waitForFunction(() => (globalThis as any).client.events().some((f: any) => f.type === 'message' && f.data.text === 'Hi from bob'), undefined, {
      timeout: 5_000,
    });
    const events: any[] = await page.evaluate(() => (globalThis as any).client.events());
    expect(events.find((f) => f.type === 'message' && f.data.text === 'Hi from bob').data).toMatchObject({ from: BOB, text: 'Hi from bob' });
  });

  it('on an origin that is not listed cannot call the API or open the event stream', async () => {
    const page = await open(refusedSite);
    const logins = stack.sim.requestCount('AuthRequest');

    const login = await attempt(page, 'login', ALICE, 'alice-pass');
    expect(login).toEqual({ rejected: expect.stringMatching(/^TypeError: /) });
    expect(stack.sim.requestCount('AuthRequest')).toBe(logins); // the preflight failed: the login was never sent

    // Even holding a valid token, the page can neither read the API nor listen.
    const token = await stack.api.login('alice');
    expect(await attempt(page, 'roster', token)).toEqual({ rejected: expect.stringMatching(/^TypeError: /) });
    expect(await attempt(page, 'listen', token)).toEqual({ answered: { opened: false, code: 1006 } });
  });
});
