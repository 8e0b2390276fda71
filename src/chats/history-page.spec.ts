import fc from 'fast-check';
import type { HistoryMessage } from '../im/chats';
import { historyPage, HistoryQuery } from './history-page';

const message = (seq: number, text = String(seq)): HistoryMessage => ({
  seq,
  from: seq === 0 ? 'SYSTEM' : 'bob@example.com',
  sentAt: '2026-12-02T06:58:38.000Z',
  text,
});
const texts = (messages: HistoryMessage[]) => messages.map((m) => m.text);

/** A history as the upstream keeps it: increasing seqs (gaps allowed here), SYSTEM notes (seq 0) anywhere. */
const histories = fc
  .array(fc.oneof({ arbitrary: fc.constant('system' as const), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 }), { maxLength: 40 })
  .map((steps) => {
    let seq = 0;
    return steps.map((step, i) => (step === 'system' ? message(0, `sys${i}`) : message((seq += step), `m${i}`)));
  });

/**
 * The oracle, built another way: the history cut into groups (the SYSTEM notes before a numbered
 * message, then that message; SYSTEM notes after the last one form an open group of their own),
 * groups chosen by their seq, then the first or last `limit` of them taken whole.
 */
function expectedPage(history: HistoryMessage[], { after, before, limit }: HistoryQuery): { messages: HistoryMessage[]; hasMore: boolean } {
  const groups: { seq: number; messages: HistoryMessage[] }[] = [];
  let open: HistoryMessage[] = [];
  for (const m of history) {
    open.push(m);
    if (m.seq !== 0) {
      groups.push({ seq: m.seq, messages: open });
      open = [];
    }
  }
  const inWindow = groups.filter((g) => (after === undefined || g.seq > after) && (before === undefined || g.seq < before));
  const tail = before === undefined ? open : [];
  const hasMore = inWindow.length > limit;
  const taken = after !== undefined ? inWindow.slice(0, limit) : inWindow.slice(Math.max(0, inWindow.length - limit));
  const withTail = after !== undefined && hasMore ? [] : tail;
  return { messages: [...taken.flatMap((g) => g.messages), ...withTail], hasMore };
}

describe('historyPage', () => {
  const history = [message(1), message(2), message(0, 'sys'), message(3), message(4), message(5)];

  it('without a cursor: the newest limit messages, and whether older ones exist', () => {
    expect(historyPage(history, { limit: 1000 })).toEqual({ messages: history, hasMore: false });
    expect(texts(historyPage(history, { limit: 2 }).messages)).toEqual(['4', '5']);
    expect(historyPage(history, { limit: 2 }).hasMore).toBe(true);
  });

  it('before: the newest limit messages older than it; a SYSTEM note goes with the message after it', () => {
    expect(historyPage(history, { before: 4, limit: 1 })).toEqual({ messages: [message(0, 'sys'), message(3)], hasMore: true });
    expect(historyPage(history, { before: 3, limit: 5 })).toEqual({ messages: [message(1), message(2)], hasMore: false });
    expect(historyPage(history, { before: 1, limit: 5 })).toEqual({ messages: [], hasMore: false });
  });

  it('after: the oldest limit messages newer than it (0 = from the start); with before too, between both', () => {
    expect(historyPage(history, { after: 0, limit: 2 })).toEqual({ messages: [message(1), message(2)], hasMore: true });
    expect(historyPage(history, { after: 2, limit: 2 })).toEqual({ messages: [message(0, 'sys'), message(3), message(4)], hasMore: true });
    expect(historyPage(history, { after: 3, limit: 5 })).toEqual({ messages: [message(4), message(5)], hasMore: false });
    expect(historyPage(history, { after: 1, before: 5, limit: 5 })).toEqual({ messages: [message(2), message(0, 'sys'), message(3), message(4)], hasMore: false });
    expect(historyPage(history, { after: 5, limit: 5 })).toEqual({ messages: [], hasMore: false });
  });

  it('any after/before/limit over any history gives exactly the right slice and hasMore', () => {
    const cursor = fc.option(fc.integer({ min: 0, max: 130 }), { nil: undefined });
    fc.assert(
      fc.property(histories, cursor, cursor, fc.integer({ min: 1, max: 45 }), (messages, after, before, limit) => {
        expect(historyPage(messages, { after, before, limit })).toEqual(expectedPage(messages, { after, before, limit }));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('paging back with before, or forward with after, from any limit sees every message exactly once, in order', () => {
    const numberedSeqs = (page: HistoryMessage[]) => page.map((m) => m.seq).filter((seq) => seq !== 0);
    fc.assert(
      fc.property(histories, fc.integer({ min: 1, max: 10 }), (messages, limit) => {
        const back: HistoryMessage[][] = [];
        let before: number | undefined;
        for (;;) {
          const page = historyPage(messages, { before, limit });
          back.unshift(page.messages);
          if (!page.hasMore) break;
          before = Math.min(...numberedSeqs(page.messages));
        }
        expect(back.flat()).toEqual(messages);

        const forward: HistoryMessage[] = [];
        let after = 0;
        for (;;) {
          const page = historyPage(messages, { after, limit });
          forward.push(...page.messages);
          if (!page.hasMore) break;
          after = Math.max(...numberedSeqs(page.messages));
        }
        expect(forward).toEqual(messages);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
