/**
 * One seeded chaos run: the simulator misbehaves (src/simulator/chaos.ts) while several users, with
 * several sockets per token and two tokens for one user, exchange messages over REST and receive
 * injected ones, and sockets drop and resume at random. Then the run is judged (chaos-checks.ts).
 */
import { seededRandom, type ChaosRates } from '../../src/simulator/chaos';
import { ChaosClient, type ResumeKind } from './chaos-client';
import { judge, type ChaosEvidence, type ChaosVerdict, type Placement, type SendRecord } from './chaos-checks';
import { openApiContract } from './openapi-contract';
import { makeFriends, startStack, TEST_ACCOUNTS, type Api, type ApiResponse, type Stack } from './stack';

export interface ChaosRunOptions {
  seed: number;
  /** How long traffic and chaos last; catching up afterwards takes a few seconds more. */
  durationMs: number;
  rates?: Partial<ChaosRates>;
  /** Progress lines (the runner prints them; the spec stays quiet). */
  log?: (line: string) => void;
}

export interface ChaosRunResult extends ChaosVerdict {
  seed: number;
  chaos: Record<string, number>;
  /** The newest chaos decisions, for the report of a failing seed. */
  decisionTail: string[];
  /** Upstream sessions created over the run (a handful per dropped session is normal; thousands is a storm). */
  sessionsCreated: number;
}

/** Within what the upstream and its network can do, often enough that a minute holds every kind many times. */
export const DEFAULT_RATES: Partial<ChaosRates> = {
  drop: 0.03,
  resend: 0.05,
  reorder: 0.5,
  delay: 0.1,
  fault: 0.02,
  unavailable: 0.02,
  dropSession: 0.003,
  overflow: 0.3,
};

/** Users of the run: the first has two tokens; every token has several sockets. */
const USERS = ['alice', 'bob', 'carol', 'dave'];
const SOCKETS_PER_TOKEN = [3, 2, 2, 2, 2];
const EXTERNAL_SENDERS = ['ext1@elsewhere.example', 'ext2@elsewhere.example'];
const SEND_WORKERS = 4;
const INJECT_EVERY_MS = 25;

interface TokenOf {
  account: string;
  token: string;
}

const addressOf = (local: string) => TEST_ACCOUNTS.find((a) => a.address.startsWith(`${local}@`))!.address;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const prefix = `c${options.seed}-`;
  const crashes: string[] = [];
  const onCrash = (err: unknown) => crashes.push(`unhandled in the process: ${(err as Error)?.stack ?? String(err)}`);
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);

  const stack: Stack = await startStack({
    sim: { chaos: { seed: options.seed, rates: options.rates ?? DEFAULT_RATES, maxDelayMs: 300, hangMs: 3_000 } },
    // A small send buffer, so that a stalled socket may be closed as too slow (4008) within the run.
    config: { wsMaxBufferedBytes: 16 * 1024 },
  });
  const { sim, api } = stack;
  const chaos = sim.chaos!;
  chaos.pause();
  const badStatuses: string[] = [];
  const rest = new CheckedApi(api, badStatuses);
  const clients: ChaosClient[] = [];
  try {
    // ---- set-up, without chaos ----
    const tokens: TokenOf[] = [];
    for (const local of [USERS[0], ...USERS]) tokens.push({ account: addressOf(local), token: await api.login(local) });
    const first = (account: string) => tokens.find((t) => t.account === account)!;
    const pairs: [string, string][] = [['alice', 'bob'], ['alice', 'carol'], ['bob', 'dave'], ['carol', 'dave']];
    for (const [a, b] of pairs) {
      await makeFriends(api, { ...first(addressOf(a)), address: addressOf(a) }, { ...first(addressOf(b)), address: addressOf(b) });
    }

    const recovered = new Map<string, Set<string>>();
    const recoveries = new Set<Promise<void>>();
    const onResync = (client: ChaosClient) => {
      const reading = recover(rest, client, prefix, recovered).finally(() => recoveries.delete(reading));
      recoveries.add(reading);
    };
    tokens.forEach((t, i) => {
      for (let s = 0; s < SOCKETS_PER_TOKEN[i]; s++) {
        clients.push(new ChaosClient(`${t.account.split('@')[0]}.t${i}.s${s}`, t.account, t.token, stack.url, onResync));
      }
    });
    await Promise.all(clients.map((c) => c.connect('fresh')));
    log(`seed ${options.seed}: ${tokens.length} tokens, ${clients.length} sockets ready; chaos on for ${options.durationMs} ms`);

    // ---- traffic under chaos ----
    chaos.resume();
    const sends: SendRecord[] = [];
    let counter = 0;
    const nextText = () => `${prefix}${++counter}`;
    const deadline = Date.now() + options.durationMs;
    const running = () => Date.now() < deadline;
    const threads = new Map<string, string>();

    const sender = async () => {
      while (running()) {
        const from = pick(tokens);
        const to = addressOf(pick(USERS.filter((u) => addressOf(u) !== from.account)));
        if (random() < 0.03) {
          await rest.call('GET', '/v1/chats', from.token);
          continue;
        }
        const text = nextText();
        const known = threads.get(`${from.account}>${to}`);
        const res = known && random() < 0.7
          ? await rest.call('POST', `/v1/chats/${encodeURIComponent(known)}/messages`, from.token, { text, to })
          : await rest.call('POST', '/v1/chats', from.token, { to, text });
        const record: SendRecord = { from: from.account, to, text, status: res.status };
        if (res.status === 201) {
          record.thread = res.body.thread;
          record.seq = res.body.seq;
          threads.set(`${from.account}>${to}`, res.body.thread);
        }
        sends.push(record);
      }
    };
    const injector = async () => {
      while (running()) {
        sim.receiveMessage(addressOf(pick(USERS)), { from: pick(EXTERNAL_SENDERS), body: nextText() });
        await sleep(INJECT_EVERY_MS);
      }
    };
    const disruptor = async () => {
      while (running()) {
        await sleep(300 + random() * 900);
        const client = pick(clients);
        if (!client.connected) continue;
        if (random() < 0.15) {
          client.stall(1_000 + random() * 4_000); // a slow reader; were it closed as too slow (4008), it resumes
          continue;
        }
        client.terminate();
        await sleep(random() * 500);
        await resume(client, pickResume(random, client), log);
      }
    };
    const reconnector = async () => {
      // Sockets the server closed (e.g. upstream unavailable while it set one up) come back like a client would.
      while (running()) {
        await sleep(200);
        for (const c of clients) if (!c.connected && c.current?.closedByServer) await resume(c, exactResume(c), log);
      }
    };
    await Promise.all([...Array.from({ length: SEND_WORKERS }, sender), injector(), disruptor(), reconnector()]);

    // ---- catching up, without chaos ----
    chaos.pause();
    // A batch the upstream discarded (overflow) shows as a hole in its seq only once a later one
    // arrives, as with the real upstream: one more message per user reveals a hole the run's last
    // notifications left, so that it ends in a resync instead of passing unnoticed.
    for (const local of USERS) sim.receiveMessage(addressOf(local), { from: EXTERNAL_SENDERS[0], body: nextText() });
    log(`seed ${options.seed}: traffic over (${sends.length} sends, ${counter} messages); catching up`);
    for (const c of clients) if (!c.connected) await resume(c, exactResume(c), log);
    // A send the proxy gave up on (its deadline passed) may still be handled upstream after the
    // traffic stopped: the simulator's record is the truth once it holds still.
    let truth = readTruth(sim, tokens, prefix);
    for (;;) {
      const settled = truth;
      await waitUntil(async () => {
        await Promise.all([...recoveries]);
        return clients.every((c) => caughtUp(c, settled.get(c.account)!, recovered.get(c.name)));
      }, 20_000);
      const again = readTruth(sim, tokens, prefix);
      if ([...again].every(([account, messages]) => messages.size === settled.get(account)?.size)) break;
      truth = again;
    }
    await waitUntil(() => sim.parkedNoOps === tokens.length, 10_000);
    const parkedAtEnd = sim.parkedNoOps;
    const histories = await readHistories(rest, tokens, truth);
    if ((await api.get('/health/live')).status !== 200) crashes.push('the proxy stopped answering /health/live');

    const evidence: ChaosEvidence = {
      prefix, clients, recovered, truth, histories, sends, badStatuses, crashes,
      longPollOverlaps: chaos.stats().longPollOverlap ?? 0,
    };
    const verdict = judge(evidence);
    if (parkedAtEnd !== tokens.length) {
      verdict.failures.push(`[long-poll] at rest ${parkedAtEnd} long-polls are parked for ${tokens.length} links`);
    }
    return { ...verdict, seed: options.seed, chaos: chaos.stats() as Record<string, number>, decisionTail: chaos.tail(40), sessionsCreated: sim.sessionsCreated };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await stack.close();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
  }
}

/**
 * Every REST call of the run goes through here. Evidence: an answer the OpenAPI document does not
 * describe (a 500 among them: no route declares one), and any 4xx, as the run only sends valid
 * requests. The 5xx a route declares for upstream trouble are what chaos is expected to cause.
 */
class CheckedApi {
  constructor(private readonly api: Api, private readonly bad: string[]) {}

  async call(method: string, path: string, token: string, body?: unknown): Promise<ApiResponse> {
    let res: ApiResponse;
    try {
      res = await this.api.send(method, path, { token, body });
    } catch (err) {
      this.bad.push(`${method} ${path} got no answer: ${(err as Error).message}`);
      return { status: 0, headers: new Headers(), body: {} };
    }
    const mismatch = openApiContract().mismatch(method, path, { status: res.status, contentType: res.headers.get('content-type'), body: res.body });
    if (mismatch) this.bad.push(mismatch);
    else if (res.status >= 400 && res.status < 500) this.bad.push(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res;
  }

  /** Retries upstream trouble (as a client would) until a definite answer. */
  async settled(method: string, path: string, token: string): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.call(method, path, token);
      if (res.status < 500 || attempt >= 50) return res;
      await sleep(Math.min(50 * attempt, 500));
    }
  }
}

/** What a client does on `resync`: re-read every chat over REST. */
async function recover(rest: CheckedApi, client: ChaosClient, prefix: string, recovered: Map<string, Set<string>>): Promise<void> {
  const list = await rest.settled('GET', '/v1/chats', client.token);
  if (list.status !== 200) return;
  const texts = recovered.get(client.name) ?? new Set<string>();
  recovered.set(client.name, texts);
  for (const chat of list.body as { thread: string }[]) {
    for (const m of (await readWholeHistory(rest, chat.thread, client.token)) ?? []) if (m.text.startsWith(prefix)) texts.add(m.text);
  }
}

/** Every message of a thread, page by page (a page holds at most 1 000); undefined if a read failed. */
async function readWholeHistory(rest: CheckedApi, thread: string, token: string): Promise<{ text: string; seq: number }[] | undefined> {
  const messages: { text: string; seq: number }[] = [];
  for (let after = 0; ;) {
    const page = await rest.settled('GET', `/v1/chats/${encodeURIComponent(thread)}?after=${after}`, token);
    if (page.status !== 200) return undefined;
    messages.push(...(page.body.messages as { text: string; seq: number }[]));
    const next = Math.max(after, ...messages.map((m) => m.seq ?? 0));
    if (!page.body.hasMore || next === after) return messages;
    after = next;
  }
}

function pickResume(random: () => number, client: ChaosClient): { kind: ResumeKind; after: string } {
  const ids = client.seenIds();
  const last = ids[ids.length - 1];
  const roll = random();
  // Bogus and future ids get a resync, which excuses what the client missed before it: kept rare so
  // that most of a client's life is judged on its events alone.
  if (roll < 0.1 && ids.length > 1) return { kind: 'stale', after: ids[Math.floor(random() * (ids.length - 1))] };
  if (roll < 0.14) return { kind: 'bogus', after: 'not-an-id' };
  if (roll < 0.18 && last) return { kind: 'future', after: last.replace(/\d+$/, (n) => String(Number(n) + 1_000_000)) };
  return exactResume(client);
}

function exactResume(client: ChaosClient): { kind: ResumeKind; after: string } {
  const ids = client.seenIds();
  return { kind: 'exact', after: ids[ids.length - 1] ?? client.current?.ready?.lastId ?? 'none' };
}

/** Reconnects until the server says ready (it refuses while the upstream is unavailable). */
async function resume(client: ChaosClient, how: { kind: ResumeKind; after: string }, log: (line: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.connect(how.kind, how.after);
    } catch (err) {
      if (attempt >= 40) throw err;
      if (attempt === 10) log(`${client.name}: still refused (${(err as Error).message})`);
      await sleep(100 * Math.min(attempt, 10));
    }
  }
}

/** Per account: every message of the run the simulator stored, by text, with the API's numbering. */
function readTruth(sim: Stack['sim'], tokens: TokenOf[], prefix: string): Map<string, Map<string, Placement>> {
  const truth = new Map<string, Map<string, Placement>>();
  for (const { account } of tokens) {
    const messages = new Map<string, Placement>();
    for (const chat of sim.chats(account)) {
      for (const m of chat.messages) if (m.text.startsWith(prefix)) messages.set(m.text, { thread: chat.thread, seq: m.seq + 1 });
    }
    truth.set(account, messages);
  }
  return truth;
}

/** Per account: the run's messages as the proxy's REST history shows them (one read per stored thread). */
async function readHistories(rest: CheckedApi, tokens: TokenOf[], truth: Map<string, Map<string, Placement>>): Promise<Map<string, Map<string, Placement[]>>> {
  const histories = new Map<string, Map<string, Placement[]>>();
  for (const [account, messages] of truth) {
    if (histories.has(account)) continue;
    const token = tokens.find((t) => t.account === account)!.token;
    const found = new Map<string, Placement[]>();
    for (const thread of new Set([...messages.values()].map((p) => p.thread))) {
      for (const m of (await readWholeHistory(rest, thread, token)) ?? []) {
        found.set(m.text, [...(found.get(m.text) ?? []), { thread, seq: m.seq }]);
      }
    }
    histories.set(account, found);
  }
  return histories;
}

function caughtUp(client: ChaosClient, truth: Map<string, Placement>, recovered: Set<string> | undefined): boolean {
  const seen = new Set(client.connections.flatMap((c) => c.frames.filter((f) => f.type === 'message').map((f) => f.data.text as string)));
  for (const text of truth.keys()) if (!seen.has(text) && !recovered?.has(text)) return false;
  return true;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await sleep(100);
}
