import { request } from 'undici';
import { attr, child, text } from '../soap/xml';
import { ImSimulator } from './index';
import { SOAP11, SOAP12, TestClient, envelope, post } from './spec-support';

const ACCOUNTS = [
  { address: 'alice@example.com', password: 'alice-pass' },
  { address: 'bob@example.com', password: 'bob-pass' },
];
const auth = (name: string, pw: string) =>
  `<AuthRequest xmlns="urn:zimbraAccount"><account by="name">${name}</account><password>${pw}</password></AuthRequest>`;

describe('simulator transport and faults (§1, §8)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, rosterDelayMs: 10, maxBodyBytes: 64 * 1024 });
  });
  afterEach(() => sim.stop());

  it('answers SOAP 1.2 with soap prefix, no prolog, text/xml and no-cache', async () => {
    const reply = await post(sim.url, envelope(auth('alice@example.com', 'alice-pass')));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store, no-cache');
    expect(reply.raw.startsWith(`<soap:Envelope xmlns:soap="${SOAP12}">`)).toBe(true);
    expect(reply.bodyName).toBe('AuthResponse');
    expect(reply.raw).toContain('<AuthResponse xmlns="urn:zimbraAccount">');
  });

  it('answers SOAP 1.1 in 1.1, with Client/Server fault codes', async () => {
    const ok = await post(sim.url, envelope(auth('alice@example.com', 'alice-pass'), '', '1.1'));
    expect(ok.status).toBe(200);
    expect(ok.raw.startsWith(`<soap:Envelope xmlns:soap="${SOAP11}">`)).toBe(true);

    const bad = await post(sim.url, envelope(auth('Alice@Example.com', 'nope'), '', '1.1'));
    expect(bad.status).toBe(500);
    expect(bad.raw).toContain('<soap:faultcode>soap:Client</soap:faultcode>');
    expect(bad.raw).toContain('<soap:faultstring>authentication failed for [Alice@Example.com]</soap:faultstring>');
    expect(bad.raw).toMatch(/<soap:detail><Error xmlns="urn:zimbra"><Code>account.AUTH_FAILED<\/Code><Trace>/);

    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const receiver = await post(
      sim.url,
      envelope('<IMSetPresenceRequest xmlns="urn:zimbraIM"><presence show="sleepy"/></IMSetPresenceRequest>', `<authToken>${c.token}</authToken>`, '1.1'),
    );
    expect(receiver.raw).toContain('<soap:faultcode>soap:Server</soap:faultcode>');
  });

  it('writes SOAP 1.2 faults with Code/Value, Reason/Text and Detail/Error + Trace', async () => {
    const reply = await post(sim.url, envelope(auth('nobody@example.com', 'x')));
    expect(reply.status).toBe(500);
    expect(reply.raw).toContain('<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>');
    expect(reply.raw).toContain('<soap:Reason><soap:Text>authentication failed for [nobody@example.com]</soap:Text></soap:Reason>');
    const trace = text(child(reply.fault!.error, 'Trace'));
    expect(trace).toMatch(/^[\w-]+:\d{13}:[0-9a-f]{16}$/);
    expect(reply.fault!.code).toBe('account.AUTH_FAILED');
  });

  it.each([
    ['an empty body', '', 'service.PARSE_ERROR', /empty request payload/],
    ['a non-XML body', '{"Body":{}}', 'service.PARSE_ERROR', /parse error/],
    ['leading whitespace (goes to the JSON parser)', ' <x/>', 'service.PARSE_ERROR', /parse error/],
    ['malformed XML', '<soap:Envelope xmlns:soap="x"><a></soap:Envelope>', 'service.PARSE_ERROR', /parse error/],
    ['an unknown root', '<Foo xmlns="urn:x"/>', 'service.INVALID_REQUEST', /unable to determine SOAP version/],
    ['a wrong envelope namespace', '<soap:Envelope xmlns:soap="urn:nope"><soap:Body/></soap:Envelope>', 'service.INVALID_REQUEST', /unable to determine SOAP version/],
  ])('answers %s with a bare SOAP 1.2 fault', async (_label, body, code, reason) => {
    const reply = await post(sim.url, body);
    expect(reply.status).toBe(500);
    expect(reply.raw.startsWith(`<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><soap:Fault>`)).toBe(true);
    expect(reply.context).toBeUndefined();
    expect(reply.fault!.code).toBe(code);
    expect(reply.fault!.reason).toMatch(reason);
  });

  it('rejects unknown request QNames with UNKNOWN_DOCUMENT, header included', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    for (const body of [
      '<IMJoinChatRequest xmlns="urn:zimbraIM"/>',
      '<IMGetRosterRequest xmlns="urn:zimbraMail"/>',
      '<IMGetChatConfiguration xmlns="urn:zimbraIM"/>',
    ]) {
      const reply = await c.call(body);
      expect(reply.status).toBe(500);
      expect(reply.fault!.code).toBe('service.UNKNOWN_DOCUMENT');
      expect(reply.context).toBeDefined();
    }
    const r = await c.call('<IMJoinChatRequest xmlns="urn:zimbraIM"/>');
    expect(r.fault!.reason).toBe('unknown document: urn:zimbraIM:IMJoinChatRequest');
  });

  it('accepts any path under /service/soap, prefixed request elements, and echoes requestId', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const body = envelope(
      '<im:IMGetRosterRequest xmlns:im="urn:zimbraIM" requestId="r-7"/>',
      `<authToken>${c.token}</authToken>`,
    );
    const reply = await post(`${sim.url}/IMGetRosterRequest`, body);
    expect(reply.status).toBe(200);
    expect(reply.bodyName).toBe('IMGetRosterResponse');
    expect(attr(reply.body, 'requestId')).toBe('r-7');
    const notFound = await request(sim.url.replace('/service/soap', '/other'), { method: 'POST', body: 'x' });
    expect(notFound.statusCode).toBe(404);
    await notFound.body.text();
  });

  it('carries im.* faults with their <a> arguments', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const reply = await c.im('IMSubscribeRequest', 'addr="nosuchuser" op="add"');
    expect(reply.status).toBe(500);
    expect(reply.fault!.code).toBe('im.INVALID_ADDRESS');
    expect(reply.fault!.reason).toBe('address is invalid: nosuchuser');
    expect(reply.raw).toContain('<a n="addr" t="STR">nosuchuser</a>');
  });

  it('caps the request body', async () => {
    const big = envelope(`<NoOpRequest xmlns="urn:zimbraMail">${'x'.repeat(70 * 1024)}</NoOpRequest>`);
    const reply = await post(sim.url, big);
    expect(reply.status).toBe(500);
    expect(reply.fault!.code).toBe('service.INVALID_REQUEST');
  });

  describe('injected faults', () => {
    it('replaces matching requests, the given number of times', async () => {
      const c = new TestClient(sim.url, 'alice@example.com');
      await c.login();
      sim.injectFault({ request: 'IMGetRosterRequest', kind: 'fault', code: 'service.TEMPORARILY_UNAVAILABLE', message: 'service temporarily unavailable', side: 'receiver', times: 2 });
      for (let i = 0; i < 2; i++) {
        const r = await c.im('IMGetRosterRequest');
        expect(r.status).toBe(500);
        expect(r.fault!.value).toBe('soap:Receiver');
        expect(r.fault!.code).toBe('service.TEMPORARILY_UNAVAILABLE');
      }
      expect((await c.im('IMGetRosterRequest')).status).toBe(200);
    });

    it('can answer with an HTTP error, garbage, a reset or a stall', async () => {
      const c = new TestClient(sim.url, 'alice@example.com');
      await c.login();
      sim.injectFault({ kind: 'http', status: 503, body: 'busy', account: 'alice@example.com' });
      const http = await c.im('IMGetRosterRequest');
      expect([http.status, http.raw]).toEqual([503, 'busy']);

      sim.injectFault({ kind: 'garbage', body: '<soap:Envel' });
      const garbage = await c.im('IMGetRosterRequest');
      expect([garbage.status, garbage.raw]).toEqual([200, '<soap:Envel']);

      sim.injectFault({ kind: 'reset' });
      await expect(c.im('IMGetRosterRequest')).rejects.toThrow();

      sim.injectFault({ kind: 'stall', ms: 150 });
      const started = Date.now();
      const stalled = await c.im('IMGetRosterRequest');
      expect(stalled.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('does not match other accounts or requests; clearFaults removes rules', async () => {
      const bob = new TestClient(sim.url, 'bob@example.com');
      await bob.login();
      sim.injectFault({ kind: 'http', status: 502, account: 'alice@example.com', times: Infinity });
      sim.injectFault({ kind: 'http', status: 502, request: 'IMSetPresenceRequest', times: Infinity });
      expect((await bob.im('IMGetRosterRequest')).status).toBe(200);
      sim.clearFaults();
      expect((await bob.im('IMSetPresenceRequest', '', '<presence/>')).status).toBe(200);
    });
  });

  it('records requests', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    await c.im('IMGetRosterRequest');
    expect(sim.requestCount('IMGetRosterRequest')).toBe(1);
    const last = sim.requests[sim.requests.length - 1];
    expect(last).toMatchObject({ name: 'IMGetRosterRequest', account: 'alice@example.com', sessionId: c.sessionId });
    sim.resetRequests();
    expect(sim.requestCount()).toBe(0);
  });
});
