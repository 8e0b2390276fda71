/**
 * `npm run bench:cluster`: cluster mode (several instances on one Redis) measured against itself and
 * against single-process mode, side by side in one run. See "Cluster figures" in bench/README.md.
 *
 * Processes: this one (the simulator as upstream, the REST and WebSocket clients), a redis-server of
 * its own on a free port, and imbridge instances as child processes on the built dist/main.js (so a
 * kill is a real SIGKILL). Everything is stopped at the end, also on failure; an instance dies with
 * this process in any case (its lifeline).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { ClusterKeys } from '../src/cluster/keys';
import { ImSimulator } from '../src/simulator';
import { ensureBuilt, ProxyProcess } from '../test/support/cluster';
import { RedisServer } from '../test/support/redis-server';
import { Ledger, LedgerSocket, SentMessage } from './lib/ledger-sockets';
import { addDeltas, RedisDelta, redisDelta, RedisLine, redisSnapshot, RedisSnapshot, redisValue, sumHashField } from './lib/redis-info';
import { median, percentile, round, Samples } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');

/** BENCH_SCALE (default 1) shortens or lengthens every timed run, e.g. 0.3 for a quick look. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1) || 1;
const ms = (base: number) => Math.max(500, Math.round(base * SCALE));
const PLAN = {
  /** Kills of the owner, each with `links` links on it. */
  rounds: Number(process.env.BENCH_CLUSTER_ROUNDS ?? 5),
  links: Number(process.env.BENCH_CLUSTER_LINKS ?? 1_000),
  /** Messages/s spread over the links during a takeover round. */
  streamRate: 100,
  streamBeforeKillMs: ms(2_000),
  /** The stream goes on this long after every token's first post-kill message arrived. */
  streamAfterTakeoverMs: ms(1_000),
  latencyTokens: 200,
  latencyRate: 200,
  latencyWarmupMs: ms(2_000),
  latencyRoundMs: ms(5_000),
  latencyRounds: 2,
  restRequests: Math.max(100, Math.round(1_000 * SCALE)),
  restConcurrency: 8,
  /** Links claimed before the first RSS reading, so the process's first-use costs fall outside the delta. */
  rssWarmLinks: 50,
  /** Redis memory per logged event: this many events on each of this many tokens, at this rate. */
  memoryTokens: 50,
  memoryEventsPerToken: 60,
  memoryRate: 600,
  /** The floor for Redis CPU per event: a bare XADD + PUBLISH + HSET script, this many times. */
  floorCommits: 3_000,
  loginConcurrency: 50,
};
const SECRET = 'a-cluster-secret-for-the-bench-only-0123456789';
const KEY_PREFIX = 'imb:';
const FEED = 'feed@example.org';
/** The takeover target of the issue, ms. */
const TAKEOVER_TARGET_MS = 10_000;
/** Added p99 event latency allowed in cluster mode, ms. */
const ADDED_P99_TARGET_MS = 2;

const keys = new ClusterKeys(KEY_PREFIX);
const ledger = new Ledger();
const notes: string[] = [];
const proxies: ProxyProcess[] = [];
const openSockets = new Set<LedgerSocket>();
let sim: ImSimulator | undefined;
let redis: RedisServer | undefined;
let shuttingDown = false;
let clusterCount = 0;
let singleCount = 0;
let nextTokenId = 0;

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

const sleep = (msec: number) => new Promise<void>((done) => setTimeout(done, msec));

/** Runs `job` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: T[], concurrency: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

async function http(base: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
}

// ---- processes --------------------------------------------------------------------------------------

/** A cluster instance at the production defaults of the cluster settings (lease 5000, heartbeat 1000). */
async function startClusterInstance(): Promise<ProxyProcess> {
  const name = `c${++clusterCount}`;
  const proxy = await ProxyProcess.start({
    name,
    env: { UPSTREAM_URL: sim!.url, REDIS_URL: redis!.url, CLUSTER_SECRET: SECRET, REDIS_KEY_PREFIX: KEY_PREFIX, INSTANCE_ID: name, LOG_LEVEL: 'warn', RATE_LIMIT: 'off' },
  });
  proxies.push(proxy);
  return proxy;
}

async function startSingleInstance(): Promise<ProxyProcess> {
  const proxy = await ProxyProcess.start({ name: `s${++singleCount}`, env: { UPSTREAM_URL: sim!.url, LOG_LEVEL: 'warn', RATE_LIMIT: 'off' } });
  proxies.push(proxy);
  return proxy;
}

function instanceName(proxy: ProxyProcess): string {
  return proxy.name;
}

async function ownedCount(proxy: ProxyProcess): Promise<number> {
  return Number(await redisValue(redis!.port, ['SCARD', keys.ownedBy(instanceName(proxy))]));
}

// ---- tokens, sockets, messages ------------------------------------------------------------------------

/** Users of one part of the bench: fresh simulator accounts, their tokens, threads and sockets. */
interface Group {
  name: string;
  accounts: string[];
  tokens: string[];
  /** Global token ids (the ledger's). */
  ids: number[];
  /** Ledger token id → index in this group. */
  indexOf: Map<number, number>;
  threads: (string | undefined)[];
  sockets: LedgerSocket[];
}

function makeGroup(name: string, count: number): Group {
  const group: Group = { name, accounts: [], tokens: [], ids: [], indexOf: new Map(), threads: [], sockets: [] };
  for (let i = 0; i < count; i++) {
    const address = `${name}-${i}@example.com`;
    sim!.addAccount(address, 'secret');
    group.accounts.push(address);
    const id = nextTokenId++;
    group.ids.push(id);
    group.indexOf.set(id, i);
  }
  return group;
}

async function loginAll(group: Group, via: ProxyProcess): Promise<void> {
  group.tokens = await pool(group.accounts, PLAN.loginConcurrency, async (account) => {
    const res = await http(via.url, 'POST', '/v1/sessions', undefined, { account, password: 'secret' });
    if (res.status !== 201) throw new Error(`login ${account} on ${via.name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  });
}

/** One REST call per token on `via` (GET /v1/roster): with no live owner, `via` claims the token's link. */
async function claim(group: Group, via: ProxyProcess, from = 0, to = group.tokens.length): Promise<void> {
  const indices = Array.from({ length: to - from }, (_x, k) => from + k);
  await pool(indices, PLAN.loginConcurrency, async (i) => {
    const res = await http(via.url, 'GET', '/v1/roster', group.tokens[i]);
    if (res.status !== 200) throw new Error(`GET /v1/roster for ${group.accounts[i]} on ${via.name}: ${res.status} ${JSON.stringify(res.body)}`);
  });
}

async function openSocketsFor(group: Group, place: (i: number) => { proxy: ProxyProcess; bucket: string }): Promise<void> {
  group.sockets = await pool(group.tokens, 50, async (token, i) => {
    const { proxy, bucket } = place(i);
    const socket = new LedgerSocket(ledger, group.ids[i], token, proxy.url, bucket, () => !shuttingDown && proxy.isRunning);
    await socket.open();
    openSockets.add(socket);
    return socket;
  });
}

async function closeSockets(group: Group): Promise<void> {
  await Promise.all(group.sockets.map(async (socket) => {
    await socket.close();
    openSockets.delete(socket);
  }));
}

/** Ends every token's session (its link, its upstream session), so the next part starts clean. */
async function logoutAll(group: Group, via: ProxyProcess): Promise<number> {
  const statuses = await pool(group.tokens, PLAN.loginConcurrency, async (token) => (await http(via.url, 'DELETE', '/v1/sessions/current', token)).status);
  return statuses.filter((s) => s !== 204).length;
}

/** Until every account of the groups has its long-poll parked upstream (steady state), or the time runs out. */
async function untilParked(groups: Group[], timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = groups.reduce((sum, g) => sum + g.accounts.filter((a) => sim!.parkedNoOpsOf(a) < 1).length, 0);
    if (missing === 0) return true;
    if (Date.now() > deadline) {
      notes.push(`${missing} accounts of ${groups.map((g) => g.name).join('+')} had no parked long-poll after ${timeoutMs / 1000} s`);
      return false;
    }
    await sleep(100);
  }
}

/** Sends one incoming chat message to token i of the group through the simulator (the upstream). */
function sendTo(group: Group, i: number, measured: boolean): SentMessage {
  const { text, message } = ledger.next(group.ids[i], measured);
  const thread = sim!.receiveMessage(group.accounts[i], { from: FEED, body: text });
  if (thread === undefined) {
    ledger.forget(message);
    notes.push(`the simulator dropped a message to ${group.accounts[i]}`);
  } else {
    group.threads[i] ??= thread;
  }
  return message;
}

/** A steady stream of messages at `rate`/s, round-robin over the group's tokens in a shuffled order. */
function stream(group: Group, rate: number, measured: boolean): { stop(): number } {
  const order = group.tokens.map((_t, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let sent = 0;
  const start = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * rate) / 1000);
    while (sent < due) sendTo(group, order[sent++ % order.length], measured);
  }, 2);
  return {
    stop: () => {
      clearInterval(timer);
      return sent;
    },
  };
}

/** Until every message with seq in [from, to) arrived, or nothing arrived for `quietMs`; true when all did. */
async function untilArrived(from: number, to: number, quietMs: number, maxMs = 60_000): Promise<boolean> {
  const started = Date.now();
  let lastMissing = Number.POSITIVE_INFINITY;
  let lastProgress = Date.now();
  for (;;) {
    const missing = ledger.range(from, to).filter((m) => m.arrivals === 0).length;
    if (missing === 0) return true;
    if (missing < lastMissing) {
      lastMissing = missing;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > quietMs || Date.now() - started > maxMs) return false;
    await sleep(50);
  }
}

function lostAndDuplicated(messages: SentMessage[]): { sent: number; lost: number; duplicated: number; lostExamples: SentMessage[]; duplicatedExamples: SentMessage[] } {
  const lost = messages.filter((m) => m.arrivals === 0);
  const duplicated = messages.filter((m) => m.arrivals > 1);
  return {
    sent: messages.length,
    lost: lost.length,
    duplicated: duplicated.reduce((sum, m) => sum + m.arrivals - 1, 0),
    lostExamples: lost.slice(0, 5),
    duplicatedExamples: duplicated.slice(0, 5),
  };
}

/** Average MEMORY USAGE (SAMPLES 0: all of it) of each kind of key of the first `sample` tokens. */
async function memoryByKey(group: Group, sample: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tokens = group.tokens.slice(0, sample);
  for (const kind of ['link', 'log', 'chats'] as const) {
    const sizes = await Promise.all(tokens.map(async (token) => Number((await redisValue(redis!.port, ['MEMORY', 'USAGE', keys[kind](ClusterKeys.tagOf(token)), 'SAMPLES', '0'])) ?? 0)));
    out[kind] = Math.round(sizes.reduce((a, b) => a + b, 0) / tokens.length);
  }
  return out;
}

const linkKeys = (group: Group) => group.tokens.map((token) => keys.link(ClusterKeys.tagOf(token)));

// ---- 1 + 2: takeover, lost and duplicated ----------------------------------------------------------------

interface RoundResult {
  round: number;
  owner: string;
  links: number;
  sockets: number;
  takeoverMsMax: number;
  takeoverMsMedian: number;
  /** Kill → the first survivor's claim showed in Redis, and → all links claimed. */
  firstClaimMs: number;
  allClaimedMs: number;
  /** Links each survivor took. */
  split: Record<string, number>;
  tokensWithoutPostKillEvent: number;
  sent: number;
  lost: number;
  duplicated: number;
  /** Tokens whose upstream session changed over the takeover (the design keeps it). */
  sessionsReplaced: number;
  socketReconnects: number;
  ownerRssKiBPerLink: number;
  redisBytesPerLink: number;
  /** Events the claims logged (roster), per link. */
  eventsLoggedPerClaim: number;
  /** MEMORY USAGE of a sample of the new links' keys, bytes on average. */
  keysPerLink: Record<string, number>;
  lostExamples: string[];
  duplicatedExamples: string[];
}

async function takeoverRound(round: number, survivors: [ProxyProcess, ProxyProcess]): Promise<RoundResult> {
  const owner = await startClusterInstance();
  const group = makeGroup(`t${round}`, PLAN.links);
  // Logins on a survivor (a login claims nothing): the owner's RSS moves only with its links.
  await loginAll(group, survivors[0]);
  const warm = Math.min(PLAN.rssWarmLinks, group.tokens.length - 1);
  await claim(group, owner, 0, warm);
  await sleep(500);
  const rssBefore = rssKiB(owner.pid);
  const memBefore = await redisSnapshot(redis!.port);
  const nBefore = await sumHashField(redis!.port, linkKeys(group), 'n');
  await claim(group, owner, warm);
  await sleep(1_000);
  const rssAfter = rssKiB(owner.pid);
  const memAfter = await redisSnapshot(redis!.port);
  const nAfter = await sumHashField(redis!.port, linkKeys(group), 'n');
  const keysPerLink = await memoryByKey(group, 20);
  const owned = await ownedCount(owner);
  if (owned !== group.tokens.length) notes.push(`round ${round}: ${owner.name} owns ${owned} links, not ${group.tokens.length}`);

  // One socket per token, on the survivors, alternately.
  await openSocketsFor(group, (i) => ({ proxy: survivors[i % 2], bucket: 'takeover' }));
  await untilParked([group]);
  const sessionsBefore = group.accounts.map((a) => sim!.sessionIds(a).join(','));
  const survivorLinksBefore = await Promise.all(survivors.map(ownedCount));

  const firstSeq = ledger.seq;
  const background = stream(group, PLAN.streamRate, false);
  await sleep(PLAN.streamBeforeKillMs);

  const killedAt = performance.now();
  const exited = owner.kill();
  // Right after the kill, one message to every token: the first event each socket can get from the new owner.
  const probesFrom = ledger.seq;
  for (let i = 0; i < group.tokens.length; i++) sendTo(group, i, false);
  const probesTo = ledger.seq;
  await exited;

  // Kill → the survivors' claims, as Redis shows them.
  let firstClaimMs = Number.NaN;
  let allClaimedMs = Number.NaN;
  let watching = true;
  const claims = (async () => {
    while (watching) {
      const now = await Promise.all(survivors.map(ownedCount));
      const taken = now.reduce((sum, n, k) => sum + n - survivorLinksBefore[k], 0);
      const at = performance.now() - killedAt;
      if (taken > 0 && Number.isNaN(firstClaimMs)) firstClaimMs = at;
      if (taken >= group.tokens.length) {
        allClaimedMs = at;
        return;
      }
      await sleep(50);
    }
  })();
  const probesArrived = await untilArrived(probesFrom, probesTo, 20_000, 60_000);
  if (!probesArrived) notes.push(`round ${round}: not every token received its post-kill message`);
  await sleep(PLAN.streamAfterTakeoverMs);
  background.stop();
  const lastSeq = ledger.seq;
  await untilArrived(firstSeq, lastSeq, 5_000);
  watching = false;
  await claims;

  // Per token: kill → the first message sent after the kill that its socket received.
  const first = new Array<number>(group.tokens.length).fill(Number.POSITIVE_INFINITY);
  for (const message of ledger.range(probesFrom, lastSeq)) {
    if (message.arrivals === 0) continue;
    const i = group.indexOf.get(message.token)!;
    first[i] = Math.min(first[i], message.firstArrivalAt - killedAt);
  }
  const reached = first.filter(Number.isFinite);
  const outcome = lostAndDuplicated(ledger.range(firstSeq, lastSeq));
  const split: Record<string, number> = {};
  for (const [k, survivor] of survivors.entries()) split[survivor.name] = (await ownedCount(survivor)) - survivorLinksBefore[k];
  const sessionsReplaced = group.accounts.filter((a, i) => sim!.sessionIds(a).join(',') !== sessionsBefore[i]).length;
  const socketReconnects = group.sockets.reduce((sum, s) => sum + s.reconnects, 0);
  const describe = (m: SentMessage) =>
    `m${m.seq} to ${group.accounts[group.indexOf.get(m.token)!]} sent ${round3(m.sentAt - killedAt)} ms after the kill, arrived ${m.arrivals}×`;

  await closeSockets(group);
  const failedLogouts = await logoutAll(group, survivors[0]);
  if (failedLogouts > 0) notes.push(`round ${round}: ${failedLogouts} logouts did not answer 204`);

  return {
    round,
    owner: owner.name,
    links: group.tokens.length,
    sockets: group.sockets.length,
    takeoverMsMax: reached.length === first.length ? Math.max(...first) : Number.POSITIVE_INFINITY,
    takeoverMsMedian: median(reached),
    firstClaimMs,
    allClaimedMs,
    split,
    tokensWithoutPostKillEvent: first.length - reached.length,
    sent: outcome.sent,
    lost: outcome.lost,
    duplicated: outcome.duplicated,
    sessionsReplaced,
    socketReconnects,
    ownerRssKiBPerLink: (rssAfter - rssBefore) / (group.tokens.length - warm),
    redisBytesPerLink: (memAfter.usedMemory - memBefore.usedMemory) / (group.tokens.length - warm),
    eventsLoggedPerClaim: (nAfter - nBefore) / (group.tokens.length - warm),
    keysPerLink,
    lostExamples: outcome.lostExamples.map(describe),
    duplicatedExamples: outcome.duplicatedExamples.map(describe),
  };
}

const round3 = (v: number) => round(v, 3);

// ---- 3 + 5 + 6: event latency, Redis per event, Redis memory per event ------------------------------------

interface ModeWindow {
  mode: 'single' | 'cluster';
  sent: number;
  /** Events committed to the tokens' logs (Σ Δn over their link records); cluster only. */
  committed: number;
  windowMs: number;
  redis: RedisDelta;
  memoryBytes: number;
}

async function eventLatency(single: ProxyProcess, owner: ProxyProcess, other: ProxyProcess) {
  const gS = makeGroup('ls', PLAN.latencyTokens);
  const gC = makeGroup('lc', PLAN.latencyTokens);
  await loginAll(gS, single);
  await claim(gS, single);
  await loginAll(gC, other);
  await claim(gC, owner);
  await openSocketsFor(gS, () => ({ proxy: single, bucket: 'single' }));
  await openSocketsFor(gC, (i) => (i % 2 === 0 ? { proxy: owner, bucket: 'owner' } : { proxy: other, bucket: 'other' }));
  await untilParked([gS, gC]);

  const run = async (group: Group, durationMs: number, measured: boolean): Promise<ModeWindow> => {
    const mode = group === gS ? 'single' : 'cluster';
    const nBefore = mode === 'cluster' ? await sumHashField(redis!.port, linkKeys(group), 'n') : 0;
    const before = await redisSnapshot(redis!.port);
    const t0 = performance.now();
    const from = ledger.seq;
    const load = stream(group, PLAN.latencyRate, measured);
    await sleep(durationMs);
    const sent = load.stop();
    if (!(await untilArrived(from, ledger.seq, 5_000))) notes.push(`${mode} latency run: messages missing after the run`);
    const after: RedisSnapshot = await redisSnapshot(redis!.port);
    const windowMs = performance.now() - t0;
    const nAfter = mode === 'cluster' ? await sumHashField(redis!.port, linkKeys(group), 'n') : 0;
    return { mode, sent, committed: nAfter - nBefore, windowMs, redis: redisDelta(before, after), memoryBytes: after.usedMemory - before.usedMemory };
  };

  log(`  warm-up ${PLAN.latencyWarmupMs / 1000} s each`);
  await run(gS, PLAN.latencyWarmupMs, false);
  await run(gC, PLAN.latencyWarmupMs, false);
  ledger.resetLatencies();
  const windows: ModeWindow[] = [];
  for (let k = 0; k < PLAN.latencyRounds; k++) {
    for (const group of k % 2 === 0 ? [gS, gC] : [gC, gS]) {
      const w = await run(group, PLAN.latencyRoundMs, true);
      log(`  ${w.mode}: ${w.sent} messages in ${round(w.windowMs / 1000, 1)} s`);
      windows.push(w);
    }
  }
  // Redis memory per logged event: many events on few tokens, so each stream grows well past the
  // allocator's size classes (a few events per token move used_memory by nothing or by a whole class).
  const memTokens = Math.min(PLAN.memoryTokens, gC.tokens.length);
  const memGroup: Group = { ...gC, tokens: gC.tokens.slice(0, memTokens) };
  const memKeys = memGroup.tokens.map((token) => keys.log(ClusterKeys.tagOf(token)));
  const streamBytes = async () => (await Promise.all(memKeys.map(async (k) => Number((await redisValue(redis!.port, ['MEMORY', 'USAGE', k, 'SAMPLES', '0'])) ?? 0)))).reduce((a, b) => a + b, 0);
  const memN0 = await sumHashField(redis!.port, linkKeys(memGroup), 'n');
  const mem0 = await redisSnapshot(redis!.port);
  const streams0 = await streamBytes();
  const memFrom = ledger.seq;
  const memLoad = stream(memGroup, PLAN.memoryRate, false);
  await sleep((memTokens * PLAN.memoryEventsPerToken * 1000) / PLAN.memoryRate);
  memLoad.stop();
  if (!(await untilArrived(memFrom, ledger.seq, 5_000))) notes.push('memory run: messages missing after the run');
  const mem1 = await redisSnapshot(redis!.port);
  const streams1 = await streamBytes();
  const memN1 = await sumHashField(redis!.port, linkKeys(memGroup), 'n');
  const memoryPerEvent = {
    tokens: memTokens,
    events: memN1 - memN0,
    usedMemoryBytesPerEvent: (mem1.usedMemory - mem0.usedMemory) / (memN1 - memN0),
    datasetBytesPerEvent: (mem1.usedMemoryDataset - mem0.usedMemoryDataset) / (memN1 - memN0),
    streamBytesPerEvent: (streams1 - streams0) / (memN1 - memN0),
  };

  const pct = (bucket: string) => {
    const samples = ledger.latencies.get(bucket) ?? new Samples();
    return { p50: samples.percentile(50), p99: samples.percentile(99), samples: samples.length };
  };
  const latency = { single: pct('single'), owner: pct('owner'), other: pct('other') };

  // Redis per committed event: the cluster windows, less what Redis does at rest meanwhile (heartbeats),
  // taken from the single-process windows of the same run (Redis then serves the idle cluster only).
  const clusterWindows = windows.filter((w) => w.mode === 'cluster');
  const restWindows = windows.filter((w) => w.mode === 'single');
  const busy = addDeltas(clusterWindows.map((w) => w.redis));
  const rest = addDeltas(restWindows.map((w) => w.redis));
  const busyMs = clusterWindows.reduce((s, w) => s + w.windowMs, 0);
  const restMs = restWindows.reduce((s, w) => s + w.windowMs, 0);
  const committed = clusterWindows.reduce((s, w) => s + w.committed, 0);
  const clusterSent = clusterWindows.reduce((s, w) => s + w.sent, 0);
  const scale = busyMs / restMs;
  const commandsPerEvent: Record<string, number> = {};
  for (const name of Object.keys(busy.calls)) {
    const net = busy.calls[name] - (rest.calls[name] ?? 0) * scale;
    if (net / committed >= 0.005) commandsPerEvent[name] = round(net / committed, 3);
  }
  const redisPerEvent = {
    committed,
    sent: clusterSent,
    commandsPerEvent,
    commandsAtRestPerSecond: Object.fromEntries(Object.entries(rest.calls).map(([name, n]) => [name, round((n / restMs) * 1000, 2)])),
    cpuUsPerEvent: (busy.cpuUs - rest.cpuUs * scale) / committed,
    mainThreadCpuUsPerEvent: (busy.mainThreadCpuUs - rest.mainThreadCpuUs * scale) / committed,
    /** Redis's own timing of each command in the cluster windows (commands inside scripts included in the script's). */
    usecPerCall: Object.fromEntries(Object.keys(busy.calls).map((name) => [name, round(busy.usec[name] / busy.calls[name], 2)])),
    commandUsPerEvent: (Object.values(busy.usec).reduce((s, n) => s + n, 0) - Object.values(rest.usec).reduce((s, n) => s + n, 0) * scale) / committed,
  };
  return { gS, gC, latency, redisPerEvent, memoryPerEvent, windows };
}

// ---- 4: forwarded REST ---------------------------------------------------------------------------------

async function forwardedRest(owner: ProxyProcess, other: ProxyProcess, single: ProxyProcess, gC: Group, gS: Group) {
  const targets = [
    { key: 'owner', proxy: owner, group: gC },
    { key: 'other', proxy: other, group: gC },
    { key: 'single', proxy: single, group: gS },
  ];
  const missingThread = [gC, gS].some((g) => g.threads.some((t) => t === undefined));
  if (missingThread) throw new Error('a latency token has no chat thread');
  const measure = async (concurrency: number) => {
    const samples: Record<string, Samples> = { owner: new Samples(), other: new Samples(), single: new Samples() };
    let failed = 0;
    const jobs = Array.from({ length: PLAN.restRequests }, (_x, i) => i);
    await pool(jobs, concurrency, async (i) => {
      // Each job asks all three, in an order that rotates: side by side, none always first.
      for (let k = 0; k < targets.length; k++) {
        const { key, proxy, group } = targets[(i + k) % targets.length];
        const t = i % group.tokens.length;
        const start = performance.now();
        const res = await http(proxy.url, 'GET', `/v1/chats/${encodeURIComponent(group.threads[t]!)}`, group.tokens[t]);
        if (res.status === 200) samples[key].push(performance.now() - start);
        else failed++;
      }
    });
    const figures = Object.fromEntries(Object.entries(samples).map(([key, s]) => [key, { p50: s.percentile(50), p99: s.percentile(99), samples: s.length }]));
    return { ...(figures as Record<'owner' | 'other' | 'single', { p50: number; p99: number; samples: number }>), failed };
  };
  // Warm-up: each path a few times.
  await pool(Array.from({ length: 50 }, (_x, i) => i), 4, async (i) => {
    for (const { proxy, group } of targets) await http(proxy.url, 'GET', `/v1/chats/${encodeURIComponent(group.threads[i % group.tokens.length]!)}`, group.tokens[i % group.tokens.length]);
  });
  const sequential = await measure(1);
  const concurrent = await measure(PLAN.restConcurrency);
  for (const [name, run] of Object.entries({ sequential, concurrent })) if (run.failed > 0) notes.push(`forwarded REST (${name}): ${run.failed} requests did not answer 200`);
  return { sequential, concurrent };
}

/**
 * The least Redis can spend on an event here: one script doing what a commit must (XADD with
 * trimming, PUBLISH, HSET of the position), from one connection, one at a time, on keys of the
 * bench's own; Redis CPU (INFO cpu) per script. The cluster's figure reads as a multiple of it.
 */
async function redisFloor(): Promise<{ cpuUsPerCommit: number; scriptUsPerCall: number; roundTripUsP50: number; commits: number }> {
  const line = await RedisLine.connect(redis!.port);
  const sha = (await line.command(['SCRIPT', 'LOAD', FLOOR_SCRIPT]))!;
  const payload = JSON.stringify({ id: 'e0000.1', type: 'message', at: new Date().toISOString(), data: { thread: 'chat-feed%example.org-1', from: FEED, text: 'm000000 000000.000', seq: 1 } });
  const roundTrips = new Samples();
  const before = await redisSnapshot(redis!.port);
  const t0 = performance.now();
  for (let i = 0; i < PLAN.floorCommits; i++) {
    const k = i % 200;
    const start = performance.now();
    await line.command(['EVALSHA', sha, '3', `bench:{f${k}}:log`, `bench:{f${k}}:ev`, `bench:{f${k}}:link`, payload, String(i)]);
    roundTrips.push((performance.now() - start) * 1000);
  }
  const windowMs = performance.now() - t0;
  const after = await redisSnapshot(redis!.port);
  line.close();
  // Less Redis's work at rest meanwhile (heartbeats of the idle instances), from the same kind of window.
  const restBefore = await redisSnapshot(redis!.port);
  await sleep(Math.min(windowMs, 3_000));
  const restAfter = await redisSnapshot(redis!.port);
  const restPerMs = (restAfter.cpuUs - restBefore.cpuUs) / Math.min(windowMs, 3_000);
  const scripts = redisDelta(before, after);
  return {
    cpuUsPerCommit: (after.cpuUs - before.cpuUs - restPerMs * windowMs) / PLAN.floorCommits,
    // Redis's own timing of the script (commandstats), comparable with details.redisPerEvent.usecPerCall.evalsha.
    scriptUsPerCall: (scripts.usec.evalsha ?? 0) / (scripts.calls.evalsha ?? 1),
    roundTripUsP50: roundTrips.percentile(50), commits: PLAN.floorCommits };
}

const FLOOR_SCRIPT = `redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'e', ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'n', ARGV[2], 'seq', ARGV[2])
return 1`;

// ---- 7: proxy RSS per link, single-process mode -----------------------------------------------------------

async function singleRssPerLink(): Promise<number> {
  const single = await startSingleInstance();
  const group = makeGroup('rs', PLAN.links);
  await loginAll(group, single);
  const warm = Math.min(PLAN.rssWarmLinks, group.tokens.length - 1);
  await claim(group, single, 0, warm);
  await sleep(500);
  const before = rssKiB(single.pid);
  await claim(group, single, warm);
  await sleep(1_000);
  const after = rssKiB(single.pid);
  await single.kill();
  return (after - before) / (group.tokens.length - warm);
}

// ---- report --------------------------------------------------------------------------------------------

interface Row {
  figure: string;
  value: string;
  target: string;
  met?: boolean;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1_000) return String(Math.round(value));
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(value === Math.round(value) ? 0 : 3);
}

const signed = (value: number) => (value >= 0 ? '+' : '') + formatNumber(value);

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.figure, r.value, r.target, r.met === undefined ? '–' : r.met ? 'met' : 'NOT MET']);
  const header = ['figure', 'value', 'target', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) log(line(c));
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const load = loadavg()[0];
  log(`imbridge cluster bench: ${cpus().length} CPUs (${availableParallelism()} usable), node ${process.version}, load average ${load.toFixed(2)}, scale ${SCALE}`);
  if (load > 1) notes.push(`load average ${load.toFixed(2)} at the start: something else was running; absolute figures may be inflated (differences less so)`);
  await ensureBuilt();
  [sim, redis] = await Promise.all([
    ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: [{ address: 'bench@example.com', password: 'secret' }], rosterDelayMs: 20, maxParkedNoops: 100_000 }),
    RedisServer.start(),
  ]);
  const redisVersion = /redis_version:(\S+)/.exec((await redisValue(redis.port, ['INFO', 'server'])) ?? '')?.[1];
  const [c1, c2, c3, single] = await Promise.all([startClusterInstance(), startClusterInstance(), startClusterInstance(), startSingleInstance()]);
  const clusterStartedAt = Date.now();

  log(`Event latency: ${PLAN.latencyTokens} tokens, one socket each, ${PLAN.latencyRate} msg/s; single process vs cluster (owner ${c1.name}, sockets half on it, half on ${c2.name}); ${PLAN.latencyRounds} alternating rounds of ${PLAN.latencyRoundMs / 1000} s`);
  const events = await eventLatency(single, c1, c2);
  const { latency, redisPerEvent, memoryPerEvent } = events;
  log(`  p50/p99 ms: single ${round3(latency.single.p50)}/${round3(latency.single.p99)}, cluster on the owner ${round3(latency.owner.p50)}/${round3(latency.owner.p99)}, on another instance ${round3(latency.other.p50)}/${round3(latency.other.p99)}`);

  log(`Forwarded REST: GET /v1/chats/{thread} for tokens owned by ${c1.name}, sent to ${c1.name} vs ${c2.name} (and a single process beside), ${PLAN.restRequests} each, sequential and ${PLAN.restConcurrency} at a time`);
  const rest = await forwardedRest(c1, c2, single, events.gC, events.gS);
  log(`  sequential p50/p99 ms: owner ${round3(rest.sequential.owner.p50)}/${round3(rest.sequential.owner.p99)}, forwarded ${round3(rest.sequential.other.p50)}/${round3(rest.sequential.other.p99)}, single ${round3(rest.sequential.single.p50)}/${round3(rest.sequential.single.p99)}`);
  await closeSockets(events.gS);
  await closeSockets(events.gC);
  await logoutAll(events.gS, single);
  await logoutAll(events.gC, c2);
  await single.kill();

  // Survivors take links over only once they have been members for a whole lease (default 5 s).
  const eligibleIn = clusterStartedAt + 5_000 + 2 * 1_000 - Date.now();
  if (eligibleIn > 0) await sleep(eligibleIn);
  log(`Takeover: ${PLAN.rounds} rounds; each a fresh instance owns ${PLAN.links} new links (sockets on ${c1.name} and ${c2.name}), ${PLAN.streamRate} msg/s, SIGKILL`);
  await c3.stop(); // three instances at each kill: the first round's owner is a fresh one too
  const rounds: RoundResult[] = [];
  for (let r = 1; r <= PLAN.rounds; r++) {
    const result = await takeoverRound(r, [c1, c2]);
    rounds.push(result);
    log(
      `  round ${r} (${result.owner}): takeover max ${Math.round(result.takeoverMsMax)} ms, median ${Math.round(result.takeoverMsMedian)} ms; ` +
        `first claim ${Math.round(result.firstClaimMs)} ms, all claimed ${Math.round(result.allClaimedMs)} ms; split ${JSON.stringify(result.split)}; ` +
        `${result.sent} sent, ${result.lost} lost, ${result.duplicated} duplicated; sessions replaced ${result.sessionsReplaced}`,
    );
    for (const example of [...result.lostExamples.map((e) => `lost: ${e}`), ...result.duplicatedExamples.map((e) => `duplicated: ${e}`)]) log(`    ${example}`);
  }

  log(`Redis floor: ${PLAN.floorCommits} bare commit scripts (XADD + PUBLISH + HSET), one at a time on one connection`);
  const floor = await redisFloor();

  log(`RSS per link in single-process mode (a fresh process, ${PLAN.links} links)`);
  const singleRss = await singleRssPerLink();

  const takeoverMax = Math.max(...rounds.map((r) => r.takeoverMsMax));
  const lost = rounds.reduce((s, r) => s + r.lost, 0);
  const duplicated = rounds.reduce((s, r) => s + r.duplicated, 0);
  const clusterRss = median(rounds.map((r) => r.ownerRssKiBPerLink));
  const redisPerLink = median(rounds.map((r) => r.redisBytesPerLink));
  const results = {
    takeoverMs: { max: round(takeoverMax, 1), byRound: rounds.map((r) => ({ max: round(r.takeoverMsMax, 1), median: round(r.takeoverMsMedian, 1) })) },
    eventsLost: lost,
    eventsDuplicated: duplicated,
    eventLatencyMs: {
      single: { p50: round3(latency.single.p50), p99: round3(latency.single.p99) },
      clusterOnOwner: { p50: round3(latency.owner.p50), p99: round3(latency.owner.p99) },
      clusterOnOther: { p50: round3(latency.other.p50), p99: round3(latency.other.p99) },
    },
    addedEventLatencyMs: {
      onOwner: { p50: round3(latency.owner.p50 - latency.single.p50), p99: round3(latency.owner.p99 - latency.single.p99) },
      onOther: { p50: round3(latency.other.p50 - latency.single.p50), p99: round3(latency.other.p99 - latency.single.p99) },
    },
    forwardedRestMs: {
      sequential: { p50: round3(rest.sequential.other.p50 - rest.sequential.owner.p50), p99: round3(rest.sequential.other.p99 - rest.sequential.owner.p99) },
      concurrent: { p50: round3(rest.concurrent.other.p50 - rest.concurrent.owner.p50), p99: round3(rest.concurrent.other.p99 - rest.concurrent.owner.p99) },
    },
    redisCommandsPerEvent: redisPerEvent.commandsPerEvent,
    redisCpuUsPerEvent: round(redisPerEvent.cpuUsPerEvent, 2),
    redisBytesPerLink: Math.round(redisPerLink),
    redisBytesPerLoggedEvent: Math.round(memoryPerEvent.usedMemoryBytesPerEvent),
    proxyRssKiBPerLink: { cluster: round(clusterRss, 2), single: round(singleRss, 2) },
    details: {
      rounds,
      latency,
      latencyWindows: events.windows,
      redisPerEvent,
      redisFloor: floor,
      memoryPerEvent,
      rest,
    },
    meta: {
      at: new Date().toISOString(),
      node: process.version,
      redis: redisVersion,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAverageAtStart: round(load, 2),
      plan: PLAN,
      scale: SCALE,
      cluster: 'CLUSTER_LEASE_MS and CLUSTER_HEARTBEAT_MS at their defaults (5000, 1000), LOG_LEVEL=warn, RATE_LIMIT=off',
      notes,
      durationS: round((Date.now() - started) / 1000, 1),
    },
  };
  writeFileSync(join(RESULTS, 'cluster.json'), JSON.stringify(results, null, 2) + '\n');

  const topCommands = Object.entries(redisPerEvent.commandsPerEvent).sort((a, b) => b[1] - a[1]);
  const rows: Row[] = [
    { figure: `takeover time, max over ${rounds.length} kills (${PLAN.links} links each)`, value: `${formatNumber(takeoverMax)} ms`, target: `≤ ${TAKEOVER_TARGET_MS} ms`, met: takeoverMax <= TAKEOVER_TARGET_MS },
    ...rounds.map((r) => ({
      figure: `… round ${r.round} (${r.owner} killed): max / median over its tokens`,
      value: `${formatNumber(r.takeoverMsMax)} / ${formatNumber(r.takeoverMsMedian)} ms`,
      target: `(all claimed ${formatNumber(r.allClaimedMs)} ms)`,
    })),
    { figure: `events lost / duplicated over the kills (${rounds.reduce((s, r) => s + r.sent, 0)} sent)`, value: `${lost} / ${duplicated}`, target: '0 / 0', met: lost === 0 && duplicated === 0 },
    { figure: 'event latency p50, single process', value: `${formatNumber(latency.single.p50)} ms`, target: '' },
    { figure: 'event latency p99, single process', value: `${formatNumber(latency.single.p99)} ms`, target: '' },
    { figure: 'added event latency p50, socket on the owner', value: `${signed(results.addedEventLatencyMs.onOwner.p50)} ms`, target: `(cluster ${formatNumber(latency.owner.p50)} ms)` },
    { figure: 'added event latency p99, socket on the owner', value: `${signed(results.addedEventLatencyMs.onOwner.p99)} ms`, target: `≤ +${ADDED_P99_TARGET_MS} ms`, met: results.addedEventLatencyMs.onOwner.p99 <= ADDED_P99_TARGET_MS },
    { figure: 'added event latency p50, socket on another instance', value: `${signed(results.addedEventLatencyMs.onOther.p50)} ms`, target: `(cluster ${formatNumber(latency.other.p50)} ms)` },
    { figure: 'added event latency p99, socket on another instance', value: `${signed(results.addedEventLatencyMs.onOther.p99)} ms`, target: `≤ +${ADDED_P99_TARGET_MS} ms`, met: results.addedEventLatencyMs.onOther.p99 <= ADDED_P99_TARGET_MS },
    { figure: 'forwarded GET chat, sequential: p50 / p99 added', value: `${signed(results.forwardedRestMs.sequential.p50)} / ${signed(results.forwardedRestMs.sequential.p99)} ms`, target: `(owner ${formatNumber(rest.sequential.owner.p50)} / ${formatNumber(rest.sequential.owner.p99)} ms)` },
    { figure: `forwarded GET chat, ${PLAN.restConcurrency} at a time: p50 / p99 added`, value: `${signed(results.forwardedRestMs.concurrent.p50)} / ${signed(results.forwardedRestMs.concurrent.p99)} ms`, target: `(owner ${formatNumber(rest.concurrent.owner.p50)} / ${formatNumber(rest.concurrent.owner.p99)} ms)` },
    { figure: 'Redis commands per event (all)', value: formatNumber(topCommands.reduce((s, [, n]) => s + n, 0)), target: `(${topCommands.slice(0, 6).map(([name, n]) => `${name} ${formatNumber(n)}`).join(', ')})` },
    { figure: 'Redis CPU per event', value: `${formatNumber(redisPerEvent.cpuUsPerEvent)} µs`, target: `(floor ${formatNumber(floor.cpuUsPerCommit)} µs)` },
    { figure: '… Redis CPU per event ÷ floor (bare XADD+PUBLISH+HSET script)', value: `${formatNumber(redisPerEvent.cpuUsPerEvent / floor.cpuUsPerCommit)} ×`, target: '' },
    { figure: '… commit script, Redis time per call (commandstats)', value: `${formatNumber(redisPerEvent.usecPerCall.evalsha ?? Number.NaN)} µs`, target: `(floor script ${formatNumber(floor.scriptUsPerCall)} µs)` },
    { figure: 'Redis memory per link', value: `${formatNumber(redisPerLink)} B`, target: `(claims logged ${formatNumber(median(rounds.map((r) => r.eventsLoggedPerClaim)))} events each)` },
    { figure: 'Redis memory per logged event', value: `${formatNumber(memoryPerEvent.usedMemoryBytesPerEvent)} B`, target: `(the streams alone ${formatNumber(memoryPerEvent.streamBytesPerEvent)} B)` },
    { figure: 'proxy RSS per link, cluster owner', value: `${formatNumber(clusterRss)} KiB`, target: `(single process ${formatNumber(singleRss)} KiB)` },
  ];
  log('');
  printTable(rows);
  log('');
  for (const note of notes) log(`note: ${note}`);
  log(`results: bench/results/cluster.json (${round((Date.now() - started) / 1000, 0)} s)`);
}

async function shutdown(): Promise<void> {
  shuttingDown = true;
  await Promise.all([...openSockets].map((s) => s.close()));
  await Promise.all(proxies.map((p) => p.kill().catch(() => undefined)));
  await sim?.stop().catch(() => undefined);
  await redis?.stop().catch(() => undefined);
}

main()
  .then(shutdown, async (err) => {
    console.error(`cluster bench failed: ${(err as Error).stack ?? err}`);
    for (const proxy of proxies) if (!proxy.isRunning || proxy.output.length) console.error(`--- ${proxy.name} (last lines)\n${proxy.output.slice(-20).join('\n')}`);
    await shutdown();
    process.exitCode = 1;
  })
  .finally(() => {
    // Nothing of the bench may keep the process alive.
    setTimeout(() => process.exit(), 500).unref();
  });
process.on('SIGINT', () => void shutdown().finally(() => process.exit(130)));
