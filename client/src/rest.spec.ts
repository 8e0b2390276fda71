import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRestClient, retryingFetch, takesIdempotencyKey, type FetchLike } from './rest';

const FAST = { initialMs: 1, maxMs: 2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

// ---- (a) retryingFetch against an injected network ----

type Kind = 'GET' | 'PUT' | 'DELETE' | 'POST+key' | 'POST';
type Outcome = { status: number; retryAfter?: string } | { thrown: true };

const RETRIED = new Set([429, 503, 504]);

function requestOf(kind: Kind): Request {
  const method = kind.startsWith('POST') ? 'POST' : kind;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (kind === 'POST+key') headers['idempotency-key'] = 'key-1';
  const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ text: `a ${kind} body` });
  return new Request('http://im.test/v1/chats/x%40y/messages?limit=5', { method, headers, body });
}

const outcomes: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constantFrom(200, 201, 400, 401, 404, 409, 422, 429, 503, 504, 502).map((status): Outcome => ({ status })),
  fc.constant<Outcome>({ status: 429, retryAfter: '0' }),
  fc.constant<Outcome>({ thrown: true }),
);

describe('retryingFetch', () => {
  it('retries exactly what is safe to repeat, on 429/503/504 and network errors, with the same request each time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Kind>('GET', 'PUT', 'DELETE', 'POST+key', 'POST'),
        fc.integer({ min: 0, max: 3 }),
        fc.array(outcomes, { minLength: 4, maxLength: 4 }),
        async (kind, retries, script) => {
          const seen: { method: string; url: string; body: string; key: string | null }[] = [];
          const errors: Error[] = [];
          const fetchOnce: FetchLike = async (request) => {
            seen.push({ method: request.method, url: request.url, body: await request.text(), key: request.headers.get('idempotency-key') });
            const outcome = script[seen.length - 1];
            if ('thrown' in outcome) {
              const error = new TypeError(`network down #${seen.length}`);
              errors.push(error);
              throw error;
            }
            const headers = outcome.retryAfter === undefined ? undefined : { 'retry-after': outcome.retryAfter };
            return new Response(`answer #${seen.length}`, { status: outcome.status, headers });
          };

          // The model: a repeatable request goes on while the answer is retryable and retries remain.
          const repeatable = kind !== 'POST';
          let expected = 1;
          if (repeatable) {
            while (expected <= retries) {
              const outcome = script[expected - 1];
              if (!('thrown' in outcome) && !RETRIED.has(outcome.status)) break;
              expected++;
            }
          }
          const final = script[expected - 1];

          const request = requestOf(kind);
          const run = retryingFetch(fetchOnce, retries, FAST)(request);
          if ('thrown' in final) {
            const error = await run.then(() => undefined, (e: unknown) => e);
            // The very error of the last attempt, not a wrapped or earlier one.
            expect(error).toBeInstanceOf(TypeError);
            expect(error).toBe(errors[errors.length - 1]);
            expect((error as Error).message).toBe(`network down #${expected}`);
          } else {
            const response = await run;
            expect(response.status).toBe(final.status);
            expect(await response.text()).toBe(`answer #${expected}`);
          }
          expect(seen).toHaveLength(expected);
          const first = { method: request.method, url: request.url, body: seen[0].body, key: kind === 'POST+key' ? 'key-1' : null };
          expect(first.body).toBe(kind === 'GET' || kind === 'DELETE' ? '' : JSON.stringify({ text: `a ${kind} body` }));
          for (const attempt of seen) expect(attempt).toEqual(first);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('waits Retry-After (0 s) rather than the backoff when the answer names one', async () => {
    // With a one-minute backoff and a draw near 1, only honouring Retry-After: 0 finishes in time.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      let calls = 0;
      const fetchOnce: FetchLike = async () => (++calls === 1 ? new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }) : new Response('ok'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tooSlow = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), 2_000)));
      const response = await Promise.race([retryingFetch(fetchOnce, 2, { initialMs: 60_000, maxMs: 60_000 })(new Request('http://im.test/v1/roster')), tooSlow]);
      clearTimeout(timer);
      expect(response === 'still waiting' ? response : response.status).toBe(200);
      expect(calls).toBe(2);
    } finally {
      random.mockRestore();
    }
  });

  it('does not retry a request whose signal was aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const failure = new Error('aborted');
    const fetchOnce: FetchLike = async () => {
      calls++;
      throw failure;
    };
    await expect(retryingFetch(fetchOnce, 3, FAST)(new Request('http://im.test/v1/roster', { signal: controller.signal }))).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

// ---- (b) createRestClient against a real HTTP server ----

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('createRestClient (against a local HTTP server)', () => {
  let server: Server;
  let baseUrl: string;
  let requests: Recorded[];
  /** Statuses to answer next, in order; then 200 (201 for a POST). */
  let script: number[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        const status = script.shift() ?? (req.method === 'POST' ? 201 : 200);
        const body = status >= 400 ? { code: 'upstream.UNAVAILABLE', detail: 'try again', status } : { thread: 't', seq: 1, sentAt: '2024-01-01T00:00:00.000Z' };
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    requests = [];
    script = [];
  });

  const keyOf = (request: Recorded): string | undefined => request.headers['idempotency-key'] as string | undefined;

  it('sends the bearer token and the client id on every call', async () => {
    const rest = createRestClient({ baseUrl: `${baseUrl}//`, token: 'tok-1', clientId: 'web-1', backoff: FAST });
    await rest.GET('/v1/chats');
    await rest.PUT('/v1/chats/{thread}/read', { params: { path: { thread: 'x@y' } }, body: { seq: 3 } });
    expect(requests.map((r) => r.path)).toEqual(['/v1/chats', '/v1/chats/x%40y/read']);
    for (const request of requests) {
      expect(request.headers.authorization).toBe('Bearer tok-1');
      expect(request.headers['x-client-id']).toBe('web-1');
    }
  });

  it('reads a token function on each call (a refreshed token is used from then on)', async () => {
    let token: string | undefined = 'old';
    const rest = createRestClient({ baseUrl, token: () => token, backoff: FAST });
    await rest.GET('/v1/roster');
    token = 'new';
    await rest.GET('/v1/roster');
    token = undefined;
    await rest.GET('/v1/roster');
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new', undefined]);
    expect(requests[0].headers['x-client-id']).toBeUndefined();
  });

  it('gives each of the four de-duplicated POSTs a fresh UUID Idempotency-Key', async () => {
    const rest = createRestClient({ baseUrl, token: 't', backoff: FAST });
    await rest.POST('/v1/chats', { body: { to: 'bob@example.com', text: 'hi' } });
    await rest.POST('/v1/chats', { body: { to: 'bob@example.com', text: 'hi' } });
    await rest.POST('/v1/chats/{thread}/messages', { params: { path: { thread: 'chat-bob@example.com-0' } }, body: { text: 'hi' } });
    await rest.POST('/v1/chats/{thread}/invitations', { params: { path: { thread: 'room-1' } }, body: { address: 'carol@example.com' } });
    await rest.POST('/v1/rooms/{address}/join', { params: { path: { address: 'room@conference.example.com' } }, body: {} });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/chats',
      'POST /v1/chats',
      'POST /v1/chats/chat-bob%40example.com-0/messages',
      'POST /v1/chats/room-1/invitations',
      'POST /v1/rooms/room%40conference.example.com/join',
    ]);
    const keys = requests.map(keyOf);
    for (const key of keys) expect(key).toMatch(UUID);
    // Two identical sends are two messages: each call gets its own key.
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keeps a caller's own Idempotency-Key", async () => {
    const rest = createRestClient({ baseUrl, token: 't', backoff: FAST });
    await rest.POST('/v1/chats/{thread}/messages', {
      params: { path: { thread: 't1' }, header: { 'Idempotency-Key': 'my-key-7' } },
      body: { text: 'hi' },
    });
    await rest.POST('/v1/chats', { params: { header: { 'Idempotency-Key': 'my-key-8' } }, body: { to: 'bob@example.com', text: 'hi' } });
    expect(requests.map(keyOf)).toEqual(['my-key-7', 'my-key-8']);
  });

  it('gives no Idempotency-Key to any other route', async () => {
    const rest = createRestClient({ baseUrl, token: 't', backoff: FAST });
    await rest.GET('/v1/chats');
    await rest.POST('/v1/roster/contacts', { body: { address: 'bob@example.com' } });
    await rest.POST('/v1/roster/requests/{address}', { params: { path: { address: 'bob@example.com' } }, body: { authorize: true } });
    await rest.POST('/v1/sessions', { body: { account: 'a@example.com', password: 'p' } });
    await rest.POST('/v1/gateways/{type}/reconnect', { params: { path: { type: 'msn' } } });
    await rest.PUT('/v1/presence', { body: { show: 'online' } });
    await rest.DELETE('/v1/chats/{thread}', { params: { path: { thread: 't1' } } });
    expect(requests).toHaveLength(7);
    for (const request of requests) expect({ route: `${request.method} ${request.path}`, key: keyOf(request) }).toEqual({ route: `${request.method} ${request.path}`, key: undefined });
  });

  it('retries a keyed POST after a 503 with the same key and body', async () => {
    script = [503, 201];
    const rest = createRestClient({ baseUrl, token: 't', backoff: FAST });
    const { data, response } = await rest.POST('/v1/chats/{thread}/messages', { params: { path: { thread: 't1' } }, body: { text: 'once only' } });
    expect(response.status).toBe(201);
    expect(data).toEqual({ thread: 't', seq: 1, sentAt: '2024-01-01T00:00:00.000Z' });
    expect(requests).toHaveLength(2);
    expect(keyOf(requests[0])).toMatch(UUID);
    expect(keyOf(requests[1])).toBe(keyOf(requests[0]));
    expect(requests[1].body).toBe(requests[0].body);
    expect(JSON.parse(requests[1].body)).toEqual({ text: 'once only' });
  });

  it('does not retry a POST without a key (it could run twice), and gives up on a GET after `retries`', async () => {
    const rest = createRestClient({ baseUrl, token: 't', retries: 2, backoff: FAST });
    script = [503, 201];
    const added = await rest.POST('/v1/roster/contacts', { body: { address: 'bob@example.com' } });
    expect(added.response.status).toBe(503);
    expect(added.error).toMatchObject({ code: 'upstream.UNAVAILABLE' });
    expect(requests).toHaveLength(1);

    requests = [];
    script = [503, 504, 429, 200];
    const read = await rest.GET('/v1/roster');
    expect(read.response.status).toBe(429);
    expect(requests).toHaveLength(3);
  });
});

// ---- (c) takesIdempotencyKey agrees with the OpenAPI document ----

interface Parameter {
  in?: string;
  name?: string;
  $ref?: string;
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[] } | Parameter[]>>;
  components?: { parameters?: Record<string, Parameter> };
}

describe('takesIdempotencyKey', () => {
  const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8')) as OpenApi;
  const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  const resolve = (parameter: Parameter): Parameter =>
    parameter.$ref ? (document.components?.parameters?.[parameter.$ref.split('/').pop() ?? ''] ?? parameter) : parameter;

  const operations = Object.entries(document.paths).flatMap(([path, item]) => {
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    return Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => {
        const parameters = [...shared, ...((operation as { parameters?: Parameter[] }).parameters ?? [])].map(resolve);
        const keyed = parameters.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key');
        return { method: method.toUpperCase(), path, keyed };
      });
  });

  it('is true exactly for the operations that declare an Idempotency-Key header', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter((o) => o.keyed).map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'POST /v1/chats',
      'POST /v1/chats/{thread}/invitations',
      'POST /v1/chats/{thread}/messages',
      'POST /v1/rooms/{address}/join',
    ]);
    for (const sample of ['x%40y', 'chat-bob%25example.com-0', 'room']) {
      for (const { method, path, keyed } of operations) {
        const pathname = path.replace(/\{[^}]+\}/g, sample);
        expect({ operation: `${method} ${pathname}`, keyed: takesIdempotencyKey(method, pathname) }).toEqual({ operation: `${method} ${pathname}`, keyed });
      }
    }
  });
});
