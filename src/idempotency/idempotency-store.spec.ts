import { IdempotencyStore, KeyReused } from './idempotency-store';

const retryable = new Error('try again');
const store = (maxKeys = 100, ttlMs = 1_000) => new IdempotencyStore({ ttlMs, maxKeys }, (error) => error !== retryable);

describe('IdempotencyStore', () => {
  it('runs once per key and scope, answering retries (errors too) as the first', async () => {
    const s = store();
    let runs = 0;
    const run = (scope: string, key: string) => s.run(scope, key, 'f', async () => ++runs);
    expect(await run('t1', 'k')).toBe(1);
    expect(await run('t1', 'k')).toBe(1);
    expect(await run('t2', 'k')).toBe(2);
    const failing = () => s.run('t1', 'bad', 'f', async () => Promise.reject(new Error(`failed ${++runs}`)));
    await expect(failing()).rejects.toThrow('failed 3');
    await expect(failing()).rejects.toThrow('failed 3');
    await expect(s.run('t1', 'k', 'another request', async () => ++runs)).rejects.toBeInstanceOf(KeyReused);
  });

  it('lets a retry run again after an answer that says "try again later"', async () => {
    const s = store();
    let runs = 0;
    const run = () => s.run('t', 'k', 'f', async () => (++runs === 1 ? Promise.reject(retryable) : runs));
    await expect(run()).rejects.toBe(retryable);
    expect(await run()).toBe(2);
    expect(await run()).toBe(2);
  });

  it('forgets a key after its time, and the oldest keys beyond the bound', async () => {
    const s = store(3, 1_000);
    let runs = 0;
    const run = (key: string, now: number) => s.run('t', key, 'f', async () => ++runs, now);
    expect(await run('a', 0)).toBe(1);
    expect(await run('a', 999)).toBe(1);
    expect(await run('a', 1_000)).toBe(2);
    for (const key of ['b', 'c', 'd']) await run(key, 1_000);
    expect(s.size).toBe(3);
    expect(await run('a', 1_001)).toBe(6); // 'a' was the oldest: forgotten
  });

  it('stays bounded when many answers are not kept (their keys leave no trace)', async () => {
    const s = store(10, 1_000_000);
    for (let i = 0; i < 5_000; i++) await s.run('t', `k${i}`, 'f', async () => Promise.reject(retryable)).catch(() => undefined);
    expect(s.size).toBe(0);
    expect((s as unknown as { order: unknown[] }).order.length).toBeLessThan(2 * 10 + 1024 + 2);
  });
});
