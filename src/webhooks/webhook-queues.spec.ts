import fc from 'fast-check';
import { TokenQueue, WebhookQueues } from './webhook-queues';

type Op =
  | { op: 'push'; token: number; held: boolean }
  | { op: 'release' | 'discardHeld' | 'send' | 'fail' | 'complete' | 'close'; token: number }
  | { op: 'form'; token: number; max: number };

const TOKENS = 3;
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), token: fc.nat(TOKENS - 1), held: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('form' as const), token: fc.nat(TOKENS - 1), max: fc.integer({ min: 1, max: 4 }) }) },
  fc.record({ op: fc.constantFrom('release' as const, 'discardHeld' as const, 'send' as const, 'fail' as const, 'complete' as const, 'close' as const), token: fc.nat(TOKENS - 1) }),
);

/** The same rules written the slow, obvious way: one list per token, the oldest found by scanning. */
class Model {
  readonly tokens = Array.from({ length: TOKENS }, () => ({ entries: [] as { n: number; held: boolean; batched: boolean }[], sending: false }));
  dropped: number[] = [];

  constructor(private readonly perToken: number, private readonly total: number) {}

  push(t: number, n: number, held: boolean): void {
    const token = this.tokens[t];
    if (!held) for (const e of token.entries) e.held = false;
    token.entries.push({ n, held, batched: false });
    if (token.entries.length > this.perToken) this.drop(t, this.oldestDroppable([t]));
    while (this.size() > this.total) {
      const candidates = this.tokens.map((_, i) => i);
      const oldest = this.oldestDroppable(candidates);
      if (oldest === undefined) break;
      this.drop(this.tokens.findIndex((x) => x.entries.some((e) => e.n === oldest)), oldest);
    }
  }

  size(): number {
    return this.tokens.reduce((sum, t) => sum + t.entries.length, 0);
  }

  private oldestDroppable(tokens: number[]): number | undefined {
    const all = tokens.flatMap((t) => this.tokens[t].entries.filter((e) => !(e.batched && this.tokens[t].sending)).map((e) => e.n));
    return all.length ? Math.min(...all) : undefined;
  }

  private drop(t: number, n: number | undefined): void {
    if (n === undefined) return;
    this.tokens[t].entries = this.tokens[t].entries.filter((e) => e.n !== n);
    this.dropped.push(n);
  }
}

describe('WebhookQueues', () => {
  it('keeps each token and the total within bounds, dropping the oldest event not in a request under way, as the obvious model does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.array(op, { maxLength: 120 }), (perToken, extra, ops) => {
        const total = perToken + extra;
        const dropped: number[] = [];
        const queues = new WebhookQueues<number>({ perToken, total }, (_q, items) => dropped.push(...items));
        const qs: TokenQueue<number>[] = Array.from({ length: TOKENS }, () => queues.open());
        const model = new Model(perToken, total);
        const done: number[][] = Array.from({ length: TOKENS }, () => []);
        let next = 0;
        for (const step of ops) {
          const q = qs[step.token];
          const m = model.tokens[step.token];
          switch (step.op) {
            case 'push':
              queues.push(q, ++next, step.held);
              model.push(step.token, next, step.held);
              break;
            case 'release':
              queues.release(q);
              for (const e of m.entries) e.held = false;
              break;
            case 'discardHeld':
              queues.discardHeld(q);
              m.entries = m.entries.filter((e) => !e.held);
              break;
            case 'form': {
              const batch = queues.formBatch(q, step.max);
              if (!m.entries.some((e) => e.batched)) m.entries.filter((e) => !e.held).slice(0, step.max).forEach((e) => (e.batched = true));
              expect(batch).toEqual(m.entries.filter((e) => e.batched).map((e) => e.n));
              break;
            }
            case 'send':
              q.sending = q.batchSize > 0;
              m.sending = q.sending;
              break;
            case 'fail':
              q.sending = m.sending = false;
              break;
            case 'complete':
              done[step.token].push(...queues.completeBatch(q));
              m.entries = m.entries.filter((e) => !e.batched);
              m.sending = false;
              break;
            case 'close':
              queues.close(q);
              m.entries = [];
              m.sending = false;
              break;
          }
          expect(dropped).toEqual(model.dropped);
          expect(qs.map((x) => [x.size, x.released, x.batchSize])).toEqual(
            model.tokens.map((t) => [t.entries.length, t.entries.filter((e) => !e.held).length, t.entries.filter((e) => e.batched).length]),
          );
          expect(queues.total).toBe(model.size());
          // The bounds hold at every step; a token's events leave in the order they came.
          expect(queues.total).toBeLessThanOrEqual(total);
          for (const x of qs) expect(x.size).toBeLessThanOrEqual(perToken);
          for (const list of done) expect(list).toEqual([...list].sort((a, b) => a - b));
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('a batch that loses its oldest event to a bound keeps the rest, in order; one in a request is never touched', () => {
    const dropped: number[] = [];
    const queues = new WebhookQueues<number>({ perToken: 3, total: 100 }, (_q, items) => dropped.push(...items));
    const q = queues.open();
    [1, 2, 3].forEach((n) => queues.push(q, n, false));
    expect(queues.formBatch(q, 2)).toEqual([1, 2]);
    queues.push(q, 4, false);
    expect([dropped, q.batch]).toEqual([[1], [2]]);
    q.sending = true;
    queues.push(q, 5, false);
    expect([dropped, q.batch]).toEqual([[1, 3], [2]]);
    expect(queues.completeBatch(q)).toEqual([2]);
    expect(queues.formBatch(q, 5)).toEqual([4, 5]);
  });

  it('a held event waits behind the released ones, and a socket that opens takes only the held ones', () => {
    const queues = new WebhookQueues<string>({ perToken: 10, total: 10 }, () => undefined);
    const q = queues.open();
    queues.push(q, 'sent', false);
    queues.push(q, 'held', true);
    expect(queues.formBatch(q, 10)).toEqual(['sent']);
    expect(queues.discardHeld(q)).toBe(1);
    expect([q.size, queues.total]).toEqual([1, 1]);
  });
});
