import type { ReadMarkers } from '../chats/read-markers';
import type { ClusterKeys } from './keys';
import type { RedisConnection } from './redis';

/** A token's markers outlive its link by this much without a new one (a phone away for a while). */
const MARKERS_TTL_MS = 30 * 24 * 3600_000;

/**
 * Read markers in Redis (cluster mode): one hash per token, so any instance that owns the token's
 * link reads the same ones. Only chats the upstream knows get a marker (the route checks), so a
 * hash holds no more threads than the account's chats; it expires a month after its last write.
 */
export class RedisReadMarkers implements ReadMarkers {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
  ) {}

  async get(scope: string, threads: readonly string[]): Promise<number[]> {
    if (threads.length === 0) return [];
    const values = await this.redis.command<(string | null)[]>(['HMGET', this.key(scope), ...threads]);
    return values.map((value) => (value === null ? 0 : Number(value)));
  }

  async set(scope: string, thread: string, seq: number): Promise<void> {
    const key = this.key(scope);
    await Promise.all([this.redis.command(['HSET', key, thread, String(seq)]), this.redis.command(['PEXPIRE', key, String(MARKERS_TTL_MS)])]);
  }

  /** The scope is the token's hash; its first 22 characters are the token's tag. */
  private key(scope: string): string {
    return this.keys.readMarkers(scope.slice(0, 22));
  }
}
