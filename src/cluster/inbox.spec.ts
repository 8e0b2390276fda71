import { randomUUID } from 'node:crypto';
import { RedisServer } from '../../test/support/redis-server';
import {
  Inbox,
  InboxBusy,
  InboxRemoteError,
  InboxStopped,
  InboxTimeout,
  InboxUnreachable,
  NO_HANDLER,
} from './inbox';
import { ClusterKeys } from './keys';
import { RedisConnection } from './redis';
import { Sealer } from './sealed';

const SECRET = 'a cluster secret of at least thirty-two bytes';
const keys = new ClusterKeys('imb:');

/** Each inbox on a Redis connection of its own, as two instances would be. */
async function inboxOn(url: string, instanceId: string, options?: { maxPending?: number }): Promise<{ inbox: Inbox; redis: RedisConnection }> {
  const redis = await RedisConnection.connect({ url, name: instanceId });
  const inbox = new Inbox(redis, keys, new Sealer(SECRET, 'inbox'), instanceId, options);
  await inbox.start();
  return { inbox, redis };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Inbox, between two instances over a redis-server of the test\'s own', () => {
  let server: RedisServer;
  let east: { inbox: Inbox; redis: RedisConnection };
  let west: { inbox: Inbox; redis: RedisConnection };
  /** A third connection that can publish anything on any channel, as an intruder with Redis access could. */
  let intruder: RedisConnection;
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown): void => void unhandled.push(reason);
  const calls: Array<{ payload: unknown; from: string }> = [];
  let releaseLate: () => void = () => undefined;

  beforeAll(async () => {
    process.on('unhandledRejection', recordUnhandled);
    server = await RedisServer.start();
    east = await inboxOn(server.url, 'east');
    west = await inboxOn(server.url, 'west');
    intruder = await RedisConnection.connect({ url: server.url, name: 'intruder' });
    west.inbox.handle('echo', (payload, from) => {
      calls.push({ payload, from });
      return { echoed: payload, by: 'west', from };
    });
    west.inbox.handle('fail', () => {
      throw Object.assign(new Error('no such contact'), { status: 404, code: 'not_found', unserialisable: () => 1 });
    });
    west.inbox.handle('reject', async () => Promise.reject(new TypeError('rejected asynchronously')));
    west.inbox.handle('throw-string', () => {
      throw 'just a string';
    });
    west.inbox.handle('bigint', () => BigInt(1));
    west.inbox.handle('never', () => new Promise(() => undefined));
    west.inbox.handle('late', () => new Promise((resolve) => (releaseLate = () => resolve('too late'))));
    west.inbox.handle('ping', () => 'pong');
    west.inbox.handle('double', async (payload) => {
      await sleep(Math.random() * 20); // replies come back in another order than the requests went out
      return (payload as { n: number }).n * 2;
    });
  });

  afterAll(async () => {
    await east?.inbox.stop();
    await west?.inbox.stop();
    await Promise.all([east?.redis.close(), west?.redis.close(), intruder?.close()]);
    await server?.stop();
    process.off('unhandledRejection', recordUnhandled);
  });

  afterEach(() => expect(unhandled).toEqual([]));

  it('carries a request to the target\'s handler and its answer back, naming the sender', async () => {
    const before = calls.length;
    await expect(east.inbox.request('west', 'echo', { text: 'hello', list: [1, 2] }, 1_000)).resolves.toEqual({
      echoed: { text: 'hello', list: [1, 2] },
      by: 'west',
      from: 'east',
    });
    expect(calls.slice(before)).toEqual([{ payload: { text: 'hello', list: [1, 2] }, from: 'east' }]);
    expect(east.inbox.pendingCount).toBe(0);
  });

  it('rejects with the remote error\'s name, message and serialisable fields when the handler throws', async () => {
    const failed = await east.inbox.request('west', 'fail', {}, 1_000).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(InboxRemoteError);
    expect((failed as InboxRemoteError).remote).toEqual({ name: 'Error', message: 'no such contact', status: 404, code: 'not_found' });
    expect(failed).toMatchObject({ to: 'west', kind: 'fail' });

    await expect(east.inbox.request('west', 'reject', {}, 1_000)).rejects.toMatchObject({
      remote: { name: 'TypeError', message: 'rejected asynchronously' },
    });
    await expect(east.inbox.request('west', 'throw-string', {}, 1_000)).rejects.toMatchObject({
      remote: { name: 'Error', message: 'just a string' },
    });
    await expect(east.inbox.request('west', 'bigint', {}, 1_000)).rejects.toMatchObject({ remote: { name: 'TypeError' } });
    await expect(east.inbox.request('west', 'unknown-kind', {}, 1_000)).rejects.toMatchObject({
      remote: { name: NO_HANDLER, message: 'no handler for unknown-kind' },
    });
  });

  it('times out when the handler never answers, and drops a reply that comes after the timeout', async () => {
    const started = Date.now();
    const never = await east.inbox.request('west', 'never', {}, 100).catch((err: unknown) => err);
    expect(never).toBeInstanceOf(InboxTimeout);
    expect(never).toMatchObject({ to: 'west', kind: 'never', timeoutMs: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);

    const lateBefore = east.inbox.lateReplies;
    await expect(east.inbox.request('west', 'late', {}, 50)).rejects.toBeInstanceOf(InboxTimeout);
    releaseLate();
    await until(() => east.inbox.lateReplies === lateBefore + 1);
    expect(east.inbox.pendingCount).toBe(0);
    await expect(east.inbox.request('west', 'echo', 'still fine', 1_000)).resolves.toMatchObject({ echoed: 'still fine' });
  });

  it('rejects at once with InboxUnreachable when nobody listens on the target\'s inbox', async () => {
    const started = Date.now();
    const gone = await east.inbox.request('gone', 'echo', {}, 5_000).catch((err: unknown) => err);
    expect(gone).toBeInstanceOf(InboxUnreachable);
    expect(gone).toMatchObject({ to: 'gone', kind: 'echo' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(east.inbox.pendingCount).toBe(0);
    await expect(east.inbox.notify('gone', 'echo', {})).resolves.toBe(false);
  });

  it('delivers one-way notes, and true means someone received it', async () => {
    const before = calls.length;
    const lateBefore = east.inbox.lateReplies;
    await expect(east.inbox.notify('west', 'echo', { note: 1 })).resolves.toBe(true);
    await until(() => calls.length === before + 1);
    expect(calls[before]).toEqual({ payload: { note: 1 }, from: 'east' });
    await sleep(50); // a note gets no reply: east has nothing to count as late
    expect(east.inbox.lateReplies).toBe(lateBefore);
  });

  it('drops and counts what is not sealed with the key, malformed, addressed elsewhere, stale or replayed', async () => {
    const before = calls.length;
    const droppedBefore = west.inbox.dropped;
    const westChannel = keys.inbox('west');
    const ours = new Sealer(SECRET, 'inbox');
    const request = (fields: Record<string, unknown>) =>
      JSON.stringify({ id: randomUUID(), kind: 'echo', from: 'east', to: 'west', at: Date.now(), payload: 'forged', ...fields });

    // A copy of a genuine request, seen by someone subscribed to west's inbox.
    const captured: string[] = [];
    await intruder.subscribe(westChannel, (message) => void captured.push(message));
    await east.inbox.request('west', 'echo', 'genuine', 1_000);
    await until(() => captured.length === 1);
    const afterGenuine = calls.length;

    const forgeries = [
      request({}), // plain JSON, not sealed
      'not even base64 !!',
      '',
      new Sealer('another secret of at least thirty-two bytes', 'inbox').seal(request({})),
      new Sealer(SECRET, 'another purpose').seal(request({})),
      ours.seal('not json'),
      ours.seal('42'),
      ours.seal('null'),
      ours.seal(JSON.stringify({ kind: 'echo', from: 'east' })), // no id, no address, no date
      ours.seal(request({ id: 7 })),
      ours.seal(request({ to: 'elsewhere' })),
      ours.seal(request({ at: Date.now() - 60_000 })), // a stale copy
      ours.seal(request({ at: Date.now() + 60_000 })),
      ours.seal(JSON.stringify({ re: 'x', ok: false, error: 'not an error object' })),
      captured[0], // replayed
    ];
    for (const forged of forgeries) await intruder.publish(westChannel, forged);
    await until(() => west.inbox.dropped === droppedBefore + forgeries.length);
    expect(calls.length).toBe(afterGenuine);
    expect(calls.slice(before).map((c) => c.payload)).toEqual(['genuine']);

    // A sealed reply to no pending request is ignored too, and the inbox keeps working.
    await intruder.publish(keys.inbox('east'), ours.seal(JSON.stringify({ re: randomUUID(), ok: true, value: 'unasked' })));
    await expect(east.inbox.request('west', 'echo', 'after', 1_000)).resolves.toMatchObject({ echoed: 'after' });
  });

  it('answers many concurrent requests, each with its own reply', async () => {
    const count = 500;
    const replies = await Promise.all(Array.from({ length: count }, (_, n) => east.inbox.request<number>('west', 'double', { n }, 5_000)));
    expect(replies).toEqual(Array.from({ length: count }, (_, n) => n * 2));
    expect(east.inbox.pendingCount).toBe(0);
  });

  it('answers 1 000 sequential requests with a median round trip far below any forwarding bound', async () => {
    const times: number[] = [];
    for (let n = 0; n < 1_000; n++) {
      const started = process.hrtime.bigint();
      await expect(east.inbox.request('west', 'ping', null, 1_000)).resolves.toBe('pong');
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    // A loose bound (shared CI cores): the median is a few hundred µs on loopback.
    expect(times[500]).toBeLessThan(25);
  });

  it('refuses a request beyond maxPending at once, and stop() rejects what still waits', async () => {
    const small = await inboxOn(server.url, 'small', { maxPending: 2 });
    const waiting = [small.inbox.request('west', 'never', {}, 10_000), small.inbox.request('west', 'never', {}, 10_000)];
    const outcomes = Promise.allSettled(waiting);
    await expect(small.inbox.request('west', 'never', {}, 10_000)).rejects.toBeInstanceOf(InboxBusy);
    expect(small.inbox.pendingCount).toBe(2);

    const started = Date.now();
    await small.inbox.stop();
    const settled = await outcomes;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(settled.map((s) => s.status === 'rejected' && s.reason instanceof InboxStopped)).toEqual([true, true]);
    expect(small.inbox.pendingCount).toBe(0);
    await expect(small.inbox.request('west', 'echo', {}, 1_000)).rejects.toBeInstanceOf(InboxStopped);
    // Stopped means unsubscribed: nobody listens on its inbox any more.
    await expect(east.inbox.request('small', 'echo', {}, 1_000)).rejects.toBeInstanceOf(InboxUnreachable);
    await small.redis.close();
  });

  it('allows one handler per kind', () => {
    expect(() => west.inbox.handle('echo', () => 'again')).toThrow(/already has a handler/);
  });
});
