import { Heartbeat } from './heartbeat';

describe('Heartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const sockets = (count: number) => Array.from({ length: count }, () => ({ ping: jest.fn() }));

  it('pings every socket exactly once per interval, a sixteenth of them at a time', () => {
    const heartbeat = new Heartbeat(1_600);
    const all = sockets(64);
    all.forEach((s) => heartbeat.add(s));

    jest.advanceTimersByTime(100);
    expect(all.filter((s) => s.ping.mock.calls.length === 1)).toHaveLength(4);

    jest.advanceTimersByTime(1_500);
    expect(all.every((s) => s.ping.mock.calls.length === 1)).toBe(true);

    jest.advanceTimersByTime(1_600);
    expect(all.every((s) => s.ping.mock.calls.length === 2)).toBe(true);
    heartbeat.stop();
  });

  it('stops pinging a socket once it is removed, and after stop', () => {
    const heartbeat = new Heartbeat(1_600);
    const [gone, kept] = sockets(2);
    heartbeat.add(gone);
    heartbeat.add(kept);
    heartbeat.remove(gone);
    jest.advanceTimersByTime(1_600);
    expect(gone.ping).not.toHaveBeenCalled();
    expect(kept.ping).toHaveBeenCalledTimes(1);

    heartbeat.stop();
    jest.advanceTimersByTime(3_200);
    expect(kept.ping).toHaveBeenCalledTimes(1);
  });
});
