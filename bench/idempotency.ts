/**
 * Micro-bench of what an Idempotency-Key costs a send (figures printed, never asserted):
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/idempotency.ts [rounds=7] [sends per side per round=20000]
 *
 * One side runs what the interceptor adds to a request that carries a key — the key read, the token's
 * hash, the request's fingerprint (SHA-256 of method, route, parameters and a send's body) and the
 * store (a new key each time, as a first send; the store at its bound of 100 000 keys, so every
 * send also evicts one) — around a handler that answers at once; the other side awaits the same
 * handler alone. Paired rounds, who goes first alternating; µs per send, medians.
 */
import { createHash } from 'node:crypto';
import { IdempotencyStore } from '../src/idempotency/idempotency-store';
import { idempotencyKey } from '../src/idempotency/idempotent';
import { tokenKey } from '../src/link/link-registry.service';
import { median } from './lib/stats';

const rounds = Number(process.argv[2] ?? 7);
const sends = Number(process.argv[3] ?? 20_000);
const token = `0_${'a1b2c3d4'.repeat(12)}`;
const body = { text: 'Are we still on for lunch tomorrow? I can book the table for half past twelve.' };
const answer = { thread: 'chat-bob%example.com-0', seq: 42, sentAt: '2026-12-02T23:00:00.000Z' };
const handler = async (): Promise<typeof answer> => answer;
const store = new IdempotencyStore({ ttlMs: 24 * 3600_000, maxKeys: 100_000 }, () => true);
let counter = 0;

async function withKey(): Promise<void> {
  const key = idempotencyKey(`"send-${counter++}"`)!;
  const fingerprint = createHash('sha256').update(JSON.stringify(['POST', '/v1/chats/:thread/messages', { thread: answer.thread }, body])).digest('base64url');
  await store.run(tokenKey(token), key, fingerprint, handler);
}

async function without(): Promise<void> {
  await handler();
}

async function timePerSend(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < sends; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / sends;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  // Fill the store to its bound first: from then on each first send also evicts the oldest key.
  const emptyHeap = heapAfterGc();
  while (store.size < 100_000) await withKey();
  const perKey = (heapAfterGc() - emptyHeap) / store.size;
  const keyed: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      keyed.push(await timePerSend(withKey));
      bare.push(await timePerSend(without));
    } else {
      bare.push(await timePerSend(without));
      keyed.push(await timePerSend(withKey));
    }
  }
  const [k, b] = [median(keyed), median(bare)];
  console.log(`µs per send: with an Idempotency-Key ${k.toFixed(2)}, without ${b.toFixed(2)}; the key costs ${(k - b).toFixed(2)} µs per send`);
  console.log(gc ? `heap per key kept: ${perKey.toFixed(0)} B (100 000 keys)` : 'heap per key: run with node --expose-gc (see the top of this file)');
}

void main();
