import fc from 'fast-check';
import { Chaos, CHAOS_KINDS, seededRandom, shuffled, type ChaosRates } from './chaos';
import { ImSimulator } from './index';
import { online, post, envelope, type TestClient } from './spec-support';

const ALICE = 'alice@example.com';
const ACCOUNTS = [{ address: ALICE, password: 'alice-pass' }];
const presence = (i: number) => `<n type="presence" from="x${i}@example.org" show="AWAY"/>`;

describe('seeded chaos: the generator', () => {
  it('gives the same numbers in [0, 1) for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        const xs = Array.from({ length: 20 }, a);
        expect(Array.from({ length: 20 }, b)).toEqual(xs);
        expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
      }),
      { seed: 42, numRuns: 100 },
    );
    expect(Array.from({ length: 5 }, seededRandom(1))).not.toEqual(Array.from({ length: 5 }, seededRandom(2)));
  });

  it('shuffles into a permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        expect([...shuffled(items, seededRandom(seed))].sort()).toEqual([...items].sort());
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('makes the same decisions for the same seed and requests, and none when paused', () => {
    const rates: Partial<ChaosRates> = Object.fromEntries(CHAOS_KINDS.map((k) => [k, 0.3]));
    const run = (seed: number) => {
      const chaos = new Chaos({ seed, rates, logSize: 1000 });
      for (let i = 0; i < 200; i++) for (const kind of CHAOS_KINDS) chaos.roll(kind, `R${i}`, '11');
      return chaos.tail(1000);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7).length).toBeGreaterThan(300);

    const paused = new Chaos({ seed: 7, rates: { drop: 1 } });
    paused.pause();
    expect(paused.roll('drop', 'R', '11')).toBe(false);
    paused.resume();
    expect(paused.roll('drop', 'R', '11')).toBe(true);
  });

  it('refuses unknown kinds and rates outside 0..1', () => {
    expect(() => new Chaos({ seed: 1, rates: { nope: 0.1 } as never })).toThrow(/unknown chaos kind/);
    expect(() => new Chaos({ seed: 1, rates: { drop: 2 } })).toThrow(/within 0..1/);
  });
});

/** A NoOp (no wait) acknowledging exactly `k`. */
function noopAcking(c: TestClient, k: number) {
  return post(c.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="${k}"/>`));
}

describe('seeded chaos in the simulator', () => {
  let sim: ImSimulator;
  afterEach(() => sim.stop());

  /** A simulator whose chaos starts once the listener is set up (set-up traffic is spared). */
  async function chaotic(rates: Partial<ChaosRates>): Promise<TestClient> {
    sim = await ImSimulator.start({
      accounts: ACCOUNTS, rosterDelayMs: 60_000, privacyDelayMs: 60_000, noopTimeoutClampMs: [100, 2000],
      chaos: { seed: 3, rates, maxDelayMs: 50, hangMs: 50 },
    });
    sim.chaos!.pause();
    const c = await online(sim, ALICE, { drained: true }); // highestSeq > 0: an ack of 0 would discard all (§5)
    sim.chaos!.resume();
    return c;
  }

  it('is off by default', async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS });
    expect(sim.chaos).toBeUndefined();
  });

  it('drop: the request is processed, the reply never arrives, and the block is resent to the next request', async () => {
    const c = await chaotic({ drop: 1 });
    sim.postNotification(ALICE, presence(1));
    await expect(c.noop('')).rejects.toThrow();
    expect(sim.chaos!.stats().drop).toBe(1);
    sim.chaos!.pause();
    const next = await c.noop('');
    expect(next.ofType('presence').map((n) => n['@_from'])).toEqual(['x1@example.org']);
  });

  it('delay: the reply comes, only later', async () => {
    const c = await chaotic({ delay: 1 });
    sim.postNotification(ALICE, presence(1));
    const reply = await c.noop('');
    expect(reply.ofType('presence').map((n) => n['@_from'])).toEqual(['x1@example.org']);
    expect(sim.chaos!.stats().delay).toBe(1);
  });

  it('overflow: unacknowledged blocks are discarded, leaving a hole in the seq', async () => {
    const c = await chaotic({ overflow: 1 });
    const base = c.highestSeq;
    sim.postNotification(ALICE, presence(1));
    expect((await noopAcking(c, base)).seqs).toEqual([base + 1]);
    // The client never acknowledges base + 1: it is discarded, and the next block is base + 2.
    sim.postNotification(ALICE, presence(2));
    const next = await noopAcking(c, base);
    expect(next.seqs).toEqual([base + 2]);
    expect(next.ofType('presence').map((n) => n['@_from'])).toEqual(['x2@example.org']);
    expect(sim.chaos!.stats().overflow).toBe(1);
  });

  it('resend: the reply also carries the last block already acknowledged', async () => {
    const c = await chaotic({ resend: 1 });
    sim.postNotification(ALICE, presence(1));
    const first = await c.noop('');
    const seq = first.seqs[first.seqs.length - 1];
    sim.postNotification(ALICE, presence(2));
    const second = await c.noop('');
    expect(second.seqs).toEqual([seq, seq + 1]);
  });

  it('reorder: the blocks of one reply come out of seq order', async () => {
    const c = await chaotic({ reorder: 1 });
    const base = c.highestSeq;
    let seen: number[] = [];
    // Six blocks the client never acknowledges, all resent in one reply.
    for (let i = 1; i <= 6; i++) {
      sim.postNotification(ALICE, presence(i));
      seen = (await noopAcking(c, base)).seqs;
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6].map((i) => base + i));
    expect([...seen].sort((a, b) => a - b)).not.toEqual(seen);
    expect(sim.chaos!.stats().reorder).toBeGreaterThan(0);
  });

  it('fault and unavailable answer before the handler runs; dropSession gives the request a new session', async () => {
    const c = await chaotic({ fault: 1 });
    const failed = await c.im('IMSetPresenceRequest', '', '<presence show="AWAY"/>');
    expect(failed.status).toBe(500);
    expect(failed.fault?.code).toBe('service.FAILURE');
    expect(sim.persona(ALICE)!.storedPresence.show).toBe('ONLINE');
    await sim.stop();

    const d = await chaotic({ unavailable: 1 });
    expect((await d.noop('')).status).toBe(503);
    await sim.stop();

    const e = await chaotic({ dropSession: 1 });
    const before = e.sessionId;
    const reply = await e.noop('');
    expect(reply.sessionId).not.toBe(before);
    expect(reply.raw).toContain('<refresh>');
    expect(sim.sessionIds(ALICE)).not.toContain(before);
  });

  it('counts a second blocking NoOp on a session while one is in flight', async () => {
    const c = await chaotic({});
    const first = c.noop('wait="1" timeout="2000"');
    await new Promise((r) => setTimeout(r, 50));
    const second = post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail" wait="1" timeout="100"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/>`));
    await Promise.all([first, second]);
    expect(sim.chaos!.stats().longPollOverlap).toBe(1);
    await c.noop('wait="1" timeout="100"');
    expect(sim.chaos!.stats().longPollOverlap).toBe(1);
  });
});
