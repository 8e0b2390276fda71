import { RedisConnection } from '../../src/cluster/redis';
import { RedisServer } from './redis-server';

export interface SpecRedis {
  /** The spec's own redis-server (started in beforeAll). */
  readonly server: RedisServer;
  /** A connection to it, as one instance would hold (closed in afterAll). */
  connect(name: string): Promise<RedisConnection>;
}

/**
 * A redis-server of the describe block's own, started before its tests and stopped after them with
 * every connection opened through `connect`. Call it inside the describe block.
 */
export function specRedis(): SpecRedis {
  let server: RedisServer | undefined;
  const connections: RedisConnection[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await server?.stop();
  });
  return {
    get server(): RedisServer {
      if (!server) throw new Error('the spec Redis starts in beforeAll');
      return server;
    },
    async connect(name: string): Promise<RedisConnection> {
      const connection = await RedisConnection.connect({ url: this.server.url, name });
      connections.push(connection);
      return connection;
    },
  };
}
