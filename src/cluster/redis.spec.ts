import { RedisServer } from '../../test/support/redis-server';
import { LuaScript, RedisConnection } from './redis';

const INCR_BY = new LuaScript('incrBy', "return redis.call('INCRBY', KEYS[1], ARGV[1])");

describe('RedisConnection, on a redis-server of the test\'s own', () => {
  let redis: RedisServer;
  let connection: RedisConnection;

  beforeAll(async () => {
    redis = await RedisServer.start();
    connection = await RedisConnection.connect({ url: redis.url, name: 'spec' });
  });
  afterAll(async () => {
    await connection?.close();
    await redis?.stop();
  });

  it('runs commands and scripts, sending a script text only to a Redis that does not know it', async () => {
    await expect(connection.command(['SET', 'k', 'v'])).resolves.toBe('OK');
    await expect(connection.command(['GET', 'k'])).resolves.toBe('v');
    await expect(connection.run(INCR_BY, ['n'], ['2'])).resolves.toBe(2);
    await connection.command(['SCRIPT', 'FLUSH']);
    await expect(connection.run(INCR_BY, ['n'], ['3'])).resolves.toBe(5);
    await expect(connection.command(['SCRIPT', 'EXISTS', INCR_BY.sha1])).resolves.toEqual([1]);
  });

  it('delivers what is published to the subscribers of the channel until they unsubscribe', async () => {
    const got: string[] = [];
    const listener = (message: string): void => void got.push(message);
    await connection.subscribe('ch', listener);
    await connection.publish('ch', 'one');
    await connection.publish('other', 'not for us');
    await until(() => got.length === 1);
    await connection.unsubscribe('ch', listener);
    await expect(connection.publish('ch', 'two')).resolves.toBe(0);
    expect(got).toEqual(['one']);
  });

  it('fails commands at once while Redis is down, and reconnects (subscriptions too) when it is back', async () => {
    const got: string[] = [];
    let reconnects = 0;
    await connection.subscribe('back', (message) => void got.push(message));
    const stop = connection.onReconnect(() => reconnects++);
    await redis.restart();
    await until(() => connection.isReady && reconnects === 1);
    await connection.publish('back', 'after');
    await until(() => got.length === 1);
    expect(got).toEqual(['after']);
    stop();

    const down = await RedisServer.start();
    const lonely = await RedisConnection.connect({ url: down.url, name: 'spec-down' });
    await down.stop();
    await until(() => !lonely.isReady);
    const started = Date.now();
    await expect(lonely.command(['PING'])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lonely.error).toBeDefined();
    await lonely.close();
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
