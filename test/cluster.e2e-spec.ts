import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ImSimulator } from '../src/simulator';
import { ensureBuilt, ProxyProcess } from './support/cluster';
import { RedisServer, redisCommand } from './support/redis-server';
import { Api, eventually, TEST_ACCOUNTS } from './support/stack';
import { EventClient } from './support/ws-client';

/**
 * Several instances on one Redis, as child processes on the built service (so kills are real), in
 * front of one simulator. Each test starts instances of its own; the simulator and Redis are shared.
 */
const SECRET = 'a-cluster-secret-for-the-e2e-tests-0123456789';
const LEASE_MS = 2_000;
const HEARTBEAT_MS = 250;
const ALICE = 'alice@example.com';
const execFileAsync = promisify(execFile);

/** Runs a command from the repository root with only PATH and the given environment. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(command, args, { cwd: `${__dirname}/..`, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
}

jest.setTimeout(90_000);

describe('several instances on one Redis', () => {
  let sim: ImSimulator;
  let redis: RedisServer;
  const started: ProxyProcess[] = [];
  let instanceCount = 0;

  beforeAll(async () => {
    await ensureBuilt();
    [sim, redis] = await Promise.all([
      ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: TEST_ACCOUNTS, rosterDelayMs: 20, noopTimeoutClampMs: [1_000, 1_200_000] }),
      RedisServer.start(),
    ]);
  }, 180_000);

  afterEach(async () => {
    await Promise.all(started.splice(0).map((instance) => instance.kill()));
    sim.endSessions(ALICE);
    sim.endSessions('bob@example.com');
    await redisCommand(redis.port, ['FLUSHALL']);
  });

  afterAll(async () => {
    await sim?.stop();
    await redis?.stop();
  });

  async function startInstances(count: number, env: Record<string, string> = {}): Promise<ProxyProcess[]> {
    const instances = await Promise.all(
      Array.from({ length: count }, () => {
        const name = `i${++instanceCount}`;
        return ProxyProcess.start({
          name,
          env: {
            UPSTREAM_URL: sim.url,
            REDIS_URL: redis.url,
            CLUSTER_SECRET: SECRET,
            INSTANCE_ID: name,
            CLUSTER_LEASE_MS: String(LEASE_MS),
            CLUSTER_HEARTBEAT_MS: String(HEARTBEAT_MS),
            RATE_LIMIT: 'off',
            LONG_POLL_WAIT_MS: '5000',
            UPSTREAM_TIMEOUT_MS: '3000',
            ROSTER_TIMEOUT_MS: '3000',
            ...env,
          },
        });
      }),
    );
    started.push(...instances);
    return instances;
  }

  const apiOf = (instance: ProxyProcess): Api => new Api(instance.url);
  /** One sample of an instance's /metrics, by its full name with labels. */
  const metric = async (instance: ProxyProcess, series: string): Promise<number> => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    if (!line) throw new Error(`${instance.name} has no ${series}`);
    return Number(line.slice(series.length + 1));
  };
  /** Survivors take links over only once they have been members for a whole lease. */
  const untilEligible = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, LEASE_MS + HEARTBEAT_MS));
  /** Logs alice and bob in; alice's link is claimed by `aliceOwner`, bob's by `bobOwner`. */
  async function aliceOn(aliceOwner: ProxyProcess, bobOwner: ProxyProcess): Promise<{ alice: string; bob: string }> {
    const alice = await apiOf(aliceOwner).login('alice');
    expect((await apiOf(aliceOwner).get('/v1/roster', alice)).status).toBe(200);
    const bob = await apiOf(bobOwner).login('bob');
    expect((await apiOf(bobOwner).get('/v1/roster', bob)).status).toBe(200);
    return { alice, bob };
  }

  const texts = (client: EventClient): string[] => client.events('message').map((f) => f.data.text);

  /** Sends `count` messages from bob to alice through `via`, one every `intervalMs`; calls `during(i)` before message i. */
  async function bobSends(via: ProxyProcess, bob: string, prefix: string, count: number, intervalMs = 0, during?: (i: number) => Promise<void> | void): Promise<string[]> {
    const sent: string[] = [];
    let thread: string | undefined;
    for (let i = 0; i < count; i++) {
      await during?.(i);
      const text = `${prefix} ${i}`;
      const res = thread
        ? await apiOf(via).post(`/v1/chats/${encodeURIComponent(thread)}/messages`, { text }, bob)
        : await apiOf(via).post('/v1/chats', { to: ALICE, text }, bob);
      expect(res.status).toBe(201);
      thread = res.body.thread;
      sent.push(text);
      if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return sent;
  }

  it('keeps one upstream session and one long-poll per token, with sockets and REST on three instances', async () => {
    const instances = await startInstances(3);
    const alice = await apiOf(instances[0]).login('alice');
    const sockets = [];
    for (const instance of instances) {
      expect((await apiOf(instance).get('/v1/roster', alice)).status).toBe(200);
      sockets.push(await EventClient.ready(instance.url, { token: alice }));
    }
    await eventually(() => (sim.parkedNoOpsOf(ALICE) === 1 ? true : undefined), 5_000, 'a parked NoOp');
    for (let i = 0; i < 10; i++) {
      expect(sim.sessionIds(ALICE)).toHaveLength(1);
      expect(sim.parkedNoOpsOf(ALICE)).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('answers roster, privacy lists and sends identically on an instance that does not own the token', async () => {
    const [owner, other, third] = await startInstances(3);
    const alice = await apiOf(owner).login('alice');
    const fromOwner = await apiOf(owner).get('/v1/roster', alice);
    const fromOther = await apiOf(other).get('/v1/roster', alice);
    expect(fromOther.status).toBe(200);
    expect(fromOther.body).toEqual(fromOwner.body);

    const items = [{ order: 1, action: 'deny', address: 'spam.example' }];
    expect((await apiOf(other).put('/v1/privacy-lists/work', { items }, alice)).status).toBe(204);
    const list = await apiOf(third).get('/v1/privacy-lists/work', alice);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ name: 'work', items });

    const socket = await EventClient.ready(third.url, { token: alice });
    const sent = await apiOf(other).post('/v1/chats', { to: 'bob@example.com', text: 'from a non-owner' }, alice);
    expect(sent.status).toBe(201);
    const echo = await socket.waitFor((f) => f.type === 'message' && f.data.text === 'from a non-owner');
    expect(echo.data).toMatchObject({ thread: sent.body.thread, seq: sent.body.seq });
    // A command on a non-owner's socket runs on the owner too, and is acked here.
    socket.send({ op: 'send', id: 'from-a-socket', thread: sent.body.thread, text: 'a command on a non-owner' });
    const ack = await socket.waitFor((f) => f.type === 'ack' && f.id === 'from-a-socket');
    expect(ack.data).toMatchObject({ thread: sent.body.thread, seq: sent.body.seq + 1 });
    const history = await apiOf(third).get(`/v1/chats/${encodeURIComponent(sent.body.thread)}`, alice);
    expect(history.status).toBe(200);
    expect((await apiOf(owner).get(`/v1/chats/${encodeURIComponent(sent.body.thread)}`, alice)).body).toEqual(history.body);
    expect(sim.sessionIds(ALICE)).toHaveLength(1);
    // Only the owner holds a link: every call on the others went to it.
    expect(await metric(owner, 'imbridge_cluster_owned_links')).toBe(1);
    expect(await metric(other, 'imbridge_cluster_owned_links')).toBe(0);
    expect(await metric(third, 'imbridge_cluster_owned_links')).toBe(0);
    expect(await metric(other, 'imbridge_cluster_forwards_total{outcome="answered"}')).toBeGreaterThanOrEqual(2);
    expect(await metric(owner, 'imbridge_cluster_commit_seconds_count')).toBeGreaterThan(0);
    await socket.close();
  });

  it('resumes exactly on another instance with ?after=', async () => {
    const [a, b] = await startInstances(2);
    const alice = await apiOf(a).login('alice');
    const bob = await apiOf(b).login('bob');
    const first = await EventClient.ready(a.url, { token: alice });
    await bobSends(b, bob, 'before', 5);
    await first.waitForCount((f) => f.type === 'message', 5);
    const lastId = first.events().at(-1)!.id!;
    await first.close();
    const missed = await bobSends(b, bob, 'missed', 5);

    const resumed = await EventClient.ready(b.url, { token: alice, query: { after: lastId } });
    expect(resumed.frames[0].data).toMatchObject({ resumed: true });
    const live = await bobSends(a, bob, 'live', 3);
    await resumed.waitForCount((f) => f.type === 'message', 8);
    expect(texts(resumed)).toEqual([...missed, ...live]);
    expect(resumed.frames.filter((f) => f.type === 'resync')).toEqual([]);
    await resumed.close();
  });

  it('loses and repeats nothing when the owner is killed during a 50 msg/s stream, and keeps the upstream session', async () => {
    const [owner, b, c] = await startInstances(3);
    await untilEligible();
    const { alice, bob } = await aliceOn(owner, b);
    const sockets = [await EventClient.ready(b.url, { token: alice }), await EventClient.ready(c.url, { token: alice })];
    const session = sim.sessionIds(ALICE);
    expect(session).toHaveLength(1);

    let killedAt = 0;
    let readMeanwhile: Promise<{ status: number }> | undefined;
    const sent = await bobSends(b, bob, 'stream', 100, 20, async (i) => {
      if (i !== 30) return;
      await owner.kill();
      killedAt = Date.now();
      // A write to a token whose owner is gone is refused at once; a read waits for the takeover.
      const write = await apiOf(c).put('/v1/presence', { show: 'away' }, alice);
      expect(write.status).toBe(503);
      expect(write.body.code).toBe('cluster.UNAVAILABLE');
      expect(write.headers.get('retry-after')).toBe(String(LEASE_MS / 1000));
      readMeanwhile = apiOf(c).get('/v1/roster', alice);
    });
    expect((await readMeanwhile!).status).toBe(200);
    for (const socket of sockets) {
      await socket.waitForCount((f) => f.type === 'message', 100, 20_000);
      expect(texts(socket)).toEqual(sent);
      expect(new Set(socket.events().map((f) => f.id)).size).toBe(socket.events().length);
      expect(socket.frames.filter((f) => f.type === 'resync')).toEqual([]);
    }
    const lastArrival = Date.now();
    expect(lastArrival - killedAt).toBeLessThan(20_000);
    expect(sim.sessionIds(ALICE)).toEqual(session); // carried on, not replaced
    expect((await metric(b, 'imbridge_cluster_takeovers_total')) + (await metric(c, 'imbridge_cluster_takeovers_total'))).toBe(1);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('takes a link over within about a heartbeat of a SIGTERM, and the session lives on', async () => {
    const [owner, b] = await startInstances(2);
    await untilEligible();
    const { alice, bob } = await aliceOn(owner, b);
    const socket = await EventClient.ready(b.url, { token: alice });
    const session = sim.sessionIds(ALICE);
    const send = { method: 'POST', path: '/v1/chats', options: { token: alice, body: { to: 'bob@example.com', text: 'sent once' }, headers: { 'idempotency-key': 'deploy-1' } } } as const;
    const first = await apiOf(owner).request(send.method, send.path, send.options);
    expect(first.status).toBe(201);
    const sends = sim.requestCount('IMSendMessageRequest');
    await owner.stop();
    const stopped = Date.now();
    await bobSends(b, bob, 'after the deploy', 1);
    await socket.waitFor((f) => f.type === 'message' && f.data.text === 'after the deploy 0', 10_000);
    expect(Date.now() - stopped).toBeLessThan(LEASE_MS);
    expect(sim.sessionIds(ALICE)).toEqual(session);
    // The retry of a send lands on the new owner: its key is in Redis, so it is answered, not sent again.
    const retry = await apiOf(b).request(send.method, send.path, send.options);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(sim.requestCount('IMSendMessageRequest')).toBe(sends + 1); // bob's message only
    await socket.close();
  });

  it('a paused owner never commits after it wakes, and closes its sockets with 1013', async () => {
    const [owner, b] = await startInstances(2);
    await untilEligible();
    const { alice, bob } = await aliceOn(owner, b);
    const onOwner = await EventClient.ready(owner.url, { token: alice });
    const onSurvivor = await EventClient.ready(b.url, { token: alice });
    owner.pause();
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 4 * HEARTBEAT_MS));
    const sent = await bobSends(b, bob, 'while paused', 5);
    await onSurvivor.waitForCount((f) => f.type === 'message', 5, 10_000);
    owner.resume();
    expect((await onOwner.closed).code).toBe(1013);
    const more = await bobSends(b, bob, 'after waking', 5);
    await onSurvivor.waitForCount((f) => f.type === 'message', 10, 10_000);
    expect(texts(onSurvivor)).toEqual([...sent, ...more]);
    // The shared log holds each message once: the woken owner wrote nothing.
    const firstMessage = onSurvivor.events('message')[0].id!;
    const before = firstMessage.replace(/\.(\d+)$/, (_all, n: string) => `.${Number(n) - 1}`);
    const resumedElsewhere = await EventClient.ready(b.url, { token: alice, query: { after: before } });
    await resumedElsewhere.waitForCount((f) => f.type === 'message', 10, 5_000);
    expect(texts(resumedElsewhere)).toEqual([...sent, ...more]);
    await Promise.all([onSurvivor.close(), resumedElsewhere.close()]);
  });

  it('logout on one instance closes the token sockets everywhere with 4401, and every instance answers 401', async () => {
    const instances = await startInstances(3);
    const alice = await apiOf(instances[0]).login('alice');
    const sockets = await Promise.all(instances.map((instance) => EventClient.ready(instance.url, { token: alice })));
    expect((await apiOf(instances[1]).delete('/v1/sessions/current', alice)).status).toBe(204);
    for (const socket of sockets) expect((await socket.closed).code).toBe(4401);
    for (const instance of instances) expect((await apiOf(instance).get('/v1/roster', alice)).status).toBe(401);
    const refused = EventClient.connect(instances[2].url, { token: alice });
    expect((await refused.closed).code).toBe(4401);
  });

  it('Redis restarted without persistence: 503 meanwhile, then one resync {gap} per socket, and live events go on', async () => {
    // A lease longer than the outage: the instances stay members, and their sockets stay open.
    const [a, b] = await startInstances(2, { CLUSTER_LEASE_MS: '8000', CLUSTER_HEARTBEAT_MS: '250' });
    const alice = await apiOf(a).login('alice');
    expect((await apiOf(a).get('/v1/roster', alice)).status).toBe(200);
    const bob = await apiOf(b).login('bob');
    const sockets = [await EventClient.ready(a.url, { token: alice }), await EventClient.ready(b.url, { token: alice })];
    const before = await bobSends(b, bob, 'before', 2);
    for (const socket of sockets) await socket.waitForCount((f) => f.type === 'message', 2);

    await redis.down();
    for (const instance of [a, b]) {
      const refused = await apiOf(instance).get('/v1/roster', alice);
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('cluster.UNAVAILABLE');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const ready = await apiOf(instance).send('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('cluster.UNAVAILABLE');
    }
    await redis.up();

    const after = await eventually(async () => {
      const res = await apiOf(b).send('POST', '/v1/chats', { token: bob, body: { to: ALICE, text: 'after 0' } });
      return res.status === 201 ? ['after 0'] : undefined;
    }, 10_000, 'a send once Redis is back');
    after.push(...(await bobSends(b, bob, 'later', 2)));
    for (const socket of sockets) {
      await socket.waitForCount((f) => f.type === 'message', before.length + after.length, 15_000);
      const seen = socket.frames.filter((f) => f.type === 'resync' || f.type === 'message').map((f) => (f.type === 'resync' ? `resync ${f.data.reason}` : f.data.text));
      expect(seen).toEqual([...before, 'resync gap', ...after]);
    }
    expect(sockets.every((socket) => socket.ws.readyState === socket.ws.OPEN)).toBe(true);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('delivers every message once, in order, to a client that hops between instances at random (generated schedules)', async () => {
    const instances = await startInstances(3);
    const alice = await apiOf(instances[0]).login('alice');
    const bob = await apiOf(instances[1]).login('bob');
    // A schedule: per step, the instance bob sends through, how many messages, and whether alice's
    // client hops (closes its socket and resumes on another instance with ?after=).
    const step = fc.record({ via: fc.nat({ max: 2 }), messages: fc.integer({ min: 0, max: 3 }), hopTo: fc.option(fc.nat({ max: 2 }), { nil: undefined }) });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), fc.nat({ max: 2 }), async (steps, firstInstance) => {
        round++;
        let socket = await EventClient.ready(instances[firstInstance].url, { token: alice });
        const seen: string[] = [];
        const sent: string[] = [];
        let lastId: string | undefined = socket.frames[0].data.lastId ?? undefined;
        const collect = (client: EventClient): void => {
          for (const event of client.events()) {
            if (event.type === 'message' && event.data.text.startsWith(`r${round} `)) seen.push(event.data.text);
            lastId = event.id;
          }
        };
        for (const { via, messages, hopTo } of steps) {
          sent.push(...(await bobSends(instances[via], bob, `r${round} s${sent.length}`, messages)));
          if (hopTo === undefined) continue;
          await socket.waitForCount((f) => f.type === 'message' && f.data.text.startsWith(`r${round} `), sent.length - seen.length, 10_000);
          collect(socket);
          await socket.close();
          socket = await EventClient.ready(instances[hopTo].url, { token: alice, query: lastId ? { after: lastId } : {} });
          if (lastId) expect(socket.frames[0].data.resumed).toBe(true);
        }
        await socket.waitForCount((f) => f.type === 'message' && f.data.text.startsWith(`r${round} `), sent.length - seen.length, 10_000);
        collect(socket);
        await socket.close();
        expect(seen).toEqual(sent);
      }),
      { numRuns: 6, seed: 20261202 },
    );
    expect(sim.sessionIds(ALICE)).toHaveLength(1);
  });

  it('loads no Redis code at all when REDIS_URL is unset', async () => {
    const loaded = async (env: Record<string, string>): Promise<string[]> => {
      const script = `
        const { loadConfig } = require('./dist/config/config');
        const { createApp } = require('./dist/app.setup');
        createApp({ ...loadConfig(process.env), logLevel: 'silent', upstreamUrl: 'http://127.0.0.1:9/service/soap' }).then(async (app) => {
          await app.init();
          const redisCode = Object.keys(require.cache).filter((file) => /[\\/](@redis|dist[\\/]cluster)[\\/]/.test(file));
          await app.close();
          process.stdout.write(JSON.stringify(redisCode));
        });`;
      const { stdout } = await run(process.execPath, ['-e', script], env);
      return JSON.parse(stdout) as string[];
    };
    expect(await loaded({})).toEqual([]);
    // The same check sees the cluster's code when it is configured: the check itself works.
    const clustered = await loaded({ REDIS_URL: redis.url, CLUSTER_SECRET: SECRET });
    expect(clustered.some((file) => file.includes('@redis'))).toBe(true);
    expect(clustered.some((file) => /dist[\\/]cluster[\\/]/.test(file))).toBe(true);
  });

  it('holds the rate limit across instances', async () => {
    const instances = await startInstances(3, { RATE_LIMIT: '12' });
    const alice = await apiOf(instances[0]).login('alice');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await apiOf(instances[i % 3]).send('GET', '/v1/roster', { token: alice })).status);
    // The login counted against the address too: 11 roster reads pass, then every instance refuses.
    expect(statuses.filter((s) => s === 200)).toHaveLength(11);
    expect(statuses.slice(11).every((s) => s === 429)).toBe(true);
  });
});
