import fc from 'fast-check';
import { Stack, startStack } from './support/stack';
import { EventClient, Frame } from './support/ws-client';

const SEND = 'IMSendMessageRequest';

/** Commands over /v1/events: each runs as its REST route and is answered under the client's id. */
describe('commands over the event socket', () => {
  let stack: Stack;
  let alice: string;
  let bob: string;
  let socket: EventClient;
  let bobSocket: EventClient;

  beforeAll(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([stack.api.login('alice'), stack.api.login('bob')]);
    socket = await EventClient.ready(stack.url, { token: alice, query: { clientId: 'phone' } });
    bobSocket = await EventClient.ready(stack.url, { token: bob });
  });
  afterAll(async () => {
    await Promise.all([socket.close(), bobSocket.close()]);
    await stack.close();
  });

  const answerOf = (client: EventClient, id: string): Promise<Frame> => client.waitFor((f) => (f.type === 'ack' || f.type === 'error') && f.id === id);
  const answersOf = (client: EventClient, id: string): Frame[] => client.frames.filter((f) => (f.type === 'ack' || f.type === 'error') && f.id === id);

  it('sends a message (a new chat, then into its thread) and acks with what the REST route answers', async () => {
    socket.send({ op: 'send', id: 'c1', to: 'bob@example.com', text: 'over the socket' });
    const ack = await answerOf(socket, 'c1');
    expect(ack.type).toBe('ack');
    expect(ack.data).toEqual({ thread: expect.any(String), seq: expect.any(Number), sentAt: expect.any(String) });
    await bobSocket.waitFor((f) => f.type === 'message' && f.data.text === 'over the socket');
    socket.send({ op: 'send', id: 'c2', thread: ack.data.thread, text: 'and again' });
    const second = await answerOf(socket, 'c2');
    expect(second.data).toMatchObject({ thread: ack.data.thread, seq: ack.data.seq + 1 });
    // The echo reached the sender's own stream too, as for a REST send.
    await socket.waitFor((f) => f.type === 'message' && f.data.text === 'and again');
  });

  it('answers a retried id with the first ack and sends nothing twice', async () => {
    const before = stack.sim.requestCount(SEND);
    socket.send({ op: 'send', id: 'retry', to: 'bob@example.com', text: 'only once' });
    const first = await answerOf(socket, 'retry');
    socket.send({ op: 'send', id: 'retry', to: 'bob@example.com', text: 'only once' });
    await socket.waitForCount((f) => f.type === 'ack' && f.id === 'retry', 2);
    expect(answersOf(socket, 'retry').map((f) => f.data)).toEqual([first.data, first.data]);
    expect(stack.sim.requestCount(SEND) - before).toBe(1);
  });

  it('runs typing, presence and idle, and answers invalid commands with the REST problem under their id', async () => {
    socket.send({ op: 'presence', id: 'p1', show: 'away', status: 'lunch' });
    expect(await answerOf(socket, 'p1')).toMatchObject({ type: 'ack', data: {} });
    socket.send({ op: 'idle', id: 'i1', idle: true, idleSeconds: 60 });
    expect((await answerOf(socket, 'i1')).type).toBe('ack');
    const thread = (await answerOf(socket, 'c1')).data.thread;
    socket.send({ op: 'typing', id: 't1', thread, typing: true });
    expect((await answerOf(socket, 't1')).type).toBe('ack');

    socket.send({ op: 'send', id: 'bad', to: 'bob@example.com' });
    const invalid = await answerOf(socket, 'bad');
    expect(invalid.type).toBe('error');
    expect(invalid.data).toMatchObject({ status: 400, code: 'request.INVALID', errors: [expect.objectContaining({ field: 'text' })] });
    socket.send({ op: 'typing', id: 'nothread', typing: true });
    const noThread = await socket.waitFor((f) => f.type === 'error' && String(f.data?.detail).includes('thread'));
    expect(noThread.data.code).toBe('request.INVALID');
  });

  it('refuses a command without an id, and bounds the commands in flight per socket', async () => {
    const [answer] = await socket.answerTo({ op: 'send', to: 'bob@example.com', text: 'no id' });
    expect(answer).toMatchObject({ type: 'error', data: { code: 'request.INVALID', detail: expect.stringContaining('id is required') } });

    const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    for (const id of ids) socket.send({ op: 'presence', id, show: 'online' });
    await socket.waitForCount((f) => (f.type === 'ack' || f.type === 'error') && String(f.id).startsWith('burst-'), ids.length);
    const answers = ids.map((id) => answersOf(socket, id)[0]);
    expect(answers.filter((f) => f.type === 'ack').length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((f) => f.type === 'ack').length).toBeLessThanOrEqual(8);
    expect(answers.filter((f) => f.type === 'error').every((f) => f.data.code === 'rate.LIMITED')).toBe(true);
  });

  it('sends once per id and acks every repeat alike, whatever the schedule (generated)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }), async (plan) => {
        round++;
        const before = stack.sim.requestCount(SEND);
        const sent = new Map<string, number>();
        for (const n of plan) {
          const id = `gen-${round}-${n}`;
          socket.send({ op: 'send', id, to: 'bob@example.com', text: `generated ${n}` });
          sent.set(id, (sent.get(id) ?? 0) + 1);
          await socket.waitForCount((f) => f.type === 'ack' && f.id === id, sent.get(id)!);
        }
        for (const id of sent.keys()) expect(new Set(answersOf(socket, id).map((f) => JSON.stringify(f.data))).size).toBe(1);
        expect(stack.sim.requestCount(SEND) - before).toBe(sent.size);
      }),
      { numRuns: 10, seed: 15 },
    );
  });
});
