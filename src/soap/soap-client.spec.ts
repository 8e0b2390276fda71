import { createServer, type Server, type ServerResponse } from 'node:http';
import { SoapClient } from './soap-client';
import { UpstreamError } from './upstream-error';

const NOOP_REPLY =
  '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header><context xmlns="urn:zimbra"/></soap:Header>' +
  '<soap:Body><NoOpResponse xmlns="urn:zimbraMail"/></soap:Body></soap:Envelope>';
const NOOP = { NoOpRequest: { '@_xmlns': 'urn:zimbraMail' } };

/** Headers at once, then the reply one byte every `everyMs` (stops when the client goes away). */
function drip(res: ServerResponse, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' });
  res.flushHeaders();
  const bytes = Buffer.from(NOOP_REPLY);
  let next = 0;
  const timer = setInterval(() => {
    if (next < bytes.length) res.write(bytes.subarray(next, ++next));
    else res.end();
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

describe('SoapClient over HTTP', () => {
  let server: Server;
  let client: SoapClient;
  let behaviour: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => behaviour(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    client = new SoapClient({ url: `http://127.0.0.1:${port}/service/soap`, timeoutMs: 300, connectTimeoutMs: 1_000, maxResponseBytes: 1 << 20 });
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = (call: Promise<unknown>): Promise<UpstreamError> =>
    call.then(
      () => Promise.reject(new Error('expected the call to fail')),
      (err: unknown) => (err instanceof UpstreamError ? err : Promise.reject(err)),
    );

  it('answers a normal reply', async () => {
    behaviour = (res) => res.end(NOOP_REPLY);
    expect((await client.call({}, NOOP)).bodyName).toBe('NoOpResponse');
  });

  it('a body that keeps dripping in past the deadline → upstream.TIMEOUT', async () => {
    behaviour = (res) => drip(res, 50);
    expect(await failure(client.call({}, NOOP))).toMatchObject({ kind: 'timeout', code: 'upstream.TIMEOUT' });
  });

  it('a per-call timeout (the long-poll) is a deadline for its whole exchange too', async () => {
    behaviour = (res) => drip(res, 50);
    expect(await failure(client.call({}, NOOP, { timeoutMs: 500 }))).toMatchObject({ kind: 'timeout' });
  });

  it("the caller's abort stays an abort (upstream.UNAVAILABLE), before or during the exchange", async () => {
    behaviour = (res) => drip(res, 50);
    const during = new AbortController();
    const call = client.call({}, NOOP, { signal: during.signal, timeoutMs: 5_000 });
    setTimeout(() => during.abort(), 100);
    expect(await failure(call)).toMatchObject({ kind: 'unavailable', code: 'upstream.UNAVAILABLE' });
    expect(await failure(client.call({}, NOOP, { signal: AbortSignal.abort() }))).toMatchObject({ kind: 'unavailable' });
  });

  it('bytes that are not UTF-8 → upstream.BAD_RESPONSE, never read as U+FFFD', async () => {
    const [before, after] = NOOP_REPLY.split('<NoOpResponse');
    behaviour = (res) => res.end(Buffer.concat([Buffer.from(`${before}<!-- `), Buffer.of(0xff, 0xc3), Buffer.from(` --><NoOpResponse${after}`)]));
    expect(await failure(client.call({}, NOOP))).toMatchObject({ kind: 'bad_response', code: 'upstream.BAD_RESPONSE' });
  });

  it('a reply over maxResponseBytes → upstream.BAD_RESPONSE, its reading stopped', async () => {
    const [before, after] = NOOP_REPLY.split('<NoOpResponse');
    let closed!: Promise<void>;
    behaviour = (res) => {
      closed = new Promise((resolve) => res.on('close', resolve));
      res.write(`${before}<!-- `);
      // Far more than the limit, in chunks, unless the client stops reading and goes away.
      const chunk = 'x'.repeat(64 * 1024);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
      setTimeout(() => res.end(` --><NoOpResponse${after}`), 2_000).unref();
    };
    expect(await failure(client.call({}, NOOP, { timeoutMs: 5_000 }))).toMatchObject({ kind: 'bad_response', message: expect.stringContaining('larger than') });
    await closed;
  });

  it('many calls at once each get their own reply, and their deadlines leave no timers behind', async () => {
    behaviour = (res) => setTimeout(() => res.end(NOOP_REPLY), Math.random() * 20);
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.call({}, NOOP, { timeoutMs: 5_000 })));
    expect(replies.map((r) => r.bodyName)).toEqual(Array(50).fill('NoOpResponse'));
    const timers = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === 'Timeout');
    expect(timers.length).toBeLessThan(5);
  });

  it('keeps serving afterwards', async () => {
    behaviour = (res) => res.end(NOOP_REPLY);
    expect((await client.call({}, NOOP)).bodyName).toBe('NoOpResponse');
  });
});
