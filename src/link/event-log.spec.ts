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
