import { Pool } from 'undici';
import { Samples } from './stats';

export interface PacedTarget {
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/**
 * An open-loop load at a fixed rate: requests leave on a schedule (evenly, at millisecond
 * granularity) whether or not earlier ones have answered, and each one's latency is measured from
 * the moment it left to its last body byte. autocannon's own rate limit sends each second's quota
 * back to back and then waits, which measures a burst, not a steady rate; hence this small loader.
 */
export class PacedLoad {
  private readonly pool: Pool;

  constructor(private readonly target: PacedTarget, connections = 64) {
    this.pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async run(ratePerSecond: number, durationMs: number): Promise<{ latencies: Samples; sent: number; failed: number }> {
    const latencies = new Samples();
    let sent = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    const { path, method, headers, body } = this.target;
    const fire = () => {
      const t0 = process.hrtime.bigint();
      const p = this.pool
        .request({ path, method, headers, body })
        .then(async (res) => {
          await res.body.text();
          if (res.statusCode >= 300) failed++;
          else latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        })
        .catch(() => {
          failed++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const start = performance.now();
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) break;
      const due = Math.floor((elapsed * ratePerSecond) / 1_000);
      while (sent < due) {
        sent++;
        fire();
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all([...inFlight]);
    return { latencies, sent, failed };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
