/**
 * Offline delivery's figures, printed, never asserted:
 *
 *   npm run bench:webhooks                  # about 2 minutes, loopback only
 *   BENCH_SCALE=0.3 npm run bench:webhooks  # shorter timed runs, a quick look
 *
 * The simulator, a webhook receiver and the WebSocket clients run in this process; the proxy runs in
 * a process of its own (src/ compiled to plain JavaScript, `bench/webhook-proxy.ts`) at production
 * defaults — except EVENTS_LINGER_MS, 1 s instead of 120 s, so that the bench need not wait two
 * minutes before a token counts as offline (the linger is a deliberate wait, not a cost).
 *
 * Latency: one proxy, 20 tokens with a socket open and 20 without; the simulator receives messages
 * for them at a steady rate, alternately; a message's latency is its arrival (socket frame, or the
 * receiver's request) − the moment the bench handed it to the simulator, on this process's clock.
 * The socket path is the floor of the webhook path (same upstream, same proxy, same run): the
 * difference is what offline delivery adds — the batch linger (WEBHOOK_BATCH_LINGER_MS, 100 ms by
 * default: measured once at the default and once at 0), signing, and one HTTP request. A signed
 * POST sent straight from this process to the receiver is the floor of that request.
 *
 * Memory: 20 tokens without sockets, a receiver that never answers (its port refuses connections),
 * WEBHOOK_MAX_QUEUE_PER_TOKEN at its default 1 000; N messages in all, then more. The proxy's heap
 * after full collections, against the same messages with a receiver that takes everything (the
 * floor: the links, their event logs, the process) — the difference is what the waiting events cost,
 * and it stops growing at the bound.
 */
import { createServer, Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { ImSimulator } from '../src/simulator';
import { payloadBody, sessionOf, webhookId } from '../src/webhooks/payload';
import { Signer } from '../src/webhooks/signature';
import { BenchChild } from './lib/child';
import { compileForBench } from './lib/compile';
import type { ProcessStats } from './lib/process-stats';
import { round, Samples } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const BUILD = join(ROOT, 'node_modules', '.cache', 'imbridge-bench-webhooks');
const SCALE = Number(process.env.BENCH_SCALE ?? 1) || 1;
const ms = (base: number) => Math.max(500, Math.round(base * SCALE));
const PLAN = {
  tokensPerGroup: 20,
  /** Messages per second for each group (sockets, webhooks). */
  rate: 50,
  warmupMs: ms(2_000),
  runMs: ms(8_000),
  directPosts: Math.max(100, Math.round(400 * SCALE)),
  memoryTokens: 20,
  /** Messages in all after each step (per token: 500, under the bound of 1 000; then 2 000 and 4 000). */
  memorySteps: [10_000, 40_000, 80_000],
};
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FROM = 'feed@partner.example.org';
const LINGER_MS = 1_000;
const ACCOUNTS = Array.from({ length: 120 }, (_, i) => ({ address: `u${i + 1}@example.com`, password: `u${i + 1}-pass` }));

const sleep = (millis: number) => new Promise((r) => setTimeout(r, millis));
const children: BenchChild[] = [];
let sim: ImSimulator | undefined;

/** Message texts are `<id> <sent at>`; whoever gets one looks its send time up. */
const sentAt = new Map<string, number>();
let nextMessage = 0;

function send(address: string, measured: boolean): void {
  const id = `${measured ? 'm' : 'w'}${++nextMessage}`;
  sentAt.set(id, performance.now());
  sim!.receiveMessage(address, { from: FROM, body: id });
}

/** A webhook receiver: answers 200, and records each message event's latency. */
class Receiver {
  latencies = new Samples();
  events = 0;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const now = performance.now();
        const payload = JSON.parse(Buffer.concat(chunks).toString()) as { events: { type: string; data: { text?: string } }[] };
        for (const event of payload.events) {
          this.events++;
          const text = event.data.text ?? '';
          const at = sentAt.get(text);
          if (at !== undefined && text.startsWith('m')) this.latencies.push(now - at);
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function startProxy(name: string, env: Record<string, string>): Promise<BenchChild> {
  const proxy = await BenchChild.start(name, join(BUILD, 'bench', 'webhook-proxy.js'), {
    env: {
      UPSTREAM_URL: sim!.url,
      LOG_LEVEL: 'info',
      RATE_LIMIT: '1000000', // the bench logs every token in from one address
      EVENTS_LINGER_MS: String(LINGER_MS),
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: '', // one process, whatever the shell says
      ...env,
    },
    logFile: join(RESULTS, `${name}.log`),
    execArgv: ['--expose-gc'],
  });
  children.push(proxy);
  return proxy;
}

async function call(proxy: BenchChild, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(proxy.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Logs the accounts in and gives each token its link (and registered upstream session). */
async function offlineTokens(proxy: BenchChild, accounts: typeof ACCOUNTS): Promise<string[]> {
  const tokens = await Promise.all(accounts.map(async (a) => (await call(proxy, 'POST', '/v1/sessions', undefined, { account: a.address, password: a.password })).token as string));
  await Promise.all(tokens.map((token) => call(proxy, 'GET', '/v1/roster', token)));
  return tokens;
}

async function metric(proxy: BenchChild, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name) && l.includes(label)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface LatencyRun {
  socket: Samples;
  webhook: Samples;
}

/** Half the tokens with a socket, half without; messages to both, alternately, at PLAN.rate each. */
async function latencyRun(name: string, receiver: Receiver, env: Record<string, string>, offset: number): Promise<LatencyRun> {
  const proxy = await startProxy(name, env);
  const accounts = ACCOUNTS.slice(offset, offset + 2 * PLAN.tokensPerGroup);
  const tokens = await offlineTokens(proxy, accounts);
  const socketSamples = new Samples();
  const sockets = await Promise.all(
    tokens.slice(0, PLAN.tokensPerGroup).map(
      (token) =>
        new Promise<WebSocket>((resolveOpen, reject) => {
          const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}/v1/events`, { headers: { authorization: `Bearer ${token}` } });
          ws.on('message', (data) => {
            const frame = JSON.parse(data.toString()) as { type: string; data?: { text?: string } };
            if (frame.type === 'ready') return resolveOpen(ws);
            const text = frame.data?.text ?? '';
            const at = sentAt.get(text);
            if (frame.type === 'message' && at !== undefined && text.startsWith('m')) socketSamples.push(performance.now() - at);
          });
          ws.on('error', reject);
        }),
    ),
  );
  const withSocket = accounts.slice(0, PLAN.tokensPerGroup).map((a) => a.address);
  const without = accounts.slice(PLAN.tokensPerGroup).map((a) => a.address);
  await sleep(LINGER_MS + 500); // the tokens without a socket are offline now
  receiver.latencies = new Samples();

  const total = Math.round(((PLAN.warmupMs + PLAN.runMs) / 1000) * PLAN.rate);
  const warmup = Math.round((PLAN.warmupMs / 1000) * PLAN.rate);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / PLAN.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const measured = i >= warmup;
    send(withSocket[i % withSocket.length], measured);
    send(without[i % without.length], measured);
  }
  await sleep(1_500); // the last ones arrive
  for (const ws of sockets) ws.close();
  await proxy.stop();
  return { socket: socketSamples, webhook: receiver.latencies };
}

/** Signed POSTs of a one-event batch straight to the receiver: the least one webhook request costs here. */
async function directPosts(url: string): Promise<Samples> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 4 });
  const signer = new Signer([SECRET]);
  const samples = new Samples();
  const session = sessionOf('bench-token');
  for (let i = 0; i < PLAN.directPosts; i++) {
    const event = { id: `b.${i}`, type: 'message' as const, at: new Date().toISOString(), data: { thread: 't', from: FROM, seq: i + 1, sentAt: new Date().toISOString(), text: `d${i}` } };
    const t0 = performance.now();
    const body = payloadBody('u1@example.com', session, [event]);
    const res = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...signer.headers(webhookId(session, [event]), body) }, body });
    await res.body.dump();
    samples.push(performance.now() - t0);
    await sleep(5);
  }
  await pool.close();
  return samples;
}

/** Heap after each step of messages, with the receiver at `url`; `processed` tells when the proxy has taken them all. */
async function memoryRun(name: string, url: string, offset: number, processed: (proxy: BenchChild, sent: number) => Promise<boolean>): Promise<{ heapMiB: number[]; queued: number[]; dropped: number[] }> {
  const proxy = await startProxy(name, { WEBHOOK_URL: url });
  const accounts = ACCOUNTS.slice(offset, offset + PLAN.memoryTokens);
  await offlineTokens(proxy, accounts);
  await sleep(LINGER_MS + 500);
  // One message each first: every link has read its account and sent (or tried) once.
  for (const a of accounts) send(a.address, false);
  await until(() => processed(proxy, accounts.length), 30_000, `${name}: first messages`);
  const heap = async () => ((await proxy.request<ProcessStats>('gc')).heapUsedBytes / 1024 / 1024);
  const heapMiB = [await heap()];
  const queued = [await metric(proxy, 'imbridge_webhook_queued_events')];
  const dropped = [await metric(proxy, 'imbridge_webhook_events_dropped_total')];
  let sent = accounts.length;
  for (const target of PLAN.memorySteps) {
    while (sent < target + accounts.length) {
      // In rounds of one message per token; every 1 000 messages the proxy catches up, so the upstream
      // never holds a backlog big enough to discard (which would make a gap, not a figure).
      for (const a of accounts) send(a.address, false);
      sent += accounts.length;
      if ((sent / accounts.length) % 50 === 0) await until(() => processed(proxy, sent), 60_000, `${name}: ${sent} messages`);
    }
    await until(() => processed(proxy, sent), 60_000, `${name}: ${target} messages`);
    heapMiB.push(await heap());
    queued.push(await metric(proxy, 'imbridge_webhook_queued_events'));
    dropped.push(await metric(proxy, 'imbridge_webhook_events_dropped_total'));
  }
  await proxy.stop();
  return { heapMiB, queued, dropped };
}

const p = (s: Samples, q: number) => round(s.percentile(q), 1);

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  compileForBench(ROOT, BUILD);
  sim = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: ACCOUNTS });
  const receiver = new Receiver();
  const url = await receiver.start();

  const defaults = await latencyRun('webhooks-proxy-latency', receiver, { WEBHOOK_URL: url }, 0);
  const noLinger = await latencyRun('webhooks-proxy-latency0', receiver, { WEBHOOK_URL: url, WEBHOOK_BATCH_LINGER_MS: '0' }, 40);
  const direct = await directPosts(url);

  // A receiver that never comes back: a port that refuses connections.
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/hook`;
  await new Promise((r) => dead.close(r));
  const down = await memoryRun('webhooks-proxy-dead', deadUrl, 80, async (proxy, sent) =>
    (await metric(proxy, 'imbridge_webhook_queued_events')) + (await metric(proxy, 'imbridge_webhook_events_dropped_total')) >= sent,
  );
  const up = await memoryRun('webhooks-proxy-live', url, 100, async (proxy, sent) => (await metric(proxy, 'imbridge_webhook_events_delivered_total')) >= sent);

  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  out(`delivery latency, message → receiver (${defaults.webhook.length} messages at ${PLAN.rate}/s over ${PLAN.tokensPerGroup} tokens without a socket):`);
  for (const [label, run] of [['batch linger 100 ms (default)', defaults], ['batch linger 0', noLinger]] as const) {
    const [w50, w99, s50, s99] = [p(run.webhook, 50), p(run.webhook, 99), p(run.socket, 50), p(run.socket, 99)];
    out(`  ${label}: p50 ${w50} ms, p99 ${w99} ms; the same messages to sockets (floor) p50 ${s50} ms, p99 ${s99} ms; added p50 ${round(w50 - s50, 1)} ms, p99 ${round(w99 - s99, 1)} ms; ×${round(w50 / s50, 1)} / ×${round(w99 / s99, 1)}`);
  }
  out(`  a signed one-event POST straight to the receiver (the request's floor): p50 ${p(direct, 50)} ms, p99 ${p(direct, 99)} ms`);
  out(`memory with a receiver that never answers, ${PLAN.memoryTokens} tokens, WEBHOOK_MAX_QUEUE_PER_TOKEN 1000 (proxy heap after GC; floor: the same messages, all delivered):`);
  PLAN.memorySteps.forEach((n, i) => {
    const [d, l] = [down.heapMiB[i + 1], up.heapMiB[i + 1]];
    out(`  after ${n} messages: ${round(d, 1)} MiB (floor ${round(l, 1)} MiB, +${round(d - l, 1)} MiB); waiting ${down.queued[i + 1]}, dropped ${down.dropped[i + 1]}`);
  });
  const last = PLAN.memorySteps.length;
  const waitingCost = ((down.heapMiB[1] - down.heapMiB[0]) - (up.heapMiB[1] - up.heapMiB[0])) * 1024 * 1024 / Math.max(1, down.queued[1] - down.queued[0]);
  out(`  per waiting event (first step, dead − floor growth): ${round(waitingCost, 0)} B; growth from ${PLAN.memorySteps[1]} to ${PLAN.memorySteps[last - 1]} messages: ${round(down.heapMiB[last] - down.heapMiB[2], 1)} MiB dead, ${round(up.heapMiB[last] - up.heapMiB[2], 1)} MiB floor`);
  console.log(lines.join('\n'));
}

async function shutdown(): Promise<void> {
  await Promise.all(children.map((child) => child.stop().catch(() => undefined)));
  await sim?.stop();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => void shutdown().then(() => process.exit()));
