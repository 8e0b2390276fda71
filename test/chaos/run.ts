/**
 * Long chaos runs: `npm run chaos -- --seed N --duration S` (one seed), `--seeds a,b,c` (each in
 * turn), `--runs K` (K seeds from --seed on). Prints the counts of each run and, for every failing
 * one, its seed, what failed and the newest chaos decisions. Exits 1 if any run failed.
 * `--rates drop=0.05,overflow=0.5` overrides single rates, `--only drop,reorder` keeps just those
 * kinds (to tell which misbehaviour a failure needs; `--only none` runs the traffic without chaos);
 * `--verbose` prints progress.
 */
import { CHAOS_KINDS, type ChaosKind, type ChaosRates } from '../../src/simulator/chaos';
import { describeFailures } from '../support/chaos-checks';
import { DEFAULT_RATES, runChaos, type ChaosRunResult } from '../support/chaos-scenario';

interface Args {
  seeds: number[];
  durationMs: number;
  rates: Partial<ChaosRates>;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const named = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    if (key === 'verbose') flags.add(key);
    else named.set(key, inline ?? argv[++i]);
  }
  const int = (name: string, fallback: number) => {
    const raw = named.get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
    return value;
  };
  const first = int('seed', Date.now() % 1_000_000);
  const seeds = named.has('seeds')
    ? named.get('seeds')!.split(',').map((s) => {
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw new Error(`--seeds: ${s} is not an integer`);
      return n;
    })
    : Array.from({ length: int('runs', 1) }, (_, i) => first + i);
  const rates: Partial<ChaosRates> = { ...DEFAULT_RATES };
  for (const pair of (named.get('rates') ?? '').split(',').filter(Boolean)) {
    const [kind, value] = pair.split('=');
    if (!CHAOS_KINDS.includes(kind as ChaosKind)) throw new Error(`--rates: unknown kind ${kind} (one of ${CHAOS_KINDS.join(', ')})`);
    rates[kind as ChaosKind] = Number(value);
  }
  if (named.has('only')) {
    const only = named.get('only')!.split(',').filter((kind) => kind !== 'none');
    const unknown = only.filter((kind) => !CHAOS_KINDS.includes(kind as ChaosKind));
    if (unknown.length) throw new Error(`--only: unknown kind ${unknown.join(', ')} (one of ${CHAOS_KINDS.join(', ')}, or none)`);
    for (const kind of CHAOS_KINDS) if (!only.includes(kind)) delete rates[kind];
  }
  return { seeds, durationMs: int('duration', 60) * 1000, rates, verbose: flags.has('verbose') };
}

function summary(r: ChaosRunResult): string {
  const c = r.counts;
  return `seed ${r.seed}: sent ${c.sent} (${c.sentOk} ok), stored ${c.stored}, delivered ${c.delivered}, lost ${c.lost}, `
    + `duplicated ${c.duplicated}, out of order ${c.outOfOrder}, resyncs ${c.resyncs}, id violations ${c.idViolations}, `
    + `server closes ${c.serverCloses}, send mismatches ${c.sendMismatches}, bad statuses ${c.badStatuses}, crashes ${c.crashes}, long-poll overlaps ${c.longPollOverlaps}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const failed: number[] = [];
  for (const seed of args.seeds) {
    let result: ChaosRunResult;
    try {
      result = await runChaos({ seed, durationMs: args.durationMs, rates: args.rates, log: args.verbose ? console.log : undefined });
    } catch (err) {
      console.log(`seed ${seed}: the run itself failed (crashes 1): ${(err as Error).stack}`);
      failed.push(seed);
      continue;
    }
    console.log(summary(result));
    console.log(`  chaos: ${JSON.stringify(result.chaos)}; upstream sessions created: ${result.sessionsCreated}`);
    if (result.failures.length) {
      failed.push(seed);
      console.log(`  FAILED seed ${seed}\n    ${describeFailures(result.failures).split('\n').join('\n    ')}\n  last decisions:\n    ${result.decisionTail.join('\n    ')}`);
    }
  }
  console.log(failed.length ? `failing seeds: ${failed.join(',')}` : `all ${args.seeds.length} seeds passed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 2;
});
