import { isoTime } from '../common/iso-time';
import { clusterUnavailable } from '../common/problem';
import type { CommitContext, EventJournal } from '../link/event-journal';
import type { ImEvent, LinkEvent } from '../link/events';
import type { LinkState } from '../link/link-state';
import type { ChatChange, RedisEventStore } from './event-store';

/** The chats a batch of events touched, as the link state has them after the batch. Pure. */
export function chatChanges(events: readonly ImEvent[], state: LinkState): ChatChange[] {
  const changes = new Map<string, ChatChange['state']>();
  for (const event of events) {
    if (event.type === 'chatClosed') changes.set(event.data.thread, null);
    else if (event.type === 'message' || event.type === 'invitation') {
      const { thread } = event.data;
      changes.set(thread, [state.lastMessageSeq(thread), state.chatAddress(thread) ?? null]);
    }
  }
  return [...changes].map(([thread, change]) => ({ thread, state: change }));
}

/** What the journal writes under: the owner's fence, the log's position and what was last acknowledged. */
export interface JournalPosition {
  owner: string;
  gen: number;
  epoch: string;
  /** The number of the last event in the log. */
  n: number;
  /** The upstream session and notify seq of the last commit. */
  session: string | undefined;
  seq: number;
}

/** Recreates a link record Redis lost, with this owner's position in a new epoch; resolves with the new fence, or null if another record exists. */
export type Reinstate = (position: JournalPosition) => Promise<number | null>;

/** A new log epoch: unique enough that an id of an older log is never taken for one of this. */
export function newEpoch(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 500;

const LOST_WRITES: ImEvent = { type: 'resync', data: { reason: 'gap' } };

/**
 * A link's journal in Redis: each commit is one script run (fence, append, publish, record the ack),
 * in order. The owner numbers the events itself; the script refuses them if the log is not where this
 * owner left it. When Redis lost the record (restarted without persistence), the owner writes it
 * again in a new epoch whose first event is `resync {gap}`, and carries on with its upstream session.
 * When another instance owns the token now, the commit fails and the link ends (see Link.commit).
 */
export class ClusterJournal implements EventJournal {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RedisEventStore,
    private readonly tag: string,
    private readonly position: JournalPosition,
    private readonly reinstate: Reinstate,
    /** Whether this instance still holds its lease, on its own monotonic clock (checked before every write). */
    private readonly holdsLease: () => boolean,
    private readonly observe: (seconds: number) => void = () => undefined,
  ) {}

  /**
   * After Redis came back: an empty commit finds out whether it lost the record (then the log starts
   * again, with `resync`, before any socket announces itself to a new owner).
   */
  verify(state: LinkState): Promise<unknown> {
    return this.commit([], { session: this.position.session, seq: this.position.seq, state });
  }

  commit(events: readonly ImEvent[], context: CommitContext): Promise<readonly LinkEvent[]> {
    const written = this.queue.then(() => this.write(events, context));
    this.queue = written.catch(() => undefined);
    return written;
  }

  private async write(events: readonly ImEvent[], context: CommitContext): Promise<readonly LinkEvent[]> {
    // Woken from a pause past the lease: a survivor may own the token; write nothing before the fence says so.
    if (!this.holdsLease()) throw clusterUnavailable('This instance lost its lease.');
    const numbered = this.number(events, this.position.n);
    const result = await this.tryWrite(numbered, context);
    if (result === 'fenced') throw clusterUnavailable('another instance has taken this session over');
    if (result === 'committed') return numbered;
    // Lost: write the record again, in a new epoch that starts by telling every client.
    const epoch = newEpoch();
    const gen = await this.reinstate({ ...this.position, epoch, n: 0 }).catch((err: Error) => {
      throw clusterUnavailable(`the link record cannot be written again: ${err.message}`);
    });
    if (gen === null) throw clusterUnavailable('another instance has taken this session over');
    Object.assign(this.position, { epoch, gen, n: 0 });
    const [resync, ...renumbered] = this.number([LOST_WRITES, ...events], 0);
    if ((await this.tryWrite([resync, ...renumbered], context)) !== 'committed') throw clusterUnavailable('the event log cannot be written');
    return renumbered;
  }

  private number(events: readonly ImEvent[], after: number): LinkEvent[] {
    const at = isoTime(Date.now());
    return events.map((event, i) => ({ id: `${this.position.epoch}.${after + 1 + i}`, type: event.type, at, data: event.data }) as LinkEvent);
  }

  private async tryWrite(numbered: LinkEvent[], { session, seq, state }: CommitContext): Promise<'committed' | 'fenced' | 'lost'> {
    const { owner, gen, epoch, n } = this.position;
    let result: Awaited<ReturnType<RedisEventStore['commit']>>;
    const batch = { owner, gen, epoch, expectedN: n, seq, session, events: numbered, chats: chatChanges(numbered, state) };
    // Redis out of reach: the commit waits (and with it the long-poll and the calls whose replies
    // carried the blocks) as long as this instance holds its lease; a retry of a commit that did
    // land is answered 'committed' by the script. Past the lease, a survivor may own the token.
    for (let pause = FIRST_RETRY_MS; ; pause = Math.min(pause * 2, MAX_RETRY_MS)) {
      const started = performance.now();
      try {
        result = await this.store.commit(this.tag, batch);
        this.observe((performance.now() - started) / 1000);
        break;
      } catch (err) {
        if (!this.holdsLease()) throw clusterUnavailable(`the event log cannot be written: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    if (result.status === 'committed') Object.assign(this.position, { n: result.n, session, seq });
    return result.status;
  }
}
