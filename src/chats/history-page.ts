import type { HistoryMessage } from '../im/chats';
import { UNSEQUENCED } from '../link/notification-mapper';

export const MAX_HISTORY_LIMIT = 1_000;
/** The whole history of any ordinary chat; a client that wants less asks for less. */
export const DEFAULT_HISTORY_LIMIT = MAX_HISTORY_LIMIT;

export interface HistoryQuery {
  /** Only messages newer than this seq; the page is then the oldest `limit` of them. */
  after?: number;
  /** Only messages older than this seq. Without `after`, the page is the newest `limit` of them. */
  before?: number;
  /** How many numbered messages, 1..MAX_HISTORY_LIMIT. */
  limit: number;
}

export interface HistoryPage {
  messages: HistoryMessage[];
  /** More messages lie beyond the page in the direction it was read (older with `before`/none, newer with `after`). */
  hasMore: boolean;
}

/**
 * One page of a chat's history (oldest first; the upstream always gives it whole, §12.6):
 * - with `after`, the oldest `limit` messages newer than it (and older than `before`, if given);
 * - otherwise the newest `limit` messages older than `before` (or the newest of all).
 * `limit` counts numbered messages. An unnumbered one (seq 0, from `SYSTEM`) goes with the numbered
 * message that follows it. So a client pages back with `before` = the smallest non-zero seq it got,
 * and forward with `after` = the largest, and sees every message exactly once; only unnumbered ones
 * after the newest numbered message, having nothing to page by, come with every page that reaches
 * the end. Pure.
 */
export function historyPage(history: readonly HistoryMessage[], query: HistoryQuery): HistoryPage {
  // Where each message sits in the numbering: its own seq, or that of the next numbered message.
  const keys = new Array<number>(history.length);
  let next = Number.POSITIVE_INFINITY;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].seq !== UNSEQUENCED) next = history[i].seq;
    keys[i] = next;
  }
  const { after, before, limit } = query;
  const window = history
    .map((message, i) => ({ message, key: keys[i] }))
    .filter(({ key }) => (after === undefined || key > after) && (before === undefined || key < before));
  const numbered = window.filter(({ message }) => message.seq !== UNSEQUENCED).map(({ message }) => message.seq);
  const hasMore = numbered.length > limit;
  if (!hasMore) return { messages: window.map(({ message }) => message), hasMore };
  const page =
    after !== undefined
      ? window.filter(({ key }) => key <= numbered[limit - 1])
      : window.filter(({ key }) => key >= numbered[numbered.length - limit]);
  return { messages: page.map(({ message }) => message), hasMore };
}
