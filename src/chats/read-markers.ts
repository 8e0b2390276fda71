import { evictOldest, MAX_TRACKED_THREADS } from '../link/link-state';

/**
 * Where each token's read markers live: per thread, the seq up to which the reader has read. The
 * upstream keeps no read state, so the proxy does. In memory here; in Redis in cluster mode.
 */
export interface ReadMarkers {
  /** The markers of these threads (0 for a thread without one). */
  get(scope: string, threads: readonly string[]): Promise<number[]>;
  set(scope: string, thread: string, seq: number): Promise<void>;
}

export const READ_MARKERS = Symbol('READ_MARKERS');
/** Cluster mode provides Redis-backed markers under this token. */
export const CLUSTER_READ_MARKERS = Symbol('CLUSTER_READ_MARKERS');

/** Tokens whose markers are kept in memory at most (the least recently written forgotten first). */
const MAX_TOKENS = 100_000;

/** Bounded: at most MAX_TOKENS tokens, each with its MAX_TRACKED_THREADS most recently marked threads. */
export class MemoryReadMarkers implements ReadMarkers {
  private readonly byToken = new Map<string, Map<string, number>>();

  async get(scope: string, threads: readonly string[]): Promise<number[]> {
    const markers = this.byToken.get(scope);
    return threads.map((thread) => markers?.get(thread) ?? 0);
  }

  async set(scope: string, thread: string, seq: number): Promise<void> {
    const markers = this.byToken.get(scope) ?? new Map<string, number>();
    this.byToken.delete(scope); // re-insert: the map's order is the eviction order
    this.byToken.set(scope, markers);
    markers.delete(thread);
    markers.set(thread, seq);
    evictOldest(markers, MAX_TRACKED_THREADS);
    evictOldest(this.byToken, MAX_TOKENS);
  }
}
