import fc from 'fast-check';
import { RedisServer } from '../../test/support/redis-server';
import { isoTime } from '../common/iso-time';
import type { LinkEvent } from '../link/events';
import { FeedNote, FeedReplay, TokenFeed } from './event-feed';
import { parseEventId, RedisEventStore } from './event-store';
import { ClusterKeys } from './keys';
import { LuaScript, RedisConnection } from './redis';

const keys = new ClusterKeys('imb:');
const LIMITS = { maxEvents: 500, maxAgeMs: 60_000 };

/** Committed and logged, but never published: a pub/sub message lost on its way. */
const COMMIT_UNPUBLISHED = new LuaScript(
  'spec.commitUnpublished',
  `for i = 2, #ARGV do redis.call('XADD', KEYS[2], (ARGV[1] + i - 1) .. '-0', 'e', ARGV[i]) end
redis.call('HSET', KEYS[1], 'n', ARGV[1] + #ARGV - 1)`,
);
/** What the link directory does for a new epoch: an empty log and n = 0, at once. */
const NEW_EPOCH = new LuaScript('spec.newEpoch', `redis.call('DEL', KEYS[2]) redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'n', 0)`);

/** The owner side of a token: commits through the store, or writes to the log without publishing. */
class Owner {
  epoch: string;
  n = 0;
  /** Every id committed, all epochs, in order. */
  readonly ids: string[] = [];

  constructor(
    private readonly redis: RedisConnection,
    private readonly store: RedisEventStore,
    readonly tag: string,
    epoch: string,
  ) {
    this.epoch = epoch;
  }

  get lastId(): string {
    return `${this.epoch}.${this.n}`;
  }

  async establish(): Promise<void> {
    await this.redis.command(['HSET', keys.link(this.tag), 'owner', 'i1', 'gen', '1', 'epoch', this.epoch, 'n', '0', 'seq', '0']);
  }

  async commit(count: number, options: { publish?: boolean; type?: 'presence' | 'resync' } = {}): Promise<LinkEvent[]> {
    const events = Array.from({ length: count }, (_, i) => this.event(this.n + i + 1, i === 0 ? options.type : undefined));
    if (options.publish === false) {
      await this.redis.run(COMMIT_UNPUBLISHED, [keys.link(this.tag), keys.log(this.tag)], [String(this.n), ...events.map((e) => JSON.stringify(e))]);
    } else {
      const result = await this.store.commit(this.tag, { owner: 'i1', gen: 1, epoch: this.epoch, expectedN: this.n, seq: 0, events, chats: [] });
      expect(result).toEqual({ status: 'committed', n: this.n + count });
    }
    this.n += count;
    this.ids.push(...events.map((e) => e.id));
    return events;
  }

  async newEpoch(epoch: string): Promise<void> {
    await this.redis.run(NEW_EPOCH, [keys.link(this.tag), keys.log(this.tag)], [epoch]);
    this.epoch = epoch;
    this.n = 0;
  }

  private event(n: number, type: 'presence' | 'resync' = 'presence'): LinkEvent {
    const base = { id: `${this.epoch}.${n}`, at: isoTime(Date.now()) };
    return type === 'resync' ? { ...base, type, data: { reason: 'gap' } } : { ...base, type, data: { address: 'b@x', show: 'away', status: `s${n}` } };
  }
}

type Seen = LinkEvent | 'resync';
const idsOf = (seen: Seen[]) => seen.map((item) => (item === 'resync' ? 'resync' : item.id));

/** A feed whose handlers record what it delivers: events, 'resync' markers and notes. */
function recordingFeed(redis: RedisConnection, store: RedisEventStore, tag: string, ringSize = 4) {
  const seen: Seen[] = [];
  const notes: FeedNote[] = [];
  const feed = new TokenFeed(redis, keys, store, tag, {
    event: (event) => seen.push(event),
    resync: () => seen.push('resync'),
    note: (note) => notes.push(note),
  }, { ringSize });
  return { feed, seen, notes };
}

describe('TokenFeed, on a redis-server of the test\'s own', () => {
  let server: RedisServer;
  let ownerSide: RedisConnection;
  let feedSide: RedisConnection;
  let store: RedisEventStore;
  let feeds: TokenFeed[] = [];
  let tags = 0;

  beforeAll(async () => {
    server = await RedisServer.start();
    [ownerSide, feedSide] = await Promise.all(['owner', 'feed'].map((name) => RedisConnection.connect({ url: server.url, name })));
    store = new RedisEventStore(ownerSide, keys, LIMITS);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(feeds.map((feed) => feed.stop()));
    feeds = [];
  });
  afterAll(async () => {
    await Promise.all([ownerSide?.close(), feedSide?.close()]);
    await server?.stop();
  });

  async function setUp(history = 0, options: { ringSize?: number; feedStore?: RedisEventStore } = {}) {
    const owner = new Owner(ownerSide, store, `feed${++tags}`, 'E');
    await owner.establish();
    if (history > 0) await owner.commit(history);
    const feedStore = options.feedStore ?? new RedisEventStore(feedSide, keys, LIMITS);
    const recording = recordingFeed(feedSide, feedStore, owner.tag, options.ringSize);
    feeds.push(recording.feed);
    await recording.feed.start();
    return { owner, feedStore, ...recording };
  }

  it('starts at the head and delivers every later commit of another connection once, in order', async () => {
    const { owner, feed, seen } = await setUp(3);
    expect(feed.lastId).toBe('E.3');
    for (const size of [1, 3, 2, 1, 1, 4, 2, 3, 1, 2]) await owner.commit(size);
    await until(() => feed.lastId === owner.lastId);
    expect(idsOf(seen)).toEqual(owner.ids.slice(3));
  });

  it('drops duplicates and late messages, and passes notes on without taking them for events', async () => {
    const { owner, feed, seen, notes, feedStore } = await setUp();
    const events = await owner.commit(3);
    await until(() => feed.lastId === 'E.3');
    const reads = jest.spyOn(feedStore, 'readFrom');
    const channel = keys.events(owner.tag);
    for (const event of [events[1], events[2], events[0]]) await ownerSide.publish(channel, JSON.stringify(event));
    await ownerSide.publish(channel, JSON.stringify({ note: 'owner', owner: 'i2' }));
    await ownerSide.publish(channel, 'not json');
    await ownerSide.publish(channel, JSON.stringify({ note: 'revoked' }));
    await until(() => notes.length === 2);
    await owner.commit(1);
    await until(() => feed.lastId === 'E.4');
    expect(notes).toEqual([{ note: 'owner', owner: 'i2' }, { note: 'revoked' }]);
    expect(idsOf(seen)).toEqual(['E.1', 'E.2', 'E.3', 'E.4']);
    expect(reads).not.toHaveBeenCalled(); // a duplicate is known as one without asking Redis
  });

  it('fills a hole (events logged but never published) from the stream before the event after it', async () => {
    const { owner, feed, seen } = await setUp(1);
    await owner.commit(2, { publish: false });
    await owner.commit(1, { publish: false });
    expect(feed.lastId).toBe('E.1');
    await owner.commit(2);
    await until(() => feed.lastId === 'E.6');
    expect(idsOf(seen)).toEqual(['E.2', 'E.3', 'E.4', 'E.5', 'E.6']);
  });

  it('a hole the log no longer covers is one resync, and the feed carries on from the newest', async () => {
    const narrow = new RedisEventStore(feedSide, keys, { maxEvents: 5, maxAgeMs: 60_000 });
    const { owner, feed, seen } = await setUp(1, { feedStore: narrow });
    await owner.commit(8, { publish: false });
    await owner.commit(1);
    await until(() => feed.lastId === 'E.10');
    await owner.commit(1);
    await until(() => feed.lastId === 'E.11');
    expect(idsOf(seen)).toEqual(['resync', 'E.11']);
  });

  it('on an epoch change says resync once, unless the new epoch opens with a resync event; late messages of the old epoch are dropped', async () => {
    const { owner, feed, seen, feedStore } = await setUp(2);
    const old = await owner.commit(1);
    await owner.newEpoch('E2');
    await owner.commit(2);
    await until(() => feed.lastId === 'E2.2');
    const reads = jest.spyOn(feedStore, 'readFrom');
    await ownerSide.publish(keys.events(owner.tag), JSON.stringify(old[0]));
    await owner.commit(1);
    await until(() => feed.lastId === 'E2.3');
    expect(reads).not.toHaveBeenCalled(); // a late message of a left epoch is stale, not a reason to read
    await owner.newEpoch('E3');
    await owner.commit(1, { type: 'resync' });
    await owner.commit(1);
    await until(() => feed.lastId === 'E3.2');
    expect(idsOf(seen)).toEqual(['E.3', 'resync', 'E2.1', 'E2.2', 'E2.3', 'E3.1', 'E3.2']);
  });

  it('replays from the ring without a Redis round trip when the ring covers the id', async () => {
    const { owner, feed } = await setUp(2, { ringSize: 4 });
    await owner.commit(6);
    await until(() => feed.lastId === 'E.8');
    const run = jest.spyOn(feedSide, 'run');
    const command = jest.spyOn(feedSide, 'command');
    const fromRing = await feed.replay('E.5');
    expect(replayIds(fromRing)).toEqual(['E.6', 'E.7', 'E.8']);
    expect(fromRing.lastId).toBe('E.8');
    expect(replayIds(await feed.replay('E.4'))).toEqual(['E.5', 'E.6', 'E.7', 'E.8']);
    await expect(feed.replay('E.8')).resolves.toEqual({ events: [], lastId: 'E.8' });
    expect(run).not.toHaveBeenCalled();
    expect(command).not.toHaveBeenCalled();
    expect(replayIds(await feed.replay('E.3'))).toEqual(['E.4', 'E.5', 'E.6', 'E.7', 'E.8']); // one past the ring: Redis
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('replays from Redis, topped up from the ring when the feed moved on during the read: no hole, no duplicate', async () => {
    const { owner, feed, feedStore } = await setUp(0, { ringSize: 4 });
    await owner.commit(8);
    await until(() => feed.lastId === 'E.8');
    const read = feedStore.read.bind(feedStore);
    jest.spyOn(feedStore, 'read').mockImplementationOnce(async (...args) => {
      const answer = await read(...args);
      await owner.commit(3); // the feed delivers 9-11 while the replay's read is on its way back
      await until(() => feed.lastId === 'E.11');
      return answer;
    });
    const replay = await feed.replay('E.1');
    expect(replayIds(replay)).toEqual(owner.ids.slice(1, 11));
    expect(replay.lastId).toBe('E.11');
  });

  it('replays from Redis, cut at the feed\'s position when Redis is ahead of it; the rest comes live', async () => {
    const { owner, feed, seen } = await setUp(0, { ringSize: 2 });
    await owner.commit(6);
    await until(() => feed.lastId === 'E.6');
    await owner.commit(2, { publish: false }); // the feed does not know of 7 and 8 yet
    const replay = await feed.replay('E.1');
    const attachedAt = seen.length;
    expect(replayIds(replay)).toEqual(['E.2', 'E.3', 'E.4', 'E.5', 'E.6']);
    expect(replay.lastId).toBe('E.6');
    await owner.commit(1);
    await until(() => feed.lastId === 'E.9');
    expect(idsOf(seen.slice(attachedAt))).toEqual(['E.7', 'E.8', 'E.9']);
  });

  it('an id ahead of the feed (its message still on the way) makes the feed catch up first', async () => {
    const { owner, feed, seen } = await setUp(2);
    await owner.commit(3, { publish: false });
    const replay = await feed.replay('E.4');
    expect(replay).toEqual({ events: [expect.objectContaining({ id: 'E.5' })], lastId: 'E.5' });
    expect(idsOf(seen)).toEqual(['E.3', 'E.4', 'E.5']);
  });

  it('replay is a gap for a foreign epoch, an id past the log, a trimmed or too old position, or not an id', async () => {
    const narrow = new RedisEventStore(feedSide, keys, { maxEvents: 5, maxAgeMs: 60_000 });
    const { owner, feed } = await setUp(0, { ringSize: 2, feedStore: narrow });
    await owner.commit(10);
    await until(() => feed.lastId === 'E.10');
    for (const id of ['other.3', 'E.11', 'E.2', 'E.x', '']) await expect(feed.replay(id)).resolves.toEqual({ gap: true, lastId: 'E.10' });
    await expect(feed.replay('E.5')).resolves.toMatchObject({ lastId: 'E.10', events: expect.any(Array) });
    const aged = new RedisEventStore(feedSide, keys, { maxEvents: 5, maxAgeMs: 60_000 });
    jest.spyOn(narrow, 'read').mockImplementationOnce((tag, afterN, epoch) => aged.read(tag, afterN, epoch, Date.now() + 120_000));
    await expect(feed.replay('E.5')).resolves.toEqual({ gap: true, lastId: 'E.10' });
  });

  it('delivers nothing more in the turn a replay resolved in, so a socket attached then misses nothing and gets nothing twice', async () => {
    const { owner, feed, seen } = await setUp(0, { ringSize: 8 });
    await owner.commit(2);
    await until(() => feed.lastId === 'E.2');
    const [third] = await owner.commit(1, { publish: false });
    const replay = await feed.replay('E.1');
    // Its message arrives before the caller attached (same turn): it must wait, not go to handlers now.
    (feed as unknown as { onMessage(message: string): void }).onMessage(JSON.stringify(third));
    expect(replay).toEqual({ events: [expect.objectContaining({ id: 'E.2' })], lastId: 'E.2' });
    expect(idsOf(seen)).toEqual(['E.1', 'E.2']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(idsOf(seen)).toEqual(['E.1', 'E.2', 'E.3']);
  });

  describe('property: every consumer sees each event after its starting id once and in order, or a resync', () => {
    type Step =
      | { kind: 'commit'; count: number; publish: boolean }
      | { kind: 'join'; pick: number }
      | { kind: 'joinForeign' }
      | { kind: 'epoch'; opensWithResync: boolean }
      | { kind: 'pause' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('commit' as const), count: fc.integer({ min: 1, max: 3 }), publish: fc.boolean() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('join' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'joinForeign' as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('epoch' as const), opensWithResync: fc.boolean() }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'pause' as const }) },
    );

    interface Consumer {
      startId: string | null;
      attached: boolean;
      seen: Seen[];
      foreign?: boolean;
      gapJoin?: boolean;
    }

    it('holds for random schedules of published and unpublished commits, epoch changes and joins', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
          run++;
          const owner = new Owner(ownerSide, store, `prop${run}`, `r${run}a`);
          await owner.establish();
          await owner.commit(2);
          const consumers: Consumer[] = [];
          const feed = new TokenFeed(feedSide, keys, new RedisEventStore(feedSide, keys, LIMITS), owner.tag, {
            event: (event) => consumers.forEach((c) => c.attached && c.seen.push(event)),
            resync: () => consumers.forEach((c) => c.attached && c.seen.push('resync')),
            note: () => undefined,
          }, { ringSize: 4 });
          feeds.push(feed);
          await feed.start();
          consumers.push({ startId: feed.lastId, attached: true, seen: [] });
          const joins: Promise<void>[] = [];
          const join = async (consumer: Consumer) => {
            const replay: FeedReplay = await feed.replay(consumer.startId!);
            consumer.attached = true; // in the same turn, as the gateway does
            consumer.gapJoin = 'gap' in replay;
            consumer.seen.push(...('gap' in replay ? ['resync' as const] : replay.events));
            if ('gap' in replay) consumer.startId = replay.lastId;
          };
          let epochs = 0;
          for (const s of steps) {
            if (s.kind === 'commit') await owner.commit(s.count, { publish: s.publish });
            else if (s.kind === 'pause') await new Promise((resolve) => setTimeout(resolve, 1));
            else if (s.kind === 'epoch') {
              await owner.newEpoch(`r${run}${String.fromCharCode(98 + epochs++)}`);
              if (s.opensWithResync) await owner.commit(1, { type: 'resync' });
            } else {
              const foreign = s.kind === 'joinForeign';
              const consumer: Consumer = { startId: foreign ? 'zz.1' : owner.ids[s.pick % owner.ids.length], foreign, attached: false, seen: [] };
              consumers.push(consumer);
              joins.push(join(consumer));
            }
          }
          await owner.commit(1); // published: the feed learns of anything it missed
          await Promise.all(joins);
          await until(() => feed.lastId === owner.lastId);

          for (const consumer of consumers) {
            if (consumer.foreign) expect(consumer.gapJoin).toBe(true);
            checkContinuity(consumer);
            const events = consumer.seen.filter((item): item is LinkEvent => item !== 'resync');
            expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
            if (consumer.startId !== owner.lastId) expect(events.at(-1)?.id).toBe(owner.lastId);
            if (epochs === 0 && !consumer.gapJoin) {
              // One epoch, a window that keeps everything: exactly the events after the start, no resync.
              const from = consumer.startId === null ? 0 : owner.ids.indexOf(consumer.startId) + 1;
              expect(idsOf(consumer.seen)).toEqual(owner.ids.slice(from));
            }
          }
        }),
        { seed: 42, numRuns: 25 },
      );
    });

    /** Consecutive numbers within an epoch; a jump or an epoch change only after a resync (marker or a new epoch's resync event). */
    function checkContinuity(consumer: Consumer): void {
      let at = consumer.startId === null ? { epoch: null as string | null, n: 0 } : parseEventId(consumer.startId)!;
      let broken = false;
      for (const item of consumer.seen) {
        if (item === 'resync') {
          broken = true;
          continue;
        }
        const id = parseEventId(item.id)!;
        const next = id.epoch === at.epoch && id.n === at.n + 1;
        const announcedEpoch = id.epoch !== at.epoch && id.n === 1 && item.type === 'resync';
        if (!next && !announcedEpoch && !broken) throw new Error(`${item.id} after ${at.epoch}.${at.n} without a resync: ${idsOf(consumer.seen).join(' ')}`);
        at = id;
        broken = false;
      }
    }
  });
});

describe('TokenFeed across Redis restarts', () => {
  it('catches up from the log after the subscription reconnects (what was published meanwhile is lost)', async () => {
    const server = await RedisServer.start({ appendOnly: true });
    const [ownerSide, feedSide] = await Promise.all(['owner', 'feed'].map((name) => RedisConnection.connect({ url: server.url, name })));
    const owner = new Owner(ownerSide, new RedisEventStore(ownerSide, keys, LIMITS), 'restart1', 'E');
    const { feed, seen } = recordingFeed(feedSide, new RedisEventStore(feedSide, keys, LIMITS), owner.tag);
    try {
      await owner.establish();
      await owner.commit(2);
      await feed.start();
      await owner.commit(1);
      await until(() => feed.lastId === 'E.3');
      await owner.commit(2, { publish: false }); // kept by the append-only file; the feed has no message for them
      await server.restart();
      await until(() => feed.lastId === 'E.5');
      expect(idsOf(seen)).toEqual(['E.3', 'E.4', 'E.5']);
    } finally {
      await feed.stop();
      await Promise.all([ownerSide.close(), feedSide.close()]);
      await server.stop();
    }
  });

  it('after a restart that lost everything, follows the new epoch with no resync of its own when it opens with one', async () => {
    const server = await RedisServer.start();
    const [ownerSide, feedSide] = await Promise.all(['owner', 'feed'].map((name) => RedisConnection.connect({ url: server.url, name })));
    const owner = new Owner(ownerSide, new RedisEventStore(ownerSide, keys, LIMITS), 'restart2', 'E');
    const { feed, seen } = recordingFeed(feedSide, new RedisEventStore(feedSide, keys, LIMITS), owner.tag);
    try {
      await owner.establish();
      await feed.start();
      await owner.commit(2);
      await until(() => feed.lastId === 'E.2');
      await server.restart();
      await until(() => ownerSide.isReady && feedSide.isReady);
      // The owner's next commit is 'lost': the link directory starts epoch F, whose first event is resync{gap}.
      owner.epoch = 'F';
      owner.n = 0;
      await owner.establish();
      await owner.commit(1, { type: 'resync' });
      await owner.commit(1);
      await until(() => feed.lastId === 'F.2');
      expect(idsOf(seen)).toEqual(['E.1', 'E.2', 'F.1', 'F.2']);
      expect(seen[2]).toMatchObject({ type: 'resync' });
    } finally {
      await feed.stop();
      await Promise.all([ownerSide.close(), feedSide.close()]);
      await server.stop();
    }
  });
});

function replayIds(replay: FeedReplay): string[] | 'gap' {
  return 'gap' in replay ? 'gap' : replay.events.map((e) => e.id);
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
