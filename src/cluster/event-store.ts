import type { LinkEvent } from '../link/events';
import type { ClusterKeys } from './keys';
import { LuaScript, RedisConnection, RedisReply } from './redis';

export interface EventStoreLimits {
  /** Events kept per token for replay (the stream is trimmed to about this many). */
  maxEvents: number;
  /** Events older than this are no longer replayed. */
  maxAgeMs: number;
}

/** A thread's link state the upstream cannot resend: its last message seq and the address it goes to. */
export type ChatState = [lastSeq: number, address: string | null];

export interface ChatChange {
  thread: string;
  /** null: the thread is forgotten. */
  state: ChatState | null;
}

/** What one notify block adds to a token's log; the events are already numbered expectedN+1, expectedN+2… */
export interface CommitBatch {
  /** The upstream session the acknowledged seq belongs to. */
  session?: string;
  owner: string;
  gen: number;
  epoch: string;
  /** The record's `n` the owner believes in: anything else means Redis lost writes. */
  expectedN: number;
  /** The notify seq this block acknowledges upstream once committed. */
  seq: number;
  events: LinkEvent[];
  chats: ChatChange[];
}

export type CommitResult =
  | { status: 'committed'; n: number }
  /** Another owner (or a newer generation of this one) holds the token: nothing was written. */
  | { status: 'fenced' }
  /** The record is missing or its epoch/n are not what the owner wrote: Redis lost writes; nothing was written. */
  | { status: 'lost' };

/** The events of the log after a position, or a gap (with the record's head, when there is a record). */
export type StoreRead =
  | { epoch: string; lastN: number; events: LinkEvent[] }
  | { gap: true; epoch: string | null; lastN: number };

export interface LogHead {
  epoch: string;
  n: number;
}

/**
 * Fence, lost-write check and the whole write in one atomic round trip.
 * KEYS: link hash, log stream, chats hash.
 * ARGV: owner, gen, epoch, expectedN, seq, maxEvents, channel, upstream session ('' = none), event count, the events' JSON…,
 * then thread/state pairs (state '' = forget the thread).
 * Returns {'committed', n} | {'fenced'} | {'lost'}.
 */
const COMMIT = new LuaScript(
  'eventStore.commit',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'lost'} end
local record = redis.call('HMGET', KEYS[1], 'owner', 'gen', 'epoch', 'n', 'seq')
-- The fence comes first: a fenced owner must learn it is fenced, not that Redis lost writes.
if record[1] ~= ARGV[1] or tonumber(record[2]) ~= tonumber(ARGV[2]) then return {'fenced'} end
local expectedN = tonumber(ARGV[4])
local count = tonumber(ARGV[9])
if record[3] ~= ARGV[3] or tonumber(record[4]) ~= expectedN then
  -- This very block already committed (a retry after a timed-out reply): same answer, nothing written.
  if count > 0 and record[3] == ARGV[3] and tonumber(record[4]) == expectedN + count and tonumber(record[5]) == tonumber(ARGV[5]) then
    return {'committed', expectedN + count}
  end
  return {'lost'}
end
-- XADD first: if the stream were ahead of the record, the first XADD fails before anything is written.
for i = 1, count do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], string.format('%d-0', expectedN + i), 'e', ARGV[9 + i])
end
for i = 10 + count, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[3], ARGV[i]) else redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
end
for i = 1, count do redis.call('PUBLISH', ARGV[7], ARGV[9 + i]) end
redis.call('HSET', KEYS[1], 'n', expectedN + count, 'seq', ARGV[5])
-- The upstream session the ack belongs to: a survivor carries that session on.
if ARGV[8] == '' then redis.call('HDEL', KEYS[1], 'sid') else redis.call('HSET', KEYS[1], 'sid', ARGV[8]) end
return {'committed', expectedN + count}
`,
);

/**
 * The record's head and the log entries after a position, read atomically (so the head and the
 * entries agree). KEYS: link hash, log stream. ARGV: afterN, epoch, maxEvents, follow ('1': when the
 * record's epoch is not ARGV[2], read the record's epoch from its start instead).
 * Returns {epoch|nil, n, afterN used, entries}; entries are read only when the window can be replayed.
 */
const READ = new LuaScript(
  'eventStore.read',
  `
local head = redis.call('HMGET', KEYS[1], 'epoch', 'n')
local n = tonumber(head[2])
if not head[1] or not n then return {false, 0, ARGV[1], {}} end
local after = ARGV[1]
if head[1] ~= ARGV[2] then
  if ARGV[4] ~= '1' then return {head[1], n, after, {}} end
  after = '0'
end
if tonumber(after) >= n or n - tonumber(after) > tonumber(ARGV[3]) then return {head[1], n, after, {}} end
return {head[1], n, after, redis.call('XRANGE', KEYS[2], '(' .. after .. '-0', '+', 'COUNT', ARGV[3])}
`,
);

/** `<epoch>.<n>` as the link writes it, or undefined for anything else (no sign, no leading zero, no exponent). */
export function parseEventId(id: string): { epoch: string; n: number } | undefined {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const digits = id.slice(dot + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(digits)) return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? { epoch: id.slice(0, dot), n } : undefined;
}

/**
 * A token's event log in Redis, shared by every instance: the owner commits each notify block in one
 * script (fence, lost-write check, append, chats, publish, n and seq), so a block is acknowledged
 * upstream only once it is durably logged; any instance reads the log to resume a socket.
 */
export class RedisEventStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly limits: EventStoreLimits,
  ) {}

  async commit(tag: string, batch: CommitBatch): Promise<CommitResult> {
    batch.events.forEach((event, i) => {
      // The stream id is derived from the position; an event numbered otherwise would be replayed under the wrong id.
      if (event.id !== `${batch.epoch}.${batch.expectedN + i + 1}`) {
        throw new Error(`commit: event ${i} has id ${event.id}, expected ${batch.epoch}.${batch.expectedN + i + 1}`);
      }
    });
    const args = [
      batch.owner,
      String(batch.gen),
      batch.epoch,
      String(batch.expectedN),
      String(batch.seq),
      String(this.limits.maxEvents),
      this.keys.events(tag),
      batch.session ?? '',
      String(batch.events.length),
      ...batch.events.map((event) => JSON.stringify(event)),
    ];
    for (const change of batch.chats) args.push(change.thread, change.state === null ? '' : JSON.stringify(change.state));
    const reply = await this.redis.run<RedisReply[]>(COMMIT, [this.keys.link(tag), this.keys.log(tag), this.keys.chats(tag)], args);
    if (reply[0] === 'committed') return { status: 'committed', n: Number(reply[1]) };
    if (reply[0] === 'fenced') return { status: 'fenced' };
    return { status: 'lost' };
  }

  /** The events after `afterN` of epoch `epoch`, all of them, or a gap (no record, another epoch, trimmed, too old, ahead of the log). */
  read(tag: string, afterN: number, epoch: string, now = Date.now()): Promise<StoreRead> {
    return this.readLog(tag, afterN, epoch, false, now);
  }

  /**
   * Like `read` from `from`, but when the record has moved to another epoch (or `from.epoch` is null:
   * nothing seen yet), that epoch is read from its start: what a follower needs after an epoch change.
   */
  readFrom(tag: string, from: { epoch: string | null; n: number }, now = Date.now()): Promise<StoreRead> {
    return this.readLog(tag, from.epoch === null ? 0 : from.n, from.epoch ?? '', true, now);
  }

  /** The record's epoch and last event number, or null when there is no record. */
  async head(tag: string): Promise<LogHead | null> {
    const [epoch, n] = await this.redis.command<(string | null)[]>(['HMGET', this.keys.link(tag), 'epoch', 'n']);
    return epoch === null || n === null ? null : { epoch, n: Number(n) };
  }

  /** Every thread's state, for rebuilding a link; entries that do not parse are left out. */
  async chats(tag: string): Promise<Map<string, ChatState>> {
    const reply: unknown = await this.redis.command(['HGETALL', this.keys.chats(tag)]);
    const chats = new Map<string, ChatState>();
    for (const [thread, json] of hashEntries(reply)) {
      const state = parseChatState(json);
      if (state) chats.set(thread, state);
    }
    return chats;
  }

  private async readLog(tag: string, afterN: number, epoch: string, follow: boolean, now: number): Promise<StoreRead> {
    const { maxEvents, maxAgeMs } = this.limits;
    const [recordEpoch, recordN, usedAfter, entries] = await this.redis.run<[string | null, number, string, RedisReply[]]>(
      READ,
      [this.keys.link(tag), this.keys.log(tag)],
      [String(afterN), epoch, String(maxEvents), follow ? '1' : '0'],
    );
    if (recordEpoch === null) return { gap: true, epoch: null, lastN: 0 };
    const lastN = Number(recordN);
    const gap = { gap: true, epoch: recordEpoch, lastN } as const;
    const after = Number(usedAfter);
    if (recordEpoch !== epoch && !follow) return gap;
    if (after > lastN || lastN - after > maxEvents) return gap; // ahead of the log, or beyond the replay window
    // Exactly lastN - after entries numbered after+1… : anything else means entries were trimmed.
    if (entries.length !== lastN - after) return gap;
    const events: LinkEvent[] = [];
    for (let i = 0; i < entries.length; i++) {
      const event = eventOfEntry(entries[i], `${after + i + 1}-0`, `${recordEpoch}.${after + i + 1}`);
      if (!event || now - Date.parse(event.at) > maxAgeMs) return gap;
      events.push(event);
    }
    return { epoch: recordEpoch, lastN, events };
  }
}

/** The event of an XRANGE entry `[id, ['e', json]]`, if it is the one expected at that place. */
function eventOfEntry(entry: RedisReply, streamId: string, eventId: string): LinkEvent | undefined {
  if (!Array.isArray(entry) || entry[0] !== streamId || !Array.isArray(entry[1])) return undefined;
  const fields = entry[1];
  const field = fields.indexOf('e');
  const json = field >= 0 ? fields[field + 1] : undefined;
  if (typeof json !== 'string') return undefined;
  try {
    const event = JSON.parse(json) as LinkEvent;
    // An entry of an earlier epoch left in the stream must not pass for this epoch's event.
    return event.id === eventId ? event : undefined;
  } catch {
    return undefined;
  }
}

/** HGETALL's fields: node-redis hands a flat RESP2 array to some callers and an object to others. */
function hashEntries(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const entries: [string, string][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) entries.push([String(reply[i]), String(reply[i + 1])]);
    return entries;
  }
  return typeof reply === 'object' && reply !== null ? Object.entries(reply).map(([k, v]) => [k, String(v)]) : [];
}

function parseChatState(json: string): ChatState | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [seq, address] = value as unknown[];
    return typeof seq === 'number' && (typeof address === 'string' || address === null) ? [seq, address] : undefined;
  } catch {
    return undefined;
  }
}
