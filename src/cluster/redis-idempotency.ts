import { clusterUnavailable, ProblemDocument, ProblemException } from '../common/problem';
import { problemFromException } from '../common/problem.filter';
import type { IdempotencyKeys } from '../idempotency/idempotency-store';
import { KeyReused } from '../idempotency/idempotency-store';
import type { ClusterKeys } from './keys';
import type { RedisConnection } from './redis';

/** What Redis keeps per key: the request's fingerprint, and its answer once there is one. */
type Stored =
  | { f: string; s: 'running' }
  | { f: string; s: 'done'; value: unknown }
  | { f: string; s: 'failed'; problem: ProblemDocument; headers: Record<string, string> };

/** A retry whose first request runs on another instance looks again this often. */
const WAIT_STEP_MS = 50;

/**
 * Idempotency keys in Redis (cluster mode): a key's first request and its answer are seen by every
 * instance, so a retry after the token's link changed hands still gets the first answer. The first
 * request claims the key (SET NX) with its fingerprint; a retry meanwhile waits for the answer (or
 * for the key to be given up, then runs). An error answer is kept as its problem document.
 */
export class RedisIdempotencyKeys implements IdempotencyKeys {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly options: {
      /** How long an answer is kept (IDEMPOTENCY_TTL_MS). */
      ttlMs: number;
      /** How long a first request may run: past it, a retry runs again (its instance may have died). */
      runningTtlMs: number;
      isFinal: (error: unknown) => boolean;
    },
  ) {}

  async run<T>(scope: string, key: string, fingerprint: string, execute: () => Promise<T>): Promise<T> {
    // The scope is the token's hash; its first 22 characters are the token's tag (same slot as its link).
    const id = this.keys.idempotency(scope.slice(0, 22), key);
    const deadline = Date.now() + this.options.runningTtlMs + WAIT_STEP_MS;
    for (;;) {
      const claimed = await this.redis.command(['SET', id, JSON.stringify({ f: fingerprint, s: 'running' }), 'NX', 'PX', String(this.options.runningTtlMs)]);
      if (claimed === 'OK') return this.first(id, fingerprint, execute);
      const raw = await this.redis.command<string | null>(['GET', id]);
      if (raw === null) continue; // given up meanwhile: claim it again
      const stored = JSON.parse(raw) as Stored;
      if (stored.f !== fingerprint) throw new KeyReused();
      if (stored.s === 'done') return stored.value as T;
      if (stored.s === 'failed') throw replayed(stored);
      // Cannot outlast the first request's bound (the key then expires and is claimed): a guard only.
      if (Date.now() > deadline) throw clusterUnavailable('The first request under this Idempotency-Key is still running; retry shortly.');
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  private async first<T>(id: string, fingerprint: string, execute: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await execute();
    } catch (error) {
      if (this.options.isFinal(error)) {
        const { problem, headers } = problemFromException(error);
        await this.keep(id, { f: fingerprint, s: 'failed', problem, headers });
      } else {
        await this.redis.command(['DEL', id]).catch(() => undefined);
      }
      throw error;
    }
    await this.keep(id, { f: fingerprint, s: 'done', value });
    return value;
  }

  private async keep(id: string, stored: Stored): Promise<void> {
    // The answer counts even if it cannot be kept: a retry then runs the request again, as without a key.
    await this.redis.command(['SET', id, JSON.stringify(stored), 'XX', 'PX', String(this.options.ttlMs)]).catch(() => undefined);
  }
}

/** The kept error answer, as the same problem document with the same headers. */
function replayed(stored: Extract<Stored, { s: 'failed' }>): ProblemException {
  const { status, code, detail, errors, upstream } = stored.problem;
  return new ProblemException(status, code, detail, errors, { headers: stored.headers, upstream });
}
