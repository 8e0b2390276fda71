import { specRedis } from '../../test/support/spec-redis';
import { ProblemException } from '../common/problem';
import { KeyReused } from '../idempotency/idempotency-store';
import { ClusterKeys } from './keys';
import type { RedisConnection } from './redis';
import { RedisIdempotencyKeys } from './redis-idempotency';

const keys = new ClusterKeys('imb:');
const SCOPE = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg'; // a token hash: 43 base64url characters
const notFound = () => new ProblemException(404, 'not_found', 'no such chat');
const tryLater = () => new ProblemException(503, 'upstream.UNAVAILABLE', 'later');

describe("RedisIdempotencyKeys, on a redis-server of the test's own", () => {
  const spec = specRedis();
  let a: RedisIdempotencyKeys;
  let b: RedisIdempotencyKeys;
  let redis: RedisConnection;

  /** Two instances, each with its own connection, sharing the keys. */
  beforeAll(async () => {
    redis = await spec.connect('spec');
    const options = { ttlMs: 60_000, runningTtlMs: 400, isFinal: (error: unknown) => (error as ProblemException).getStatus() !== 503 };
    a = new RedisIdempotencyKeys(await spec.connect('a'), keys, options);
    b = new RedisIdempotencyKeys(await spec.connect('b'), keys, options);
  });
  beforeEach(() => redis.command(['FLUSHALL']));

  it('answers a retry on another instance with the first answer, without running it again', async () => {
    let runs = 0;
    const first = await a.run(SCOPE, 'k1', 'f', async () => ({ seq: ++runs }));
    const retry = await b.run(SCOPE, 'k1', 'f', async () => ({ seq: ++runs }));
    expect(retry).toEqual(first);
    expect(runs).toBe(1);
    expect(await redis.command<number>(['PTTL', keys.idempotency(SCOPE.slice(0, 22), 'k1')])).toBeGreaterThan(50_000);
    await expect(b.run(SCOPE, 'k1', 'another request', async () => ++runs)).rejects.toBeInstanceOf(KeyReused);
  });

  it('makes a concurrent retry elsewhere wait for the first answer', async () => {
    let runs = 0;
    let finish!: (value: string) => void;
    const first = a.run(SCOPE, 'k2', 'f', () => new Promise<string>((resolve) => ((finish = resolve), runs++)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const retry = b.run(SCOPE, 'k2', 'f', async () => `ran again ${++runs}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    finish('the answer');
    expect(await Promise.all([first, retry])).toEqual(['the answer', 'the answer']);
    expect(runs).toBe(1);
  });

  it('replays a final error as the same problem, and lets a retry of a "try later" answer run', async () => {
    const first = await a.run(SCOPE, 'k3', 'f', async () => Promise.reject(notFound())).catch((e: ProblemException) => e);
    const retry = await b.run(SCOPE, 'k3', 'f', async () => 'ran again').catch((e: ProblemException) => e);
    expect(retry).toBeInstanceOf(ProblemException);
    expect((retry as ProblemException).problem).toEqual((first as ProblemException).problem);
    await expect(a.run(SCOPE, 'k4', 'f', async () => Promise.reject(tryLater()))).rejects.toBeInstanceOf(ProblemException);
    expect(await b.run(SCOPE, 'k4', 'f', async () => 'ran again')).toBe('ran again');
  });

  it('runs a retry again once a first request has run past its bound (its instance may have died)', async () => {
    void a.run(SCOPE, 'k5', 'f', () => new Promise(() => undefined)); // never answers
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await b.run(SCOPE, 'k5', 'f', async () => 'ran again')).toBe('ran again');
  });
});
