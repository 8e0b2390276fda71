import fc from 'fast-check';
import { specRedis } from '../../test/support/spec-redis';
import { Admission } from './admission';
import { ClusterKeys } from './keys';
import { RedisConnection } from './redis';

describe("Admission, on a redis-server of the test's own", () => {
  const spec = specRedis();
  let redis: RedisConnection;
  const keys = new ClusterKeys('imb:');

  beforeAll(async () => {
    redis = await spec.connect('admission-spec');
  });
  beforeEach(() => redis.command(['FLUSHALL']));

  it('holds the limit per token across every instance sharing the Redis, and per address', async () => {
    const instances = [new Admission(redis, keys, 5), new Admission(redis, keys, 5), new Admission(redis, keys, 5)];
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await instances[i % 3].admit(`10.0.0.${i}`, 'tokenA'));
    expect(answers.map((a) => a.retryAfterSeconds > 0)).toEqual([false, false, false, false, false, true, true, true, true]);
    expect(answers[8].retryAfterSeconds).toBeGreaterThan(0);
    expect(answers[8].retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another token from the same addresses is not limited by tokenA's count; an address is limited by its own.
    expect((await instances[0].admit('10.0.0.100', 'tokenB')).retryAfterSeconds).toBe(0);
    for (let i = 0; i < 5; i++) expect((await instances[i % 3].admit('10.9.9.9')).retryAfterSeconds).toBe(0);
    expect((await instances[1].admit('10.9.9.9')).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('counts exactly: of any number of concurrent requests, the limit pass', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 40 }), async (limit, requests) => {
        await redis.command(['FLUSHALL']);
        const admission = new Admission(redis, keys, limit);
        const answers = await Promise.all(Array.from({ length: requests }, (_, i) => admission.admit(`a${i}`, 't')));
        return answers.filter((a) => a.retryAfterSeconds === 0).length === Math.min(limit, requests);
      }),
      { numRuns: 30 },
    );
  });

  it('counts nothing when the limit is off', async () => {
    const admission = new Admission(redis, keys, 0);
    for (let i = 0; i < 50; i++) expect((await admission.admit('10.0.0.1', 't')).retryAfterSeconds).toBe(0);
    expect(await redis.command(['DBSIZE'])).toBe(0);
  });

  it('tells a revoked token on every instance, and who owns a link and whether that owner still holds its lease', async () => {
    const [a, b] = [new Admission(redis, keys, 100), new Admission(redis, keys, 100)];
    expect(await b.admit('10.0.0.1', 't')).toEqual({ retryAfterSeconds: 0, revoked: false, owner: null });
    await a.revoke('t');
    expect((await b.admit('10.0.0.1', 't')).revoked).toBe(true);
    expect(await b.isRevoked('t')).toBe(true);
    expect(await b.isRevoked('other')).toBe(false);

    await redis.command(['HSET', keys.link('u'), 'owner', 'i1', 'gen', '3']);
    const [seconds] = await redis.command<[string, string]>(['TIME']);
    await redis.command(['ZADD', keys.instances, String(Number(seconds) * 1000 + 5_000), 'i1']);
    expect((await a.admit('10.0.0.1', 'u')).owner).toEqual({ instance: 'i1', gen: 3, alive: true });
    await redis.command(['ZADD', keys.instances, String(Number(seconds) * 1000 - 1_000), 'i1']);
    expect((await a.admit('10.0.0.1', 'u')).owner).toEqual({ instance: 'i1', gen: 3, alive: false });
    await redis.command(['HSET', keys.link('u'), 'owner', '']);
    expect((await a.admit('10.0.0.1', 'u')).owner).toBeNull();
  });
});
