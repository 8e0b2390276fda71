import fc from 'fast-check';
import { EventLog } from './event-log';

const presence = (status: string) => ({ type: 'presence' as const, data: { address: 'b@x', show: 'away' as const, status } });
const statuses = (replay: ReturnType<EventLog['since']>) => ('gap' in replay ? 'gap' : replay.events.map((e) => (e.data as { status: string }).status));

describe('EventLog', () => {
  it('replays exactly the events after an id, and nothing for the newest id', () => {
    const log = new EventLog({ maxEvents: 10, maxAgeMs: 60_000 }, 0);
    const ids = ['a', 'b', 'c'].map((s) => log.append(presence(s), 0).id);
    expect(statuses(log.since(ids[0], 0))).toEqual(['b', 'c']);
    expect(statuses(log.since(ids[2], 0))).toEqual([]);
    expect(log.lastId).toBe(ids[2]);
  });

  it('keeps at most maxEvents over many appends: older ids become a gap, the kept ones replay exactly', () => {
    const log = new EventLog({ maxEvents: 5, maxAgeMs: 60_000 }, 0);
    const ids = Array.from({ length: 500 }, (_, i) => log.append(presence(String(i)), 0).id);
    expect(log.since(ids[493], 0)).toEqual({ gap: true });
    expect(statuses(log.since(ids[494], 0))).toEqual(['495', '496', '497', '498', '499']);
    expect(statuses(log.since(ids[497], 0))).toEqual(['498', '499']);
    expect((log as unknown as { entries: unknown[] }).entries.length).toBeLessThanOrEqual(5 + 65 * 2);
  });

  it('forgets events older than maxAgeMs; ids of another log or from the future are a gap', () => {
    const log = new EventLog({ maxEvents: 100, maxAgeMs: 1_000 }, 0);
    const first = log.append(presence('old'), 0).id;
    const second = log.append(presence('new'), 900).id;
    expect(statuses(log.since(first, 1_500))).toEqual(['new']);
    expect(log.since('zzz.1', 1_500)).toEqual({ gap: true });
    expect(log.since(`${second.split('.')[0]}.99`, 1_500)).toEqual({ gap: true });
    // `first` itself aged out, but nothing after it did: still a clean replay; one before it is a gap.
    expect(log.since(`${first.split('.')[0]}.0`, 1_500)).toEqual({ gap: true });
  });
});

describe('EventLog property: since(id) is exactly the events after id, or a gap; never a partial list', () => {
  const limits = { maxEvents: 5, maxAgeMs: 100 };
  type IdKind = 'valid' | 'zero' | 'future' | 'otherEpoch' | 'garbage';
  const action = fc.oneof(
    fc.record({ kind: fc.constant('append' as const), dt: fc.nat(40) }),
    fc.record({
      kind: fc.constant('since' as const),
      dt: fc.nat(40),
      id: fc.constantFrom<IdKind>('valid', 'valid', 'valid', 'zero', 'future', 'otherEpoch', 'garbage'),
      pick: fc.nat(),
      garbage: fc.constantFrom('', 'x', '.', '.1', '1', 'E.-1', 'E.1.5', 'E.abc', 'E.1e3', 'E. 1', 'E.', 'E.0x1', 'E.01', 'E.+1', 'E.9007199254740993'),
    }),
  );

  it('holds for any interleaving of appends and resumes', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 150 }), (actions) => {
        const start = 1_000_000;
        const log = new EventLog(limits, start);
        const epoch = start.toString(36);
        const appended: { id: string; status: string; at: number }[] = [];
        let now = start;
        for (const a of actions) {
          now += a.dt;
          if (a.kind === 'append') {
            const status = String(appended.length + 1);
            appended.push({ id: log.append(presence(status), now).id, status, at: now });
            continue;
          }
          let id: string;
          let after: number | undefined; // how many events the id has seen; undefined = not this log's
          if (a.id === 'valid' && appended.length) {
            after = (a.pick % appended.length) + 1;
            id = appended[after - 1].id;
          } else if (a.id === 'zero' || a.id === 'valid') {
            after = 0;
            id = `${epoch}.0`;
          } else if (a.id === 'future') {
            id = `${epoch}.${appended.length + 1 + (a.pick % 3)}`;
          } else if (a.id === 'otherEpoch') {
            id = `${(start + 1).toString(36)}.${a.pick % (appended.length + 1)}`;
          } else {
            id = a.garbage.replace('E', epoch);
          }
          // Kept: among the newest maxEvents and not older than maxAgeMs.
          const kept = (i: number) => i >= appended.length - limits.maxEvents && now - appended[i].at <= limits.maxAgeMs;
          const missed = after === undefined ? undefined : appended.slice(after);
          const replayable = missed !== undefined && missed.every((_, k) => kept(after! + k));
          expect(statuses(log.since(id, now))).toEqual(replayable ? missed.map((e) => e.status) : 'gap');
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
