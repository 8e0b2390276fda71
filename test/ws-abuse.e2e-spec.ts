import fc from 'fast-check';
import { EventClient, Frame, OpenSockets } from './support/ws-client';
import { eventually, Stack, startStack } from './support/stack';

/** Deep nesting of one kind, `levels` deep, around `inner`. */
const nest = (kind: '[' | '{', levels: number, inner = '0') =>
  kind === '[' ? '['.repeat(levels) + inner + ']'.repeat(levels) : '{"a":'.repeat(levels) + inner + '}'.repeat(levels);

/** Every place a client value can sit in a frame, with `value` put there. */
const POSITIONS: ((value: string) => string)[] = [
  (v) => v,
  (v) => `{"op":${v}}`,
  (v) => `{"op":"subscribe","types":${v}}`,
  (v) => `{"op":"subscribe","types":["message",${v}]}`,
  (v) => `{"op":"subscribe","threads":${v}}`,
  (v) => `{"op":"subscribe","threads":["t-1",${v}]}`,
  (v) => `{"op":"ping","extra":${v}}`,
  (v) => `{"nested":${v},"op":"subscribe"}`,
];

const isInvalid = (f: Frame) => f.type === 'error' && f.data?.code === 'request.INVALID' && typeof f.data.detail === 'string';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WebSocket abuse: client frames', () => {
  let stack: Stack;
  let judy: string;
  const sockets = new OpenSockets(() => stack.url);

  beforeAll(async () => {
    stack = await startStack({ config: { longPollWaitMs: 30_000 } }); // no long-poll times out within a test
    judy = await stack.api.login('judy');
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  /** The process still serves: a REST call answers and a fresh socket gets ready and a pong. */
  async function stillServing(): Promise<void> {
    expect((await stack.api.get('/v1/roster', judy)).status).toBe(200);
    const fresh = await sockets.ready({ token: judy });
    expect(await fresh.answerTo({ op: 'ping' })).toEqual([{ type: 'pong' }]);
  }

  it('malformed JSON, JSON that is not an object, and binary frames each get one request.INVALID error; the socket stays open', async () => {
    const client = await sockets.ready({ token: judy });
    const frames: unknown[] = ['{nope', '', ' ', 'null', '[]', '"op"', '42', '{"op":', '{"op":"ping"}x', '\u0000', Buffer.from([1, 2, 3]), Buffer.from('{"op":"ping"}')];
    for (const frame of frames) {
      const answer = await client.answerTo(frame);
      expect(answer).toHaveLength(1);
      expect(isInvalid(answer[0])).toBe(true);
    }
    expect(client.ws.readyState).toBe(1);
    await stillServing();
  });

  it('the reported frame, 5 000 nested arrays in types (10 KB), gets an error frame; socket and process stay up', async () => {
    const client = await sockets.ready({ token: judy });
    const frame = `{"op":"subscribe","types":${nest('[', 5_000, '')}}`;
    expect(frame.length).toBeGreaterThan(10_000);
    const answer = await client.answerTo(frame);
    expect(answer).toEqual([{ type: 'error', data: { code: 'request.INVALID', detail: expect.stringContaining('nests deeper') } }]);
    expect(await client.answerTo({ op: 'ping' })).toEqual([{ type: 'pong' }]);
    await stillServing();
  });

  it('deep arrays and objects in every field position are refused with an error frame', async () => {
    const client = await sockets.ready({ token: judy });
    for (const place of POSITIONS) {
      for (const value of [nest('[', 5_000), nest('{', 2_500), nest('[', 5), nest('{', 5)]) {
        const answer = await client.answerTo(place(value));
        expect(answer).toHaveLength(1);
        expect(isInvalid(answer[0])).toBe(true);
      }
    }
    expect(client.ws.readyState).toBe(1);
    await stillServing();
  });

  it('generated frames (any JSON value, any text, deep nesting anywhere) get an error frame or a valid reply; the socket stays open', async () => {
    const client = await sockets.ready({ token: judy });
    const frameShaped = fc
      .record(
        { op: fc.oneof(fc.constantFrom('ping', 'subscribe'), fc.jsonValue()), types: fc.jsonValue(), threads: fc.jsonValue(), extra: fc.jsonValue() },
        { requiredKeys: ['op'] },
      )
      .map((v) => JSON.stringify(v));
    const deep = fc
      .tuple(fc.constantFrom(...POSITIONS), fc.constantFrom<'[' | '{'>('[', '{'), fc.integer({ min: 1, max: 7_500 }))
      .map(([place, kind, levels]) => place(nest(kind, levels)));
    const anyFrame = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', 'o', 'p'), maxLength: 300 }),
      frameShaped,
      deep,
    ).filter((raw) => Buffer.byteLength(raw) < 16_000);

    await fc.assert(
      fc.asyncProperty(anyFrame, async (raw) => {
        const answer = await client.answerTo(raw);
        let op: unknown;
        try {
          op = (JSON.parse(raw) as { op?: unknown } | null)?.op;
        } catch {
          op = undefined;
        }
        // A valid subscribe is silent, a valid ping gets its pong; everything else one error.
        if (answer.length === 0) expect(op).toBe('subscribe');
        else if (answer[0].type === 'pong') expect([answer.length, op]).toEqual([1, 'ping']);
        else expect([answer.length, isInvalid(answer[0])]).toEqual([1, true]);
      }),
      { seed: 42, numRuns: 300 },
    );
    expect(client.ws.readyState).toBe(1);
    await stillServing();
  });

  it('a frame over the size limit closes that socket with 1009; the process keeps serving', async () => {
    for (const frame of ['x'.repeat(17_000), nest('[', 9_000), Buffer.alloc(17_000)]) {
      const client = await sockets.ready({ token: judy });
      if (Buffer.isBuffer(frame)) client.sendBinary(frame);
      else client.send(frame);
      expect((await client.closed).code).toBe(1009);
    }
    await stillServing();
  });

  it('a burst of 2 000 frames is answered in full and in order', async () => {
    const client = await sockets.ready({ token: judy });
    for (let i = 0; i < 1_000; i++) {
      client.send(`{"op":"burst-${i}"}`);
      client.send({ op: 'ping' });
    }
    const replies = await client.waitForCount((f) => f.type === 'pong', 1_000, 10_000);
    expect(replies).toHaveLength(1_000);
    const answers = client.frames.filter((f) => f.type === 'error' || f.type === 'pong');
    expect(answers).toHaveLength(2_000);
    answers.forEach((f, i) => {
      if (i % 2 === 1) expect(f.type).toBe('pong');
      else expect(f.data.detail).toContain(`"burst-${i / 2}"`);
    });
    expect(client.ws.readyState).toBe(1);
  });

  it('300 sockets on one token all get ready and a later event, over exactly one upstream long-poll', async () => {
    const ivan = await stack.api.login('ivan');
    const first = await sockets.ready({ token: ivan });
    await first.waitFor((f) => f.type === 'roster'); // the session's first notification: the link has settled after it
    await sleep(200);
    stack.sim.resetRequests();
    const rest = await Promise.all(Array.from({ length: 299 }, () => sockets.ready({ token: ivan })));
    const all = [first, ...rest];
    expect(all.every((c) => c.frames[0].type === 'ready')).toBe(true);
    // Connecting 299 more sockets started no long-poll of their own.
    expect(stack.sim.requests.filter((r) => r.name === 'NoOpRequest' && r.account === 'ivan@example.com')).toHaveLength(0);

    stack.sim.postNotification('ivan@example.com', '<n type="presence" from="crowd@example.com" show="CHAT" status="to all 300"/>');
    await Promise.all(all.map((c) => c.waitFor((f) => f.type === 'presence' && f.data.status === 'to all 300', 5_000)));
    const ids = new Set(all.map((c) => c.events('presence').find((f) => f.data.status === 'to all 300')!.id));
    expect(ids.size).toBe(1);
    // The long-poll that brought the event is followed by exactly one new one, whatever the socket count.
    await eventually(() => (stack.sim.requests.some((r) => r.name === 'NoOpRequest' && r.account === 'ivan@example.com') ? true : undefined), 3_000, 'next long-poll');
    await sleep(200);
    expect(stack.sim.requests.filter((r) => r.name === 'NoOpRequest' && r.account === 'ivan@example.com')).toHaveLength(1);
  });
});
