import fc from 'fast-check';
import type { NotifyBlock } from '../soap/envelope';
import type { XmlNode } from '../soap/xml';
import { LinkState } from './link-state';
import { NotifyIntake, TakenEvent } from './notify-intake';

const presence = (from: string): XmlNode => ({ '@_type': 'presence', '@_from': from, '@_show': 'AWAY' });
const message = (thread: string, seq: number, text = `m${seq}`, from = 'bob@x'): XmlNode => ({
  '@_type': 'message', '@_from': from, '@_thread': thread, '@_seq': String(seq), '@_ts': '1290000000000', body: { '@_html': '0', '#text': text },
});
const roster = (...addresses: string[]): XmlNode => ({ '@_type': 'roster', n: addresses.map((to) => ({ '@_type': 'subscribed', '@_to': to })) });
const subscribe = (from: string): XmlNode => ({ '@_type': 'subscribe', '@_from': from });
const privacy = (...denied: string[]): XmlNode => ({
  '@_type': 'privacy', list: { '@_name': 'default', item: denied.map((addr, i) => ({ '@_addr': addr, '@_action': 'deny', '@_order': String(i + 1) })) },
});
const block = (seq: number, ...notifications: XmlNode[]): NotifyBlock => ({ seq, notifications });

/** The published events of each take, as compact strings. */
const published = (taken: TakenEvent[]): string[] =>
  taken.filter((t) => t.isNew).map(({ event }) => {
    switch (event.type) {
      case 'message':
        return `message ${event.data.thread}#${event.data.seq}`;
      case 'presence':
        return `presence ${event.data.address}`;
      case 'subscriptionRequest':
        return `request ${event.data.from}`;
      case 'resync':
        return `resync ${event.data.reason}`;
      default:
        return event.type;
    }
  });

describe('NotifyIntake', () => {
  it('takes each block once, in seq order; a fresh session numbers from 1 again', () => {
    const intake = new NotifyIntake(new LinkState());
    expect(published(intake.take([block(1, presence('a@x')), block(2, presence('b@x'))]))).toEqual(['presence a@x', 'presence b@x']);
    expect(published(intake.take([block(2, presence('b@x')), block(3, presence('c@x'))]))).toEqual(['presence c@x']);
    expect(intake.highestSeq).toBe(3);
    intake.restart();
    expect(published(intake.take([block(1, presence('d@x'))]))).toEqual(['presence d@x']);
  });

  it('a hole in the seqs is a resync gap before the block after it; so is a fresh session not starting at 1', () => {
    const intake = new NotifyIntake(new LinkState());
    intake.take([block(1, presence('a@x')), block(2, presence('b@x'))]);
    const taken = intake.take([block(28, presence('c@x'))]);
    expect(published(taken)).toEqual(['resync gap', 'presence c@x']);
    expect(taken[0].seq).toBe(28);
    // Presences may have changed unseen in the hole: the same one again is news.
    expect(published(intake.take([block(29, presence('a@x'))]))).toEqual(['presence a@x']);
    expect(published(intake.take([block(30, presence('a@x'))]))).toEqual([]);
    intake.restart();
    expect(published(intake.take([block(3, presence('d@x'))]))).toEqual(['resync gap', 'presence d@x']);
  });

  it('recognises a history replay in any block of any reply: live twins are not repeated, unseen messages come once as seq + 1', () => {
    const intake = new NotifyIntake(new LinkState());
    // A long-poll reply carries the replay of messages this link never saw (seq 0, 1 = messages 1, 2).
    expect(published(intake.take([block(1, message('t', 0), message('t', 1))]))).toEqual(['message t#1', 'message t#2']);
    // Live: message 3. Then the next replay (seq 0, 1, 2), then a live message 4.
    expect(published(intake.take([block(2, message('t', 3))]))).toEqual(['message t#3']);
    expect(published(intake.take([block(3, message('t', 0), message('t', 1), message('t', 2), message('t', 4))]))).toEqual(['message t#4']);
    // The same replay again, resent or from the next roster read: nothing new.
    expect(published(intake.take([block(4, message('t', 0), message('t', 1), message('t', 2), message('t', 3))]))).toEqual([]);
  });

  it("a thread's messages are events in seq order: an older one that missed its turn is covered by the resync gap", () => {
    const intake = new NotifyIntake(new LinkState());
    intake.take([block(1, message('t', 1))]);
    // Batch 2 (message 2) was discarded upstream; batch 3 has message 3.
    expect(published(intake.take([block(3, message('t', 3))]))).toEqual(['resync gap', 'message t#3']);
    // The next roster read replays 1, 2, 3: message 2 is history the client re-reads after the resync.
    expect(published(intake.take([block(4, message('t', 0), message('t', 1), message('t', 2))]))).toEqual([]);
  });

  it('a replay split over blocks continues; SYSTEM and typing do not start or end it', () => {
    const intake = new NotifyIntake(new LinkState());
    const system: XmlNode = { '@_type': 'message', '@_from': 'SYSTEM', '@_thread': 't', '@_seq': '0', body: 'joined' };
    const typing: XmlNode = { '@_type': 'message', '@_from': 'bob@x', '@_thread': 't', typing: '' };
    const taken = intake.take([block(1, message('t', 0), system, typing, message('t', 1)), block(2, message('t', 2), message('t', 4))]);
    expect(taken.filter((t) => t.event.type === 'message').map((t) => (t.event.data as { seq: number }).seq)).toEqual([1, 0, 2, 3, 4]);
  });

  it('snapshots: a pending request, an unchanged roster or privacy list is not new, yet waiters see it', () => {
    const state = new LinkState();
    const intake = new NotifyIntake(state);
    const snapshot = (seq: number) => block(seq, roster('b@x', 'c@x'), presence('b@x'), subscribe('d@x'), privacy('spam.example'));
    expect(published(intake.take([snapshot(1)]))).toEqual(['roster', 'presence b@x', 'request d@x', 'privacyList']);
    const again = intake.take([snapshot(2)]);
    expect(published(again)).toEqual([]);
    expect(again.map((t) => t.event.type)).toEqual(['roster', 'presence', 'subscriptionRequest', 'privacyList']);
    // The same roster in another order is the same roster; a changed list is news.
    expect(published(intake.take([block(3, roster('c@x', 'b@x'), privacy('other.example'))]))).toEqual(['privacyList']);
    // Answered (the REST answer forgets it), then asked anew in the next snapshot: news.
    state.pendingRequests.delete('d@x');
    expect(published(intake.take([block(4, roster('b@x', 'c@x'), subscribe('d@x'))]))).toEqual(['request d@x']);
    // A request sent live is always news: it may have been withdrawn silently and asked anew.
    expect(published(intake.take([block(5, presence('x@x'), subscribe('d@x'))]))).toEqual(['presence x@x', 'request d@x']);
    // A roster push for the requester (say, authorized by another client) makes the request moot.
    const push: XmlNode = { '@_type': 'subscribed', '@_to': 'd@x' };
    expect(published(intake.take([block(6, push, roster('b@x', 'c@x', 'd@x'), subscribe('d@x'))]))).toEqual(['contact', 'request d@x']);
  });

  describe('property: whatever the replies, every notification is one event, or a resync gap marks the hole', () => {
    /** One batch of upstream notifications, as the upstream built it. */
    type Op = { kind: 'presence' } | { kind: 'live'; thread: number } | { kind: 'replay' };
    const THREADS = ['t0', 't1'];

    /** Plays the upstream: numbers presences, stores messages, writes each batch's notifications. */
    function buildBatches(ops: Op[][]) {
      const stored = THREADS.map(() => 0);
      let presences = 0;
      return ops.map((batch) => {
        const notifications: XmlNode[] = [];
        /** What a client must see once if this batch arrives: `presence …` and `message thread#seq` (1-based). */
        const expected: string[] = [];
        for (const op of batch) {
          if (op.kind === 'presence') {
            const from = `p${++presences}@x`;
            notifications.push(presence(from));
            expected.push(`presence ${from}`);
          } else if (op.kind === 'live') {
            const seq = ++stored[op.thread];
            notifications.push(message(THREADS[op.thread], seq));
            expected.push(`message ${THREADS[op.thread]}#${seq}`);
          } else {
            THREADS.forEach((thread, t) => {
              for (let raw = 0; raw < stored[t]; raw++) {
                notifications.push(message(thread, raw));
                expected.push(`message ${thread}#${raw + 1}`);
              }
            });
          }
        }
        return { notifications, expected };
      });
    }

    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant<Op>({ kind: 'presence' }),
      fc.integer({ min: 0, max: THREADS.length - 1 }).map<Op>((thread) => ({ kind: 'live', thread })),
      fc.constant<Op>({ kind: 'replay' }),
    );
    const scenario = fc.record({
      batches: fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
      /** Batches the upstream discarded, by index. */
      dropped: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
      /** Per reply: how far back it starts (a resend of blocks already taken) and how far it reaches. */
      replies: fc.array(fc.record({ back: fc.nat(3), ahead: fc.nat(3) }), { minLength: 1, maxLength: 60 }),
    });

    it('holds', () => {
      fc.assert(
        fc.property(scenario, ({ batches: ops, dropped, replies }) => {
          const batches = buildBatches(ops);
          const seqs = batches.map((_, i) => i + 1);
          const delivered = seqs.filter((seq) => !dropped[seq - 1]);
          const intake = new NotifyIntake(new LinkState());
          const out: string[] = [];
          // Each reply holds the blocks still upstream from a point at or before the next unseen one
          // (an ack we sent, possibly an older one from a concurrent request), ascending.
          let i = 0;
          while (intake.highestSeq < (delivered.at(-1) ?? 0)) {
            const { back, ahead } = replies[i++ % replies.length];
            const from = Math.max(1, intake.highestSeq + 1 - back);
            const to = intake.highestSeq + 1 + ahead;
            // The oldest unseen block is always there: it is resent until acknowledged.
            const next = delivered.find((seq) => seq > intake.highestSeq);
            const blocks = delivered.filter((seq) => seq >= from && (seq <= to || seq === next)).map((seq) => block(seq, ...batches[seq - 1].notifications));
            out.push(...published(intake.take(blocks)));
          }

          // Exactly the delivered batches' content, each once, in order, with a gap before each batch after
          // a hole; a thread's messages in seq order (one that missed its turn is history behind a gap).
          const expected: string[] = [];
          const seen = new Set<string>();
          const lastSeq = new Map<string, number>();
          let previous = 0;
          for (const seq of delivered) {
            if (seq > previous + 1) expected.push('resync gap');
            for (const e of batches[seq - 1].expected) {
              const message = /^message (\w+)#(\d+)$/.exec(e);
              if (message) {
                if (Number(message[2]) <= (lastSeq.get(message[1]) ?? 0)) continue;
                lastSeq.set(message[1], Number(message[2]));
              }
              if (!seen.has(e)) expected.push(e);
              seen.add(e);
            }
            previous = seq;
          }
          // Nothing silently skipped: a message that is no event came before a gap, or was one already.
          const gaps = out.filter((e) => e === 'resync gap').length;
          if (gaps === 0) {
            for (const batch of delivered) for (const e of batches[batch - 1].expected) expect(out).toContain(e);
          }
          expect(out).toEqual(expected);
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  });
});
