import type { ClusterKeys } from './keys';
import { LuaScript, RedisConnection } from './redis';

/** Upper bound of an upstream token's life (the upstream default is 2 days): a revocation is kept that long. */
export const REVOCATION_TTL_MS = 7 * 24 * 3600_000;
const RATE_WINDOW_MS = 60_000;

/**
 * Everything a request needs to know before it runs, in one round trip: it counts against the
 * client address's and the token's fixed-window limits (the window starts with its first request and
 * lives in Redis, so the limit holds across instances), whether the token was logged out, and who
 * owns the token's link (is that owner's lease still running, on Redis's clock?).
 * KEYS: address counter, instances, then for a token: its counter, revocation marker, link record.
 * ARGV: limit per window (0: no counting), window ms.
 */
const ADMIT = new LuaScript(
  'admit',
  `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[1])
local function count(key)
  if limit == 0 then return 0 end
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[2]) end
  if n <= limit then return 0 end
  return math.max(redis.call('PTTL', key), 1)
end
local wait = count(KEYS[1])
if #KEYS == 2 then return {wait, 0, '', 0, 0} end
wait = math.max(wait, count(KEYS[3]))
local revoked = redis.call('EXISTS', KEYS[4])
local record = redis.call('HMGET', KEYS[5], 'owner', 'gen')
local owner = record[1] or ''
local alive = 0
if owner ~= '' then
  local deadline = redis.call('ZSCORE', KEYS[2], owner)
  if deadline and tonumber(deadline) > now then alive = 1 end
end
return {wait, revoked, owner, tonumber(record[2] or '0'), alive}
`,
);

export interface Admitted {
  /** Over a rate limit: seconds until the window ends; 0 when the request may run. */
  retryAfterSeconds: number;
  revoked: boolean;
  /** Who owns the token's link: null when nobody does (never claimed, or released). */
  owner: { instance: string; gen: number; alive: boolean } | null;
}

/** Admission control shared by every instance: rate limits, logout, and where a token's link lives. */
export class Admission {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly limitPerMinute: number,
  ) {}

  async admit(address: string, tag?: string): Promise<Admitted> {
    const keys = [this.keys.addressRate(address), this.keys.instances];
    if (tag !== undefined) keys.push(this.keys.tokenRate(tag), this.keys.revoked(tag), this.keys.link(tag));
    const [waitMs, revoked, owner, gen, alive] = await this.redis.run<[number, number, string, number, number]>(ADMIT, keys, [
      String(this.limitPerMinute),
      String(RATE_WINDOW_MS),
    ]);
    return {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
      revoked: revoked === 1,
      owner: owner === '' ? null : { instance: owner, gen, alive: alive === 1 },
    };
  }

  /** Logout: the token is refused everywhere from now on. */
  async revoke(tag: string): Promise<void> {
    await this.redis.command(['SET', this.keys.revoked(tag), '1', 'PX', String(REVOCATION_TTL_MS)]);
  }

  async isRevoked(tag: string): Promise<boolean> {
    return (await this.redis.command<number>(['EXISTS', this.keys.revoked(tag)])) === 1;
  }
}
