import { randomBytes } from 'node:crypto';
import type { ClusterKeys } from './keys';
import { FORGET_INSTANCE, REDIS_NOW_MS } from './membership';
import { LuaScript, type RedisConnection } from './redis';
import type { Sealer } from './sealed';

/** Who owns a token's link and the state a new owner resumes from. */
export interface LinkRecord {
  tag: string;
  /** Set by a claim that took the link from an instance whose lease had passed. */
  takenFrom?: string;
  /** Instance id; '' once released. */
  owner: string;
  /** The fence: +1 per new owner; every write an owner makes checks it. */
  gen: number;
  /** Epoch of the event log: event ids are `<epoch>.<n>`. */
  epoch: string;
  /** Number of the last logged event. */
  n: number;
  /** Last committed notify seq (the ack sent upstream). */
  seq: number;
  /** Upstream session id, once there is one. */
  sid?: string;
}

/** What lookup tells about a token's owner. */
export interface LinkOwner {
  /** null when released. */
  owner: string | null;
  gen: number;
  /** The owner's lease is still running (on Redis's clock). */
  alive: boolean;
}

/** Lua: whether `owner`'s lease has passed or it has none (KEYS[2] = instances). Needs REDIS_NOW_MS. */
const LEASE_PASSED = `local function leasePassed(owner)
  local deadline = redis.call('ZSCORE', KEYS[2], owner)
  return not deadline or tonumber(deadline) < now
end
`;

/** Lua: the reply of a successful claim, in the order `toRecord` reads it. */
const RETURN_RECORD = `return redis.call('HMGET', KEYS[1], 'owner', 'gen', 'epoch', 'n', 'seq', 'sid', 'tok')`;

/** KEYS: link, instances. Returns {owner, gen, alive 0|1}, or nil when there is no record. */
const LOOKUP = new LuaScript(
  'lookupLink',
  `${REDIS_NOW_MS}${LEASE_PASSED}
local record = redis.call('HMGET', KEYS[1], 'owner', 'gen')
if not record[1] then return false end
local alive = 0
if record[1] ~= '' and not leasePassed(record[1]) then alive = 1 end
return {record[1], record[2], alive}`,
);

/**
 * KEYS: link, instances, ownedBy(me), log, chats. ARGV: me, tag, mode, sealed token, fresh epoch, and the
 * ownedBy key around an instance id (head, tail) to take the tag out of a dead owner's set.
 * Claims a missing, released or own record; another's only in takeover mode once its lease has
 * passed. The token is rewritten on every claim: the claimer has it in hand, and this repairs a
 * stored token this cluster's secret cannot open.
 */
const CLAIM = new LuaScript(
  'claimLink',
  `${REDIS_NOW_MS}${LEASE_PASSED}
local me, tag = ARGV[1], ARGV[2]
local owner = redis.call('HGET', KEYS[1], 'owner')
local takenFrom = ''
if not owner then
  -- A new log: whatever an expired record left behind goes with it.
  redis.call('DEL', KEYS[4], KEYS[5])
  redis.call('HSET', KEYS[1], 'owner', me, 'gen', 1, 'epoch', ARGV[5], 'n', 0, 'seq', 0, 'tok', ARGV[4])
else
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[4])
  redis.call('PERSIST', KEYS[5])
  if owner ~= '' and owner ~= me then
    if ARGV[3] ~= 'takeover' or not leasePassed(owner) then return false end
    redis.call('SREM', ARGV[6] .. owner .. ARGV[7], tag)
    takenFrom = owner
  end
  redis.call('HSET', KEYS[1], 'owner', me, 'tok', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'gen', 1)
end
redis.call('SADD', KEYS[3], tag)
local record = redis.call('HMGET', KEYS[1], 'owner', 'gen', 'epoch', 'n', 'seq', 'sid', 'tok')
record[8] = takenFrom
return record`,
);

/**
 * KEYS: instances, ownedBy(me), ownedBy(dead), then link(tag) per tag. ARGV: me, dead, then the
 * tags. Takes each tag over from a dead instance only if that instance still owns it and its lease
 * has still passed, so of two survivors the second sees the owner changed. Returns per tag the
 * record, or nil. Every tag handled leaves the dead instance's set: taken, or a stale entry
 * (taken by another survivor, released, gone). Many tags per call: a takeover of 10 000 links is
 * a few dozen calls, not 10 000.
 */
const TAKE_OVER = new LuaScript(
  'takeOverLinks',
  `${REDIS_NOW_MS}
local me, dead = ARGV[1], ARGV[2]
local deadline = redis.call('ZSCORE', KEYS[1], dead)
if deadline and tonumber(deadline) >= now then return {} end
local results, taken = {}, {}
for i = 3, #ARGV do
  local link = KEYS[i + 1]
  results[i - 2] = false
  if redis.call('HGET', link, 'owner') == dead then
    redis.call('HSET', link, 'owner', me)
    redis.call('HINCRBY', link, 'gen', 1)
    taken[#taken + 1] = ARGV[i]
    results[i - 2] = redis.call('HMGET', link, 'owner', 'gen', 'epoch', 'n', 'seq', 'sid', 'tok')
  end
end
redis.call('SREM', KEYS[3], unpack(ARGV, 3))
if #taken > 0 then redis.call('SADD', KEYS[2], unpack(taken)) end
return results`,
);

/** KEYS: link, ownedBy(me), log, chats. ARGV: me, gen, tag, retention ms, '1' when the session ended. Gives the link up, if still ours at this gen. */
const RELEASE = new LuaScript(
  'releaseLink',
  `local record = redis.call('HMGET', KEYS[1], 'owner', 'gen')
if record[1] ~= ARGV[1] or record[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'owner', '')
if ARGV[5] == '1' then redis.call('HDEL', KEYS[1], 'sid') end
redis.call('SREM', KEYS[2], ARGV[3])
-- Kept a while for a client that comes back (its session and log carry on), then Redis forgets it.
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 1`,
);

/** KEYS: link. ARGV: me, gen, sid. Stores the upstream session id, if still ours at this gen. */
const SAVE_SESSION = new LuaScript(
  'saveLinkSession',
  `local record = redis.call('HMGET', KEYS[1], 'owner', 'gen')
if record[1] ~= ARGV[1] or record[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'sid', ARGV[3])
return 1`,
);

/**
 * KEYS: link, ownedBy(me). ARGV: me, tag, sealed token, gen, epoch, n, seq, [sid]. Writes back the
 * record of a link this instance runs, only if Redis has lost it (restarted without persistence).
 */
const REINSTATE = new LuaScript(
  'reinstateLink',
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'gen', ARGV[4], 'epoch', ARGV[5], 'n', ARGV[6], 'seq', ARGV[7], 'tok', ARGV[3])
if ARGV[8] then redis.call('HSET', KEYS[1], 'sid', ARGV[8]) end
redis.call('SADD', KEYS[2], ARGV[2])
return 1`,
);

/** owner, gen, epoch, n, seq, sid, sealed token, and (claims only) whom the link was taken from ('' for none). */
type RecordReply = [string, string, string | null, string | null, string | null, string | null, string | null, ...string[]];

/**
 * Tags per takeover script call: about a millisecond of Redis time each, so other instances' commits
 * are not held up long. The calls all go out in one pipeline (node-redis pipelines the commands
 * issued in one tick).
 */
const TAKEOVER_BATCH = 100;

/**
 * Which instance owns which token's link, in Redis. Every change is one script that checks the
 * fence (`owner`, `gen`) in the same step as the write, so a former owner that has not yet noticed
 * it lost a link can change nothing.
 */
export class LinkDirectory {
  /** ownedBy(x) is ownedByHead + x + ownedByTail: the claim script names a dead owner's set itself. */
  private readonly ownedByHead: string;
  private readonly ownedByTail: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly sealer: Sealer,
    private readonly instanceId: string,
    /** How long Redis keeps a released link's record, log and chats (a returning client carries them on). */
    private readonly releasedRetentionMs = 15 * 60_000,
  ) {
    [this.ownedByHead, this.ownedByTail] = keys.ownedBy('\n').split('\n');
  }

  /** The owner of a token's link and whether its lease runs; null when there is no record. */
  async lookup(tag: string): Promise<LinkOwner | null> {
    const reply = await this.redis.run<[string, string, number] | null>(LOOKUP, [this.keys.link(tag), this.keys.instances], []);
    if (!reply) return null;
    const [owner, gen, alive] = reply;
    return { owner: owner === '' ? null : owner, gen: Number(gen), alive: alive === 1 };
  }

  /**
   * Makes this instance the owner: of a new token (gen 1, new epoch), a released one, one of its
   * own (gen+1: its link had been dropped) or, in 'takeover' mode, one whose owner's lease has
   * passed. Never from a live other owner. null when not claimed.
   */
  async claim(tag: string, token: string, mode: 'free' | 'takeover'): Promise<LinkRecord | null> {
    const reply = await this.redis.run<RecordReply | null>(
      CLAIM,
      [this.keys.link(tag), this.keys.instances, this.keys.ownedBy(this.instanceId), this.keys.log(tag), this.keys.chats(tag)],
      [this.instanceId, tag, mode, this.sealer.seal(token), newEpoch(), this.ownedByHead, this.ownedByTail],
    );
    return reply ? toRecord(tag, reply) : null;
  }

  /**
   * Takes over every link a dead instance still owns, with the upstream token of each. A tag whose
   * stored token does not open with this cluster's secret is released again (the next instance a
   * call for it reaches claims it and stores the token anew) and reported to `skipped`, as is one
   * whose claim failed (it stays with the dead instance, for the next round). The dead instance is
   * forgotten once it owns nothing.
   */
  async takeOver(
    deadInstance: string,
    skipped?: (tag: string, reason: string) => void,
  ): Promise<{ record: LinkRecord; token: string }[]> {
    const deadSet = this.keys.ownedBy(deadInstance);
    const tags = await this.redis.command<string[]>(['SMEMBERS', deadSet]);
    const batches: string[][] = [];
    for (let start = 0; start < tags.length; start += TAKEOVER_BATCH) batches.push(tags.slice(start, start + TAKEOVER_BATCH));
    const replies = await Promise.allSettled(
      batches.map((batch) =>
        this.redis.run<(RecordReply | null)[]>(
          TAKE_OVER,
          [this.keys.instances, this.keys.ownedBy(this.instanceId), deadSet, ...batch.map((tag) => this.keys.link(tag))],
          [this.instanceId, deadInstance, ...batch],
        ),
      ),
    );
    const taken: { record: LinkRecord; token: string }[] = [];
    const unopened: LinkRecord[] = [];
    replies.forEach((reply, b) => {
      if (reply.status === 'rejected') {
        for (const tag of batches[b]) skipped?.(tag, `claim failed: ${(reply.reason as Error).message}`);
        return;
      }
      reply.value.forEach((claimed, i) => {
        if (!claimed) return;
        const record = toRecord(batches[b][i], claimed);
        const token = claimed[6] === null ? undefined : this.sealer.open(claimed[6]);
        if (token === undefined) unopened.push(record);
        else taken.push({ record, token });
      });
    });
    // From here on nothing may throw: the links taken must reach the caller, which now owns them.
    await Promise.all(
      unopened.map(async (record) => {
        const released = await this.release(record.tag, record.gen).catch(() => false);
        skipped?.(record.tag, `the stored token does not open with this CLUSTER_SECRET${released ? '' : ' (and releasing it failed)'}`);
      }),
    );
    // Failing here only leaves the dead instance listed: it is reported, and forgotten, next round.
    await this.redis.run(FORGET_INSTANCE, [this.keys.instances, deadSet], [deadInstance]).catch(() => undefined);
    return taken;
  }

  /**
   * Gives a link up (owner ''), only if this instance still owns it at `gen`. With `sessionEnded`
   * its upstream session is forgotten too: the next owner starts a new one rather than trying it.
   */
  async release(tag: string, gen: number, sessionEnded = false): Promise<boolean> {
    const reply = await this.redis.run<number>(
      RELEASE,
      [this.keys.link(tag), this.keys.ownedBy(this.instanceId), this.keys.log(tag), this.keys.chats(tag)],
      [this.instanceId, String(gen), tag, String(this.releasedRetentionMs), sessionEnded ? '1' : '0'],
    );
    return reply === 1;
  }

  /** Stores the upstream session id, only if this instance still owns the link at `gen`. */
  async saveSession(tag: string, gen: number, sid: string): Promise<boolean> {
    return (await this.redis.run<number>(SAVE_SESSION, [this.keys.link(tag)], [this.instanceId, String(gen), sid])) === 1;
  }

  /**
   * Recreates the record of a link this instance runs, only when Redis no longer has it (restarted
   * without persistence); owned by this instance at gen+1. True when it did.
   */
  async reinstate(
    tag: string,
    token: string,
    fields: { gen: number; epoch: string; n: number; seq: number; sid?: string },
  ): Promise<boolean> {
    const args = [this.instanceId, tag, this.sealer.seal(token), String(fields.gen + 1), fields.epoch, String(fields.n), String(fields.seq)];
    if (fields.sid !== undefined) args.push(fields.sid);
    return (await this.redis.run<number>(REINSTATE, [this.keys.link(tag), this.keys.ownedBy(this.instanceId)], args)) === 1;
  }
}

/** Unique per claim of a new token; no '.' (event ids are `<epoch>.<n>`). */
function newEpoch(): string {
  return Date.now().toString(36) + randomBytes(4).toString('hex');
}

function toRecord(tag: string, [owner, gen, epoch, n, seq, sid, , takenFrom]: RecordReply): LinkRecord {
  const record: LinkRecord = { tag, owner, gen: Number(gen), epoch: epoch ?? '', n: Number(n ?? 0), seq: Number(seq ?? 0) };
  if (sid !== null) record.sid = sid;
  if (takenFrom) record.takenFrom = takenFrom;
  return record;
}
