import fc from 'fast-check';
import { ABORT_SETTLE_MS, LongPoll } from './long-poll';

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

describe('LongPoll: one wait at the upstream at a time', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /**
   * An upstream that holds each wait until cut or answered, and learns of a cut only `closeSeenMs`
   * later (the closed connection travelling to it). It counts the waits it holds at once.
   */
  function upstreamStandIn(closeSeenMs: number) {
    const state = { wanted: true, calls: 0, held: 0, mostHeld: 0 };
    const poll = new LongPoll({
      wanted: () => state.wanted,
      pollOnce: (signal) => {
        state.calls++;
        state.held++;
        state.mostHeld = Math.max(state.mostHeld, state.held);
        return new Promise<boolean>((_, reject) => {
          signal.addEventListener('abort', () => {
            setTimeout(() => state.held--, closeSeenMs);
            reject(new Error('aborted'));
          }, { once: true });
        });
      },
      isFatal: () => false,
      onRetry: () => undefined,
    });
    return { poll, state };
  }

  it('the next wait after one we cut short starts only once the upstream can have seen the cut', async () => {
    const { poll, state } = upstreamStandIn(ABORT_SETTLE_MS - 1);
    poll.start();
    await settle();
    expect(state.calls).toBe(1);
    // The last listener leaves and another arrives in the same tick.
    state.wanted = false;
    poll.stopIfUnwanted();
    state.wanted = true;
    poll.start();
    await jest.advanceTimersByTimeAsync(ABORT_SETTLE_MS - 1);
    expect(state.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(state.calls).toBe(2);
    expect(state.mostHeld).toBe(1);
  });

  it('a back-off pause cut short holds nothing upstream: the next wait is not delayed', async () => {
    const state = { wanted: true, calls: 0 };
    const poll = new LongPoll({
      wanted: () => state.wanted,
      pollOnce: async () => {
        state.calls++;
        throw new Error('upstream unavailable');
      },
      isFatal: () => false,
      onRetry: () => undefined,
    });
    poll.start();
    await settle();
    expect(state.calls).toBe(1); // now pausing 250 ms
    state.wanted = false;
    poll.stopIfUnwanted();
    await settle();
    state.wanted = true;
    poll.start();
    await settle();
    expect(state.calls).toBe(2);
    poll.stopIfUnwanted(true);
    state.wanted = false;
  });

  it('any sequence of listeners leaving and arriving never has two waits held upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ leaveFor: fc.integer({ min: 0, max: 3 * ABORT_SETTLE_MS }), stayFor: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: ABORT_SETTLE_MS - 1 }),
        async (steps, closeSeenMs) => {
          const { poll, state } = upstreamStandIn(closeSeenMs);
          poll.start();
          for (const { leaveFor, stayFor } of steps) {
            await jest.advanceTimersByTimeAsync(stayFor);
            state.wanted = false;
            poll.stopIfUnwanted();
            if (leaveFor) await jest.advanceTimersByTimeAsync(leaveFor);
            state.wanted = true;
            poll.start();
          }
          await jest.advanceTimersByTimeAsync(ABORT_SETTLE_MS);
          state.wanted = false;
          poll.stopIfUnwanted(true);
          await jest.advanceTimersByTimeAsync(ABORT_SETTLE_MS);
          expect(state.mostHeld).toBe(1);
          expect(state.held).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
