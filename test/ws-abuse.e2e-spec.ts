import fc from 'fast-check';
import { EventsGateway } from '../src/events/events.gateway';
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
    let client = await sockets.ready({ token: judy });
    let reconnects = 0;
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
        if (client.ws.readyState !== 1) {
          // A frame closed the socket: that run has failed; a fresh socket lets the search find which frame.
          reconnects++;
          client = await sockets.ready({ token: judy });
        }
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
    expect(reconnects).toBe(0);
    expect(client.ws.readyState).toBe(1);
    await stillServing();
  });

  it('a frame over the size limit closes that socket with 1009, a text frame that is not UTF-8 with 1007; the process keeps serving', async () => {
    for (const frame of ['x'.repeat(17_000), nest('[', 9_000), Buffer.alloc(17_000)]) {
      const client = await sockets.ready({ token: judy });
      if (Buffer.isBuffer(frame)) client.sendBinary(frame);
      else client.send(frame);
      expect((await client.closed).code).toBe(1009);
    }
    const client = await sockets.ready({ token: judy });
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await client.closed).code).toBe(1007);
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

describe('WebSocket abuse: clients that do not read', () => {
  const MAX_BUFFERED = 64 * 1024;
  const PING_INTERVAL = 4_000;
  let stack: Stack;
  let erin: string;
  const sockets = new OpenSockets(() => stack.url);
  /** Keeps what identifies a frame and drops its bulk: the test process's own memory is measured. */
  const slim = (f: Frame): Frame => (f.type === 'presence' ? { id: f.id, type: f.type, data: { address: f.data.address } } : f);

  beforeAll(async () => {
    stack = await startStack({ config: { wsMaxBufferedBytes: MAX_BUFFERED, wsPingIntervalMs: PING_INTERVAL, eventLogSize: 1_000, longPollWaitMs: 30_000 } });
    erin = await stack.api.login('erin');
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  const address = (tag: string, i: number) => `${tag}-${i}@example.com`;
  const isFlood = (tag: string) => (f: Frame) => f.type === 'presence' && String(f.data?.address).startsWith(`${tag}-`);

  /**
   * Publishes `count` presence events of about `size` bytes for erin, about 1 MB per upstream reply,
   * each batch received by the reading `watcher` before the next one goes out.
   */
  async function flood(watcher: EventClient, tag: string, count: number, size: number): Promise<void> {
    const status = 's'.repeat(size);
    const batch = Math.max(1, Math.floor(1_000_000 / size));
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      const xml = Array.from({ length: end - start }, (_, k) => `<n type="presence" from="${address(tag, start + k)}" show="AWAY" status="${status}"/>`).join('');
      stack.sim.postNotification('erin@example.com', xml);
      await watcher.waitFor((f) => f.type === 'presence' && f.data?.address === address(tag, end - 1), 10_000);
    }
  }

  const ids = (frames: Frame[]) => frames.map((f) => f.id);

  it('a client that stops reading gets 4008 once it reads again within the ping interval, then resumes with ?after= without loss or duplicates', async () => {
    const watcher = await sockets.ready({ token: erin, record: slim });
    const slow = await sockets.ready({ token: erin, record: slim });
    slow.pauseReading();
    await flood(watcher, 'a', 400, 12_000); // ~5 MB: far more than the bound and the kernel's buffers
    await sleep(1_500); // not reading for a while, but less than a ping interval
    slow.resumeReading();
    expect((await slow.closed).code).toBe(4008);

    const got = slow.events();
    const resumed = await sockets.ready({ token: erin, record: slim, query: { after: got[got.length - 1].id! } });
    expect(resumed.frames[0]).toMatchObject({ type: 'ready', data: { resumed: true } });
    await resumed.waitFor((f) => f.data?.address === address('a', 399), 10_000);
    expect(ids([...got, ...resumed.events()].filter(isFlood('a')))).toEqual(ids(watcher.events().filter(isFlood('a'))));
    expect(got.filter(isFlood('a')).length).toBeLessThan(400); // it really was cut off
  });

  it('a resume that replays many large events paces them to the client: all arrive, in order, once, live ones after them; no 4008', async () => {
    const watcher = await sockets.ready({ token: erin, record: slim });
    await flood(watcher, 'f', 1, 10); // an event before the replayed ones, to resume after
    const after = watcher.events().find(isFlood('f'))!.id!;
    await flood(watcher, 'r', 300, 16_000); // ~5 MB to replay with a 64 KiB bound
    const resumed = await sockets.ready({ token: erin, record: slim, query: { after } });
    expect(resumed.frames[0]).toMatchObject({ type: 'ready', data: { resumed: true } });
    resumed.pauseReading(); // the replay stalls part-way, so the live events below queue behind it
    await flood(watcher, 'l', 50, 16_000);
    resumed.resumeReading();
    await resumed.waitFor((f) => f.data?.address === address('l', 49), 10_000);

    const all = watcher.events();
    const expected = ids(all.slice(all.findIndex((f) => f.id === after) + 1));
    expect(ids(resumed.events())).toEqual(expected);
    expect(resumed.ws.readyState).toBe(1);
  });

});

describe('WebSocket abuse: memory while a client does not read', () => {
  it('stays bounded: what is held for a client that does not read stops at the bound instead of growing with the traffic', async () => {
    // The event log keeps 20 events: beyond that, only a socket's unsent data could keep events alive.
    const stack = await startStack({ config: { wsMaxBufferedBytes: 64 * 1024, wsPingIntervalMs: 20_000, eventLogSize: 20, longPollWaitMs: 30_000 } });
    try {
      const erin = await stack.api.login('erin');
      const slim = (f: Frame): Frame => (f.type === 'presence' ? { id: f.id, type: f.type, data: { address: f.data.address } } : f);
      const watcher = await EventClient.ready(stack.url, { token: erin, record: slim });
      const idle = await EventClient.ready(stack.url, { token: erin, record: slim });
      const flood = async (tag: string, count: number) => {
        const status = 's'.repeat(100_000);
        for (let i = 0; i < count; i += 10) {
          stack.sim.postNotification('erin@example.com', Array.from({ length: 10 }, (_, k) => `<n type="presence" from="${tag}-${i + k}@example.com" show="AWAY" status="${status}"/>`).join(''));
          await watcher.waitFor((f) => f.data?.address === `${tag}-${i + 9}@example.com`, 10_000);
        }
      };
      await flood('w', 20); // fills the event log
      await idle.waitFor((f) => f.data?.address === 'w-19@example.com');
      idle.pauseReading();
      await flood('m', 200); // 20 MB that the idle client does not take
      // What the proxy holds for the idle client: its unsent data, which stops at the bound plus the
      // frame that crossed it (about 100 KB here), whatever the traffic. (The process's memory also
      // counts this test's own clients and the simulator, so it is no measure of the proxy alone.)
      expect(stack.app.get(EventsGateway).unsentBytes).toBeLessThan(64 * 1024 + 2 * 110_000);
      idle.resumeReading();
      expect((await idle.closed).code).toBe(4008);
      await watcher.close();
    } finally {
      await stack.close();
    }
  });
});

describe('WebSocket abuse: a client that never reads again', () => {
  it('is terminated by the heartbeat', async () => {
    const stack = await startStack({ config: { wsMaxBufferedBytes: 64 * 1024, wsPingIntervalMs: 300 } });
    try {
      const frank = await stack.api.login('frank');
      const gone = await EventClient.ready(stack.url, { token: frank });
      gone.pauseReading();
      const status = 's'.repeat(12_000);
      stack.sim.postNotification('frank@example.com', Array.from({ length: 80 }, (_, i) => `<n type="presence" from="x-${i}@example.com" show="AWAY" status="${status}"/>`).join(''));
      await sleep(1_000); // more than two ping intervals
      gone.resumeReading();
      expect((await gone.closed).code).toBe(1006);
    } finally {
      await stack.close();
    }
  });
});
