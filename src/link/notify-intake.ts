import type { NotifyBlock } from '../soap/envelope';
import { attr, XmlNode } from '../soap/xml';
import type { ImEvent } from './events';
import { HistoryReplay } from './history-replay';
import { LinkState } from './link-state';
import { mapNotification } from './notification-mapper';

/**
 * IMGetRoster's snapshot is one run in one block (§12.1): the roster, then the known presences,
 * then every pending subscription request. True while `n` is part of such a run.
 */
function continuesSnapshot(n: XmlNode, inSnapshot: boolean): boolean {
  const type = (attr(n, 'type') ?? '').trim().toLowerCase();
  if (type === 'roster') return true;
  return inSnapshot && (type === 'presence' || type === 'subscribe');
}

/** One event out of a notify block: `isNew` ones are published, every one is shown to waiters. */
export interface TakenEvent {
  event: ImEvent;
  /** The notify seq of the block it came in. */
  seq: number;
  isNew: boolean;
}

/**
 * Turns the notify blocks of one session's replies into events, so that every upstream
 * notification becomes an event exactly once or the client is told with `resync {gap}`:
 * - blocks are taken in seq order, each once (the same block comes again in the next reply until
 *   acknowledged, and in concurrent replies, §5);
 * - seqs are consecutive (a batch gets one only when it has content, and is resent until acked),
 *   so a hole means the upstream discarded unacknowledged batches (more than 20 piled up):
 *   a `resync {gap}` goes first;
 * - history replay is recognised by content and numbered like live messages (HistoryReplay);
 * - repetitions (replayed messages, requests a snapshot lists again, unchanged snapshots) are not new
 *   (LinkState.admit), though waiters still see them.
 * No I/O: the link publishes what this returns.
 */
export class NotifyIntake {
  private highest = 0;
  private readonly replay = new HistoryReplay();

  constructor(
    readonly state: LinkState,
    private readonly onUnmappable: (n: XmlNode, err: Error) => void = () => undefined,
  ) {}

  /** The highest seq taken (acknowledged upstream once its events are committed). */
  get highestSeq(): number {
    return this.highest;
  }

  /**
   * A new upstream session (its blocks number from 1 again), or a session carried on from another
   * process at the seq it had committed: the blocks after it are resent and taken anew.
   */
  restart(atSeq = 0): void {
    this.highest = atSeq;
    this.replay.reset();
  }

  /** An event that comes from no block (a replaced session's `resync`). */
  admit(event: ImEvent): TakenEvent {
    return { event, seq: this.highest, isNew: this.state.admit(event) };
  }

  /** The events of a reply's blocks (ascending by seq) that were not taken before. */
  take(blocks: readonly NotifyBlock[]): TakenEvent[] {
    const taken: TakenEvent[] = [];
    for (const block of blocks) {
      if (block.seq <= this.highest) continue; // already taken (resent, or in a concurrent reply)
      if (block.seq > this.highest + 1) {
        this.replay.reset();
        taken.push({ ...this.admit({ type: 'resync', data: { reason: 'gap' } }), seq: block.seq });
      }
      this.highest = block.seq;
      let snapshot = false;
      for (const n of block.notifications) {
        snapshot = continuesSnapshot(n, snapshot);
        const historyReplay = this.replay.isReplay(n);
        for (const event of this.map(n, historyReplay)) {
          taken.push({ event, seq: block.seq, isNew: this.state.admit(event, { snapshot }) });
        }
      }
    }
    return taken;
  }

  private map(n: XmlNode, historyReplay: boolean): ImEvent[] {
    try {
      return mapNotification(n, { historyReplay });
    } catch (err) {
      this.onUnmappable(n, err as Error);
      return [];
    }
  }
}
