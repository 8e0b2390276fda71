import fc from 'fast-check';
import { Api, Stack, startStack } from './support/stack';

const SEND = 'IMSendMessageRequest';

describe('Idempotency-Key on the routes that send', () => {
  let stack: Stack;
  let api: Api;
  let alice: string;
  let bob: string;
  let thread: string;

  beforeAll(async () => {
    stack = await startStack();
    api = stack.api;
    [alice, bob] = await Promise.all([api.login('alice'), api.login('bob')]);
    thread = (await api.post('/v1/chats', { to: 'bob@example.com', text: 'hello' }, alice)).body.thread;
  });
  afterAll(() => stack.close());

  const send = (key: string | undefined, text: string, token = alice) =>
    api.request('POST', `/v1/chats/${encodeURIComponent(thread)}/messages`, { token, body: { text }, headers: key === undefined ? {} : { 'idempotency-key': key } });

  it('answers a retry with the first answer, without a second upstream send', async () => {
    const before = stack.sim.requestCount(SEND);
    const first = await send('retry-1', 'once');
    const again = await send('retry-1', 'once');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(stack.sim.requestCount(SEND) - before).toBe(1);
    // Quoted, as the IETF draft writes it, it is the same key.
    expect((await send('"retry-1"', 'once')).body).toEqual(first.body);
    expect(stack.sim.requestCount(SEND) - before).toBe(1);
  });

  it('a send whose reply was lost after the IM server took it is 201 from its echo, never 503: a retry sends nothing more', async () => {
    const stored = (text: string) => stack.sim.chats('alice@example.com').flatMap((c) => c.messages).filter((m) => m.text === text).length;
    stack.sim.injectFault({ request: SEND, account: 'alice@example.com', kind: 'lostReply' });
    const first = await send('lost-reply', 'taken, reply lost');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ thread, seq: expect.any(Number) });
    const again = await send('lost-reply', 'taken, reply lost');
    expect(again.body).toEqual(first.body);
    expect(stored('taken, reply lost')).toBe(1);
  });

  it('a connection reset before the IM server answered is 504 message.NO_ECHO (it may have gone out), kept for the retry', async () => {
    const before = stack.sim.requestCount(SEND);
    stack.sim.injectFault({ request: SEND, account: 'alice@example.com', kind: 'reset' });
    const first = await send('reset-send', 'reset before the handler');
    expect(first.status).toBe(504);
    expect(first.body.code).toBe('message.NO_ECHO');
    const again = await send('reset-send', 'reset before the handler');
    expect(again.status).toBe(504);
    expect(stack.sim.requestCount(SEND) - before).toBe(1);
    // Unreachable for sure (the IM server answered 503 before handling): 503, and a retry runs.
    stack.sim.injectFault({ request: SEND, account: 'alice@example.com', kind: 'http', status: 503 });
    expect((await send('refused-send', 'refused first')).status).toBe(503);
    expect((await send('refused-send', 'refused first')).status).toBe(201);
  });

  it('makes a concurrent retry wait for the first instead of sending again', async () => {
    const before = stack.sim.requestCount(SEND);
    const answers = await Promise.all([send('concurrent', 'together'), send('concurrent', 'together'), send('concurrent', 'together')]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(stack.sim.requestCount(SEND) - before).toBe(1);
  });

  it('refuses the key with another body (422), keeps keys per token, and sends again without a key', async () => {
    expect((await send('k-other', 'first body')).status).toBe(201);
    const reused = await send('k-other', 'another body');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency.KEY_REUSED');
    const before = stack.sim.requestCount(SEND);
    // The same key from another token is another key.
    const bobThread = (await api.post('/v1/chats', { to: 'alice@example.com', text: 'hi' }, bob)).body.thread;
    const fromBob = await api.request('POST', `/v1/chats/${encodeURIComponent(bobThread)}/messages`, { token: bob, body: { text: 'first body' }, headers: { 'idempotency-key': 'k-other' } });
    expect(fromBob.status).toBe(201);
    expect(stack.sim.requestCount(SEND) - before).toBe(2);
    await send(undefined, 'no key');
    await send(undefined, 'no key');
    expect(stack.sim.requestCount(SEND) - before).toBe(4);
  });

  it('replays an error answer too, and lets a malformed key be a 400 naming the header', async () => {
    const path = '/v1/chats/no-such-thread/messages';
    const first = await api.request('POST', path, { token: alice, body: { text: 'x' }, headers: { 'idempotency-key': 'err-1' } });
    const afterFirst = stack.sim.requests.length;
    const again = await api.request('POST', path, { token: alice, body: { text: 'x' }, headers: { 'idempotency-key': 'err-1' } });
    expect(first.status).toBe(404);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(first.body);
    expect(stack.sim.requests.length).toBe(afterFirst); // answered from the store: no upstream call at all
    const bad = await send('has space', 'x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'idempotency-key' })]);
    const tooLong = await send('k'.repeat(256), 'x');
    expect(tooLong.status).toBe(400);
  });

  it('sends once per distinct key, and answers every retry alike, whatever the schedule of retries (generated)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.integer({ min: 0, max: 4 }), burst: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 8 }), async (plan) => {
        round++;
        const before = stack.sim.requestCount(SEND);
        const answers = new Map<number, string>();
        for (const { key, burst } of plan) {
          const batch = await Promise.all(Array.from({ length: burst }, () => send(`gen-${round}-${key}`, `text ${key}`)));
          for (const answer of batch) {
            expect(answer.status).toBe(201);
            const body = JSON.stringify(answer.body);
            expect(answers.get(key) ?? body).toBe(body);
            answers.set(key, body);
          }
        }
        expect(stack.sim.requestCount(SEND) - before).toBe(answers.size);
      }),
      { numRuns: 15, seed: 1512 },
    );
  });
});
