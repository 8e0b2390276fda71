/**
 * `npm run bench`: the proxy measured against the physical limit of this machine. See bench/README.md
 * for what each figure means. Everything listens on 127.0.0.1 and stops by itself.
 *
 * Processes: this one (load generator and socket clients), the canned upstream, the raw relay and
 * the proxy, each a child of its own so CPU, memory and event-loop figures belong to one server.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { authRequest } from '../src/im/account';
import { getChatRequest, sendMessageRequest } from '../src/im/chats';
import { buildEnvelope, RequestContext } from '../src/soap/envelope';
import { BenchChild } from './lib/child';
import { compileForBench } from './lib/compile';
import { EventClients } from './lib/event-clients';
import { recordedChat } from './lib/fixtures';
import { PacedLoad } from './lib/paced';
import type { ProcessStats } from './lib/process-stats';
import { median, round, Samples } from './lib/stats';
import { comparison, isMet, renderChart, type ChartFigure } from './lib/chart';

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const BUILD = join(ROOT, 'node_modules', '.cache', 'imbridge-bench');
const SOAP_PATH = '/service/soap';

/** BENCH_SCALE (default 1) shortens or lengthens every timed run, e.g. 0.3 for a quick look. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1) || 1;
const ms = (base: number) => Math.max(500, Math.round(base * SCALE));
const PLAN = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  warmupMs: ms(2_000),
  roundMs: ms(5_000),
  rounds: 3,
  latencyRate: 1_000,
  latencyRoundMs: ms(5_000),
  latencyRounds: 2,
  eventRate: 1_000,
  eventMs: ms(10_000),
  saturateMs: ms(6_000),
  idleLinks: 1_000,
  sockets: 1_000,
  socketsPerToken: 5,
};
const MESSAGE_TEXT = 'Meeting moved to 3pm, room 4.12 & the usual dial-in.';

interface RunFigure {
  target: string;
  route: string;
  rps: number;
  non2xx: number;
  errors: number;
  eventLoopP99: number;
  cpuUsPerRequest: number;
}

const children: BenchChild[] = [];
const notes: string[] = [];
const eventLoopByRun: Record<string, number> = {};

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Fewer sockets when the file-descriptor limit is low (each socket is one descriptor here and one in the proxy). */
function checkDescriptors(): void {
  let limit = Number.POSITIVE_INFINITY;
  try {
    const raw = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    if (raw !== 'unlimited') limit = Number(raw);
  } catch {
    return;
  }
  const needed = Math.max(PLAN.sockets, PLAN.idleLinks) + PLAN.connections + 300;
  if (Number.isFinite(limit) && limit < needed) {
    const fit = Math.max(PLAN.socketsPerToken, Math.floor((limit - PLAN.connections - 300) / PLAN.socketsPerToken) * PLAN.socketsPerToken);
    notes.push(`file-descriptor limit ${limit} < ${needed}: sockets ${PLAN.sockets} → ${fit}, idle links ${PLAN.idleLinks} → ${fit} (raise with ulimit -n)`);
    PLAN.sockets = fit;
    PLAN.idleLinks = fit;
  }
}

/**
 * BENCH_PROFILE=1 writes a V8 CPU profile of the proxy over each measured run (not warm-ups) to
 * bench/results/profiles, named after the run (open one in Chrome DevTools or bench/profile-summary.ts).
 */
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILES = join(RESULTS, 'profiles');
const profileCount: Record<string, number> = {};

/** Runs `work` with the proxy's CPU profiler on when BENCH_PROFILE=1. */
async function profiled<T>(server: BenchChild, name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE || server.name !== 'proxy') return work();
  await server.request('profileStart');
  try {
    return await work();
  } finally {
    await server.request('profileStop', name);
  }
}
/**
 * BENCH_ONLY=get,post,tuned,whatif,latency,events runs some of the parts (for working on one figure; `rest`
 * means get and post); the others print NaN.
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'rest,tuned,whatif,latency,events').split(',').flatMap((part) => (part === 'rest' ? ['get', 'post'] : [part])));
const NONE = { ratio: NaN, proxyRps: NaN, relayRps: NaN, proxyCpuUsPerRequest: NaN, relayCpuUsPerRequest: NaN };
const NO_PHASE = { released: 0, delivered: 0, perSecond: NaN, p50: NaN, p99: NaN, cpuUsPerEvent: NaN, eventLoopP99: NaN };
const NO_EVENTS = {
  rssKiBPerIdleLink: NaN, heapKiBPerIdleLink: NaN, rssKiBPerIdleSocket: NaN, heapKiBPerIdleSocket: NaN,
  sockets: 0, tokens: 0, links: 0, steady: NO_PHASE, saturated: NO_PHASE,
};

async function startProxy(upstream: BenchChild, extraEnv: Record<string, string> = {}): Promise<BenchChild> {
  const proxy = await BenchChild.start('proxy', join(BUILD, 'bench', 'proxy-server.js'), {
    env: { BENCH_UPSTREAM_URL: upstream.url + SOAP_PATH, BENCH_FIXTURES: join(ROOT, 'bench', 'fixtures'), ...(PROFILE ? { BENCH_PROFILE_DIR: PROFILES } : {}), ...extraEnv },
    execArgv: ['--expose-gc'],
    logFile: join(RESULTS, 'proxy.log'),
  });
  children.push(proxy);
  return proxy;
}

async function stopChild(child: BenchChild): Promise<void> {
  await child.stop();
  children.splice(children.indexOf(child), 1);
}

async function json<T>(url: string, init: RequestInit & { expect?: number } = {}): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== (init.expect ?? 200)) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function login(proxy: BenchChild, i: number): Promise<string> {
  const body = await json<{ token: string }>(`${proxy.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: `user${i}@example.com`, password: 'secret' }),
    expect: 201,
  });
  return body.token;
}

/** Runs `job` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: T[], concurrency: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await job(items[i], i);
      }
    }),
  );
  return out;
}

// ---- REST: proxy ÷ relay ---------------------------------------------------------------------------

interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Bearer tokens to rotate over. */
  tokens?: string[];
}

async function load(name: string, server: BenchChild, spec: LoadSpec, durationMs: number, record = true): Promise<RunFigure> {
  await server.request('resetEventLoop');
  const before = await server.request<ProcessStats>('stats');
  // Requests rotate over the tokens (the proxy's users); the relay's are rebuilt the same way, unchanged,
  // so the load generator does the same work for both.
  let turn = 0;
  const tokens = spec.tokens;
  const run = () => autocannon({
    url: spec.url,
    requests: [
      {
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
        setupRequest: (req) => (tokens ? { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[turn++ % tokens.length]}` } } : req),
      },
    ],
    connections: PLAN.connections,
    pipelining: 1,
    duration: durationMs / 1_000,
  });
  const result = record ? await profiled(server, `${name} ${(profileCount[server.name + name] = (profileCount[server.name + name] ?? 0) + 1)}`, run) : await run();
  const after = await server.request<ProcessStats>('stats');
  const ok = result['2xx'];
  const figure: RunFigure = {
    target: server.name,
    route: name,
    rps: ok / result.duration,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    eventLoopP99: after.eventLoop.p99,
    cpuUsPerRequest: ok ? (after.cpuUs - before.cpuUs) / ok : Number.NaN,
  };
  if (figure.non2xx || figure.errors) notes.push(`${server.name} ${name}: ${figure.non2xx} non-2xx, ${figure.errors} errors/timeouts`);
  if (record) {
    const key = `${name} ${server.name}`;
    eventLoopByRun[key] = Math.max(eventLoopByRun[key] ?? 0, figure.eventLoopP99);
  }
  return figure;
}

async function proxyVsRelay(name: string, proxy: BenchChild, relay: BenchChild, viaProxy: LoadSpec, viaRelay: LoadSpec) {
  await load(name, proxy, viaProxy, PLAN.warmupMs, false);
  await load(name, relay, viaRelay, PLAN.warmupMs, false);
  const runs: { proxy: RunFigure; relay: RunFigure }[] = [];
  for (let r = 0; r < PLAN.rounds; r++) {
    // Alternate who goes first so a drift in machine speed falls on both.
    if (r % 2 === 0) {
      const p = await load(name, proxy, viaProxy, PLAN.roundMs);
      runs.push({ proxy: p, relay: await load(name, relay, viaRelay, PLAN.roundMs) });
    } else {
      const rl = await load(name, relay, viaRelay, PLAN.roundMs);
      runs.push({ relay: rl, proxy: await load(name, proxy, viaProxy, PLAN.roundMs) });
    }
    const last = runs[runs.length - 1];
    log(`  ${name} round ${r + 1}: proxy ${Math.round(last.proxy.rps)} req/s, relay ${Math.round(last.relay.rps)} req/s → ${round(last.proxy.rps / last.relay.rps, 3)}`);
  }
  return {
    ratio: median(runs.map((r) => r.proxy.rps / r.relay.rps)),
    proxyRps: median(runs.map((r) => r.proxy.rps)),
    relayRps: median(runs.map((r) => r.relay.rps)),
    proxyCpuUsPerRequest: median(runs.map((r) => r.proxy.cpuUsPerRequest)),
    relayCpuUsPerRequest: median(runs.map((r) => r.relay.cpuUsPerRequest)),
  };
}

// ---- latency at a fixed rate ------------------------------------------------------------------------

/**
 * GET chat through the proxy, the same IMGetChat sent straight to the upstream (the latency floor),
 * and through the raw relay (whose event loop is the floor of the proxy's at this unsaturated rate).
 */
async function fixedRateLatency(proxy: BenchChild, relay: BenchChild, upstream: BenchChild, token: string, thread: string, directEnvelope: string) {
  const viaProxy = new PacedLoad({
    origin: proxy.url,
    path: `/v1/chats/${encodeURIComponent(thread)}`,
    method: 'GET',
    headers: { authorization: `Bearer ${token}` },
  });
  const soap = { method: 'POST' as const, path: SOAP_PATH, headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body: directEnvelope };
  const direct = new PacedLoad({ origin: upstream.url, ...soap });
  const viaRelay = new PacedLoad({ origin: relay.url, ...soap });
  const runs = [
    { name: 'proxy', load: viaProxy, server: proxy as BenchChild | undefined, samples: new Samples() },
    { name: 'direct', load: direct, server: undefined, samples: new Samples() },
    { name: 'relay', load: viaRelay, server: relay as BenchChild | undefined, samples: new Samples() },
  ];
  let failed = 0;
  for (const { load } of runs) await load.run(PLAN.latencyRate, PLAN.warmupMs);
  for (let r = 0; r < PLAN.latencyRounds; r++) {
    // Rotate who goes first so a drift in machine speed falls on all three.
    for (const { name, load, server, samples } of [...runs.slice(r % runs.length), ...runs.slice(0, r % runs.length)]) {
      await server?.request('resetEventLoop');
      const run = await load.run(PLAN.latencyRate, PLAN.latencyRoundMs);
      if (server) {
        const stats = await server.request<ProcessStats>('stats');
        eventLoopByRun[`latency ${name}`] = Math.max(eventLoopByRun[`latency ${name}`] ?? 0, stats.eventLoop.p99);
      }
      samples.append(run.latencies);
      failed += run.failed;
    }
  }
  for (const { load } of runs) await load.close();
  if (failed) notes.push(`fixed-rate latency: ${failed} requests failed`);
  const [p, d, rl] = runs.map(({ samples }) => ({ p50: samples.percentile(50), p99: samples.percentile(99) }));
  return { proxy: p, direct: d, relay: rl, added: { p50: p.p50 - d.p50, p99: p.p99 - d.p99 }, samples: runs[0].samples.length };
}

// ---- memory, then events over 1 000 sockets ---------------------------------------------------------

async function memoryAndEvents(proxy: BenchChild, upstream: BenchChild, thread: string) {
  const chatPath = `/v1/chats/${encodeURIComponent(thread)}`;
  // Warm the paths measured below, so their compiled code is not counted as per-socket or per-link memory.
  const warm = await login(proxy, 0);
  await pool(Array.from({ length: 300 }), 10, () => json(`${proxy.url}${chatPath}`, { headers: { authorization: `Bearer ${warm}` } }));
  const warmSockets = await EventClients.open(proxy.url, [warm], PLAN.socketsPerToken);
  await warmSockets.close();

  const socketTokens = await pool(Array.from({ length: Math.ceil(PLAN.sockets / PLAN.socketsPerToken) }), 50, (_x, i) => login(proxy, i + 1));
  const linkTokens = await pool(Array.from({ length: PLAN.idleLinks }), 50, (_x, i) => login(proxy, i + 1 + socketTokens.length));

  // Sockets first, on a small heap: RSS then grows with what they hold (their links and long-polls included).
  const beforeSockets = await proxy.request<ProcessStats>('gc');
  const clients = await EventClients.open(proxy.url, socketTokens, PLAN.socketsPerToken);
  // Wait until every token's long-poll is parked upstream: the sockets are then truly idle.
  await parked(upstream, socketTokens.length);
  const afterSockets = await proxy.request<ProcessStats>('gc');
  const sockets = clients.sockets.length;
  const rssKiBPerIdleSocket = (afterSockets.rssBytes - beforeSockets.rssBytes) / 1024 / sockets;
  const heapKiBPerIdleSocket = (afterSockets.heapUsedBytes - beforeSockets.heapUsedBytes) / 1024 / sockets;
  log(`  ${sockets} idle sockets over ${socketTokens.length} tokens: RSS +${round((afterSockets.rssBytes - beforeSockets.rssBytes) / 1048576, 1)} MiB, heap +${round((afterSockets.heapUsedBytes - beforeSockets.heapUsedBytes) / 1048576, 1)} MiB`);

  const linksBefore = await proxy.request<number>('links');
  await pool(linkTokens, 50, (token) => json(`${proxy.url}${chatPath}`, { headers: { authorization: `Bearer ${token}` } }));
  const afterLinks = await proxy.request<ProcessStats>('gc');
  const newLinks = (await proxy.request<number>('links')) - linksBefore;
  const rssKiBPerIdleLink = (afterLinks.rssBytes - afterSockets.rssBytes) / 1024 / newLinks;
  const heapKiBPerIdleLink = (afterLinks.heapUsedBytes - afterSockets.heapUsedBytes) / 1024 / newLinks;
  log(`  ${newLinks} idle links (one REST call each): RSS +${round((afterLinks.rssBytes - afterSockets.rssBytes) / 1048576, 1)} MiB, heap +${round((afterLinks.heapUsedBytes - afterSockets.heapUsedBytes) / 1048576, 1)} MiB`);

  const steady = await eventPhase(proxy, upstream, clients, socketTokens, 'steady', STEADY);
  log(`  steady ${PLAN.eventRate} notifications/s: ${steady.delivered} deliveries, p50 ${round(steady.p50, 2)} ms, p99 ${round(steady.p99, 2)} ms, ${round(steady.cpuUsPerEvent, 1)} µs CPU each`);
  const saturated = await eventPhase(proxy, upstream, clients, socketTokens, 'saturated', { mode: 'saturate', durationMs: PLAN.saturateMs });
  log(`  saturated: ${Math.round(saturated.perSecond)} deliveries/s, ${round(saturated.cpuUsPerEvent, 1)} µs CPU each`);
  if (clients.unexpectedCloses) notes.push(`${clients.unexpectedCloses} sockets closed unexpectedly`);
  await clients.close();
  return { rssKiBPerIdleLink, heapKiBPerIdleLink, rssKiBPerIdleSocket, heapKiBPerIdleSocket, sockets, tokens: socketTokens.length, links: newLinks, steady, saturated };
}

type EventArgs = { mode: 'rate' | 'saturate'; perSecond?: number; durationMs: number };
const STEADY: EventArgs = { mode: 'rate', perSecond: PLAN.eventRate, durationMs: PLAN.eventMs };

/** Waits (bounded) until `count` long-polls are parked upstream. */
async function parked(upstream: BenchChild, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await upstream.request<{ parked: number }>('upstream')).parked < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One event phase: the upstream releases notifications to `tokens`; `server`'s sockets receive them. */
async function eventPhase(server: BenchChild, upstream: BenchChild, clients: EventClients, tokens: string[], name: string, args: EventArgs) {
  clients.reset();
  clients.recording = true;
  await server.request('resetEventLoop');
  const before = await server.request<ProcessStats>('stats');
  const start = performance.now();
  const { released } = await profiled(server, `events ${name}`, () => upstream.request<{ released: number }>('events', { ...args, tokens }));
  const releasing = performance.now() - start;
  // Let the last released events arrive (bounded).
  const expected = released * PLAN.socketsPerToken;
  const settle = Date.now() + 2_000;
  while (clients.received < expected && Date.now() < settle) await new Promise((r) => setTimeout(r, 10));
  const after = await server.request<ProcessStats>('stats');
  clients.recording = false;
  if (server.name === 'proxy') eventLoopByRun[`events ${name}`] = after.eventLoop.p99;
  const lost = expected - clients.received;
  if (lost > 0) notes.push(`${server.name} events ${name}: ${lost} of ${expected} expected deliveries did not arrive`);
  return {
    released,
    delivered: clients.received,
    perSecond: clients.received / (releasing / 1_000),
    p50: clients.latencies.percentile(50),
    p99: clients.latencies.percentile(99),
    cpuUsPerEvent: (after.cpuUs - before.cpuUs) / clients.received,
    eventLoopP99: after.eventLoop.p99,
  };
}

/**
 * The steady phase again through the raw event relay (event-relay.ts) with as many sockets, on fresh
 * upstream tokens: the floor of the event figures on this machine, as the relay is for REST.
 */
async function eventFloor(upstream: BenchChild, tokenCount: number) {
  const relay = await BenchChild.start('event relay', join(BUILD, 'bench', 'event-relay.js'), {
    env: { BENCH_UPSTREAM_URL: upstream.url + SOAP_PATH },
    logFile: join(RESULTS, 'event-relay.log'),
  });
  children.push(relay);
  const tokens = await pool(Array.from({ length: tokenCount }), 20, async (_x, i) => {
    const reply = await fetch(upstream.url + SOAP_PATH, { method: 'POST', body: buildEnvelope({}, authRequest(`floor${i}@example.com`, 'secret')) });
    const token = /<authToken>([^<]+)</.exec(await reply.text())?.[1];
    if (!token) throw new Error('the canned upstream gave no token');
    return token;
  });
  const clients = await EventClients.open(relay.url, tokens, PLAN.socketsPerToken);
  await parked(upstream, tokens.length);
  const steady = await eventPhase(relay, upstream, clients, tokens, 'steady', STEADY);
  log(`  event relay (floor), steady: p50 ${round(steady.p50, 2)} ms, p99 ${round(steady.p99, 2)} ms, ${round(steady.cpuUsPerEvent, 1)} µs CPU each`);
  await clients.close();
  await stopChild(relay);
  return steady;
}

/**
 * GET chat again on a proxy process started with other settings, reported beside the production
 * figure, never instead of it: a tuned configuration, or the what-if whose XML parsing is made free
 * (BENCH_FREE_PARSE, see proxy-server.ts): how much of the gap to the relay is the parser's.
 */
const GET_CHAT_VARIANTS = {
  tuned: { run: 'GET chat (tuned)', env: { BENCH_LOG_LEVEL: 'warn', BENCH_RATE_LIMIT: 'off' }, about: 'GET chat on a tuned proxy (LOG_LEVEL=warn, RATE_LIMIT=off):' },
  whatif: {
    run: 'GET chat (parsing free)',
    env: { BENCH_FREE_PARSE: '1' },
    about: 'GET chat on a proxy whose XML parsing is free (each distinct reply parsed once, then memoized; a what-if bound):',
  },
};

async function getChatVariant(variant: keyof typeof GET_CHAT_VARIANTS, upstream: BenchChild, relay: BenchChild, chatPath: string, envelope: string, soapHeaders: Record<string, string>) {
  const { run, env, about } = GET_CHAT_VARIANTS[variant];
  log(about);
  const proxy = await startProxy(upstream, env);
  const users = await pool(Array.from({ length: PLAN.connections }), 10, (_x, i) => login(proxy, i));
  const figure = await proxyVsRelay(
    run,
    proxy,
    relay,
    { url: proxy.url + chatPath, method: 'GET', headers: {}, tokens: users },
    { url: relay.url + SOAP_PATH, method: 'POST', headers: soapHeaders, body: envelope },
  );
  await stopChild(proxy);
  return figure;
}

// ---- report ------------------------------------------------------------------------------------------

interface Row {
  figure: string;
  value: number;
  unit: string;
  target: string;
  met?: boolean;
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.figure, `${formatNumber(r.value)} ${r.unit}`.trim(), r.target, r.met === undefined ? '–' : r.met ? 'met' : 'NOT MET']);
  const header = ['figure', 'value', 'target', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) log(line(c));
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1_000) return String(Math.round(value));
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(value === Math.round(value) ? 0 : 3);
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  for (const f of ['proxy.log', 'upstream.log', 'relay.log']) writeFileSync(join(RESULTS, f), '');
  checkDescriptors();
  log(`imbridge bench: ${cpus().length} CPUs (${availableParallelism()} usable), node ${process.version}, ${PLAN.connections} connections, scale ${SCALE}`);
  compileForBench(ROOT, BUILD);
  const env = { BENCH_FIXTURES: join(ROOT, 'bench', 'fixtures') };
  const upstream = await BenchChild.start('upstream', join(BUILD, 'bench', 'canned-upstream.js'), { env, logFile: join(RESULTS, 'upstream.log') });
  children.push(upstream);
  const relay = await BenchChild.start('relay', join(BUILD, 'bench', 'relay.js'), {
    env: { ...env, BENCH_UPSTREAM_URL: upstream.url + SOAP_PATH },
    logFile: join(RESULTS, 'relay.log'),
  });
  children.push(relay);
  const proxy = await startProxy(upstream);

  const chat = recordedChat();
  const chatPath = `/v1/chats/${encodeURIComponent(chat.thread)}`;
  // One user per connection: each token has about one request in flight, as real users do.
  const users = await pool(Array.from({ length: PLAN.connections }), 10, (_x, i) => login(proxy, i));
  await pool(users, 10, (user) => json(`${proxy.url}${chatPath}`, { headers: { authorization: `Bearer ${user}` } }));
  const token = users[0];

  // The bytes the proxy sends upstream, on a session of their own, for the relay and the direct client.
  const direct = await fetch(upstream.url + SOAP_PATH, {
    method: 'POST',
    body: buildEnvelope({ authToken: token, session: 'new' }, { IMGatewayListRequest: { '@_xmlns': 'urn:zimbraIM' } }),
  }).then((r) => r.text());
  const session = /<session id="([^"]+)"/.exec(direct)?.[1];
  if (!session) throw new Error('the canned upstream gave no session');
  // A large ack acknowledges every block the replies carry (as the proxy does promptly), so the relay's
  // replies hold what the proxy's hold: no pile of unacknowledged blocks.
  const context: RequestContext = { authToken: token, session, notifySeq: 1_000_000_000, userAgent: { name: 'imbridge' } };
  // Chat reads name no session (they need no notifications), as the proxy sends them.
  const getChatEnvelope = buildEnvelope({ authToken: token, userAgent: context.userAgent }, getChatRequest(chat.thread));
  const sendEnvelope = buildEnvelope(context, sendMessageRequest({ address: chat.partner, thread: chat.thread, text: MESSAGE_TEXT }));
  const soapHeaders = { 'content-type': 'application/soap+xml; charset=utf-8' };

  log(`REST throughput, ${PLAN.rounds} alternating rounds of ${PLAN.roundMs / 1000} s each:`);
  const getChat = !ONLY.has('get') ? NONE : await proxyVsRelay(
    'GET chat',
    proxy,
    relay,
    { url: proxy.url + chatPath, method: 'GET', headers: {}, tokens: users },
    { url: relay.url + SOAP_PATH, method: 'POST', headers: soapHeaders, body: getChatEnvelope },
  );
  const postMessage = !ONLY.has('post') ? NONE : await proxyVsRelay(
    'POST message',
    proxy,
    relay,
    { url: `${proxy.url}${chatPath}/messages`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: MESSAGE_TEXT }), tokens: users },
    { url: relay.url + SOAP_PATH, method: 'POST', headers: soapHeaders, body: sendEnvelope },
  );

  log(`Latency at ${PLAN.latencyRate} req/s (GET chat; the same IMGetChat sent directly, and through the relay):`);
  const nan = { p50: NaN, p99: NaN };
  const latency = !ONLY.has('latency') ? { proxy: nan, direct: nan, relay: nan, added: nan, samples: 0 } : await fixedRateLatency(proxy, relay, upstream, token, chat.thread, getChatEnvelope);
  log(`  proxy p50 ${round(latency.proxy.p50, 3)} / p99 ${round(latency.proxy.p99, 3)} ms; direct p50 ${round(latency.direct.p50, 3)} / p99 ${round(latency.direct.p99, 3)} ms; relay p50 ${round(latency.relay.p50, 3)} / p99 ${round(latency.relay.p99, 3)} ms`);

  // Memory and events on a fresh proxy process, so the REST runs' heap does not blur the deltas.
  await stopChild(proxy);

  const getChatTuned = !ONLY.has('tuned') ? NONE : await getChatVariant('tuned', upstream, relay, chatPath, getChatEnvelope, soapHeaders);
  const getChatFreeParse = !ONLY.has('whatif') ? NONE : await getChatVariant('whatif', upstream, relay, chatPath, getChatEnvelope, soapHeaders);
  // Long-polls per token: the REST runs (a send's echo waiter may start one) and the socket phases.
  const pollsDuringRest = await upstream.request<number>('resetPollMaximum');
  log(`Memory and event delivery (${PLAN.sockets} sockets, ${PLAN.socketsPerToken} per token) on a fresh proxy process:`);
  let events = NO_EVENTS;
  if (ONLY.has('events')) {
    const eventsProxy = await startProxy(upstream);
    events = await memoryAndEvents(eventsProxy, upstream, chat.thread);
    await stopChild(eventsProxy);
  }
  const upstreamStats = await upstream.request<{ maxPollsPerToken: number; requests: Record<string, number> }>('upstream');
  const eventFloorSteady = ONLY.has('events') ? await eventFloor(upstream, events.tokens) : NO_PHASE;

  // The service's own runs at production defaults: not the relays', nor the tuned or what-if variants.
  const proxyRuns = Object.entries(eventLoopByRun).filter(([run]) => !/relay$|\((tuned|parsing free)\)/.test(run));
  const eventLoopDelayMsP99 = Math.max(...proxyRuns.map(([, p99]) => p99));
  // Unsaturated runs only: at a fixed rate the proxy's loop is compared with the relay's at the same rate.
  const eventLoopVsRelayByRun = {
    latency: (eventLoopByRun['latency proxy'] ?? NaN) / (eventLoopByRun['latency relay'] ?? NaN),
    events: (eventLoopByRun['events steady'] ?? NaN) / eventFloorSteady.eventLoopP99,
  };
  const results = {
    proxyVsRelay: {
      getChat: round(getChat.ratio, 3),
      postMessage: round(postMessage.ratio, 3),
      eventLatencyP99: round(events.steady.p99 / eventFloorSteady.p99, 3),
      cpuPerEvent: round(events.steady.cpuUsPerEvent / eventFloorSteady.cpuUsPerEvent, 3),
      eventLoopP99: round(Math.max(...Object.values(eventLoopVsRelayByRun)), 3),
    },
    proxyVsDirect: { latencyP50: round(latency.proxy.p50 / latency.direct.p50, 3), latencyP99: round(latency.proxy.p99 / latency.direct.p99, 3) },
    addedLatencyMs: { p50: round(latency.added.p50, 3), p99: round(latency.added.p99, 3) },
    eventLatencyMs: { p50: round(events.steady.p50, 3), p99: round(events.steady.p99, 3) },
    cpuUsPerEvent: round(events.steady.cpuUsPerEvent, 2),
    eventsPerSecond: Math.round(events.saturated.perSecond),
    rssKiBPerIdleSocket: round(events.rssKiBPerIdleSocket, 2),
    rssKiBPerIdleLink: round(events.rssKiBPerIdleLink, 2),
    eventLoopDelayMsP99: round(eventLoopDelayMsP99, 2),
    longPollsPerToken: Math.max(pollsDuringRest, upstreamStats.maxPollsPerToken),
    details: {
      getChat,
      postMessage,
      getChatTuned,
      getChatFreeParse,
      latency,
      events,
      eventFloor: eventFloorSteady,
      eventLoopDelayMsP99ByRun: eventLoopByRun,
      eventLoopVsRelayByRun,
      upstreamRequests: upstreamStats.requests,
      longPollsPerTokenDuringRest: pollsDuringRest,
    },
    meta: {
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      plan: PLAN,
      scale: SCALE,
      defaults: 'LOG_LEVEL=info (logs to a file), RATE_LIMIT=1000000 per minute',
      notes,
      durationS: round((Date.now() - started) / 1000, 1),
    },
  };
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2) + '\n');

  // The targets of the performance issue, each a ratio to a floor measured in this run, or a guard.
  const ratio = { floor: 1, unit: '×' };
  const figures: ChartFigure[] = [
    { label: 'GET chat, proxy ÷ relay (req/s)', value: results.proxyVsRelay.getChat, ...ratio, target: 0.4, better: 'higher' },
    { label: 'POST message, proxy ÷ relay (req/s)', value: results.proxyVsRelay.postMessage, ...ratio, target: 0.35, better: 'higher' },
    { label: `latency p50 @ ${PLAN.latencyRate} req/s, proxy ÷ direct`, value: results.proxyVsDirect.latencyP50, ...ratio, target: 2, better: 'lower' },
    { label: `latency p99 @ ${PLAN.latencyRate} req/s, proxy ÷ direct`, value: results.proxyVsDirect.latencyP99, ...ratio, target: 3, better: 'lower' },
    { label: `event p99 (${events.sockets} sockets), proxy ÷ relay`, value: results.proxyVsRelay.eventLatencyP99, ...ratio, target: 2, better: 'lower' },
    { label: 'CPU per delivered event, proxy ÷ relay', value: results.proxyVsRelay.cpuPerEvent, ...ratio, target: 1.3, better: 'lower' },
    { label: 'event-loop p99 (unsaturated), proxy ÷ relay', value: results.proxyVsRelay.eventLoopP99, ...ratio, target: 2, better: 'lower' },
    { label: 'RSS per idle socket', value: results.rssKiBPerIdleSocket, unit: ' KiB', target: 8, better: 'lower' },
    { label: 'RSS per idle link', value: results.rssKiBPerIdleLink, unit: ' KiB', target: 16, better: 'lower' },
    { label: 'upstream long-polls per token', value: results.longPollsPerToken, unit: '', target: 1, better: 'exact' },
  ];
  writeFileSync(join(RESULTS, 'latest.svg'), renderChart(`imbridge bench, ${results.meta.at.slice(0, 10)}: production defaults, floors from the same run`, figures));
  const rows: Row[] = [
    ...figures.map((f) => ({ figure: f.label, value: f.value, unit: f.unit.trim(), target: `${comparison(f)} ${f.target}`, met: isMet(f) })),
    { figure: '… GET chat on a tuned proxy (LOG_LEVEL=warn, RATE_LIMIT=off)', value: round(getChatTuned.ratio, 3), unit: '×', target: '(beside)' },
    { figure: '… GET chat with XML parsing free (what-if)', value: round(getChatFreeParse.ratio, 3), unit: '×', target: '(bound)' },
    { figure: `GET chat latency p50 @ ${PLAN.latencyRate} req/s`, value: round(latency.proxy.p50, 3), unit: 'ms', target: `(direct ${formatNumber(latency.direct.p50)} ms)` },
    { figure: `GET chat latency p99 @ ${PLAN.latencyRate} req/s`, value: round(latency.proxy.p99, 3), unit: 'ms', target: `(direct ${formatNumber(latency.direct.p99)} ms)` },
    { figure: `event latency p99 (${events.sockets} sockets)`, value: results.eventLatencyMs.p99, unit: 'ms', target: `(relay ${formatNumber(eventFloorSteady.p99)} ms)` },
    { figure: 'server CPU per delivered event', value: results.cpuUsPerEvent, unit: 'µs', target: `(relay ${formatNumber(eventFloorSteady.cpuUsPerEvent)} µs)` },
    { figure: 'events delivered per second (saturated)', value: results.eventsPerSecond, unit: '/s', target: '' },
    { figure: 'event-loop delay p99 (worst run of the proxy)', value: results.eventLoopDelayMsP99, unit: 'ms', target: '' },
  ];
  log('');
  printTable(rows);
  log('');
  log(`GET chat: proxy ${Math.round(getChat.proxyRps)} req/s (${round(getChat.proxyCpuUsPerRequest, 0)} µs CPU each), relay ${Math.round(getChat.relayRps)} req/s (${round(getChat.relayCpuUsPerRequest, 0)} µs)`);
  log(`POST message: proxy ${Math.round(postMessage.proxyRps)} req/s (${round(postMessage.proxyCpuUsPerRequest, 0)} µs CPU each), relay ${Math.round(postMessage.relayRps)} req/s (${round(postMessage.relayCpuUsPerRequest, 0)} µs)`);
  log(`GET chat, tuned: proxy ${Math.round(getChatTuned.proxyRps)} req/s (${round(getChatTuned.proxyCpuUsPerRequest, 0)} µs CPU each), relay ${Math.round(getChatTuned.relayRps)} req/s (${round(getChatTuned.relayCpuUsPerRequest, 0)} µs)`);
  log(`GET chat, parsing free (what-if): proxy ${Math.round(getChatFreeParse.proxyRps)} req/s (${round(getChatFreeParse.proxyCpuUsPerRequest, 0)} µs CPU each), relay ${Math.round(getChatFreeParse.relayRps)} req/s (${round(getChatFreeParse.relayCpuUsPerRequest, 0)} µs)`);
  log(`event-loop delay p99 by run (ms): ${Object.entries(eventLoopByRun).map(([k, v]) => `${k} ${round(v, 1)}`).join(', ')}`);
  for (const note of notes) log(`note: ${note}`);
  log(`results: bench/results/latest.json and latest.svg (${round((Date.now() - started) / 1000, 0)} s)`);
}

async function shutdown(): Promise<void> {
  await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
}

main()
  .then(shutdown, async (err) => {
    console.error(`bench failed: ${(err as Error).stack ?? err}`);
    await shutdown();
    process.exitCode = 1;
  })
  .finally(() => {
    // Nothing of the bench may keep the process alive.
    setTimeout(() => process.exit(), 500).unref();
  });
process.on('SIGINT', () => void shutdown().finally(() => process.exit(130)));
