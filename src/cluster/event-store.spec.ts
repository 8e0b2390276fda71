import fc from 'fast-check';
import { RedisServer } from '../../test/support/redis-server';
import { isoTime } from '../common/iso-time';
import type { LinkEvent } from '../link/events';
import { CommitBatch, parseEventId, RedisEventStore } from './event-store';
import { ClusterKeys } from './keys';
import { RedisConnection } from './redis';

const keys = new ClusterKeys('imb:');
const LIMITS = { maxEvents: 100, maxAgeMs: 60_000 };

function presence(epoch: string, n: number, at = Date.now()): LinkEvent {
  return { id: `${epoch}.${n}`, type: 'presence', at: isoTime(at), data: { address: 'b@x', show: 'away', status: `s${n}` } };
}

function batch(epoch: string, expectedN: number, count: number, extra: Partial<CommitBatch> = {}): CommitBatch {
  const events = Array.from({ length: count }, (_, i) => presence(epoch, expectedN + i + 1));
  return { owner: 'i1', gen: 1, epoch, expectedN, seq: expectedN + count, session: 'S1', events, chats: [], ...extra };
}

describe('parseEventId', () => {
  it('reads back exactly the ids the link writes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.maxSafeNat(), (epoch, n) => {
        expect(parseEventId(`${epoch}.${n}`)).toEqual({ epoch, n });
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('refuses every other form: what it accepts prints back to the same id', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const parsed = parseEventId(id);
        if (parsed) expect(`${parsed.epoch}.${parsed.n}`).toBe(id);
      }),
      { seed: 42, numRuns: 1000 },
    );
    for (const id of ['', '1', '.1', 'e.', 'e.01', 'e.+1', 'e.-1', 'e.1e3', 'e. 1', 'e.0x1', 'e.1.5x', 'e.9007199254740993']) {
      expect(parseEventId(id)).toBeUndefined();
    }
  });
});

describe('RedisEventStore, on a redis-server of the test\'s own', () => {
  let server: RedisServer;
  let redis: RedisConnection;
  let store: RedisEventStore;
  let tags = 0;

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = await RedisConnection.connect({ url: server.url, name: 'event-store-spec' });
    // Small stream nodes so `MAXLEN ~` trims close to the bound in a short test.
    await redis.command(['CONFIG', 'SET', 'stream-node-max-entries', '4']);
    store = new RedisEventStore(redis, keys, LIMITS);
  });
  afterAll(async () => {
    await redis?.close();
    await server?.stop();
  });

  /** A fresh token whose link record is (owner i1, gen 1, epoch, n, seq), as the link directory would create it. */
  async function establish(epoch = 'E', n = 0): Promise<string> {
    const tag = `tag${++tags}`;
    await redis.command(['HSET', keys.link(tag), 'owner', 'i1', 'gen', '1', 'epoch', epoch, 'n', String(n), 'seq', String(n), 'sid', 'S1']);
    return tag;
  }

  const logIds = async (tag: string) => (await redis.command<[string, string[]][]>(['XRANGE', keys.log(tag), '-', '+'])).map(([id]) => id);
  // node-redis turns HGETALL's reply into an object.
  const record = async (tag: string) => ({ ...((await redis.command(['HGETALL', keys.link(tag)])) as unknown as Record<string, string>) });

  it('commits: appends each event as entry <n>-0, publishes the same JSON, applies chats, sets n and seq', async () => {
    const tag = await establish();
    const published: string[] = [];
    const listener = (message: string): void => void published.push(message);
    await redis.subscribe(keys.events(tag), listener);

    const first = batch('E', 0, 2, { seq: 7, session: 'S2', chats: [{ thread: 'c1', state: [5, 'b@x'] }, { thread: 'c2', state: [1, null] }] });
    await expect(store.commit(tag, first)).resolves.toEqual({ status: 'committed', n: 2 });
    const entries = await redis.command<[string, string[]][]>(['XRANGE', keys.log(tag), '-', '+']);
    expect(entries).toEqual(first.events.map((e, i) => [`${i + 1}-0`, ['e', JSON.stringify(e)]]));
    // The ack is recorded with the upstream session it belongs to.
    expect(await record(tag)).toEqual({ owner: 'i1', gen: '1', epoch: 'E', n: '2', seq: '7', sid: 'S2' });
    expect(await store.chats(tag)).toEqual(new Map([['c1', [5, 'b@x']], ['c2', [1, null]]]));
    await until(() => published.length === 2);
    expect(published).toEqual(first.events.map((e) => JSON.stringify(e)));

    // A block that produced no event still moves the acknowledged seq; a null state forgets the thread.
    await expect(store.commit(tag, batch('E', 2, 0, { seq: 9, chats: [{ thread: 'c1', state: null }] }))).resolves.toEqual({ status: 'committed', n: 2 });
    expect(await record(tag)).toMatchObject({ n: '2', seq: '9' });
    expect(await store.chats(tag)).toEqual(new Map([['c2', [1, null]]]));

    const third = batch('E', 2, 1, { seq: 10 });
    await expect(store.commit(tag, third)).resolves.toEqual({ status: 'committed', n: 3 });
    // The same block again (its reply was lost): the same answer, nothing written twice.
    await expect(store.commit(tag, third)).resolves.toEqual({ status: 'committed', n: 3 });
    expect(await logIds(tag)).toEqual(['1-0', '2-0', '3-0']);
    await until(() => published.length === 3);
    await redis.unsubscribe(keys.events(tag), listener);
    expect(published).toHaveLength(3);
  });

  it('is fenced when the owner or the generation differ, and then writes nothing (the fence before the lost-write check)', async () => {
    const tag = await establish('E', 4);
    const published: string[] = [];
    const listener = (message: string): void => void published.push(message);
    await redis.subscribe(keys.events(tag), listener);
    const chats = [{ thread: 'c1', state: [1, 'b@x'] as [number, string] }];
    await expect(store.commit(tag, batch('E', 4, 2, { owner: 'i2', chats }))).resolves.toEqual({ status: 'fenced' });
    await expect(store.commit(tag, batch('E', 4, 2, { gen: 2, chats }))).resolves.toEqual({ status: 'fenced' });
    await expect(store.commit(tag, batch('other', 9, 1, { gen: 0 }))).resolves.toEqual({ status: 'fenced' });
    expect(await redis.command(['EXISTS', keys.log(tag), keys.chats(tag)])).toBe(0);
    expect(await record(tag)).toMatchObject({ owner: 'i1', gen: '1', n: '4', seq: '4' });
    await redis.publish(keys.events(tag), 'marker'); // anything the commits published would have come before it
    await until(() => published.length > 0);
    await redis.unsubscribe(keys.events(tag), listener);
    expect(published).toEqual(['marker']);
  });

  it('reports lost writes when the record is missing or its epoch or n differ, and writes nothing', async () => {
    const missing = 'tag-missing';
    await expect(store.commit(missing, batch('E', 0, 1))).resolves.toEqual({ status: 'lost' });
    expect(await redis.command(['EXISTS', keys.link(missing), keys.log(missing)])).toBe(0);

    const tag = await establish('E', 3);
    await expect(store.commit(tag, batch('F', 3, 1))).resolves.toEqual({ status: 'lost' });
    await expect(store.commit(tag, batch('E', 5, 1))).resolves.toEqual({ status: 'lost' });
    await expect(store.commit(tag, batch('E', 1, 1))).resolves.toEqual({ status: 'lost' });
    // n matches "this block already committed" but seq does not: not a retry, lost.
    await expect(store.commit(tag, batch('E', 2, 1, { seq: 99 }))).resolves.toEqual({ status: 'lost' });
    expect(await redis.command(['EXISTS', keys.log(tag)])).toBe(0);
    expect(await record(tag)).toMatchObject({ epoch: 'E', n: '3', seq: '3' });
  });

  it('refuses a batch whose events are not numbered from expectedN+1, before writing anything', async () => {
    const tag = await establish();
    const wrong = batch('E', 0, 2);
    wrong.events[1] = presence('E', 5);
    await expect(store.commit(tag, wrong)).rejects.toThrow('expected E.2');
    expect(await redis.command(['EXISTS', keys.log(tag)])).toBe(0);
  });

  it('reads exactly the events after a position; the head is nothing; ahead of the log, another epoch or no record is a gap', async () => {
    const tag = await establish();
    const committed = batch('E', 0, 5);
    await store.commit(tag, committed);
    await expect(store.read(tag, 2, 'E')).resolves.toEqual({ epoch: 'E', lastN: 5, events: committed.events.slice(2) });
    await expect(store.read(tag, 0, 'E')).resolves.toEqual({ epoch: 'E', lastN: 5, events: committed.events });
    await expect(store.read(tag, 5, 'E')).resolves.toEqual({ epoch: 'E', lastN: 5, events: [] });
    await expect(store.read(tag, 6, 'E')).resolves.toEqual({ gap: true, epoch: 'E', lastN: 5 });
    await expect(store.read(tag, 2, 'old')).resolves.toEqual({ gap: true, epoch: 'E', lastN: 5 });
    await expect(store.read(tag, 5, 'old')).resolves.toEqual({ gap: true, epoch: 'E', lastN: 5 });
    await expect(store.read('tag-none', 0, 'E')).resolves.toEqual({ gap: true, epoch: null, lastN: 0 });
    await expect(store.head(tag)).resolves.toEqual({ epoch: 'E', n: 5 });
    await expect(store.head('tag-none')).resolves.toBeNull();
  });

  it('readFrom follows the record into a new epoch, reading it from its start', async () => {
    const tag = await establish('E1');
    await store.commit(tag, batch('E1', 0, 3));
    // The link directory starts epoch E2 (log cleared, n = 0) and the owner commits into it.
    await redis.command(['DEL', keys.log(tag)]);
    await redis.command(['HSET', keys.link(tag), 'epoch', 'E2', 'n', '0']);
    const second = batch('E2', 0, 2);
    await store.commit(tag, second);
    await expect(store.readFrom(tag, { epoch: 'E1', n: 3 })).resolves.toEqual({ epoch: 'E2', lastN: 2, events: second.events });
    await expect(store.readFrom(tag, { epoch: null, n: 0 })).resolves.toEqual({ epoch: 'E2', lastN: 2, events: second.events });
    await expect(store.readFrom(tag, { epoch: 'E2', n: 1 })).resolves.toEqual({ epoch: 'E2', lastN: 2, events: second.events.slice(1) });
    await expect(store.read(tag, 3, 'E1')).resolves.toEqual({ gap: true, epoch: 'E2', lastN: 2 });
  });

  it('trims the log to about maxEvents: a position whose next events were trimmed is a gap, later ones replay', async () => {
    const tag = await establish();
    const small = new RedisEventStore(redis, keys, { maxEvents: 5, maxAgeMs: 60_000 });
    const events: LinkEvent[] = [];
    for (let n = 0; n < 40; n++) {
      const one = batch('E', n, 1);
      await small.commit(tag, one);
      events.push(...one.events);
    }
    const kept = await logIds(tag);
    expect(kept.length).toBeGreaterThanOrEqual(5);
    expect(kept.length).toBeLessThan(12);
    const firstKept = Number(kept[0].split('-')[0]);
    // A wider window than the log holds: what was trimmed is a gap, not a shorter list.
    expect(await store.read(tag, firstKept - 2, 'E')).toEqual({ gap: true, epoch: 'E', lastN: 40 });
    expect(await store.read(tag, firstKept - 1, 'E')).toEqual({ epoch: 'E', lastN: 40, events: events.slice(firstKept - 1) });
    // The store's own window is maxEvents, however much ~ trimming left: never more than that is replayed.
    expect(await small.read(tag, 34, 'E')).toEqual({ gap: true, epoch: 'E', lastN: 40 });
    expect(await small.read(tag, 35, 'E')).toEqual({ epoch: 'E', lastN: 40, events: events.slice(35) });
  });

  it('a record ahead of its log (entries missing at the end) is a gap, not a shorter list', async () => {
    const tag = await establish();
    await store.commit(tag, batch('E', 0, 3));
    await redis.command(['HSET', keys.link(tag), 'n', '5']);
    expect(await store.read(tag, 1, 'E')).toEqual({ gap: true, epoch: 'E', lastN: 5 });
  });

  it('does not replay events older than maxAgeMs: a position before one is a gap', async () => {
    const tag = await establish();
    const now = Date.now();
    const aged = new RedisEventStore(redis, keys, { maxEvents: 100, maxAgeMs: 5_000 });
    const events = [presence('E', 1, now - 9_000), presence('E', 2, now - 6_000), presence('E', 3, now - 1_000), presence('E', 4, now)];
    await aged.commit(tag, { ...batch('E', 0, 0), events, seq: 1 });
    expect(await aged.read(tag, 0, 'E', now)).toEqual({ gap: true, epoch: 'E', lastN: 4 });
    expect(await aged.read(tag, 1, 'E', now)).toEqual({ gap: true, epoch: 'E', lastN: 4 });
    expect(await aged.read(tag, 2, 'E', now)).toEqual({ epoch: 'E', lastN: 4, events: events.slice(2) });
    expect(await aged.read(tag, 0, 'E', now - 5_000)).toEqual({ epoch: 'E', lastN: 4, events });
  });

  it('refuses to append behind an existing stream entry (a log not cleared for a new epoch) without writing anything', async () => {
    const tag = await establish('E1');
    await store.commit(tag, batch('E1', 0, 3));
    await redis.command(['HSET', keys.link(tag), 'epoch', 'E2', 'n', '0']);
    await expect(store.commit(tag, batch('E2', 0, 1, { chats: [{ thread: 'c', state: [1, null] }] }))).rejects.toThrow();
    expect(await record(tag)).toMatchObject({ epoch: 'E2', n: '0' });
    expect(await redis.command(['EXISTS', keys.chats(tag)])).toBe(0);
    expect(await logIds(tag)).toEqual(['1-0', '2-0', '3-0']);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
