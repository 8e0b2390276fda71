import type { ImEvent, LinkEvent } from './events';
import type { LinkState } from './link-state';

/** What a commit carries besides the events: the notify seq they bring the acknowledgement to. */
export interface CommitContext {
  /** The upstream session the blocks came in (a new one is committed too, with what it brought). */
  session: string | undefined;
  /** The highest notify seq taken: acknowledged upstream once the commit is done. */
  seq: number;
  /** The link's state after the events were taken (what a survivor needs to carry on). */
  state: LinkState;
}

/**
 * Where a link's new events become durable before the notify blocks that brought them are
 * acknowledged upstream (the upstream resends every unacknowledged block, wire format §5): an event
 * that was not kept must not have been acknowledged. The in-memory log commits at once; a shared
 * store commits asynchronously, in order, and may refuse (another owner now, or the store is down).
 */
export interface EventJournal {
  /** Numbers and keeps the events; returns them as published (ids assigned), at once or when durable. */
  commit(events: readonly ImEvent[], context: CommitContext): readonly LinkEvent[] | Promise<readonly LinkEvent[]>;
}
