import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventsClient, MAX_COMMANDS_IN_FLIGHT, type ConnectionState, type EventsClientOptions, type Resync } from './events-client';
import type { EventData, StreamEvent } from './events';
import { ImbridgeError } from './problem';
import { createRestClient } from './rest';

const OPEN = 1;
const CLOSED = 3;
const PING = '{"op":"ping"}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** backoffDelay(·, {1, 1}) is floor(random·1) = 0: reconnection on the next macrotask. */
const NO_WAIT = { initialMs: 1, maxMs: 1 };

// ---- a fake WebSocket: records what the client sends, lets the test play the service ----

interface CommandFrame {
  op: string;
  id: string;
  [field: string]: unknown;
}

class FakeSocket {
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: string[] = [];
  /** The code the client closed with ('none' for close() without one); undefined while it has not. */
  closedByClient?: number | 'none';

  constructor(
    readonly url: string,
    registry: FakeSocket[],
  ) {
    registry.push(this);
  }

  send(data: string): void {
    // A real socket throws before it is open: the client must not send then.
    if (this.readyState !== OPEN) throw new Error(`send() on a socket in state ${this.readyState}`);
    this.sent.push(data);
  }

  close(code?: number): void {
    this.closedByClient = code ?? 'none';
    this.readyState = CLOSED;
  }

  // The service's side.
  get params(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  open(): void {
    this.readyState = OPEN;
    this.onopen?.();
  }

  deliver(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  ready(lastId: string | null, resumed = false): void {
    this.open();
    this.deliver({ type: 'ready', data: { resumed, lastId } });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = CLOSED;
    this.onclose?.({ code, reason });
  }

  ack(id: string, data: unknown = {}): void {
    this.deliver({ type: 'ack', id, data });
  }

  /** The command frames sent (not pings or subscriptions), in order. */
  get commands(): CommandFrame[] {
    return this.sent.map((frame) => JSON.parse(frame) as CommandFrame).filter((frame) => frame.op !== 'ping' && frame.op !== 'subscribe');
  }

  get commandIds(): string[] {
    return this.commands.map((frame) => frame.id);
  }
}

function fakeWebSocket(): { WebSocket: new (url: string) => FakeSocket; sockets: FakeSocket[]; last: () => FakeSocket } {
  const sockets: FakeSocket[] = [];
  const WebSocket = class extends FakeSocket {
    constructor(url: string) {
      super(url, sockets);
    }
  };
  return { WebSocket, sockets, last: () => sockets[sockets.length - 1] };
}

// ---- helpers ----

const AT = '2024-05-01T10:00:00.000Z';
const message = (id: string): StreamEvent<'message'> => ({
  id,
  type: 'message',
  at: AT,
  data: { thread: 't1', from: 'bob@example.com', seq: 1, sentAt: AT, text: `text of ${id}` },
});
const presence = (id: string): StreamEvent<'presence'> => ({ id, type: 'presence', at: AT, data: { address: 'bob@example.com', show: 'away' } });
const resyncEvent = (reason: EventData['resync']['reason'], id?: string) => (id === undefined ? { type: 'resync', at: AT, data: { reason } } : { id, type: 'resync', at: AT, data: { reason } });

/** Lets queued promise work (deliveries) run; no I/O is involved. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The settled outcome of a promise, or 'pending' if it has not settled within `ms`. */
async function outcomeOf(promise: Promise<unknown>, ms = 50): Promise<unknown> {
  return Promise.race([promise.then((value) => ({ resolved: value }), (error: unknown) => ({ rejected: error })), pause(ms).then(() => 'pending')]);
}

const clients: EventsClient[] = [];

function makeClient(options: Partial<EventsClientOptions> = {}) {
  const fake = fakeWebSocket();
  const errors: unknown[] = [];
  const states: ConnectionState[] = [];
  const client = new EventsClient({
    baseUrl: 'http://im.test',
    token: 'tok-1',
    clientId: 'client-1',
    WebSocket: fake.WebSocket,
    reconnect: NO_WAIT,
    onError: (error) => errors.push(error),
    ...options,
  });
  client.onState((state) => states.push(state));
  clients.push(client);
  return { client, fake, errors, states };
}

/** Connects and makes the first socket ready; returns that socket. */
async function connected(client: EventsClient, fake: ReturnType<typeof fakeWebSocket>, lastId: string | null = 'e.0', resumed = false): Promise<FakeSocket> {
  const ready = client.connect();
  fake.last().ready(lastId, resumed);
  await ready;
  return fake.last();
}

/** Drops the current socket as a network failure would and waits for the replacement. */
async function dropAndReconnect(fake: ReturnType<typeof fakeWebSocket>): Promise<FakeSocket> {
  const count = fake.sockets.length;
  fake.last().serverClose(1006);
  await until(() => fake.sockets.length === count + 1, 'a new socket');
  return fake.last();
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  jest.useRealTimers();
});

// ---- connection and resume point ----

describe('EventsClient: connection URL and resume point', () => {
  it('carries clientId and access_token, and after= the last delivered id on reconnect', async () => {
    const { client, fake, states, errors } = makeClient({ baseUrl: 'https://im.test/base/', token: 't k&1' });
    void client.connect();
    const first = new URL(fake.last().url);
    expect(`${first.protocol}//${first.host}${first.pathname}`).toBe('wss://im.test/base/v1/events');
    expect(first.searchParams.get('clientId')).toBe('client-1');
    expect(first.searchParams.get('access_token')).toBe('t k&1');
    expect(first.searchParams.has('after')).toBe(false); // from now on: nothing to resume

    fake.last().ready(null);
    fake.last().deliver(message('e.1'));
    fake.last().deliver(presence('e.2'));
    await flush();
    expect(client.lastId).toBe('e.2');

    const second = await dropAndReconnect(fake);
    expect(second.params.get('after')).toBe('e.2');
    expect(second.params.get('clientId')).toBe('client-1');
    expect(second.params.get('access_token')).toBe('t k&1');
    second.ready('e.2', true);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(errors).toEqual([]);
  });

  it('uses ws: for http: and starts after options.after when given', () => {
    const { client, fake } = makeClient({ after: 'e.5' });
    void client.connect();
    expect(fake.last().url.startsWith('ws://im.test/v1/events?')).toBe(true);
    expect(fake.last().params.get('after')).toBe('e.5');
    expect(client.lastId).toBe('e.5');
  });

  it('takes ready.lastId as the resume point on a fresh start', async () => {
    const { client, fake } = makeClient();
    await connected(client, fake, 'e.7');
    expect(client.lastId).toBe('e.7');
    const next = await dropAndReconnect(fake);
    expect(next.params.get('after')).toBe('e.7');
  });

  it('keeps its own resume point when resumed, and moves to ready.lastId when the service could not resume', async () => {
    const { client, fake } = makeClient({ after: 'e.5' });
    await connected(client, fake, 'e.9', true);
    expect(client.lastId).toBe('e.5'); // e.6…e.9 are about to be replayed
    const next = await dropAndReconnect(fake);
    expect(next.params.get('after')).toBe('e.5');
    next.ready('e.12', false); // too old: a resync follows, the stream goes on from e.12
    expect(client.lastId).toBe('e.12');
  });

  it('waits a growing backoff between failed attempts, and starts over from the first wait after a ready', () => {
    jest.useFakeTimers();
    // A draw near 1 makes each wait its cap: floor(0.999 · min(1000, 100·2^attempt)).
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      const { client, fake } = makeClient({ reconnect: { initialMs: 100, maxMs: 1_000 } });
      void client.connect();
      const waitForNextSocket = (): number => {
        const count = fake.sockets.length;
        let waited = 0;
        while (fake.sockets.length === count && waited < 5_000) {
          jest.advanceTimersByTime(1);
          waited++;
        }
        return waited;
      };
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        fake.last().serverClose(1006); // refused before ready
        waits.push(waitForNextSocket());
      }
      expect(waits).toEqual([99, 199, 399, 799, 999]);
      fake.last().ready('e.1');
      fake.last().serverClose(1006);
      expect(waitForNextSocket()).toBe(99);
    } finally {
      random.mockRestore();
    }
  });

  it('reconnects, resuming, after any other close code (too slow 4008, shutdown 1001, server error 1011, unavailable 1013)', async () => {
    const { client, fake } = makeClient();
    await connected(client, fake, 'e.1');
    for (const code of [4008, 1001, 1011, 1013]) {
      const count = fake.sockets.length;
      fake.last().serverClose(code);
      expect(client.state).toBe('reconnecting');
      await until(() => fake.sockets.length === count + 1, `a new socket after ${code}`);
      expect(fake.last().params.get('after')).toBe('e.1');
      fake.last().ready('e.1', true);
    }
    expect(client.state).toBe('open');
  });

  it('sends the subscription filter once ready, at once when ready, and again on every new connection', async () => {
    const { client, fake } = makeClient();
    client.subscribe({ types: ['message'], threads: ['t1'] });
    const filter = { op: 'subscribe', types: ['message'], threads: ['t1'] };
    const first = await connected(client, fake);
    expect(first.sent.map((frame) => JSON.parse(frame))).toEqual([filter]);
    client.subscribe({ threads: ['t2'] });
    expect(JSON.parse(first.sent[1])).toEqual({ op: 'subscribe', threads: ['t2'] });
    const second = await dropAndReconnect(fake);
    second.ready('e.0', true);
    expect(second.sent.map((frame) => JSON.parse(frame))).toEqual([{ op: 'subscribe', threads: ['t2'] }]);
  });

  it('drops a connection that does not say ready within readyTimeoutMs and opens another', async () => {
    const { client, fake } = makeClient({ readyTimeoutMs: 20 });
    void client.connect();
    const silent = fake.last();
    silent.open();
    await until(() => fake.sockets.length >= 2, 'a second socket');
    expect(silent.closedByClient).toBeDefined();
  });
});

// ---- delivery ----

describe('EventsClient: delivery', () => {
  it('delivers each event once to the listeners of its type, even when an id comes again (also across a reconnect)', async () => {
    const { client, fake, errors } = makeClient();
    const messages: string[] = [];
    const presences: string[] = [];
    const stop = client.on('message', (data, event) => messages.push(`${event.id} ${data.text}`));
    client.on('presence', (data, event) => presences.push(`${event.id} ${data.show}`));
    const socket = await connected(client, fake, null);

    for (const event of [message('e.1'), message('e.2'), message('e.2'), presence('e.3'), message('e.1'), presence('e.3')]) socket.deliver(event);
    await flush();
    expect(messages).toEqual(['e.1 text of e.1', 'e.2 text of e.2']);
    expect(presences).toEqual(['e.3 away']);

    // The service replays from a little earlier than asked: the repeats are dropped.
    const next = await dropAndReconnect(fake);
    expect(next.params.get('after')).toBe('e.3');
    next.ready('e.4', true);
    for (const event of [message('e.2'), presence('e.3'), message('e.4')]) next.deliver(event);
    await flush();
    expect(messages).toEqual(['e.1 text of e.1', 'e.2 text of e.2', 'e.4 text of e.4']);
    expect(presences).toEqual(['e.3 away']);

    stop();
    next.deliver(message('e.5'));
    await flush();
    expect(messages).toHaveLength(3);
    expect(client.lastId).toBe('e.5');
    expect(errors).toEqual([]);
  });

  it('reports a listener that throws and still delivers to the others', async () => {
    const { client, fake, errors } = makeClient();
    const failure = new Error('listener bug');
    const seen: string[] = [];
    client.on('message', () => {
      throw failure;
    });
    client.on('message', (_data, event) => seen.push(event.id ?? '-'));
    const socket = await connected(client, fake);
    socket.deliver(message('e.1'));
    socket.deliver(message('e.2'));
    await flush();
    expect(seen).toEqual(['e.1', 'e.2']);
    expect(errors).toEqual([failure, failure]);
  });

  it('sees every event exactly once and in order, whatever repeats and drops happen (model)', async () => {
    type Step = { kind: 'event'; type: 'message' | 'presence' } | { kind: 'repeat'; back: number } | { kind: 'drop'; missed: number; overlap: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('event' as const), type: fc.constantFrom('message' as const, 'presence' as const) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), back: fc.nat({ max: 50 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), missed: fc.nat({ max: 3 }), overlap: fc.nat({ max: 3 }) }) },
    );

    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        // The service's stream: ids increase; e.0000 is the (empty) start, so nothing is ever out of reach.
        const stream: StreamEvent[] = [];
        const publish = (type: 'message' | 'presence'): StreamEvent => {
          const id = `e.${String(stream.length + 1).padStart(4, '0')}`;
          const event = type === 'message' ? message(id) : presence(id);
          stream.push(event);
          return event;
        };
        /** What the service has put on a socket to this client. */
        let lastSentId = 'e.0000';
        const { client, fake, errors } = makeClient({ after: 'e.0000' });
        const seen: string[] = [];
        client.on('message', (_data, event) => seen.push(event.id ?? 'no id'));
        client.on('presence', (_data, event) => seen.push(event.id ?? 'no id'));
        const resyncs: Resync[] = [];
        client.on('resync', (data) => resyncs.push(data));

        /** Plays the service on a new socket: ready, then a replay after its `after`, from `overlap` earlier. */
        const serve = (socket: FakeSocket, overlap: number): void => {
          const after = socket.params.get('after');
          const index = after === 'e.0000' ? -1 : stream.findIndex((event) => event.id === after);
          if (after !== 'e.0000') expect(index).toBeGreaterThanOrEqual(0); // an id this service gave
          const from = index + 1;
          socket.ready(stream.length ? stream[stream.length - 1].id : null, true);
          for (const event of stream.slice(Math.max(0, from - overlap))) socket.deliver(event);
          if (stream.length) lastSentId = stream[stream.length - 1].id;
        };

        try {
          void client.connect();
          serve(fake.last(), 0);
          for (const s of steps) {
            if (s.kind === 'event') {
              const event = publish(s.type);
              fake.last().deliver(event);
              lastSentId = event.id;
            } else if (s.kind === 'repeat') {
              if (stream.length) fake.last().deliver(stream[stream.length - 1 - (s.back % stream.length)]);
            } else {
              await flush();
              const count = fake.sockets.length;
              fake.last().serverClose(1006);
              for (let i = 0; i < s.missed; i++) publish('message'); // published while this client was away
              await until(() => fake.sockets.length === count + 1, 'a new socket');
              // It resumes after exactly the last event it was given.
              expect(fake.last().params.get('after')).toBe(lastSentId);
              serve(fake.last(), s.overlap);
            }
          }
          await flush();
          expect(seen).toEqual(stream.map((event) => event.id));
          expect(client.lastId).toBe(stream.length ? stream[stream.length - 1].id : 'e.0000');
          expect(resyncs).toEqual([]);
          expect(errors).toEqual([]);
        } finally {
          client.close();
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

// ---- resync ----

describe('EventsClient: resync', () => {
  const CHATS = [{ thread: 'chat-bob%example.com-0', participants: [{ address: 'bob@example.com' }], unread: 2 }];
  const ROSTER = { presence: { show: 'online' }, contacts: [], requests: ['carol@example.com'], chats: [] };
  let server: Server;
  let baseUrl: string;
  let requests: { path: string; authorization?: string }[];
  let rosterStatus: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      // Slow enough that an event not held behind the re-read would overtake it.
      setTimeout(() => {
        if (req.url === '/v1/chats') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CHATS));
        } else if (req.url === '/v1/roster' && rosterStatus === 200) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ROSTER));
        } else {
          res.writeHead(rosterStatus, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'auth.REQUIRED', detail: 'no', status: rosterStatus }));
        }
      }, 30);
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
    rosterStatus = 200;
  });

  it('re-reads chats and roster over REST, and delivers the events after a resync only once its listener ran', async () => {
    const rest = createRestClient({ baseUrl, token: 'tok-1', backoff: NO_WAIT });
    const { client, fake, errors } = makeClient({ rest });
    const log: string[] = [];
    const resyncs: Resync[] = [];
    client.on('resync', (data, event) => {
      log.push(`resync ${event.id ?? '-'} ${data.reason}`);
      resyncs.push(data);
    });
    client.on('message', (_data, event) => log.push(`message ${event.id}`));
    const socket = await connected(client, fake, 'e.1');

    // An upstream_session resync is a stream event with an id; a gap notice to this socket has none.
    socket.deliver(resyncEvent('upstream_session', 'e.2'));
    socket.deliver(message('e.3'));
    socket.deliver(resyncEvent('gap'));
    socket.deliver(message('e.4'));
    await flush();
    expect(log).toEqual([]); // all held behind the first re-read
    await until(() => log.length === 4, 'four deliveries');

    expect(log).toEqual(['resync e.2 upstream_session', 'message e.3', 'resync - gap', 'message e.4']);
    expect(resyncs).toEqual([
      { reason: 'upstream_session', chats: CHATS, roster: ROSTER },
      { reason: 'gap', chats: CHATS, roster: ROSTER },
    ]);
    expect(requests.map((r) => r.path).sort()).toEqual(['/v1/chats', '/v1/chats', '/v1/roster', '/v1/roster']);
    for (const request of requests) expect(request.authorization).toBe('Bearer tok-1');
    expect(client.lastId).toBe('e.4'); // the id-less notice does not move the resume point
    expect(errors).toEqual([]);
  });

  it('hands the listener the error when the re-read fails', async () => {
    rosterStatus = 401;
    const rest = createRestClient({ baseUrl, token: 'tok-1', backoff: NO_WAIT });
    const { client, fake } = makeClient({ rest });
    const resyncs: Resync[] = [];
    client.on('resync', (data) => resyncs.push(data));
    const socket = await connected(client, fake);
    socket.deliver(resyncEvent('gap'));
    await until(() => resyncs.length === 1, 'the resync');
    expect(resyncs[0].reason).toBe('gap');
    expect(resyncs[0].roster).toBeUndefined();
    expect(resyncs[0].error).toBeInstanceOf(ImbridgeError);
    expect(resyncs[0].error).toMatchObject({ code: 'auth.REQUIRED' });
  });

  it('without options.rest, calls the listener with the reason alone, still before the events after it', async () => {
    const { client, fake } = makeClient({ after: 'e.1' });
    const log: string[] = [];
    const resyncs: Resync[] = [];
    client.on('resync', (data, event) => {
      log.push(`resync ${event.id ?? '-'}`);
      resyncs.push(data);
    });
    client.on('message', (_data, event) => log.push(`message ${event.id}`));
    const socket = await connected(client, fake, 'e.9', false); // e.1 could not be replayed
    socket.deliver(resyncEvent('gap'));
    socket.deliver(message('e.10'));
    await flush();
    expect(log).toEqual(['resync -', 'message e.10']);
    expect(resyncs).toEqual([{ reason: 'gap' }]);
  });

  it("synthesises one resync {gap} when a fresh start follows a connection that saw no event", async () => {
    const { client, fake } = makeClient();
    const resyncs: { data: Resync; id: string | undefined }[] = [];
    client.on('resync', (data, event) => resyncs.push({ data, id: event.id }));
    const seen: string[] = [];
    client.on('message', (_data, event) => seen.push(event.id ?? '-'));
    await connected(client, fake, null); // the stream had no event yet

    const second = await dropAndReconnect(fake);
    expect(second.params.has('after')).toBe(false); // nothing to resume from
    second.ready('e.3', false); // e.1…e.3 happened while away and cannot be replayed
    second.deliver(message('e.4'));
    await flush();
    expect(resyncs).toEqual([{ data: { reason: 'gap' }, id: undefined }]);
    expect(seen).toEqual(['e.4']);
    expect(client.lastId).toBe('e.4');

    // Resuming normally from now on: no more resyncs.
    const third = await dropAndReconnect(fake);
    expect(third.params.get('after')).toBe('e.4');
    third.ready('e.4', true);
    await flush();
    expect(resyncs).toHaveLength(1);
  });

  it('does not synthesise a resync when nothing was missed', async () => {
    const { client, fake } = makeClient();
    const resyncs: Resync[] = [];
    client.on('resync', (data) => resyncs.push(data));
    await connected(client, fake, null);
    // Still no event in the stream at the fresh start.
    (await dropAndReconnect(fake)).ready(null, false);
    // The first event arrives, then a drop: resumed after it.
    fake.last().deliver(message('e.1'));
    await flush();
    const third = await dropAndReconnect(fake);
    expect(third.params.get('after')).toBe('e.1');
    third.ready('e.5', true);
    await flush();
    expect(resyncs).toEqual([]);
  });
});

// ---- commands ----

describe('EventsClient: commands', () => {
  const sent = (seq: number) => ({ thread: 't1', seq, sentAt: AT });

  it('sends commands with their fields and a UUID id; ack resolves with data, error rejects with its code', async () => {
    const { client, fake, errors } = makeClient();
    const socket = await connected(client, fake);
    const sending = client.send({ thread: 't1', text: 'hi', html: '<b>hi</b>' });
    const typing = client.typing('t1', true);
    const presence = client.presence('away', 'lunch');
    const idle = client.idle(true, 30);
    const [send, type, pres, idl] = socket.commands;
    expect(socket.commands).toHaveLength(4);
    for (const frame of socket.commands) expect(frame.id).toMatch(UUID);
    expect(send).toEqual({ op: 'send', thread: 't1', text: 'hi', html: '<b>hi</b>', id: send.id });
    expect(type).toEqual({ op: 'typing', thread: 't1', typing: true, id: type.id });
    expect(pres).toEqual({ op: 'presence', show: 'away', status: 'lunch', id: pres.id });
    expect(idl).toEqual({ op: 'idle', idle: true, idleSeconds: 30, id: idl.id });

    socket.ack(send.id, sent(4));
    await expect(sending).resolves.toEqual(sent(4));
    socket.ack(type.id);
    await expect(typing).resolves.toBeUndefined();
    socket.deliver({ type: 'error', id: pres.id, data: { code: 'rate.LIMITED', detail: 'slow down', status: 429 } });
    const rejection = await presence.then(() => undefined, (error: unknown) => error);
    expect(rejection).toBeInstanceOf(ImbridgeError);
    expect(rejection).toMatchObject({ code: 'rate.LIMITED', status: 429 });
    // An error without an id answers no command: it is reported, and idle is still waiting.
    socket.deliver({ type: 'error', data: { code: 'request.INVALID', detail: 'bad frame' } });
    expect(errors).toEqual([expect.objectContaining({ code: 'request.INVALID' })]);
    expect(await outcomeOf(idle, 20)).toBe('pending');
    socket.ack(idl.id);
    await expect(idle).resolves.toBeUndefined();
  });

  it('keeps commands given before ready until the stream is ready', async () => {
    const { client, fake } = makeClient();
    void client.connect();
    const sending = client.send({ to: 'bob@example.com', text: 'early', id: 'early-1' });
    fake.last().open();
    expect(fake.last().commands).toEqual([]);
    fake.last().deliver({ type: 'ready', data: { resumed: false, lastId: null } });
    expect(fake.last().commands).toEqual([{ op: 'send', to: 'bob@example.com', text: 'early', id: 'early-1' }]);
    fake.last().ack('early-1', sent(1));
    await expect(sending).resolves.toEqual(sent(1));
  });

  it(`has at most ${MAX_COMMANDS_IN_FLIGHT} commands unanswered at once, and sends the rest as answers come`, async () => {
    expect(MAX_COMMANDS_IN_FLIGHT).toBe(8);
    const { client, fake } = makeClient();
    const socket = await connected(client, fake);
    const ids = Array.from({ length: 20 }, (_, i) => `cmd-${i}`);
    const results = ids.map((id, i) => client.send({ thread: 't1', text: `m${i}`, id }));
    expect(socket.commandIds).toEqual(ids.slice(0, 8));

    const answered = new Set<string>();
    // Answer in a scrambled order (newest sent first, every third one an error).
    for (let round = 0; answered.size < ids.length; round++) {
      const waiting = socket.commandIds.filter((id) => !answered.has(id));
      expect(waiting.length).toBeLessThanOrEqual(MAX_COMMANDS_IN_FLIGHT);
      const id = waiting[waiting.length - 1];
      answered.add(id);
      if (round % 3 === 2) socket.deliver({ type: 'error', id, data: { code: 'im.UNAVAILABLE', detail: 'x', status: 503 } });
      else socket.ack(id, sent(round));
    }
    // Each sent once, in the order given.
    expect(socket.commandIds).toEqual(ids);
    const settled = await Promise.allSettled(results);
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(6);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'im.UNAVAILABLE' });
  });

  it('sends unanswered commands again after a drop, with the same ids, in the same order', async () => {
    const { client, fake } = makeClient();
    const first = await connected(client, fake);
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const results = ids.map((id) => client.send({ thread: 't1', text: `text ${id}`, id }));
    first.ack('c1', sent(1)); // c8 goes out in its place
    expect(first.commandIds).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);

    const second = await dropAndReconnect(fake);
    expect(second.sent).toEqual([]);
    second.ready('e.0', true);
    expect(second.commandIds).toEqual(['c0', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);
    // The very same frames: the service answers a repeated id with its first answer.
    const firstFrames = new Map(first.commands.map((frame) => [frame.id, frame]));
    for (const frame of second.commands) expect(frame).toEqual(firstFrames.get(frame.id));

    second.ack('c0', sent(0));
    expect(second.commandIds.slice(-1)).toEqual(['c9']);
    for (const id of ids.filter((id) => id !== 'c0' && id !== 'c1')) second.ack(id, sent(Number(id.slice(1))));
    expect(await Promise.all(results)).toEqual(ids.map((_, i) => sent(i)));
  });

  it('rejects a second command under an id still waiting for its answer', async () => {
    const { client, fake } = makeClient();
    const socket = await connected(client, fake);
    void client.send({ thread: 't1', text: 'a', id: 'dup' }).catch(() => undefined);
    await expect(client.send({ thread: 't1', text: 'b', id: 'dup' })).rejects.toMatchObject({ code: 'request.INVALID' });
    expect(socket.commandIds).toEqual(['dup']);
  });

  it('fails a command unanswered within commandTimeoutMs with client.TIMEOUT', async () => {
    const { client, fake } = makeClient({ commandTimeoutMs: 30 });
    await connected(client, fake);
    expect(await outcomeOf(client.send({ thread: 't1', text: 'lost' }), 500)).toEqual({ rejected: expect.objectContaining({ code: 'client.TIMEOUT' }) });
  });

  it('keeps a timed-out command counted until its late answer: the service may still be running it', async () => {
    const { client, fake } = makeClient({ commandTimeoutMs: 60 });
    const socket = await connected(client, fake);
    const slow = client.send({ thread: 't1', text: 'slow', id: 'slow' });
    await pause(20);
    const rest = Array.from({ length: MAX_COMMANDS_IN_FLIGHT }, (_, i) => client.send({ thread: 't1', text: `m${i}`, id: `m${i}` }).catch(() => undefined));
    expect(socket.commandIds).toEqual(['slow', ...Array.from({ length: MAX_COMMANDS_IN_FLIGHT - 1 }, (_, i) => `m${i}`)]);
    expect(await outcomeOf(slow, 500)).toEqual({ rejected: expect.objectContaining({ code: 'client.TIMEOUT' }) });
    expect(socket.commandIds).not.toContain(`m${MAX_COMMANDS_IN_FLIGHT - 1}`);
    socket.ack('slow', sent(0)); // the late answer frees its place
    expect(socket.commandIds).toContain(`m${MAX_COMMANDS_IN_FLIGHT - 1}`);
    await Promise.allSettled(rest);
  });
});

// ---- ending ----

describe('EventsClient: refusal and close', () => {
  it('on 4401 before ready: closed, connect() rejects with auth.REQUIRED, no reconnection', async () => {
    const { client, fake, states } = makeClient();
    const connecting = client.connect();
    fake.last().serverClose(4401, 'unauthorized');
    expect(await outcomeOf(connecting)).toEqual({ rejected: expect.objectContaining({ code: 'auth.REQUIRED', status: 401 }) });
    expect(client.state).toBe('closed');
    await pause(30);
    expect(fake.sockets).toHaveLength(1);
    expect(states).toEqual(['connecting', 'closed']);
  });

  it('on 4401 after ready: pending commands reject with auth.REQUIRED, no new socket, later commands fail closed', async () => {
    const { client, fake } = makeClient();
    const socket = await connected(client, fake);
    const pending = [client.send({ thread: 't1', text: 'a' }), client.typing('t1', false)];
    socket.serverClose(4401);
    for (const command of pending) expect(await outcomeOf(command)).toEqual({ rejected: expect.objectContaining({ code: 'auth.REQUIRED' }) });
    expect(client.state).toBe('closed');
    await pause(30);
    expect(fake.sockets).toHaveLength(1);
    await expect(client.presence('online')).rejects.toMatchObject({ code: 'client.CLOSED' });
  });

  it('on 1008 (a refused connection request): closed with request.INVALID, no reconnection', async () => {
    const { client, fake } = makeClient();
    const connecting = client.connect();
    fake.last().serverClose(1008);
    expect(await outcomeOf(connecting)).toEqual({ rejected: expect.objectContaining({ code: 'request.INVALID' }) });
    await pause(30);
    expect(fake.sockets).toHaveLength(1);
  });

  it('close() rejects pending commands with client.CLOSED, closes the socket with 1000 and never reconnects', async () => {
    const { client, fake, states } = makeClient();
    const socket = await connected(client, fake);
    const pending = client.send({ thread: 't1', text: 'a' });
    client.close();
    expect(await outcomeOf(pending)).toEqual({ rejected: expect.objectContaining({ code: 'client.CLOSED' }) });
    expect(socket.closedByClient).toBe(1000);
    expect(states[states.length - 1]).toBe('closed');
    socket.serverClose(1006); // a late close event of that socket changes nothing
    await pause(30);
    expect(fake.sockets).toHaveLength(1);
    expect(client.state).toBe('closed');
  });

  it('close() before ready rejects connect() with client.CLOSED; close() while reconnecting stops the reconnection', async () => {
    const first = makeClient();
    const connecting = first.client.connect();
    first.client.close();
    expect(await outcomeOf(connecting)).toEqual({ rejected: expect.objectContaining({ code: 'client.CLOSED' }) });

    const second = makeClient({ reconnect: { initialMs: 20, maxMs: 20 } });
    await connected(second.client, second.fake);
    const waiting = second.client.send({ thread: 't1', text: 'queued' });
    second.fake.last().serverClose(1006);
    expect(second.client.state).toBe('reconnecting');
    second.client.close();
    expect(await outcomeOf(waiting)).toEqual({ rejected: expect.objectContaining({ code: 'client.CLOSED' }) });
    await pause(50);
    expect(second.fake.sockets).toHaveLength(1);
  });

  // SDK BUG (see the report): connect() called after close() returns a promise that never settles.
  it('connect() after close() rejects with client.CLOSED', async () => {
    const { client, fake } = makeClient();
    client.close();
    expect(await outcomeOf(client.connect())).toEqual({ rejected: expect.objectContaining({ code: 'client.CLOSED' }) });
    expect(fake.sockets).toHaveLength(0);
  });
});

// ---- liveness ----

describe('EventsClient: ping and dead connections', () => {
  const pings = (socket: FakeSocket): number => socket.sent.filter((frame) => frame === PING).length;

  it('pings every pingIntervalMs, keeps a connection that answers, and replaces one silent for pongTimeoutMs after a ping', async () => {
    jest.useFakeTimers();
    const { client, fake } = makeClient({ pingIntervalMs: 1_000, pongTimeoutMs: 400 });
    const ready = client.connect();
    fake.last().ready('e.1');
    await ready;
    const socket = fake.last();

    jest.advanceTimersByTime(999);
    expect(pings(socket)).toBe(0);
    jest.advanceTimersByTime(1);
    expect(pings(socket)).toBe(1);

    // Answered pings (a pong, or any frame) keep it.
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(200);
      socket.deliver(i % 2 ? { type: 'pong' } : presence(`e.p${i}`));
      jest.advanceTimersByTime(800);
    }
    expect(pings(socket)).toBe(6);
    expect(fake.sockets).toHaveLength(1);
    expect(socket.closedByClient).toBeUndefined();
    expect(client.state).toBe('open');

    // Silent after the 6th ping: dropped at exactly pongTimeoutMs.
    jest.advanceTimersByTime(399);
    expect(socket.closedByClient).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(socket.closedByClient).toBeDefined();
    expect(client.state).toBe('reconnecting');
    jest.advanceTimersByTime(1);
    expect(fake.sockets).toHaveLength(2);
    const next = fake.last();
    expect(next.params.get('after')).toBe('e.p4');

    // Pings go to the new socket only, once it is ready.
    next.ready('e.p4', true);
    jest.advanceTimersByTime(1_000);
    expect(pings(next)).toBe(1);
    expect(pings(socket)).toBe(6);
  });

  // SDK BUG (see the report): each ping clears the previous ping's deadline, so with
  // pongTimeoutMs > pingIntervalMs a silent connection is never dropped.
  it('drops a silent connection when pongTimeoutMs exceeds pingIntervalMs', async () => {
    jest.useFakeTimers();
    const { client, fake } = makeClient({ pingIntervalMs: 100, pongTimeoutMs: 250 });
    const ready = client.connect();
    fake.last().ready('e.1');
    await ready;
    const socket = fake.last();
    // First ping at 100 ms, unanswered: dead by 350 ms, replaced right after.
    jest.advanceTimersByTime(1_000);
    expect(socket.closedByClient === undefined ? 'still open' : 'dropped').toBe('dropped');
    expect(fake.sockets).toHaveLength(2);
  });
});
