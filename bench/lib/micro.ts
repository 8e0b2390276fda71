import { median } from './stats';

/** How long a micro-bench measures: paired rounds, each side timed for about `msPerSide`. */
export interface MicroPlan {
  rounds: number;
  msPerSide: number;
}

/** The plan from a micro-bench's arguments: `[rounds=7] [ms per side per round=300]`. */
export function microPlan(argv: string[]): MicroPlan {
  return { rounds: Number(argv[0] ?? 7), msPerSide: Number(argv[1] ?? 300) };
}

/** µs per call of `fn` over about `ms` milliseconds (calls in batches, so the clock is read rarely). */
export function timePerCall(fn: () => void, ms: number): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / calls;
}

/**
 * Paired rounds of `a` against `b` (who goes first alternates, so a drift in machine speed falls on
 * both): medians of µs per call, and of the per-round ratios a/b.
 */
export function paired(a: () => void, b: () => void, plan: MicroPlan): { a: number; b: number; ratio: number } {
  timePerCall(a, plan.msPerSide / 2);
  timePerCall(b, plan.msPerSide / 2);
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    let ta: number;
    let tb: number;
    if (round % 2 === 0) {
      ta = timePerCall(a, plan.msPerSide);
      tb = timePerCall(b, plan.msPerSide);
    } else {
      tb = timePerCall(b, plan.msPerSide);
      ta = timePerCall(a, plan.msPerSide);
    }
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}
