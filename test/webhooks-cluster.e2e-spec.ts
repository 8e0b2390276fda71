import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../src/config/config';
import { ImSimulator } from '../src/simulator';
import { RedisServer } from './support/redis-server';
import { eventually, startProxy, TEST_ACCOUNTS } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';
import { EventClient } from './support/ws-client';

/**
 * Offline delivery with two instances on one Redis (in this process: what is checked is who sends,
 * not crashes). Only the instance that owns a token's link runs it, so only that one sends; a socket
 * on the other instance counts as the token's open socket all the same.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const CLUSTER_SECRET = 'a-cluster-secret-for-the-webhook-tests-0123456789';
const ALICE = 'alice@example.com';
const FROM = 'zed@partner.example.org';
const LINGER_MS = 300;

jest.setTimeout(60_000);

type Proxy = Awaited<ReturnType<typeof startProxy>>;

describe('offline delivery on several instances', () => {
  let redis: RedisServer;
  let sim: ImSimulator;
  let receiver: WebhookReceiver;
  let owner: Proxy;
  let other: Proxy;

  beforeAll(async () => {
    [redis, sim, receiver] = await Promise.all([
      RedisServer.start(),
      ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: TEST_ACCOUNTS, rosterDelayMs: 20, noopTimeoutClampMs: [1_000, 1_200_000] }),
      WebhookReceiver.start(),
    ]);
    const webhooks = loadConfig({ WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_BATCH_LINGER_MS: '20' }).webhooks!;
    const instance = (instanceId: string) =>
      startProxy(sim, {
        eventsLingerMs: LINGER_MS,
        webhooks,
        cluster: { redisUrl: redis.url, secret: CLUSTER_SECRET, leaseMs: 2_000, heartbeatMs: 250, keyPrefix: 'imb:', instanceId },
      });
    owner = await instance('w1');
    other = await instance('w2');
  });
  afterAll(async () => {
    await other?.close();
    await owner?.close();
    await Promise.all([sim?.stop(), redis?.stop(), receiver?.stop()]);
  });

  const metric = async (proxy: Proxy, name: string): Promise<number> => {
    const line = (await proxy.api.get<string>('/metrics')).body.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1] ?? NaN);
  };
  const delivered = () => receiver.accepted().flatMap((r) => (new Webhook(SECRET).verify(r.body, r.headers) as { events: { id: string; data: { text: string } }[] }).events);

  it('only the owner sends, once per event; a socket on the other instance holds the webhooks back', async () => {
    const token = await owner.api.login('alice');
    expect((await owner.api.get('/v1/roster', token)).status).toBe(200); // the first instance the token reaches owns it
    expect((await other.api.get('/v1/roster', token)).status).toBe(200); // forwarded to the owner
    await eventually(() => (sim.persona(ALICE)?.online ? true : undefined), 3_000, 'alice registered');

    const socket = await EventClient.ready(other.url, { token });
    sim.receiveMessage(ALICE, { from: FROM, body: 'to the socket' });
    await socket.waitFor((f) => f.type === 'message' && f.data.text === 'to the socket', 5_000);
    await new Promise((r) => setTimeout(r, LINGER_MS + 300));
    expect(receiver.received).toEqual([]);

    await socket.close();
    await new Promise((r) => setTimeout(r, 200)); // the owner hears the socket left
    for (const text of ['one', 'two', 'three']) sim.receiveMessage(ALICE, { from: FROM, body: text });
    await receiver.waitFor(() => delivered().length >= 3, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    const events = delivered();
    expect(events.map((e) => e.data.text)).toEqual(['one', 'two', 'three']);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(await metric(owner, 'imbridge_webhook_events_delivered_total')).toBe(3);
    expect(await metric(other, 'imbridge_webhook_events_delivered_total')).toBe(0);
    expect(await metric(other, 'imbridge_links')).toBe(0); // the other instance runs no link for the token
  });
});
