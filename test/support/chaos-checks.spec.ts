import fc from 'fast-check';
import { compareEventIds, followClient, judge, type ChaosEvidence, type JudgedClient, type Placement } from './chaos-checks';
import type { Connection } from './chaos-client';
import type { Frame } from './ws-client';

const ALICE = 'alice@example.com';
const message = (id: string, thread: string, seq: number, text: string): Frame => ({ id, type: 'message', data: { thread, seq, text } });
const gap: Frame = { type: 'resync', data: { reason: 'gap' } };
const conn = (kind: Connection['kind'], frames: Frame[], resumed = true, after?: string): Connection => ({
  kind, after, ready: { resumed, lastId: null }, frames,
});

function evidence(clients: JudgedClient[], truth: [string, Placement][], overrides: Partial<ChaosEvidence> = {}): ChaosEvidence {
  const stored = new Map(truth);
  const history = new Map(truth.map(([text, at]) => [text, [at]]));
  return {
    prefix: 'm', clients, recovered: new Map(), truth: new Map([[ALICE, stored]]), histories: new Map([[ALICE, history]]),
    sends: [], badStatuses: [], crashes: [], longPollOverlaps: 0, ...overrides,
  };
}

describe('chaos checks', () => {
  it('orders ids as dot-separated counters', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (epoch, a, b) => {
        const e = epoch.toString(36);
        expect(Math.sign(compareEventIds(`${e}.${a}`, `${e}.${b}`))).toBe(Math.sign(a - b));
        expect(compareEventIds(`${e}.${a}`, `${(epoch + 1).toString(36)}.0`)).toBe(-1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('passes a clean stream across an exact and a stale resume', () => {
    const client: JudgedClient = {
      name: 'a', account: ALICE,
      connections: [
        conn('fresh', [message('e.1', 't', 1, 'm1'), message('e.2', 't', 2, 'm2')], false),
        conn('exact', [message('e.3', 't', 3, 'm3')], true, 'e.2'),
        // Stale: e.2 and e.3 are replayed as before, then the stream goes on.
        conn('stale', [message('e.2', 't', 2, 'm2'), message('e.3', 't', 3, 'm3'), message('e.4', 't', 4, 'm4')], true, 'e.1'),
      ],
    };
    const truth: [string, Placement][] = [1, 2, 3, 4].map((n) => [`m${n}`, { thread: 't', seq: n }]);
    const verdict = judge(evidence([client], truth));
    expect(verdict.failures).toEqual([]);
    expect(verdict.counts).toMatchObject({ delivered: 4, lost: 0, duplicated: 0, outOfOrder: 0, idViolations: 0 });
  });

  it('a stale replay may hold what the client skipped when told to resync, and nothing else', () => {
    const skipped = (extra: Frame[]): JudgedClient => ({
      name: 'a', account: ALICE,
      connections: [
        conn('fresh', [message('e.1', 't', 1, 'm1')], false),
        // A bogus resume: not resumed, the client starts over after e.3 (e.2 and e.3 skipped).
        { kind: 'bogus', after: 'x', ready: { resumed: false, lastId: 'e.3' }, frames: [gap, message('e.4', 't', 4, 'm4')] },
        conn('stale', [...extra, message('e.4', 't', 4, 'm4'), message('e.5', 't', 5, 'm5')], true, 'e.1'),
      ],
    });
    const truth: [string, Placement][] = [1, 2, 3, 4, 5].map((n) => [`m${n}`, { thread: 't', seq: n }]);
    const replayWithSkipped = [message('e.2', 't', 2, 'm2'), message('e.3', 't', 3, 'm3')];
    expect(judge(evidence([skipped(replayWithSkipped)], truth)).failures.filter((f) => f.startsWith('[resume]'))).toEqual([]);
    const intruder = judge(evidence([skipped([message('e.2', 't', 2, 'm2'), message('e.9', 't', 9, 'm9')])], truth));
    expect(intruder.failures.some((f) => f.startsWith('[resume]'))).toBe(true);
  });

  it('finds a lost message, a duplicate, a seq going back and an id reused', () => {
    const client: JudgedClient = {
      name: 'a', account: ALICE,
      connections: [
        conn('fresh', [message('e.1', 't', 1, 'm1'), message('e.2', 't', 3, 'm3')], false),
        conn('exact', [message('e.2', 't', 1, 'm1')], true, 'e.2'),
      ],
    };
    const truth: [string, Placement][] = [1, 2, 3].map((n) => [`m${n}`, { thread: 't', seq: n }]);
    const verdict = judge(evidence([client], truth));
    expect(verdict.counts).toMatchObject({ lost: 1, duplicated: 1, outOfOrder: 1, idViolations: 1 });
    expect(verdict.failures.join('\n')).toMatch(/\[lost\].*"m2"/);
  });

  it('excuses a missed message read from history after a resync, and demands an id-less resync {gap}', () => {
    const resynced: JudgedClient = {
      name: 'a', account: ALICE,
      connections: [conn('fresh', [message('e.1', 't', 1, 'm1')], false), conn('bogus', [gap, message('e.3', 't', 3, 'm3')], false, 'x')],
    };
    const truth: [string, Placement][] = [1, 2, 3].map((n) => [`m${n}`, { thread: 't', seq: n }]);
    expect(judge(evidence([resynced], truth, { recovered: new Map([['a', new Set(['m2'])]]) })).failures).toEqual([]);
    expect(judge(evidence([resynced], truth)).counts.lost).toBe(1);

    const withId: JudgedClient = { ...resynced, connections: [resynced.connections[0], conn('bogus', [{ ...gap, id: 'e.1' }], false, 'x')] };
    expect(followClient(withId).violations.join('\n')).toMatch(/id-less resync/);
  });

  it('reports a stale replay that differs once, and an id on the resync of an unreplayable id without a cascade', () => {
    const stream = [message('e.1', 't', 1, 'm1'), message('e.2', 't', 2, 'm2'), message('e.3', 't', 3, 'm3')];
    const client: JudgedClient = {
      name: 'a', account: ALICE,
      connections: [
        conn('fresh', stream, false),
        // The resync reuses e.3; it must neither enter the stream nor make e.4 look out of place.
        conn('future', [{ ...gap, id: 'e.3' }, message('e.4', 't', 4, 'm4')], false, 'e.99'),
        // Stale from e.1: e.3 is skipped in the replay.
        conn('stale', [message('e.2', 't', 2, 'm2'), message('e.4', 't', 4, 'm4'), message('e.5', 't', 5, 'm5')], true, 'e.1'),
      ],
    };
    const { violations, stream: followed } = followClient(client);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toMatch(/\[resume\].*id-less resync/);
    expect(violations[1]).toMatch(/\[resume\].*replay #1 is e.4 message, expected e.3 message/);
    expect(followed.map((e) => e.id)).toEqual(['e.1', 'e.2', 'e.3', 'e.4', 'e.5']);
  });

  it('holds every accepted send to exactly one entry with its seq in both histories', () => {
    const send = { from: ALICE, to: 'bob@example.com', text: 'm1', status: 201, thread: 't', seq: 1 };
    const histories = new Map([[ALICE, new Map([['m1', [{ thread: 't', seq: 1 }]]])], ['bob@example.com', new Map([['m1', [{ thread: 't', seq: 1 }, { thread: 't', seq: 2 }]]])]]);
    const verdict = judge(evidence([], [['m1', { thread: 't', seq: 1 }]], { sends: [send], histories }));
    expect(verdict.counts.sendMismatches).toBe(1);
    expect(verdict.failures.join('\n')).toMatch(/\[send\].*bob@example.com's history/);
  });
});
