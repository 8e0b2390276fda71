import { attr, XmlNode } from '../soap/xml';
import { nonNegativeInt } from './mapping/values';
import { evictOldest, MAX_TRACKED_THREADS } from './link-state';

const SYSTEM_SENDER = 'SYSTEM';

/**
 * Recognises IMGetRoster's history replay (§12.1) by its content, wherever it arrives: in the
 * reply to IMGetRoster, in a concurrent long-poll reply, or resent after that reply was lost (§5).
 * Live messages count from 1 and never repeat a seq, while a chat's replay starts at seq 0 and runs
 * through consecutive seqs; a live SYSTEM message (also seq 0) is never part of it. So a non-SYSTEM
 * seq 0 starts a thread's replay, each next consecutive seq continues it (across blocks too), and
 * anything else in the thread ends it. A live message cannot continue a run: after a replay of
 * seqs 0…k the next live message is k + 2.
 */
export class HistoryReplay {
  /** thread → the seq that continues its replay. */
  private readonly next = new Map<string, number>();

  /** Call for every notification, in order: true for a `message` that is history replay. */
  isReplay(n: XmlNode): boolean {
    const type = (attr(n, 'type') ?? '').trim().toLowerCase();
    const thread = attr(n, 'thread');
    if (!thread) return false;
    if (type === 'chatclosed') this.next.delete(thread);
    if (type !== 'message') return false;
    const seq = nonNegativeInt(attr(n, 'seq'));
    // Typing, errors and SYSTEM text carry no history seq and leave a run alone.
    if (seq === undefined || attr(n, 'from') === SYSTEM_SENDER) return false;
    if (seq !== 0 && this.next.get(thread) !== seq) {
      this.next.delete(thread);
      return false;
    }
    this.next.delete(thread); // re-insert: the map's order is the eviction order
    this.next.set(thread, seq + 1);
    evictOldest(this.next, MAX_TRACKED_THREADS);
    return true;
  }

  /** After a gap or on a new session the runs in progress are unknown. */
  reset(): void {
    this.next.clear();
  }
}
