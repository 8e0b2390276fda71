import { existsSync, readdirSync } from 'node:fs';
import { RedisServer, redisCommand } from './redis-server';

describe('RedisServer (a redis-server of the test\'s own)', () => {
  it('starts on a free port other than 6379, keeps nothing on disk, and is gone once stopped', async () => {
    const [a, b] = await Promise.all([RedisServer.start(), RedisServer.start()]);
    try {
      expect(a.port).not.toBe(6379);
      expect(a.port).not.toBe(b.port);
      await redisCommand(a.port, ['SET', 'k', 'on a']);
      expect(await redisCommand(a.port, ['GET', 'k'])).toBe('$4\r\non a\r\n');
      expect(await redisCommand(b.port, ['GET', 'k'])).toBe('$-1\r\n'); // each its own
    } finally {
      await b.stop();
    }
    const pid = a.pid!;
    await a.stop();
    expect(() => process.kill(pid, 0)).toThrow(); // no such process
    await expect(redisCommand(a.port, ['PING'])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('without an append-only file a restart forgets everything; with one it keeps what was written', async () => {
    const volatile = await RedisServer.start();
    const durable = await RedisServer.start({ appendOnly: true });
    try {
      for (const server of [volatile, durable]) await redisCommand(server.port, ['SET', 'k', 'kept']);
      await Promise.all([volatile.restart(), durable.restart()]);
      expect(await redisCommand(volatile.port, ['GET', 'k'])).toBe('$-1\r\n');
      expect(await redisCommand(durable.port, ['GET', 'k'])).toBe('$4\r\nkept\r\n');
    } finally {
      await Promise.all([volatile.stop(), durable.stop()]);
    }
  });

  it('leaves no dump file behind and removes its directory', async () => {
    const server = await RedisServer.start();
    await redisCommand(server.port, ['SET', 'k', 'v']);
    await server.restart();
    expect(readdirSync(server.dir)).toEqual([]);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
  });
});
