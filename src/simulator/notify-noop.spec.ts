import { attr, child } from '../soap/xml';
import { ImSimulator } from './index';
import { TestClient, envelope, post, sleep } from './spec-support';

const ACCOUNTS = [
  { address: 'alice@example.com', password: 'alice-pass' },
  { address: 'bob@example.com', password: 'bob-pass' },
];
const ALICE = 'alice@example.com';
const n = (i: number) => `<n type="presence" from="x${i}@example.org" show="AWAY"/>`;
const froms = (r: { notifications: unknown[] }) => r.notifications.map((x) => attr(x as never, 'from'));

async function listener(sim: ImSimulator, address = ALICE): Promise<TestClient> {
  const c = new TestClient(sim.url, address);
  await c.login();
  await c.register();
  sim.flushRosters();
  await c.noop('');
  return c;
}

describe('simulator notify seq/ack (§5)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, rosterDelayMs: 10_000, privacyDelayMs: 60_000, noopTimeoutClampMs: [100, 2000] });
  });
  afterEach(() => sim.stop());

  it('resends unacked blocks until acked, newest last, posted synchronously in order', async () => {
    const c = await listener(sim);
    const base = c.highestSeq;
    sim.postNotification(ALICE, n(1) + n(2));
    const r1 = await c.noop('');
    expect(r1.seqs).toEqual([base + 1]);
    expect(froms(r1)).toEqual(['x1@example.org', 'x2@example.org']);
    expect(r1.raw).toContain(`<notify seq="${base + 1}"><im><n type="presence" from="x1@example.org" show="AWAY"/>`);

    // Ack only up to base: block base+1 comes again, with the new one after it.
    sim.postNotification(ALICE, n(3));
    const r2 = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="${base}"/>`));
    expect(r2.seqs).toEqual([base + 1, base + 2]);
    // <session seq> acks too and wins over <notify seq>.
    const r3 = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}" seq="${base + 1}"/><notify seq="${base}"/>`));
    expect(r3.seqs).toEqual([base + 2]);
    const r4 = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="${base + 2}"/>`));
    expect(r4.seqs).toEqual([]);
  });

  it('discards everything sent when K ≤ 0 or absent', async () => {
    const c = await listener(sim);
    sim.postNotification(ALICE, n(1));
    const first = await c.noop('');
    expect(first.seqs).toHaveLength(1);
    const noAck = await c.call('<NoOpRequest xmlns="urn:zimbraMail"/>', { ack: false });
    expect(noAck.seqs).toEqual([]);
    const again = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="1"/>`));
    expect(again.seqs).toEqual([]);
    sim.postNotification(ALICE, n(2));
    const zero = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="0"/>`));
    expect(zero.seqs).toEqual([first.seqs[0] + 1]);
  });

  it('drops all sent batches once more than 20 pile up', async () => {
    const c = await listener(sim);
    const k = c.highestSeq;
    const ctx = `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="${k}"/>`;
    let last = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', ctx));
    for (let i = 1; i <= 21; i++) {
      sim.postNotification(ALICE, n(i));
      last = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', ctx));
    }
    expect(last.seqs).toHaveLength(21);
    sim.postNotification(ALICE, n(22));
    last = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', ctx));
    expect(last.seqs).toEqual([k + 22]);
  });

  it('repeatLastBlock re-sends the last acked block once', async () => {
    const c = await listener(sim);
    sim.postNotification(ALICE, n(1));
    const first = await c.noop('');
    await c.noop('');
    sim.repeatLastBlock(ALICE);
    sim.postNotification(ALICE, n(2));
    const repeated = await c.noop('');
    expect(repeated.seqs).toEqual([first.seqs[0], first.seqs[0] + 1]);
    expect((await c.noop('')).seqs).toEqual([]);
  });

  it('carries notifications in the header of faulting requests', async () => {
    const c = await listener(sim);
    sim.postNotification(ALICE, n(1));
    const reply = await c.im('IMSubscribeRequest', 'addr="bob@example.com"');
    expect(reply.status).toBe(500);
    expect(reply.fault!.reason).toBe('invalid request: missing required attribute: op');
    expect(froms(reply)).toEqual(['x1@example.org']);
  });
});

describe('simulator NoOp long poll (§6)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, rosterDelayMs: 10_000, privacyDelayMs: 60_000, noopTimeoutClampMs: [150, 2000] });
  });
  afterEach(() => sim.stop());

  it('without wait returns at once; wait without a session is INVALID_REQUEST', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    expect((await c.noop('')).bodyName).toBe('NoOpResponse');
    const reply = await c.call('<NoOpRequest xmlns="urn:zimbraMail" wait="1"/>', { session: false });
    expect(reply.fault!.code).toBe('service.INVALID_REQUEST');
    const bad = await c.noop('wait="maybe"');
    expect(bad.fault!.reason).toBe("invalid request: invalid boolean value 'maybe' for attribute: wait");
  });

  it('does not block on a session it created (refresh comes back at once)', async () => {
    const c = new TestClient(sim.url, ALICE);
    await c.login();
    c.sessionId = undefined;
    const started = Date.now();
    const reply = await c.noop('wait="1" timeout="2000"');
    expect(child(reply.context, 'refresh')).toBeDefined();
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('parks until a notification arrives, which travels in its header', async () => {
    const c = await listener(sim);
    const pending = c.noop('wait="1" timeout="2000"');
    await sleep(50);
    expect(sim.parkedNoOps).toBe(1);
    sim.postNotification(ALICE, n(1));
    const reply = await pending;
    expect(attr(reply.body, 'waitDisallowed')).toBeUndefined();
    expect(froms(reply)).toEqual(['x1@example.org']);
    expect(sim.parkedNoOps).toBe(0);
  });

  it('returns at once when content is pending or unacked above K', async () => {
    const c = await listener(sim);
    sim.postNotification(ALICE, n(1));
    const started = Date.now();
    expect((await c.call('<NoOpRequest xmlns="urn:zimbraMail" wait="1"/>', { ack: false })).seqs).toHaveLength(1);
    // Sent but not acked (K below it): still returns at once, with the block again.
    const ctx = `<authToken>${c.token}</authToken><session id="${c.sessionId}"/><notify seq="${c.highestSeq - 1}"/>`;
    sim.postNotification(ALICE, n(2));
    await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail"/>', ctx));
    const again = await post(sim.url, envelope('<NoOpRequest xmlns="urn:zimbraMail" wait="1"/>', ctx));
    expect(again.seqs.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(120);
  });

  it('times out with an empty response, clamping the timeout', async () => {
    const c = await listener(sim);
    const started = Date.now();
    const reply = await c.noop('wait="1" timeout="1"');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    expect(reply.bodyName).toBe('NoOpResponse');
    expect(attr(reply.body, 'waitDisallowed')).toBeUndefined();
    expect(reply.seqs).toEqual([]);
  });

  it('cancels the older wait on the same session with waitDisallowed="1"', async () => {
    const c = await listener(sim);
    const older = c.noop('wait="1" timeout="2000"');
    await sleep(30);
    const newer = c.noop('wait="1" timeout="2000"');
    const olderReply = await older;
    expect(attr(olderReply.body, 'waitDisallowed')).toBe('1');
    sim.postNotification(ALICE, n(1));
    expect(froms(await newer)).toEqual(['x1@example.org']);
  });

  it('limitToOneBlocked cancels the other session of the same account only when both set it', async () => {
    const one = await listener(sim);
    const two = await listener(sim);
    const bob = await listener(sim, 'bob@example.com');
    const bobWait = bob.noop('wait="1" limitToOneBlocked="1" timeout="300"');
    const first = one.noop('wait="1" limitToOneBlocked="1" timeout="2000"');
    await sleep(30);
    const plain = two.noop('wait="1" timeout="300"');
    await sleep(30);
    expect(sim.parkedNoOps).toBe(3);
    const second = two.noop('wait="1" limitToOneBlocked="1" timeout="2000"');
    expect(attr((await plain).body, 'waitDisallowed')).toBe('1'); // same session, newer wins
    expect(attr((await first).body, 'waitDisallowed')).toBe('1'); // same account, both limited
    expect(attr((await bobWait).body, 'waitDisallowed')).toBeUndefined();
    sim.postNotification(ALICE, n(1));
    expect(froms(await second)).toEqual(['x1@example.org']);
  });

  it('unparks a wait whose client disconnects', async () => {
    const c = await listener(sim);
    const aborter = new AbortController();
    const body = envelope('<NoOpRequest xmlns="urn:zimbraMail" wait="1" timeout="2000"/>', `<authToken>${c.token}</authToken><session id="${c.sessionId}"/>`);
    const pending = fetch(sim.url, { method: 'POST', body, signal: aborter.signal }).catch((e: unknown) => e);
    await sleep(50);
    expect(sim.parkedNoOps).toBe(1);
    aborter.abort();
    await pending;
    await sleep(50);
    expect(sim.parkedNoOps).toBe(0);
  });
});
