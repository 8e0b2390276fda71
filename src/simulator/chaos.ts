/**
 * Seeded chaos: the simulator misbehaves the way the real upstream, or the network in front of it,
 * can, so that a client which keeps §5's contract (ack, resend, dedupe by seq, detect holes) still
 * loses nothing and duplicates nothing, or knows it must resync. Every decision draws from one
 * seeded generator, so a seed reproduces the decisions (timing still varies between runs).
 *
 * Kinds, each with its own rate (the chance per request that references a session):
 * - fault        service.FAILURE before the handler runs (nothing processed)
 * - unavailable  HTTP 503 before the handler runs (nothing processed)
 * - dropSession  the referenced session ends first, as on idle expiry; the request gets a new one (§4)
 * - overflow     the unacknowledged batches are discarded, as when more than 20 pile up (§5)
 * - resend       the reply also carries the last already-acknowledged block (§5 concurrent-request race)
 * - reorder      the reply's notify blocks come in shuffled order
 * - drop         the request is processed (its batch moves to "sent") but the reply never arrives: the
 *                connection is reset at once, or held until the client gives up (at most hangMs) and reset
 * - delay        the reply is held for up to maxDelayMs
 */
import type { XmlNode } from '../soap/xml';

export type ChaosKind = 'fault' | 'unavailable' | 'dropSession' | 'overflow' | 'resend' | 'reorder' | 'drop' | 'delay';

export const CHAOS_KINDS: readonly ChaosKind[] = ['fault', 'unavailable', 'dropSession', 'overflow', 'resend', 'reorder', 'drop', 'delay'];

export type ChaosRates = Record<ChaosKind, number>;

export interface ChaosOptions {
  seed: number;
  /** Chance per request, 0..1, of each kind; an absent kind never happens. */
  rates: Partial<ChaosRates>;
  /** Longest `delay` (default 300 ms). */
  maxDelayMs?: number;
  /** Longest a dropped reply is held before the reset (default 3000 ms). */
  hangMs?: number;
  /** Decisions kept for `tail()` (default 200). */
  logSize?: number;
}

export interface ChaosDecision {
  /** Running number of the decision. */
  n: number;
  kind: ChaosKind | 'longPollOverlap';
  request: string;
  session?: string;
  detail?: string;
}

/** What to do with a reply that was built normally. */
export type ReplyFate = { kind: 'deliver'; delayMs: number } | { kind: 'reset'; holdMs: number };

/** mulberry32: a tiny, fast, well-mixed 32-bit generator; plenty for picking misbehaviours. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export class Chaos {
  readonly seed: number;
  private readonly random: () => number;
  private rates: Partial<ChaosRates>;
  private paused = false;
  private readonly maxDelayMs: number;
  private readonly hangMs: number;
  private readonly logSize: number;
  private readonly log: ChaosDecision[] = [];
  private decisions = 0;
  private readonly counts = new Map<ChaosDecision['kind'], number>();
  /** Blocking NoOps in flight per session: more than one is a client running two long-polls. */
  /** Per session, when each blocking NoOp in flight started (wall clock, for the overlap report). */
  private readonly noopsInFlight = new Map<string, number[]>();

  constructor(options: ChaosOptions) {
    for (const [kind, rate] of Object.entries(options.rates)) {
      if (!CHAOS_KINDS.includes(kind as ChaosKind)) throw new RangeError(`unknown chaos kind: ${kind}`);
      if (!(rate >= 0 && rate <= 1)) throw new RangeError(`chaos rate of ${kind} must be within 0..1`);
    }
    this.seed = options.seed;
    this.random = seededRandom(options.seed);
    this.rates = { ...options.rates };
    this.maxDelayMs = options.maxDelayMs ?? 300;
    this.hangMs = options.hangMs ?? 3_000;
    this.logSize = options.logSize ?? 200;
  }

  /** Stops misbehaving (the long-poll overlap probe keeps counting). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Decides whether `kind` happens to this request; logs it when it does. */
  roll(kind: ChaosKind, request: string, session: string | undefined, detail?: string): boolean {
    const rate = this.rates[kind] ?? 0;
    if (this.paused || rate <= 0) return false;
    if (this.random() >= rate) return false;
    this.record({ kind, request, session, detail });
    return true;
  }

  /** The blocks in the order the reply writes them (shuffled when `reorder` strikes). */
  order(blocks: XmlNode[], request: string, session: string | undefined): XmlNode[] {
    if (blocks.length < 2 || !this.roll('reorder', request, session, `${blocks.length} blocks`)) return blocks;
    return shuffled(blocks, this.random);
  }

  /** What happens to a reply already built (its notifications are already in "sent"). */
  replyFate(request: string, session: string | undefined): ReplyFate {
    if (this.roll('drop', request, session)) {
      const hold = this.random() < 0.5 ? 0 : Math.floor(this.random() * this.hangMs);
      return { kind: 'reset', holdMs: hold };
    }
    if (this.roll('delay', request, session)) return { kind: 'deliver', delayMs: Math.floor(this.random() * this.maxDelayMs) };
    return { kind: 'deliver', delayMs: 0 };
  }

  /** A blocking NoOp starts on `session`; returns the function to call when its reply is out. */
  noopStarted(session: string): () => void {
    const started = Date.now();
    const inFlight = [...(this.noopsInFlight.get(session) ?? []), started];
    this.noopsInFlight.set(session, inFlight);
    if (inFlight.length > 1) {
      const detail = `${inFlight.length} in flight; the oldest started ${started - inFlight[0]} ms before`;
      this.record({ kind: 'longPollOverlap', request: 'NoOpRequest', session, detail });
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = [...(this.noopsInFlight.get(session) ?? [])];
      left.splice(left.indexOf(started), 1);
      if (left.length > 0) this.noopsInFlight.set(session, left);
      else this.noopsInFlight.delete(session);
    };
  }

  /** How often each kind struck (and how many long-poll overlaps were seen). */
  stats(): Partial<Record<ChaosDecision['kind'], number>> {
    return Object.fromEntries(this.counts);
  }

  /** The newest decisions, oldest first, one line each: what to print next to a failing seed. */
  tail(count = 50): string[] {
    return this.log.slice(-count).map((d) => `#${d.n} ${d.kind} ${d.request}${d.session ? ` session=${d.session}` : ''}${d.detail ? ` (${d.detail})` : ''}`);
  }

  private record(decision: Omit<ChaosDecision, 'n'>): void {
    this.counts.set(decision.kind, (this.counts.get(decision.kind) ?? 0) + 1);
    this.log.push({ n: ++this.decisions, ...decision });
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize);
  }
}
