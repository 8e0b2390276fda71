/**
 * The simulator's notion of "now": real time plus an offset tests can push forward. Token expiry and
 * session idle expiry read it; advancing it runs the session sweeper at once, so a test can say
 * "600 s passed" without waiting. NoOp timeouts and the roster delay stay on real timers because
 * they are short and tests want to observe them happening.
 */
export class SimClock {
  private offset = 0;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() needs a non-negative number of ms');
    this.offset += ms;
    for (const listener of [...this.listeners]) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
