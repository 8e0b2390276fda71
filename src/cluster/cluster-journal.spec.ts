import { specRedis } from '../../test/support/spec-redis';
import type { ImEvent, LinkEvent } from '../link/events';
import { LinkState } from '../link/link-state';
import { ProblemException } from '../common/problem';
import { chatChanges, ClusterJournal, JournalPosition } from './cluster-journal';
import { RedisEventStore } from './event-store';
import { ClusterKeys } from './keys';
import { RedisConnection } from './redis';

const keys = new ClusterKeys('imb:');
const presence = (address: string): ImEvent => ({ type: 'presence', data: { address, show: 'away' } });
const message = (thread: string, seq: number, to: string): ImEvent => ({
  type: 'message',
  data: { thread, from: 'me@x', to, seq, sentAt: '2026-12-02T00:00:00.000Z', text: 'hi' },
});

describe("ClusterJournal, on a redis-server of the test's own", () => {
  const spec = specRedis();
  let redis: RedisConnection;
  let store: RedisEventStore;
  let tags = 0;

  beforeAll(async () => {
    redis = await spec.connect('journal-spec');
    store = new RedisEventStore(redis, keys, { maxEvents: 100, maxAgeMs: 60_000 });
  });

  /** A link record owned by i1 at gen 1, and a journal writing under it. */
  async function owned(options: { holdsLease?: () => boolean; reinstated?: JournalPosition[] } = {}): Promise<{ tag: string; journal: ClusterJournal; position: JournalPosition }> {
    const tag = `t${++tags}`;
    await redis.command(['HSET', keys.link(tag), 'owner', 'i1', 'gen', '1', 'epoch', 'E1', 'n', '0', 'seq', '0', 'sid', 'S']);
    const position: JournalPosition = { owner: 'i1', gen: 1, epoch: 'E1', n: 0, session: 'S', seq: 0 };
    const reinstate = async (lost: JournalPosition): Promise<number | null> => {
      options.reinstated?.push({ ...lost });
      const created = await redis.command<number>(['HSETNX', keys.link(tag), 'owner', 'i1']);
      if (created === 0) return null;
      await redis.command(['HSET', keys.link(tag), 'gen', String(lost.gen + 1), 'epoch', lost.epoch, 'n', String(lost.n), 'seq', String(lost.seq)]);
      return lost.gen + 1;
    };
    return { tag, journal: new ClusterJournal(store, tag, position, reinstate, options.holdsLease ?? (() => true)), position };
  }

  const logged = async (tag: string): Promise<LinkEvent[]> =>
    (await redis.command<[string, string[]][]>(['XRANGE', keys.log(tag), '-', '+'])).map(([, fields]) => JSON.parse(fields[1]) as LinkEvent);
  const record = async (tag: string) => ({ ...((await redis.command(['HGETALL', keys.link(tag)])) as unknown as Record<string, string>) });

  it('numbers the events after the log, keeps them with the ack and its session, and returns them as published', async () => {
    const { tag, journal } = await owned();
    const first = await journal.commit([presence('a@x'), presence('b@x')], { session: 'S', seq: 4, state: new LinkState() });
    const second = await journal.commit([presence('c@x')], { session: 'S', seq: 5, state: new LinkState() });
    expect([...first, ...second].map((e) => e.id)).toEqual(['E1.1', 'E1.2', 'E1.3']);
    expect(await logged(tag)).toEqual([...first, ...second]);
    expect(await record(tag)).toMatchObject({ n: '3', seq: '5', sid: 'S' });
  });

  it('writes nothing once this instance no longer holds its lease', async () => {
    let lease = true;
    const { tag, journal } = await owned({ holdsLease: () => lease });
    await journal.commit([presence('a@x')], { session: 'S', seq: 1, state: new LinkState() });
    lease = false;
    await expect(journal.commit([presence('b@x')], { session: 'S', seq: 2, state: new LinkState() })).rejects.toBeInstanceOf(ProblemException);
    expect((await logged(tag)).map((e) => e.id)).toEqual(['E1.1']);
    expect(await record(tag)).toMatchObject({ n: '1', seq: '1' });
  });

  it('is refused, writing nothing, once another instance owns the token (the fence)', async () => {
    const { tag, journal } = await owned();
    await redis.command(['HSET', keys.link(tag), 'owner', 'i2', 'gen', '2']);
    const refused = journal.commit([presence('a@x')], { session: 'S', seq: 1, state: new LinkState() });
    await expect(refused).rejects.toBeInstanceOf(ProblemException);
    await expect(refused).rejects.toMatchObject({ code: 'cluster.UNAVAILABLE' });
    expect(await logged(tag)).toEqual([]);
    expect(await record(tag)).toMatchObject({ owner: 'i2', n: '0', seq: '0' });
  });

  it('when Redis lost the record: writes it again in a new epoch that starts with resync {gap}, and carries on', async () => {
    const reinstated: JournalPosition[] = [];
    const { tag, journal, position } = await owned({ reinstated });
    await journal.commit([presence('a@x')], { session: 'S', seq: 3, state: new LinkState() });
    await redis.command(['DEL', keys.link(tag), keys.log(tag)]);
    const published = await journal.commit([presence('b@x')], { session: 'S', seq: 4, state: new LinkState() });
    expect(reinstated).toEqual([{ owner: 'i1', gen: 1, epoch: position.epoch, n: 0, session: 'S', seq: 3 }]);
    expect(position.epoch).not.toBe('E1');
    const log = await logged(tag);
    expect(log.map((e) => [e.id, e.type])).toEqual([
      [`${position.epoch}.1`, 'resync'],
      [`${position.epoch}.2`, 'presence'],
    ]);
    expect(log[0].data).toEqual({ reason: 'gap' });
    expect(published).toEqual([log[1]]); // the link delivers its own events; the resync is the log's
    expect(await record(tag)).toMatchObject({ gen: '2', n: '2', seq: '4' });
  });

  it('waits for Redis while it holds its lease: a commit made during an outage lands once Redis is back', async () => {
    const { tag, journal } = await owned();
    await spec.server.down();
    const pending = journal.commit([presence('a@x')], { session: 'S', seq: 1, state: new LinkState() });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await spec.server.up();
    await expect(pending).resolves.toHaveLength(1);
    // This Redis keeps nothing across a restart: the commit found the record gone and started a new epoch.
    expect((await logged(tag)).map((e) => e.type)).toEqual(['resync', 'presence']);
  });

  it('records for each chat the last message that became an event and where its messages go', () => {
    const state = new LinkState();
    const events = [message('c1', 4, 'b@x'), message('c2', 1, 'room@conf.x'), { type: 'chatClosed', data: { thread: 'c3' } } as ImEvent];
    for (const event of events) state.admit(event);
    expect(chatChanges(events, state)).toEqual([
      { thread: 'c1', state: [4, 'b@x'] },
      { thread: 'c2', state: [1, 'room@conf.x'] },
      { thread: 'c3', state: null },
    ]);
  });
});
