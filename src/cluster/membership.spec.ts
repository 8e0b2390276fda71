import { specRedis } from '../../test/support/spec-redis';
import { ClusterKeys } from './keys';
import { Membership, type MembershipHooks } from './membership';
import { RedisConnection } from './redis';

const LEASE_MS = 1_000;
const HEARTBEAT_MS = 120;

describe('Membership, on a redis-server of the test\'s own', () => {
  const keys = new ClusterKeys('imb:');
  let redis: RedisConnection;
  const members: Membership[] = [];

  const spec = specRedis();
  const connect = (name: string): Promise<RedisConnection> => spec.connect(name);

  beforeAll(async () => {
    redis = await connect('spec');
  });
  afterEach(async () => {
    await Promise.allSettled(members.splice(0).map((member) => member.stop()));
    await redis.command(['FLUSHALL']);
  });

  /** A member with hooks that record what they are told, on its own connection unless given one. */
  async function member(id: string, options: { connection?: RedisConnection; clock?: { now(): number } } = {}) {
    const told = { fenced: 0, dead: [] as string[][] };
    const hooks: MembershipHooks = { fenced: () => told.fenced++, deadInstances: (ids) => void told.dead.push(ids) };
    const connection = options.connection ?? (await connect(id));
    const membership = new Membership(
      connection,
      keys,
      { instanceId: id, leaseMs: LEASE_MS, heartbeatMs: HEARTBEAT_MS },
      hooks,
      options.clock,
    );
    members.push(membership);
    await membership.start();
    return { membership, told, connection };
  }

  /** Milliseconds left on an instance's lease by Redis's clock; null when it is not in the set. */
  async function leaseLeft(id: string): Promise<number | null> {
    const [deadline, [seconds, micros]] = await Promise.all([
      redis.command<string | null>(['ZSCORE', keys.instances, id]),
      redis.command<[string, string]>(['TIME']),
    ]);
    return deadline === null ? null : Number(deadline) - (Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
  }

  it('keeps its lease by heartbeats for as long as it runs, and is not fenced', async () => {
    const { membership, told } = await member('a');
    expect(membership.holdsLease).toBe(true);
    await sleep(LEASE_MS * 3);
    expect(membership.holdsLease).toBe(true);
    // Three leases on, only renewals keep a deadline ahead of Redis's clock.
    expect(await leaseLeft('a')).toBeGreaterThan(0);
    expect(told.fenced).toBe(0);
  });

  it('is eligible for takeover only after holding its lease for a whole lease', async () => {
    const { membership } = await member('a');
    const joined = performance.now();
    expect(membership.eligibleForTakeover).toBe(false);
    await until(() => membership.eligibleForTakeover);
    expect(performance.now() - joined).toBeGreaterThanOrEqual(LEASE_MS - 50);
  });

  it('fences itself once when heartbeats fail for longer than the lease, not before, and reports another that stopped heartbeating as dead on each heartbeat', async () => {
    const survivor = await member('survivor');
    await until(() => survivor.membership.eligibleForTakeover);
    const cutOff = await member('cut-off');
    await sleep(2 * HEARTBEAT_MS);
    expect(survivor.told.dead).toEqual([]);

    // Cut off from Redis without leaving: its heartbeats fail from now on, its entry stays.
    await cutOff.connection.close();
    const cutAt = performance.now();
    await sleep(LEASE_MS / 2);
    expect(cutOff.told.fenced).toBe(0);
    expect(cutOff.membership.holdsLease).toBe(true);
    await until(() => cutOff.told.fenced > 0);
    // The lease counts from the last heartbeat sent, at most one heartbeat before the cut.
    expect(performance.now() - cutAt).toBeGreaterThanOrEqual(LEASE_MS - 2 * HEARTBEAT_MS);
    expect(cutOff.membership.holdsLease).toBe(false);

    await until(() => survivor.told.dead.length >= 2);
    expect(survivor.told.dead.slice(0, 2)).toEqual([['cut-off'], ['cut-off']]);
    expect(survivor.told.fenced).toBe(0);
    await sleep(2 * HEARTBEAT_MS);
    expect(cutOff.told.fenced).toBe(1);

    await expect(survivor.membership.forget('cut-off')).resolves.toBe(true);
    expect(await leaseLeft('cut-off')).toBeNull();
    const reports = survivor.told.dead.length;
    await sleep(3 * HEARTBEAT_MS);
    expect(survivor.told.dead.length).toBe(reports);
  });

  it('does not report dead instances before it has been a member for a lease', async () => {
    await redis.command(['ZADD', keys.instances, '1', 'long-dead']);
    const newcomer = await member('newcomer');
    await sleep(LEASE_MS / 2);
    expect(newcomer.told.dead).toEqual([]);
    await until(() => newcomer.told.dead.length > 0);
    expect(newcomer.membership.eligibleForTakeover).toBe(true);
    expect(newcomer.told.dead[0]).toEqual(['long-dead']);
  });

  it('after a pause past its lease, holds no lease at once, is fenced once, then is a member again from scratch', async () => {
    let jumped = 0;
    const clock = { now: () => performance.now() + jumped };
    const { membership, told } = await member('paused', { clock });
    await until(() => membership.eligibleForTakeover);

    // As a process woken from SIGSTOP sees it: the monotonic clock moved on, no timer has run yet.
    jumped = 3 * LEASE_MS;
    expect(membership.holdsLease).toBe(false);
    expect(membership.eligibleForTakeover).toBe(false);
    expect(told.fenced).toBe(0);

    await until(() => told.fenced === 1 && membership.holdsLease);
    expect(membership.eligibleForTakeover).toBe(false);
    await until(() => membership.eligibleForTakeover);
    expect(told.fenced).toBe(1);
  });

  it('stop() ends the lease at once: an instance owning nothing leaves the set, one owning links is reported dead', async () => {
    const observer = await member('observer');
    const idle = await member('idle');
    const owner = await member('owner');
    await redis.command(['SADD', keys.ownedBy('owner'), 'some-tag']);
    await until(() => observer.membership.eligibleForTakeover);

    // A busy machine may stall a member past its short lease before this point; stopping must add no fence.
    const fencedBeforeStop = idle.told.fenced + owner.told.fenced;
    await idle.membership.stop();
    await owner.membership.stop();
    expect(idle.membership.holdsLease).toBe(false);
    expect(await leaseLeft('idle')).toBeNull();
    expect(await leaseLeft('owner')).toBeLessThan(0);
    await until(() => observer.told.dead.some((ids) => ids.includes('owner')), HEARTBEAT_MS * 5);
    expect(observer.told.dead.flat()).not.toContain('idle');

    // No heartbeat after stop renews it.
    await sleep(3 * HEARTBEAT_MS);
    expect(await leaseLeft('owner')).toBeLessThan(0);
    expect(idle.told.fenced + owner.told.fenced).toBe(fencedBeforeStop);
  });

  it('refuses to start without Redis', async () => {
    const connection = await connect('lonely');
    await spec.server.down();
    await until(() => !connection.isReady);
    const membership = new Membership(connection, keys, { instanceId: 'x', leaseMs: LEASE_MS, heartbeatMs: HEARTBEAT_MS }, {
      fenced: () => undefined,
      deadInstances: () => undefined,
    });
    await expect(membership.start()).rejects.toThrow(/cannot join the cluster/);
    expect(membership.holdsLease).toBe(false);
    await spec.server.up();
    await until(() => redis.isReady);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
