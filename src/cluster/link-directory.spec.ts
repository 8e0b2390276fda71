import fc from 'fast-check';
import { specRedis } from '../../test/support/spec-redis';
import { ClusterKeys } from './keys';
import { LinkDirectory, type LinkRecord } from './link-directory';
import { RedisConnection } from './redis';
import { Sealer } from './sealed';

const SECRET = 'a-cluster-secret-of-at-least-32-bytes!';

describe('LinkDirectory, on a redis-server of the test\'s own', () => {
  const keys = new ClusterKeys('imb:');
  const sealer = new Sealer(SECRET, 'tokens');
  let redis: RedisConnection;

  const spec = specRedis();
  const connect = (name: string): Promise<RedisConnection> => spec.connect(name);

  beforeAll(async () => {
    redis = await connect('spec');
  });
  beforeEach(async () => {
    await redis.command(['FLUSHALL']);
    await Promise.all(['a', 'b', 'c'].map((id) => setLease(id, true)));
  });

  /** An instance's directory, on a connection of its own. */
  async function directory(id: string): Promise<LinkDirectory> {
    return new LinkDirectory(await connect(id), keys, sealer, id);
  }

  /** Stands in for the heartbeats: a lease running for an hour, or one that has passed. */
  async function setLease(id: string, alive: boolean): Promise<void> {
    await redis.command(['ZADD', keys.instances, String(alive ? Date.now() + 3_600_000 : 1), id]);
  }

  async function stored(tag: string): Promise<Record<string, string>> {
    // node-redis hands HGETALL over as an object, even through sendCommand.
    return { ...((await redis.command(['HGETALL', keys.link(tag)])) as unknown as Record<string, string>) };
  }

  const owned = (id: string): Promise<string[]> => redis.command<string[]>(['SMEMBERS', keys.ownedBy(id)]);
  const inInstances = async (id: string): Promise<boolean> => (await redis.command(['ZSCORE', keys.instances, id])) !== null;
  const token = (i: number | string): string => `0_upstream-token-${i}`;
  const tagOf = (i: number | string): string => ClusterKeys.tagOf(token(i));

  let a: LinkDirectory;
  let b: LinkDirectory;
  let c: LinkDirectory;
  beforeAll(async () => {
    [a, b, c] = await Promise.all(['a', 'b', 'c'].map(directory));
  });

  it('claims a new token: gen 1, a new epoch, nothing logged yet, the token stored sealed', async () => {
    expect(await a.lookup(tagOf(1))).toBeNull();
    const record = await a.claim(tagOf(1), token(1), 'free');
    expect(record).toEqual({ tag: tagOf(1), owner: 'a', gen: 1, epoch: expect.stringMatching(/^[0-9a-z]+$/), n: 0, seq: 0 });
    expect(await b.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 1, alive: true });
    expect(await owned('a')).toEqual([tagOf(1)]);
    const { tok } = await stored(tagOf(1));
    expect(tok).not.toContain(token(1));
    expect(sealer.open(tok)).toBe(token(1));

    const other = await a.claim(tagOf(2), token(2), 'free');
    expect(other!.epoch).not.toBe(record!.epoch);
  });

  it('never claims from a live owner, in either mode; the owner itself re-claims with the next gen', async () => {
    const first = await a.claim(tagOf(1), token(1), 'free');
    expect(await b.claim(tagOf(1), token(1), 'free')).toBeNull();
    expect(await b.claim(tagOf(1), token(1), 'takeover')).toBeNull();
    expect(await b.takeOver('a')).toEqual([]);
    const again = await a.claim(tagOf(1), token(1), 'free');
    expect(again).toEqual({ ...first, gen: 2 });
    expect(await owned('b')).toEqual([]);
    expect(await inInstances('a')).toBe(true);
  });

  it('takes over from an owner whose lease passed: gen+1, the same log position and session, the token back', async () => {
    const first = (await a.claim(tagOf(1), token(1), 'free'))!;
    await redis.command(['HSET', keys.link(tagOf(1)), 'n', '5', 'seq', '7']);
    await a.saveSession(tagOf(1), 1, 'session-1');
    await setLease('a', false);
    expect(await b.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 1, alive: false });
    expect(await b.claim(tagOf(1), token(1), 'free')).toBeNull();

    const taken = await b.takeOver('a');
    expect(taken).toEqual([{ record: { tag: tagOf(1), owner: 'b', gen: 2, epoch: first.epoch, n: 5, seq: 7, sid: 'session-1' }, token: token(1) }]);
    expect(await b.lookup(tagOf(1))).toEqual({ owner: 'b', gen: 2, alive: true });
    expect(await owned('b')).toEqual([tagOf(1)]);
    // The dead instance owns nothing now and is forgotten.
    expect(await redis.command(['EXISTS', keys.ownedBy('a')])).toBe(0);
    expect(await inInstances('a')).toBe(false);
    // The former owner, if it was only paused, can change nothing.
    expect(await a.saveSession(tagOf(1), 1, 'stale')).toBe(false);
    expect(await a.release(tagOf(1), 1)).toBe(false);
    expect(await stored(tagOf(1))).toMatchObject({ owner: 'b', gen: '2', sid: 'session-1' });
  });

  it('claims in takeover mode from a dead owner or one with no lease at all, taking the tag out of its set', async () => {
    await a.claim(tagOf(1), token(1), 'free');
    await a.claim(tagOf(2), token(2), 'free');
    await setLease('a', false);
    expect(await b.claim(tagOf(1), token(1), 'takeover')).toMatchObject({ owner: 'b', gen: 2, takenFrom: 'a' });
    await redis.command(['ZREM', keys.instances, 'a']);
    expect(await c.claim(tagOf(2), token(2), 'takeover')).toMatchObject({ owner: 'c', gen: 2, takenFrom: 'a' });
    // Re-claiming its own link, or a released one, takes it from nobody.
    expect((await c.claim(tagOf(2), token(2), 'takeover'))!.takenFrom).toBeUndefined();
    expect(await owned('a')).toEqual([]);
    expect(await owned('b')).toEqual([tagOf(1)]);
    expect(await owned('c')).toEqual([tagOf(2)]);
  });

  it('leaves an owner that renewed its lease before the takeover (it was paused, not dead)', async () => {
    await a.claim(tagOf(1), token(1), 'free');
    await setLease('a', false);
    await setLease('a', true);
    expect(await b.takeOver('a')).toEqual([]);
    expect(await b.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 1, alive: true });
    expect(await owned('a')).toEqual([tagOf(1)]);
    expect(await inInstances('a')).toBe(true);
  });

  it('releases a taken-over link whose token does not open with this secret, and says so; the next claim stores the token anew', async () => {
    await a.claim(tagOf(1), token(1), 'free');
    await a.claim(tagOf(2), token(2), 'free');
    await redis.command(['HSET', keys.link(tagOf(2)), 'tok', new Sealer(`${SECRET}-other`, 'tokens').seal(token(2))]);
    await setLease('a', false);
    const skipped: string[] = [];
    const taken = await b.takeOver('a', (tag, reason) => skipped.push(`${tag}: ${reason}`));
    expect(taken.map((t) => t.record.tag)).toEqual([tagOf(1)]);
    expect(skipped).toEqual([`${tagOf(2)}: the stored token does not open with this CLUSTER_SECRET`]);
    expect(await b.lookup(tagOf(2))).toEqual({ owner: null, gen: 2, alive: false });
    expect(await owned('b')).toEqual([tagOf(1)]);

    expect(await c.claim(tagOf(2), token(2), 'free')).toMatchObject({ owner: 'c', gen: 3 });
    expect(sealer.open((await stored(tagOf(2))).tok)).toBe(token(2));
  });

  it('releases and saves the session only for the owner at its gen', async () => {
    const first = (await a.claim(tagOf(1), token(1), 'free'))!;
    expect(await a.saveSession(tagOf(1), 0, 'wrong-gen')).toBe(false);
    expect(await b.saveSession(tagOf(1), 1, 'not-the-owner')).toBe(false);
    expect(await a.saveSession(tagOf(1), 1, 'session-1')).toBe(true);
    expect(await a.release(tagOf(1), 0)).toBe(false);
    expect(await b.release(tagOf(1), 1)).toBe(false);
    expect(await a.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 1, alive: true });

    await redis.command(['XADD', keys.log(tagOf(1)), '1-0', 'e', '{}']);
    await redis.command(['HSET', keys.chats(tagOf(1)), 'thread', '[1,null]']);
    expect(await a.release(tagOf(1), 1)).toBe(true);
    expect(await a.lookup(tagOf(1))).toEqual({ owner: null, gen: 1, alive: false });
    expect(await owned('a')).toEqual([]);
    // Kept for a returning client a while, then forgotten: Redis memory is bounded by the links in use.
    for (const key of [keys.link(tagOf(1)), keys.log(tagOf(1)), keys.chats(tagOf(1))]) {
      expect(await redis.command<number>(['PTTL', key])).toBeGreaterThan(0);
    }
    // A released link is free for anyone, and the next owner resumes its log and session.
    expect(await b.claim(tagOf(1), token(1), 'free')).toEqual({ ...first, owner: 'b', gen: 2, sid: 'session-1' });
    for (const key of [keys.link(tagOf(1)), keys.log(tagOf(1)), keys.chats(tagOf(1))]) {
      expect(await redis.command<number>(['PTTL', key])).toBe(-1);
    }
    expect(await a.saveSession(tagOf(1), 1, 'stale')).toBe(false);
    expect(await a.release(tagOf(1), 1)).toBe(false);
    // A link whose session was ended (idle, logout) is released without it: the next owner starts anew.
    expect(await b.release(tagOf(1), 2, true)).toBe(true);
    expect((await a.claim(tagOf(1), token(1), 'free'))!.sid).toBeUndefined();
  });

  it('reinstates a record only when Redis has lost it', async () => {
    const first = (await a.claim(tagOf(1), token(1), 'free'))!;
    const fields = { gen: 3, epoch: first.epoch, n: 4, seq: 9, sid: 'session-1' };
    expect(await a.reinstate(tagOf(1), token(1), fields)).toBe(false);
    expect(await stored(tagOf(1))).toMatchObject({ owner: 'a', gen: '1', n: '0' });

    await redis.command(['DEL', keys.link(tagOf(1)), keys.ownedBy('a')]);
    expect(await a.reinstate(tagOf(1), token(1), fields)).toBe(true);
    expect(await a.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 4, alive: true });
    expect(await stored(tagOf(1))).toMatchObject({ owner: 'a', gen: '4', epoch: first.epoch, n: '4', seq: '9', sid: 'session-1' });
    expect(sealer.open((await stored(tagOf(1))).tok)).toBe(token(1));
    expect(await owned('a')).toEqual([tagOf(1)]);
    expect(await b.reinstate(tagOf(1), token(1), fields)).toBe(false);
    expect(await a.lookup(tagOf(1))).toEqual({ owner: 'a', gen: 4, alive: true });

    await redis.command(['DEL', keys.link(tagOf(2))]);
    expect(await a.reinstate(tagOf(2), token(2), { gen: 1, epoch: 'e', n: 0, seq: 0 })).toBe(true);
    expect((await stored(tagOf(2))).sid).toBeUndefined();
  });

  it('gives each link of a dead instance to exactly one of two survivors racing to take it over', async () => {
    const dead = await directory('dead');
    const tags = Array.from({ length: 200 }, (_, i) => tagOf(i));
    for (let round = 0; round < 20; round++) {
      await setLease('dead', true);
      await Promise.all(tags.map((tag, i) => dead.claim(tag, token(i), 'free')));
      await setLease('dead', false);
      const [byB, byC] = await Promise.all([b.takeOver('dead'), c.takeOver('dead')]);
      const won = [...byB, ...byC].map((t) => t.record.tag);
      expect(won.sort()).toEqual([...tags].sort());
      expect(new Set([...byB, ...byC].map((t) => t.record.gen))).toEqual(new Set([2 * round + 2]));
      expect(await inInstances('dead')).toBe(false);
      // Next round: the dead instance's id comes back and re-claims every tag (gen+1).
      await Promise.all([
        ...byB.map((t) => b.release(t.record.tag, t.record.gen)),
        ...byC.map((t) => c.release(t.record.tag, t.record.gen)),
      ]);
    }
  });

  it('keeps one owner per tag, gens strictly increasing and live owners undisturbed, whatever 3 instances do concurrently', async () => {
    const ids = ['a', 'b', 'c'];
    const directories = [a, b, c];
    const tags = [0, 1, 2].map((i) => tagOf(i));
    type Op =
      | { kind: 'claim'; by: number; tag: number; mode: 'free' | 'takeover' }
      | { kind: 'release'; by: number; tag: number; staleGen: boolean }
      | { kind: 'takeOver'; by: number; of: number };
    type Step = { kind: 'lease'; who: number; alive: boolean } | { kind: 'batch'; ops: Op[] };
    const instance = fc.integer({ min: 0, max: 2 });
    const tag = fc.integer({ min: 0, max: tags.length - 1 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), by: instance, tag, mode: fc.constantFrom('free' as const, 'takeover' as const) }),
      fc.record({ kind: fc.constant('release' as const), by: instance, tag, staleGen: fc.boolean() }),
      fc.record({ kind: fc.constant('takeOver' as const), by: instance, of: fc.integer({ min: 1, max: 2 }) }),
    );
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('lease' as const), who: instance, alive: fc.boolean() }),
      fc.record({ kind: fc.constant('batch' as const), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
    );

    async function snapshot(): Promise<{ owner: string; gen: number }[]> {
      return Promise.all(
        tags.map(async (t) => {
          const [owner, gen] = await redis.command<[string | null, string | null]>(['HMGET', keys.link(t), 'owner', 'gen']);
          return { owner: owner ?? '', gen: Number(gen ?? 0) };
        }),
      );
    }

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        await redis.command(['FLUSHALL']);
        await Promise.all(ids.map((id) => setLease(id, true)));
        const alive = [true, true, true];
        const believedGen = ids.map(() => tags.map(() => 1));
        for (const s of steps) {
          if (s.kind === 'lease') {
            alive[s.who] = s.alive;
            await setLease(ids[s.who], s.alive);
            continue;
          }
          const before = await snapshot();
          const won: { by: number; record: LinkRecord; mode: string }[] = [];
          const released: { by: number; tag: number }[] = [];
          await Promise.all(
            s.ops.map(async (o) => {
              const directory = directories[o.by];
              if (o.kind === 'claim') {
                const record = await directory.claim(tags[o.tag], token(o.tag), o.mode);
                if (record) won.push({ by: o.by, record, mode: o.mode });
              } else if (o.kind === 'release') {
                const gen = believedGen[o.by][o.tag] - (o.staleGen ? 1 : 0);
                if (await directory.release(tags[o.tag], gen)) released.push({ by: o.by, tag: o.tag });
              } else {
                for (const { record } of await directory.takeOver(ids[(o.by + o.of) % 3])) won.push({ by: o.by, record, mode: 'takeover' });
              }
            }),
          );
          const after = await snapshot();
          for (const { by, record } of won) believedGen[by][tags.indexOf(record.tag)] = record.gen;

          for (const [i, t] of tags.entries()) {
            const gens = won.filter((w) => w.record.tag === t).map((w) => w.record.gen);
            // Every claim is a new gen, above all before it; the stored gen is the last one.
            expect(new Set(gens).size).toBe(gens.length);
            for (const gen of gens) expect(gen).toBeGreaterThan(before[i].gen);
            expect(after[i].gen).toBe(gens.length > 0 ? Math.max(...gens) : before[i].gen);

            // A live owner that did not release its tag still has it, and nobody else won it.
            const holder = ids.indexOf(before[i].owner);
            if (holder >= 0 && alive[holder] && !released.some((r) => r.by === holder && r.tag === i)) {
              expect(after[i].owner).toBe(ids[holder]);
              expect(won.filter((w) => w.record.tag === t && w.by !== holder)).toEqual([]);
            }
            // A free claim never takes a tag from another owner that did not release it (a takeover by the
            // same instance in the same batch may have made the tag its own first: then it claimed its own).
            for (const w of won.filter((w) => w.record.tag === t && w.mode === 'free')) {
              const ownTakeover = won.some((x) => x.by === w.by && x.record.tag === t && x.mode === 'takeover');
              if (holder >= 0 && holder !== w.by && !ownTakeover) expect(released.some((r) => r.tag === i)).toBe(true);
            }
          }

          // One owner per tag: it is in its owner's set and in no other.
          const sets = await Promise.all(ids.map(owned));
          for (const [i, t] of tags.entries()) {
            const holders = ids.filter((_, k) => sets[k].includes(t));
            expect(holders).toEqual(after[i].owner === '' ? [] : [after[i].owner]);
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000); // 60 generated schedules of Redis round trips: slow on a busy machine

  it('takes over 10 000 links of a dead instance in one call', async () => {
    const dead = await directory('bulk');
    const count = 10_000;
    await setLease('bulk', true);
    // In rounds: 10 000 commands queued at once could outlast the connection's command timeout on a busy machine.
    for (let start = 0; start < count; start += 1_000) {
      await Promise.all(Array.from({ length: 1_000 }, (_, i) => dead.claim(tagOf(start + i), token(start + i), 'free')));
    }
    await setLease('bulk', false);

    const tokenOf = new Map(Array.from({ length: count }, (_, i) => [tagOf(i), token(i)]));

    const taken = await b.takeOver('bulk');
    expect(taken).toHaveLength(count);
    expect(taken.every(({ record, token: opened }) => record.owner === 'b' && record.gen === 2 && tokenOf.get(record.tag) === opened)).toBe(true);
    expect(new Set(taken.map((t) => t.record.tag)).size).toBe(count);
    expect(await redis.command(['SCARD', keys.ownedBy('b')])).toBe(count);
    expect(await inInstances('bulk')).toBe(false);
  });
});
