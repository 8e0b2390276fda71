import fc from 'fast-check';
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

describe('LongPoll: one wait at the upstream at a time', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /**
   * An upstream that holds each wait until it answers it (`answer`, a notification or the timeout)
   * or until a cut reaches it `closeSeenMs` later. It counts the waits it holds at once.
   */
  function upstreamStandIn(closeSeenMs = 0) {
    const state = { wanted: true, calls: 0, held: 0, mostHeld: 0 };
    const answers: (() => void)[] = [];
    const poll = new LongPoll({
      wanted: () => state.wanted,
      pollOnce: (signal) => {
        state.calls++;
        state.held++;
        state.mostHeld = Math.max(state.mostHeld, state.held);
        return new Promise<boolean>((resolve, reject) => {
          let done = false;
          answers.push(() => {
            if (done) return;
            done = true;
            state.held--;
            resolve(false);
          });
          signal.addEventListener('abort', () => {
            if (done) return;
            done = true;
            setTimeout(() => state.held--, closeSeenMs);
            reject(new Error('aborted'));
          }, { once: true });
        });
      },
      isFatal: () => false,
      onRetry: () => undefined,
    });
    const answer = async () => {
      answers.shift()?.();
      await settle();
    };
    return { poll, state, answer };
  }

  it('the last listener leaving does not cut the parked wait; one arriving meanwhile is served by it', async () => {
    const { poll, state, answer } = upstreamStandIn();
    poll.start();
    await settle();
    state.wanted = false; // the last listener left
    await jest.advanceTimersByTimeAsync(5_000);
    state.wanted = true; // another one came
    poll.start();
    await settle();
    expect(state.calls).toBe(1);
    expect(state.held).toBe(1);
    await answer(); // the wait answers: the loop polls again for the listener
    expect(state.calls).toBe(2);
  });

  it('a wait that answers when nobody wants it any more ends the loop; the next listener starts a new one', async () => {
    const { poll, state, answer } = upstreamStandIn();
    poll.start();
    await settle();
    state.wanted = false;
    await answer();
    expect(state.calls).toBe(1);
    expect(state.held).toBe(0);
    state.wanted = true;
    poll.start();
    await settle();
    expect(state.calls).toBe(2);
  });

  it('stop (the link closes) cuts the parked wait and no wait follows', async () => {
    const { poll, state } = upstreamStandIn();
    poll.start();
    await settle();
    poll.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    poll.start();
    await settle();
    expect(state.calls).toBe(1);
    expect(state.held).toBe(0);
  });

  it('any sequence of listeners leaving and arriving and waits answering never holds two waits upstream', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('leave' as const), afterMs: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant('arrive' as const), afterMs: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant('answer' as const), afterMs: fc.integer({ min: 0, max: 300 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 500 }), async (steps, closeSeenMs) => {
        const { poll, state, answer } = upstreamStandIn(closeSeenMs);
        poll.start();
        for (const { kind, afterMs } of steps) {
          await jest.advanceTimersByTimeAsync(afterMs);
          if (kind === 'answer') await answer();
          else {
            state.wanted = kind === 'arrive';
            poll.start();
          }
        }
        // Whoever still wants events is served by a wait; once nobody does and the wait answers, none is held.
        await settle();
        if (state.wanted) expect(state.held).toBe(1);
        state.wanted = false;
        await answer();
        expect(state.held).toBe(0);
        expect(state.mostHeld).toBe(1);
        poll.stop();
      }),
      { numRuns: 200 },
    );
  });
});
