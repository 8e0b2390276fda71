import { Api, eventually, Stack, startProxy, startStack } from './support/stack';
import { OpenSockets } from './support/ws-client';

const ALICE = 'alice@example.com';
const CAROL = 'carol@example.com';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (`name{label="value",…} number` lines). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  constructor(readonly samples: Sample[]) {}

  /** The sum of the samples named `name` whose labels include `labels` (0 when there are none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }

  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }
}

async function scrape(api: Api): Promise<Scrape> {
  const res = await api.get<string>('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(parseExposition(res.body));
}

const upstreamCalls = 'imbridge_upstream_request_duration_seconds_count';

describe('GET /metrics', () => {
  let stack: Stack;
  const sockets = new OpenSockets(() => stack.url);

  beforeAll(async () => {
    stack = await startStack({ config: { upstreamTimeoutMs: 1_000 } });
  });
  afterEach(async () => {
    await sockets.closeAll();
    stack.sim.clearFaults();
  });
  afterAll(() => stack.close());

  it('counts a login, a roster read, an event a socket receives, a validation error and an upstream fault', async () => {
    const before = await scrape(stack.api);
    const alice = await stack.api.login('alice');
    expect((await stack.api.get('/v1/roster', alice)).status).toBe(200);
    const socket = await sockets.ready({ token: alice });
    expect((await stack.api.put('/v1/presence', { show: 'xa', status: 'counted' }, alice)).status).toBe(204);
    await socket.waitFor((f) => f.type === 'presence' && f.data.address === ALICE && f.data.status === 'counted');
    expect((await stack.api.post('/v1/sessions', { account: ALICE })).status).toBe(400);
    stack.sim.injectFault({ request: 'IMSetPresenceRequest', kind: 'fault', code: 'service.FAILURE', message: 'boom', side: 'receiver' });
    expect((await stack.api.put('/v1/presence', { show: 'dnd' }, alice)).status).toBe(502);

    const after = await scrape(stack.api);
    const moved = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
    expect(moved(upstreamCalls, { request: 'AuthRequest', outcome: 'ok' })).toBe(1);
    expect(moved(upstreamCalls, { request: 'IMGetRosterRequest', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(moved(upstreamCalls, { request: 'IMSetPresenceRequest', outcome: 'fault' })).toBe(1);
    expect(moved('imbridge_upstream_request_duration_seconds_bucket', { request: 'AuthRequest', outcome: 'ok', le: '+Inf' })).toBe(1);
    expect(moved('imbridge_problems_total', { code: 'request.INVALID' })).toBe(1);
    expect(moved('imbridge_problems_total', { code: 'service.FAILURE' })).toBe(1);
    expect(moved('imbridge_events_published_total')).toBeGreaterThanOrEqual(1);
    expect(moved('imbridge_events_delivered_total')).toBeGreaterThanOrEqual(1);
    expect(after.value('imbridge_links')).toBe(1);
    expect(after.value('imbridge_sockets')).toBe(1);
    // prom-client's default metrics: the process and the event loop.
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);

    await socket.close();
    await eventually(async () => ((await scrape(stack.api)).value('imbridge_sockets') === 0 ? true : undefined), 3_000, 'socket gauge back to 0');
  });

  it.each([
    ['bad_response', { kind: 'garbage', body: 'down for maintenance' }],
    ['unavailable', { kind: 'http', status: 503 }],
    ['unavailable', { kind: 'reset' }],
    ['timeout', { kind: 'stall', ms: 1_500 }],
  ])('an upstream call that ends %s (%j) is observed with that outcome', async (outcome, fault) => {
    const labels = { request: 'AuthRequest', outcome };
    const before = (await scrape(stack.api)).value(upstreamCalls, labels);
    stack.sim.injectFault({ request: 'AuthRequest', ...(fault as object) } as never);
    expect((await stack.api.post('/v1/sessions', { account: 'bob@example.com', password: 'bob-pass' })).status).toBeGreaterThanOrEqual(502);
    expect((await scrape(stack.api)).value(upstreamCalls, labels)).toBe(before + 1);
  });

  it('resyncs by reason: a socket whose ?after= cannot be replayed (gap), an upstream session replaced (upstream_session)', async () => {
    const carol = await stack.api.login('carol'); // an account of its own: no other link sees its sessions end
    const before = await scrape(stack.api);
    const stale = await sockets.ready({ token: carol, query: { after: 'zzz.1' } });
    await stale.waitFor((f) => f.type === 'resync');
    stack.sim.endSessions(CAROL);
    await stale.waitFor((f) => f.type === 'resync' && f.data.reason === 'upstream_session', 5_000);
    const after = await scrape(stack.api);
    expect(after.value('imbridge_resyncs_total', { reason: 'gap' }) - before.value('imbridge_resyncs_total', { reason: 'gap' })).toBe(1);
    expect(after.value('imbridge_resyncs_total', { reason: 'upstream_session' }) - before.value('imbridge_resyncs_total', { reason: 'upstream_session' })).toBe(1);
  });

  it('counts rate-limited requests, each application on its own registry', async () => {
    const limited = await startProxy(stack.sim, { rateLimitPerMinute: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.api.get('/v1/roster')).status);
      expect(statuses).toEqual([401, 401, 429]);
      const own = await scrape(limited.api);
      expect(own.value('imbridge_rate_limited_total')).toBe(1);
      expect(own.value('imbridge_problems_total', { code: 'rate.LIMITED' })).toBe(1);
      expect(own.value('imbridge_problems_total', { code: 'auth.REQUIRED' })).toBe(2);
      expect((await scrape(stack.api)).value('imbridge_rate_limited_total')).toBe(0);
    } finally {
      await limited.close();
    }
  });
});
