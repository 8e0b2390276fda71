import fc from 'fast-check';
import WebSocket from 'ws';
import { Api, ApiResponse, Stack, startStack } from './support/stack';

const PAGE = 'https://app.example.com';
const SECOND_PAGE = 'http://localhost:5173';
const OTHER = 'https://elsewhere.example.net';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Client-Id', 'Idempotency-Key'];

const corsHeadersOf = (res: ApiResponse) => [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
const listOf = (value: string | null) => (value ?? '').split(',').map((item) => item.trim().toLowerCase());

/** A browser's preflight for `method` on `path` with all the request headers the API takes. */
const preflight = (api: Api, path: string, method: string, origin: string) =>
  api.request('OPTIONS', path, {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': REQUEST_HEADERS.join(',').toLowerCase() },
  });

/** What answered a WebSocket upgrade: the first frame of an open socket, or the HTTP refusal. */
function upgrade(base: string, options: { origin?: string; token: string }): Promise<{ frame: any } | { status: number; contentType?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const url = `${base.replace(/^http/, 'ws')}/v1/events?access_token=${encodeURIComponent(options.token)}`;
    const ws = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
    ws.once('message', (data) => {
      resolve({ frame: JSON.parse(data.toString()) });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: JSON.parse(text) }));
    });
    ws.once('error', reject);
  });
}

describe('CORS with CORS_ORIGINS set', () => {
  let stack: Stack;
  let alice: string;

  beforeAll(async () => {
    stack = await startStack({ config: { corsOrigins: [PAGE, SECOND_PAGE] } });
    alice = await stack.api.login('alice');
  });
  afterAll(() => stack.close());

  it('answers the preflight of every listed origin, on any route and method, with the API\'s methods and request headers', async () => {
    const paths = ['/v1/sessions', '/v1/sessions/current', '/v1/roster', '/v1/roster/contacts/bob%40example.com', '/v1/chats', '/v1/presence', '/v1/no-such-route'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...METHODS), fc.constantFrom(PAGE, SECOND_PAGE), async (path, method, origin) => {
        const res = await preflight(stack.api, path, method, origin);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(listOf(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(METHODS.map((m) => m.toLowerCase())));
        expect(listOf(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(REQUEST_HEADERS.map((h) => h.toLowerCase())));
        expect(listOf(res.headers.get('vary'))).toContain('origin');
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('answers a bare OPTIONS from a listed origin like a preflight, not with a non-problem error', async () => {
    const res = await stack.api.request('OPTIONS', '/v1/roster', { headers: { origin: PAGE } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
  });

  it('marks actual answers for the calling origin and exposes Retry-After and X-Request-Id', async () => {
    const login = await stack.api.request('POST', '/v1/sessions', { headers: { origin: PAGE }, body: { account: 'bob@example.com', password: 'bob-pass' } });
    expect(login.status).toBe(201);
    const roster = await stack.api.request('GET', '/v1/roster', { token: alice, headers: { origin: SECOND_PAGE } });
    expect(roster.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(roster.headers.get('access-control-allow-origin')).toBe(SECOND_PAGE);
    for (const res of [login, roster]) {
      expect(listOf(res.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
      expect(listOf(res.headers.get('vary'))).toContain('origin');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull(); // bearer tokens, never cookies
    }
  });

  it('puts the CORS headers on problem answers too, so a page can read why a call failed', async () => {
    const headers = { origin: PAGE };
    const failures: [string, Promise<ApiResponse>][] = [
      ['route.NOT_FOUND', stack.api.request('GET', '/v1/no-such-route', { headers })],
      ['auth.REQUIRED', stack.api.request('GET', '/v1/roster', { headers })],
      ['request.INVALID', stack.api.request('POST', '/v1/sessions', { headers, raw: '{"account":' })],
      ['request.INVALID', stack.api.request('GET', '/v1/chats/%E0%A4%A', { token: alice, headers })], // rejected by the router itself
    ];
    for (const [code, answer] of failures) {
      const res = await answer;
      expect({ code: res.body.code, type: res.headers.get('content-type'), origin: res.headers.get('access-control-allow-origin') }).toEqual({
        code,
        type: expect.stringContaining('application/problem+json'),
        origin: PAGE,
      });
      expect(listOf(res.headers.get('access-control-expose-headers'))).toContain('x-request-id');
    }
  });

  it('gives an origin that is not listed no CORS headers at all, and no preflight', async () => {
    const pre = await preflight(stack.api, '/v1/roster', 'GET', OTHER);
    expect(pre.status).toBe(404);
    expect(pre.body.code).toBe('route.NOT_FOUND');
    expect(corsHeadersOf(pre)).toEqual([]);
    const roster = await stack.api.request('GET', '/v1/roster', { token: alice, headers: { origin: OTHER } });
    expect(corsHeadersOf(roster)).toEqual([]);
    const failed = await stack.api.request('GET', '/v1/no-such-route', { headers: { origin: OTHER } });
    expect(corsHeadersOf(failed)).toEqual([]);
    // A listed origin is matched exactly: not by prefix, not on another scheme or port.
    for (const near of [`${PAGE}.evil.example`, 'http://app.example.com', 'https://app.example.com:8443', 'null']) {
      expect(corsHeadersOf(await stack.api.request('GET', '/v1/roster', { token: alice, headers: { origin: near } }))).toEqual([]);
    }
  });

  it('refuses a WebSocket from an origin that is not listed with a 403 problem; a listed origin or no Origin connects', async () => {
    const refused = await upgrade(stack.url, { origin: OTHER, token: alice });
    expect(refused).toEqual({
      status: 403,
      contentType: 'application/problem+json',
      body: expect.objectContaining({ status: 403, code: 'auth.FORBIDDEN', detail: expect.stringContaining(OTHER) }),
    });
    expect(await upgrade(stack.url, { origin: PAGE, token: alice })).toEqual({ frame: expect.objectContaining({ type: 'ready' }) });
    expect(await upgrade(stack.url, { token: alice })).toEqual({ frame: expect.objectContaining({ type: 'ready' }) });
  });
});

describe('CORS on a 429', () => {
  it('a rate-limited page can read the 429 and its Retry-After', async () => {
    const stack = await startStack({ config: { corsOrigins: [PAGE], rateLimitPerMinute: 1 } });
    try {
      const headers = { origin: PAGE };
      expect((await stack.api.request('GET', '/v1/roster', { headers })).status).toBe(401);
      const limited = await stack.api.request('GET', '/v1/roster', { headers });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('rate.LIMITED');
      expect(limited.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(listOf(limited.headers.get('access-control-expose-headers'))).toContain('retry-after');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await stack.close();
    }
  });
});

describe('CORS_ORIGINS unset: same-origin only', () => {
  let stack: Stack;
  let alice: string;

  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.api.login('alice');
  });
  afterAll(() => stack.close());

  it('answers no preflight and sends no CORS headers', async () => {
    const pre = await preflight(stack.api, '/v1/roster', 'GET', PAGE);
    expect(pre.status).toBe(404);
    expect(corsHeadersOf(pre)).toEqual([]);
    expect(corsHeadersOf(await stack.api.request('GET', '/v1/roster', { token: alice, headers: { origin: PAGE } }))).toEqual([]);
    expect(corsHeadersOf(await stack.api.request('GET', '/v1/no-such-route', { headers: { origin: PAGE } }))).toEqual([]);
  });

  it('lets sockets connect from any origin', async () => {
    expect(await upgrade(stack.url, { origin: OTHER, token: alice })).toEqual({ frame: expect.objectContaining({ type: 'ready' }) });
  });
});
