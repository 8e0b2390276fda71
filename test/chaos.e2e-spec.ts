import { describeFailures } from './support/chaos-checks';
import { runChaos } from './support/chaos-scenario';

/**
 * A short seeded chaos run (src/simulator/chaos.ts): the upstream drops, resends, reorders, delays and
 * faults replies, drops sessions and discards unacknowledged batches, while users talk over REST,
 * messages are injected and sockets drop and resume with exact, stale, bogus and future ids. Every
 * socket must end up with every message exactly once, in order, or with a resync that covers it.
 * CHAOS_SEED and CHAOS_DURATION_MS pick another run; `npm run chaos` runs long ones.
 */
const SEED = Number(process.env.CHAOS_SEED ?? 20261202);
const DURATION_MS = Number(process.env.CHAOS_DURATION_MS ?? 25_000);

describe(`chaos (seed ${SEED}, ${DURATION_MS} ms)`, () => {
  it('loses nothing, duplicates nothing, keeps ids increasing and one long-poll per link', async () => {
    const result = await runChaos({ seed: SEED, durationMs: DURATION_MS });
    const report = { seed: result.seed, ...result.counts, chaos: result.chaos, failures: result.failures };
    if (result.failures.length) {
      // The seed and the newest chaos decisions reproduce and explain a failure.
      console.error(`chaos seed ${SEED} failed:\n${describeFailures(result.failures)}\nlast decisions:\n${result.decisionTail.join('\n')}`);
    }
    expect(report).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, idViolations: 0, sendMismatches: 0, badStatuses: 0, crashes: 0, longPollOverlaps: 0 });
    expect(result.failures).toEqual([]);
    expect(result.counts.sentOk).toBeGreaterThan(0);
    expect(result.counts.stored).toBeGreaterThan(500);
  }, DURATION_MS + 90_000);
});
