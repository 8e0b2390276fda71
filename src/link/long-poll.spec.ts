import { LongPoll } from './long-poll';

/** Lets the loop's pending promise callbacks run (no timer moves). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('LongPoll', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function failingPoll() {
    const state = { calls: 0, failing: true, wanted: true };
    const poll = new LongPoll({
      wanted: () => state.wanted,
      pollOnce: async () => {
        state.calls++;
        if (state.failing) throw new Error('upstream unavailable');
        state.wanted = false;
        return false;
      },
      isFatal: () => false,
      onRetry: () => undefined,
    });
    return { poll, state };
  }

  it('backs off after errors, doubling the pause', async () => {
    const { poll, state } = failingPoll();
    poll.start();
    await settle();
    expect(state.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(250);
    expect(state.calls).toBe(2);
    await jest.advanceTimersByTimeAsync(499);
    expect(state.calls).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(state.calls).toBe(3);
  });

  it('an answer to another call ends the back-off at once: the next poll does not wait it out', async () => {
    const { poll, state } = failingPoll();
    poll.start();
    await jest.advanceTimersByTimeAsync(250 + 500 + 1_000);
    expect(state.calls).toBe(4); // now pausing 2 s
    state.failing = false;
    poll.wake();
    await settle();
    expect(state.calls).toBe(5);
    expect(state.wanted).toBe(false); // the poll went through
  });
});
