import { createClient } from '@redis/client';
import { createHash } from 'node:crypto';

/** A Lua script, sent by its SHA1 (EVALSHA) and by its text only when Redis does not know it yet. */
export class LuaScript {
  readonly sha1: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }
}

/** A Redis reply as node-redis gives it with RESP2 (strings, integers, arrays, null). */
export type RedisReply = string | number | null | RedisReply[];

export interface RedisConnectionOptions {
  url: string;
  /** Shown in CLIENT LIST: which instance and which connection this is. */
  name: string;
  /** A command not answered within this fails (Redis stalled or unreachable). */
  commandTimeoutMs?: number;
}

type Client = ReturnType<typeof createClient>;

const CONNECT_TIMEOUT_MS = 2_000;
const COMMAND_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * The one way the service talks to Redis: plain commands, Lua scripts and publishing on one
 * connection, subscriptions on a second (a subscribed connection can do nothing else). Commands fail
 * at once while Redis is unreachable (no offline queue: a caller answers 503 rather than waiting), and
 * the connections keep reconnecting in the background; subscriptions are restored by node-redis, and
 * `onReconnect` tells the subscribers to catch up on what was published meanwhile.
 */
export class RedisConnection {
  private readonly reconnectHandlers = new Set<() => void>();
  private lastError?: string;

  private constructor(
    private readonly client: Client,
    private readonly subscriber: Client,
    private readonly commandTimeoutMs: number,
  ) {
    for (const [connection, role] of [
      [client, 'commands'],
      [subscriber, 'subscriptions'],
    ] as const) {
      // Without a listener node-redis would throw connection errors as uncaught exceptions.
      connection.on('error', (err: Error) => (this.lastError = `${role}: ${err.message}`));
    }
    let connectedOnce = false;
    subscriber.on('ready', () => {
      if (connectedOnce) for (const handler of this.reconnectHandlers) handler();
      connectedOnce = true;
    });
  }

  static async connect(options: RedisConnectionOptions): Promise<RedisConnection> {
    const make = (role: string): Client =>
      createClient({
        url: options.url,
        name: `${options.name}:${role}`,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
        },
      });
    const client = make('cmd');
    const subscriber = make('sub');
    const connection = new RedisConnection(client, subscriber, options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS);
    try {
      await Promise.all([client.connect(), subscriber.connect()]);
    } catch (err) {
      client.destroy();
      subscriber.destroy();
      throw new Error(`cannot connect to Redis: ${(err as Error).message}`);
    }
    return connection;
  }

  /** Both connections are up. */
  get isReady(): boolean {
    return this.client.isReady && this.subscriber.isReady;
  }

  /** The latest connection error, for logs and the readiness check. */
  get error(): string | undefined {
    return this.lastError;
  }

  command<T extends RedisReply = RedisReply>(args: readonly string[]): Promise<T> {
    return this.client.sendCommand(args, { timeout: this.commandTimeoutMs }) as Promise<T>;
  }

  /** Runs a script (EVALSHA, falling back to EVAL the first time a Redis sees it). */
  async run<T extends RedisReply = RedisReply>(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command<T>(['EVALSHA', script.sha1, ...tail]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.command<T>(['EVAL', script.source, ...tail]);
    }
  }

  publish(channel: string, message: string): Promise<number> {
    return this.command<number>(['PUBLISH', channel, message]);
  }

  /** Messages on `channel` go to `listener` until unsubscribed; resolves once Redis confirmed. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    return this.subscriber.subscribe(channel, listener);
  }

  unsubscribe(channel: string, listener: (message: string) => void): Promise<void> {
    return this.subscriber.unsubscribe(channel, listener);
  }

  /** Called after the subscription connection came back: messages published meanwhile are lost. */
  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.client.close(), this.subscriber.close()]);
  }
}
