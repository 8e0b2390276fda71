import { createConnection, Socket } from 'node:net';
import { redisCommand } from '../../test/support/redis-server';

/** The value of a one-line reply: a simple string, an integer or a bulk string (`$-1` is undefined). */
export function replyValue(reply: string): string | undefined {
  if (reply.startsWith('-')) throw new Error(`Redis answered ${reply.trim()}`);
  if (reply.startsWith('$')) {
    const lineEnd = reply.indexOf('\r\n');
    const length = Number(reply.slice(1, lineEnd));
    return length < 0 ? undefined : reply.slice(lineEnd + 2, lineEnd + 2 + length);
  }
  return reply.slice(1, reply.indexOf('\r\n'));
}

/** One command over a fresh connection, its reply as a string (see replyValue). */
export async function redisValue(port: number, args: string[]): Promise<string | undefined> {
  return replyValue(await redisCommand(port, args));
}

/** What the bench reads from `INFO commandstats`, `INFO cpu` and `INFO memory` at one moment. */
export interface RedisSnapshot {
  /** Command name → calls (commands run by scripts are counted under their own names too). */
  calls: Record<string, number>;
  /** Command name → µs spent in it. */
  usec: Record<string, number>;
  /** used_cpu_sys + used_cpu_user, µs (the whole process). */
  cpuUs: number;
  /** used_cpu_sys_main_thread + used_cpu_user_main_thread, µs (NaN when this Redis does not report it). */
  mainThreadCpuUs: number;
  usedMemory: number;
  usedMemoryDataset: number;
}

function fields(info: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of info.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

export async function redisSnapshot(port: number): Promise<RedisSnapshot> {
  // Three separate INFO calls, each counted once as `info` (left out of every delta below).
  const [stats, cpu, memory] = await Promise.all(['commandstats', 'cpu', 'memory'].map(async (section) => fields((await redisValue(port, ['INFO', section])) ?? '')));
  const calls: Record<string, number> = {};
  const usec: Record<string, number> = {};
  for (const [key, value] of stats) {
    if (!key.startsWith('cmdstat_')) continue;
    const name = key.slice('cmdstat_'.length);
    calls[name] = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    usec[name] = Number(/usec=(\d+)/.exec(value)?.[1] ?? 0);
  }
  const seconds = (key: string) => Number(cpu.get(key) ?? Number.NaN);
  return {
    calls,
    usec,
    cpuUs: (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1e6,
    mainThreadCpuUs: (seconds('used_cpu_sys_main_thread') + seconds('used_cpu_user_main_thread')) * 1e6,
    usedMemory: Number(memory.get('used_memory')),
    usedMemoryDataset: Number(memory.get('used_memory_dataset')),
  };
}

/** Commands, their µs and CPU between two snapshots (the bench's own INFO calls left out). */
export interface RedisDelta {
  calls: Record<string, number>;
  usec: Record<string, number>;
  cpuUs: number;
  mainThreadCpuUs: number;
}

export function redisDelta(before: RedisSnapshot, after: RedisSnapshot): RedisDelta {
  const calls: Record<string, number> = {};
  const usec: Record<string, number> = {};
  for (const name of Object.keys(after.calls)) {
    if (name === 'info') continue;
    const d = after.calls[name] - (before.calls[name] ?? 0);
    if (d > 0) {
      calls[name] = d;
      usec[name] = after.usec[name] - (before.usec[name] ?? 0);
    }
  }
  return { calls, usec, cpuUs: after.cpuUs - before.cpuUs, mainThreadCpuUs: after.mainThreadCpuUs - before.mainThreadCpuUs };
}

/** Sums deltas (e.g. over rounds). */
export function addDeltas(deltas: RedisDelta[]): RedisDelta {
  const sum: RedisDelta = { calls: {}, usec: {}, cpuUs: 0, mainThreadCpuUs: 0 };
  for (const d of deltas) {
    for (const [name, n] of Object.entries(d.calls)) sum.calls[name] = (sum.calls[name] ?? 0) + n;
    for (const [name, n] of Object.entries(d.usec)) sum.usec[name] = (sum.usec[name] ?? 0) + n;
    sum.cpuUs += d.cpuUs;
    sum.mainThreadCpuUs += d.mainThreadCpuUs;
  }
  return sum;
}

/** Lua: the sum of field ARGV[1] of every key (e.g. `n`, the last event number, over link records). */
const SUM_FIELD = `local s = 0
for _, k in ipairs(KEYS) do s = s + (tonumber(redis.call('HGET', k, ARGV[1])) or 0) end
return s`;

export async function sumHashField(port: number, keys: string[], field: string): Promise<number> {
  let total = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500);
    total += Number(await redisValue(port, ['EVAL', SUM_FIELD, String(batch.length), ...batch, field]));
  }
  return total;
}

/**
 * One connection kept open, one command at a time (no pipelining), for replies that are a simple
 * string, an error, an integer or a bulk string: enough for a floor measured on the bench's Redis.
 */
export class RedisLine {
  private buffer = '';
  private waiting?: (reply: string) => void;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const end = completeReply(this.buffer);
      if (end > 0 && this.waiting) {
        const reply = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        const done = this.waiting;
        this.waiting = undefined;
        done(reply);
      }
    });
  }

  static connect(port: number): Promise<RedisLine> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(new RedisLine(socket)));
      socket.once('error', reject);
    });
  }

  command(args: string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.waiting = (reply) => resolve(replyValue(reply));
      this.socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  }

  close(): void {
    this.socket.end();
  }
}

/** The length of the first whole reply in `text` (ASCII payloads), or 0. */
function completeReply(text: string): number {
  const lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return 0;
  if (text[0] !== '$') return lineEnd + 2;
  const length = Number(text.slice(1, lineEnd));
  if (length < 0) return lineEnd + 2;
  return text.length >= lineEnd + 2 + length + 2 ? lineEnd + 2 + length + 2 : 0;
}
