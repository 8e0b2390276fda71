import { createServer, Server } from 'node:net';
import { Api, Stack, startStack } from './support/stack';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/config';

const problemJson = /^application\/problem\+json/;

describe('upstream trouble becomes the right problem status, and the proxy keeps serving', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstreamTimeoutMs: 400 } });
  });
  afterAll(() => stack.close());
  afterEach(() => stack.sim.clearFaults());

  it('wrong password → 401 account.AUTH_FAILED with the upstream code and trace', async () => {
    const res = await stack.api.post('/v1/sessions', { account: 'alice@example.com', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(problemJson);
    expect(res.body).toMatchObject({ status: 401, code: 'account.AUTH_FAILED', upstream: { code: 'account.AUTH_FAILED' } });
    expect(res.body.upstream.trace).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain('nope');
  });

  it('a token the upstream does not know → 401', async () => {
    const res = await stack.api.get('/v1/roster', '0_deadbeef_00');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('service.AUTH_REQUIRED');
  });

  it('an expired token → 401 service.AUTH_EXPIRED', async () => {
    const token = await stack.api.login('ivan');
    expect((await stack.api.get('/v1/roster', token)).status).toBe(200);
    stack.sim.clock.advance(3 * 24 * 3600_000);
    const res = await stack.api.get('/v1/roster', token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('service.AUTH_EXPIRED');
  });

  it('a SOAP fault maps to its status with the upstream code (im.INVALID_ADDRESS → 422)', async () => {
    const token = await stack.api.login('alice');
    stack.sim.injectFault({ request: 'IMSubscribeRequest', kind: 'fault', code: 'im.INVALID_ADDRESS', message: 'address is invalid: x@y', side: 'sender' });
    const res = await stack.api.post('/v1/roster/contacts', { address: 'nobody@nowhere.example' }, token);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'im.INVALID_ADDRESS', upstream: { code: 'im.INVALID_ADDRESS' } });
  });

  it('service.FAILURE → 502, service.TEMPORARILY_UNAVAILABLE → 503', async () => {
    const token = await stack.api.login('alice');
    stack.sim.injectFault({ request: 'IMSetPresenceRequest', kind: 'fault', code: 'service.FAILURE', message: 'system failure: boom', side: 'receiver' });
    expect((await stack.api.put('/v1/presence', { show: 'dnd' }, token)).status).toBe(502);
    stack.sim.injectFault({ request: 'IMSetPresenceRequest', kind: 'fault', code: 'service.TEMPORARILY_UNAVAILABLE', message: 'service temporarily unavailable', side: 'receiver' });
    expect((await stack.api.put('/v1/presence', { show: 'dnd' }, token)).status).toBe(503);
  });

  it.each([
    ['a body that is not XML', { kind: 'garbage', body: 'Service down for maintenance' }, 502, 'upstream.BAD_RESPONSE'],
    ['truncated XML', { kind: 'garbage', body: '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>' }, 502, 'upstream.BAD_RESPONSE'],
    ['an HTTP 502 without a fault', { kind: 'http', status: 502, body: '<html>bad gateway</html>' }, 502, 'upstream.BAD_RESPONSE'],
    ['an HTTP 503', { kind: 'http', status: 503 }, 503, 'upstream.UNAVAILABLE'],
    ['a connection reset', { kind: 'reset' }, 503, 'upstream.UNAVAILABLE'],
    ['a stall longer than UPSTREAM_TIMEOUT_MS', { kind: 'stall', ms: 3_000 }, 504, 'upstream.TIMEOUT'],
    // Headers at once, then a byte at a time: the deadline covers the whole exchange, body included.
    ['a reply dripping in one byte every 200 ms', { kind: 'drip', everyMs: 200 }, 504, 'upstream.TIMEOUT'],
  ])('%s (%j) → %i %s, and the next request is served', async (_name, fault, status, code) => {
    stack.sim.injectFault({ request: 'AuthRequest', times: 1, ...(fault as object) } as never);
    const started = Date.now();
    const res = await stack.api.post('/v1/sessions', { account: 'bob@example.com', password: 'bob-pass' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(problemJson);
    expect(res.body.code).toBe(code);
    if (status === 504) expect(Date.now() - started).toBeLessThan(2_500); // bounded by the 400 ms timeout, not the stall
    const again = await stack.api.post('/v1/sessions', { account: 'bob@example.com', password: 'bob-pass' });
    expect(again.status).toBe(201);
  });

  describe('a reply that is not an answer to the request → 502 upstream.BAD_RESPONSE', () => {
    const reply = (body: string) =>
      `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${body}</soap:Body></soap:Envelope>`;
    const services = (name: string) =>
      reply(`<IMListConferenceServicesResponse xmlns="urn:zimbraIM"><svc name="${name}" addr="conference.example.com"/></IMListConferenceServicesResponse>`);

    it.each([
      ['the body element of another request', reply('<IMGetRosterResponse xmlns="urn:zimbraIM"/>')],
      ['a reference to U+0000', services('Chat&#0;')],
      ['a reference to U+0001 in hex', services('Chat&#x1;')],
      ['a raw U+0001', services('Chat\u0001')],
      ['a reference to U+FFFE', services('Chat&#xFFFE;')],
    ])('%s', async (_name, body) => {
      const token = await stack.api.login('grace');
      expect((await stack.api.get('/v1/conference-services', token)).status).toBe(200);
      stack.sim.injectFault({ request: 'IMListConferenceServicesRequest', kind: 'garbage', body });
      const res = await stack.api.get('/v1/conference-services', token);
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(problemJson);
      expect(res.body.code).toBe('upstream.BAD_RESPONSE');
      expect((await stack.api.get('/v1/conference-services', token)).status).toBe(200);
    });
  });

  it('the roster never arriving → 504 roster.TIMEOUT', async () => {
    const slow = await startStack({ sim: { rosterDelayMs: 60_000 }, config: { rosterTimeoutMs: 300 } });
    try {
      const token = await slow.api.login('alice');
      const res = await slow.api.get('/v1/roster', token);
      expect(res.status).toBe(504);
      expect(res.body.code).toBe('roster.TIMEOUT');
    } finally {
      await slow.close();
    }
  });
});

describe('upstream down', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Reserve a port, then close it: nothing listens there.
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('→ 503 upstream.UNAVAILABLE, readiness fails, liveness holds', async () => {
    const app = await createApp({ ...loadConfig({}), logLevel: 'silent', upstreamUrl: `http://127.0.0.1:${port}/service/soap` });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const api = new Api(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    try {
      const res = await api.post('/v1/sessions', { account: 'alice@example.com', password: 'x' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('upstream.UNAVAILABLE');
      expect((await api.get('/v1/roster', 'some-token')).status).toBe(503);
      expect((await api.get('/health/ready')).status).toBe(503);
      expect((await api.get('/health/live')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 rate.LIMITED with Retry-After past RATE_LIMIT per minute, before any upstream call', async () => {
    const stack = await startStack({ config: { rateLimitPerMinute: 5 } });
    try {
      const token = await stack.api.login('alice'); // 1
      for (let i = 0; i < 4; i++) expect((await stack.api.put('/v1/presence', { show: 'online' }, token)).status).toBe(204);
      stack.sim.resetRequests();
      const limited = await stack.api.put('/v1/presence', { show: 'away' }, token);
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('rate.LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(stack.sim.requestCount('IMSetPresenceRequest')).toBe(0);
      expect((await stack.api.get('/health/live')).status).toBe(200); // not limited
    } finally {
      await stack.close();
    }
  });
});
