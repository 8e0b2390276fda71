import type { ClusterKeys } from './keys';
import { LuaScript, type RedisConnection } from './redis';

export interface MembershipOptions {
  instanceId: string;
  /** An instance that has not renewed its lease for this long is dead. */
  leaseMs: number;
  /** How often the lease is renewed (at most half the lease). */
  heartbeatMs: number;
}

export interface MembershipHooks {
  /** This instance lost its lease (paused past it, or cut off from Redis): it must stop acting as owner now. */
  fenced(): void;
  /**
   * Other instances whose lease has passed, reported on each heartbeat while they remain, and only
   * while this instance is eligible for takeover.
   */
  deadInstances(ids: string[]): void;
}

/** A monotonic clock in ms; injectable so a spec can make time jump as a paused process sees it. */
export interface MonotonicClock {
  now(): number;
}

/** Lua: Redis's time in ms. Every lease is written and judged on this one clock, never an instance's own. */
export const REDIS_NOW_MS = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/** KEYS: instances. ARGV: id, lease ms. Renews the lease; returns the others whose lease has passed. */
const HEARTBEAT = new LuaScript(
  'heartbeat',
  `${REDIS_NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)`,
);

/**
 * KEYS: instances, ownedBy(id). ARGV: id. Removes an instance whose lease has passed once it owns
 * nothing; one that renewed its lease meanwhile (it was only paused) stays. Returns 1 when removed.
 */
export const FORGET_INSTANCE = new LuaScript(
  'forgetInstance',
  `${REDIS_NOW_MS}
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if deadline and tonumber(deadline) >= now then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1`,
);

/**
 * KEYS: instances, ownedBy(id). ARGV: id. A clean shutdown: an instance that owns nothing leaves at
 * once; one that owns links ends its lease now (deadline 0) rather than leaving, so the others'
 * next heartbeat reports it dead and they take its links over (an instance absent from the set
 * would never be reported).
 */
const LEAVE = new LuaScript(
  'leave',
  `if redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], 0, ARGV[1])
end
return 1`,
);

/**
 * This instance's lease in the cluster. Redis holds each instance's deadline on Redis's own clock
 * (renewed by a heartbeat); the instance itself counts its lease on its monotonic clock from when
 * its last successful heartbeat was sent. That send happened before Redis set the deadline, so the
 * instance's own view of its lease always ends first: a paused or cut-off owner fences itself before
 * any survivor can see it dead.
 */
export class Membership {
  /** Monotonic time the last successful heartbeat was sent; undefined until the first. */
  private lastSentAt?: number;
  /** Monotonic send time of the first heartbeat of the current continuous membership. */
  private memberSince = 0;
  /** fenced() was called for the current lapse; cleared by the next successful heartbeat. */
  private fencedNotified = false;
  private heartbeatInFlight = false;
  private stopped = true;
  private heartbeatTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private lastError?: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly options: MembershipOptions,
    private readonly hooks: MembershipHooks,
    private readonly clock: MonotonicClock = { now: () => performance.now() },
  ) {}

  get instanceId(): string {
    return this.options.instanceId;
  }

  /**
   * Whether the lease is running right now, from the monotonic clock at call time: check it
   * synchronously just before acting as owner. A process woken from a pause sees false here even
   * before its timers have run and fenced() was called.
   */
  get holdsLease(): boolean {
    return (
      !this.stopped &&
      !this.fencedNotified &&
      this.lastSentAt !== undefined &&
      this.clock.now() - this.lastSentAt <= this.options.leaseMs
    );
  }

  /**
   * Held the lease continuously for at least one lease. After a restart or a Redis outage every
   * instance waits this long before claiming others' tokens, by which time every live instance has
   * renewed its lease: an outage does not make everyone claim everything.
   */
  get eligibleForTakeover(): boolean {
    return this.holdsLease && this.clock.now() - this.memberSince >= this.options.leaseMs;
  }

  /** The latest heartbeat failure, for logs and the readiness check. */
  get error(): string | undefined {
    return this.lastError;
  }

  /** Takes the lease (the first heartbeat must succeed) and keeps renewing it. */
  async start(): Promise<void> {
    this.stopped = false;
    this.lastSentAt = undefined;
    this.fencedNotified = false;
    await this.heartbeat();
    if (!this.holdsLease) {
      this.stopped = true;
      throw new Error(`cannot join the cluster: ${this.lastError ?? 'no lease'}`);
    }
    this.heartbeatTimer = setInterval(() => this.tick(), this.options.heartbeatMs).unref();
  }

  /** Clean shutdown: no more heartbeats, and the lease ends now so the others take over at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.leaseTimer);
    await this.redis.run(LEAVE, [this.keys.instances, this.keys.ownedBy(this.instanceId)], [this.instanceId]);
  }

  /** Removes a dead instance that owns nothing (LinkDirectory.takeOver does this itself); true when removed. */
  async forget(id: string): Promise<boolean> {
    return (await this.redis.run<number>(FORGET_INSTANCE, [this.keys.instances, this.keys.ownedBy(id)], [id])) === 1;
  }

  private tick(): void {
    this.checkLease();
    // A heartbeat still waiting (Redis slow; commands time out) is not doubled.
    if (!this.heartbeatInFlight) void this.heartbeat();
  }

  private async heartbeat(): Promise<void> {
    const sentAt = this.clock.now();
    this.heartbeatInFlight = true;
    try {
      const dead = await this.redis.run<string[]>(
        HEARTBEAT,
        [this.keys.instances],
        [this.instanceId, String(this.options.leaseMs)],
      );
      this.renewed(sentAt, dead);
    } catch (err) {
      this.lastError = (err as Error).message;
    } finally {
      this.heartbeatInFlight = false;
      this.checkLease();
    }
  }

  private renewed(sentAt: number, dead: string[]): void {
    if (this.stopped) return;
    this.lastError = undefined;
    const lapsed = this.lastSentAt === undefined || this.fencedNotified || sentAt - this.lastSentAt > this.options.leaseMs;
    if (lapsed) {
      // A lapse no timer has reported yet (the process was paused) is reported before membership resumes.
      if (this.lastSentAt !== undefined && !this.fencedNotified) this.hooks.fenced();
      this.memberSince = sentAt;
      this.fencedNotified = false;
    }
    this.lastSentAt = sentAt;
    // Fence exactly at the lease's end, not at the next heartbeat tick.
    clearTimeout(this.leaseTimer);
    const left = this.options.leaseMs - (this.clock.now() - sentAt);
    this.leaseTimer = setTimeout(() => this.checkLease(), Math.max(0, left) + 1).unref();
    if (dead.length > 0 && this.eligibleForTakeover) this.hooks.deadInstances(dead);
  }

  private checkLease(): void {
    if (this.stopped || this.fencedNotified || this.lastSentAt === undefined) return;
    if (this.clock.now() - this.lastSentAt <= this.options.leaseMs) return;
    this.fencedNotified = true;
    clearTimeout(this.leaseTimer);
    this.hooks.fenced();
  }
}
