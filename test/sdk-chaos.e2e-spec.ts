import WebSocket from 'ws';
import { type Imbridge, login, type RestClient } from '../client/src';
import { seededRandom } from '../src/simulator/chaos';
import { DEFAULT_RATES } from './support/chaos-scenario';
import { TcpRelay } from './support/cluster';
import { eventually, makeFriends, startStack, TEST_ACCOUNTS, type Stack } from './support/stack';

/**
 * The SDK as an app uses it, under the simulator's seeded chaos mode (dropped, resent, reordered,
 * delayed and failed upstream replies, lost sessions, discarded batches) while its sockets are cut
 * abruptly at seeded moments: the app's listener sees every message once, in order, or is told by a
 * resync and re-reads it; every send it makes is stored once, and each one that was acked as sent
 * is stored where its ack says. SDK_CHAOS_SEED and SDK_CHAOS_DURATION_MS pick another run.
 */
const SEED = Number(process.env.SDK_CHAOS_SEED ?? 20261203);
const DURATION_MS = Number(process.env.SDK_CHAOS_DURATION_MS ?? 12_000);
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const EXTERNAL = 'ext@elsewhere.example';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivered {
  text: string;
  thread: string;
  seq: number;
}

describe(`client SDK under chaos (seed ${SEED}, ${DURATION_MS} ms)`, () => {
  let stack: Stack;
  let relay: TcpRelay;

  beforeAll(async () => {
    stack = await startStack({ sim: { chaos: { seed: SEED, rates: DEFAULT_RATES, maxDelayMs: 300, hangMs: 3_000 } } });
    stack.sim.chaos!.pause();
    relay = await TcpRelay.start(Number(new URL(stack.url).port));
  });

  afterAll(async () => {
    await relay.close();
    await stack.close();
  });

  it('delivers every message once and in order or says resync, and sends each message once', async () => {
    const random = seededRandom(SEED ^ 0x5d6);
    const prefix = `s${SEED}-`;
    let counter = 0;
    const nextText = () => `${prefix}${++counter}`;

    // ---- set-up, without chaos ----
    const bobToken = await stack.api.login('bob');
    const alice: Imbridge = await login({
      baseUrl: `http://127.0.0.1:${relay.port}`, account: ALICE, password: TEST_ACCOUNTS.find((a) => a.address === ALICE)!.password,
      WebSocket, reconnect: { initialMs: 100, maxMs: 1_000 }, pingIntervalMs: 2_000, pongTimeoutMs: 2_000,
    });
    await makeFriends(stack.api, { token: alice.session.token, address: ALICE }, { token: bobToken, address: BOB });

    const delivered: Delivered[] = [];
    const recovered = new Set<string>();
    const rereads = new Set<Promise<void>>();
    let resyncs = 0;
    let reconnects = 0;
    alice.events.on('message', (m) => {
      if (m.text.startsWith(prefix)) delivered.push({ text: m.text, thread: m.thread, seq: m.seq });
    });
    // What an app does on resync: read the history of every chat the SDK re-read the list of.
    alice.events.on('resync', ({ chats }) => {
      resyncs++;
      const reading = readHistories(alice.rest, chats?.map((c) => c.thread), prefix, recovered).finally(() => rereads.delete(reading));
      rereads.add(reading);
    });
    alice.events.onState((state) => state === 'reconnecting' && reconnects++);
    await alice.events.connect();

    // ---- traffic under chaos ----
    stack.sim.chaos!.resume();
    const deadline = Date.now() + DURATION_MS;
    const running = () => Date.now() < deadline;
    const sends: { text: string; outcome: Promise<{ thread: string; seq: number } | { error: string }> }[] = [];
    let cuts = 0;
    await Promise.all([
      (async () => { // messages from elsewhere
        while (running()) {
          stack.sim.receiveMessage(ALICE, { from: EXTERNAL, body: nextText() });
          await sleep(20);
        }
      })(),
      (async () => { // bob writes over REST (upstream trouble answers 5xx; the simulator's record is the truth)
        while (running()) {
          await stack.api.send('POST', '/v1/chats', { token: bobToken, body: { to: ALICE, text: nextText() } });
        }
      })(),
      (async () => { // alice sends over the socket, a few at a time
        while (running()) {
          const batch = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
            const text = nextText();
            const outcome = alice.events.send({ to: BOB, text }).catch((error: { code?: string }) => ({ error: String(error.code) }));
            sends.push({ text, outcome });
            return outcome;
          });
          await Promise.all(batch);
        }
      })(),
      (async () => { // the network: every connection through the relay reset at seeded moments
        while (running()) {
          await sleep(150 + random() * 900);
          relay.cut();
          relay.heal();
          cuts++;
        }
      })(),
    ]);

    // ---- catching up, without chaos ----
    stack.sim.chaos!.pause();
    // A batch the upstream discarded shows as a hole only when a later one arrives.
    stack.sim.receiveMessage(ALICE, { from: EXTERNAL, body: nextText() });
    const outcomes = await Promise.all(sends.map((s) => s.outcome));
    const stored = () => new Map(stack.sim.chats(ALICE).flatMap((c) => c.messages.filter((m) => m.text.startsWith(prefix)).map((m) => [m.text, { thread: c.thread, seq: m.seq + 1 }] as const)));
    const seenOrRecovered = (text: string) => recovered.has(text) || delivered.some((d) => d.text === text);
    await eventually(async () => {
      await Promise.all([...rereads]);
      return [...stored().keys()].every(seenOrRecovered) ? true : undefined;
    }, 30_000, 'the SDK to catch up').catch(() => undefined); // judged below, with the details
    await sleep(300); // a late repeat would show now

    const truth = stored();
    const lost = [...truth.keys()].filter((text) => !seenOrRecovered(text));
    const repeated = delivered.filter((d, i) => delivered.findIndex((e) => e.text === d.text) !== i);
    const misplaced = delivered.filter((d) => truth.get(d.text)?.thread !== d.thread || truth.get(d.text)?.seq !== d.seq);
    const outOfOrder = delivered.filter((d, i) => delivered.slice(0, i).some((e) => e.thread === d.thread && e.seq >= d.seq));
    const report = { seed: SEED, stored: truth.size, delivered: delivered.length, recovered: recovered.size, resyncs, cuts, reconnects, sends: sends.length, chaos: stack.sim.chaos!.stats() };
    if (lost.length + repeated.length + misplaced.length + outOfOrder.length > 0) console.error(`SDK chaos seed ${SEED}: ${JSON.stringify(report)}`);
    expect({ lost, repeated, misplaced, outOfOrder }).toEqual({ lost: [], repeated: [], misplaced: [], outOfOrder: [] });

    // Sends: each stored at most once; acked ones exactly once, where the ack says.
    const sentTexts = sends.map((s) => s.text);
    const copies = (text: string) => stack.sim.chats(ALICE).flatMap((c) => c.messages).filter((m) => m.text === text).length;
    expect(sentTexts.filter((text) => copies(text) > 1)).toEqual([]);
    let acked = 0;
    const wrongAcks = sends.flatMap((send, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) return [];
      acked++;
      const at = truth.get(send.text);
      return at?.thread === outcome.thread && at.seq === outcome.seq ? [] : [{ text: send.text, ack: outcome, stored: at }];
    });
    expect(wrongAcks).toEqual([]);
    // Refusals are upstream trouble only, never a bad request.
    const errors = outcomes.filter((o): o is { error: string } => 'error' in o).map((o) => o.error);
    expect(errors.filter((code) => code.startsWith('request.') || code.startsWith('client.'))).toEqual([]);

    // The run exercised what it claims to.
    expect(cuts).toBeGreaterThan(3);
    expect(reconnects).toBeGreaterThan(3);
    expect(acked).toBeGreaterThan(10);
    expect(truth.size).toBeGreaterThan(200);
    expect(Object.values(stack.sim.chaos!.stats()).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    await alice.logout();
  }, DURATION_MS + 90_000);
});

/** Every message of the given chats, or of all if the SDK could not re-read the list (page by page, retried while the service is unavailable). */
async function readHistories(rest: RestClient, threads: string[] | undefined, prefix: string, into: Set<string>): Promise<void> {
  for (let attempts = 0; threads === undefined && attempts < 50; attempts++) {
    threads = (await rest.GET('/v1/chats')).data?.map((c) => c.thread);
    if (!threads) await sleep(200);
  }
  for (const thread of threads ?? []) {
    for (let after = 0, attempts = 0; attempts < 50; ) {
      const { data } = await rest.GET('/v1/chats/{thread}', { params: { path: { thread }, query: { after } } });
      if (!data) {
        attempts++;
        await sleep(200);
        continue;
      }
      for (const m of data.messages) if (m.text.startsWith(prefix)) into.add(m.text);
      const next = Math.max(after, ...data.messages.map((m) => m.seq));
      if (!data.hasMore || next === after) break;
      after = next;
    }
  }
}
