import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../src/config/config';
import type { WebhookConfig } from '../src/config/webhooks';
import { readmeFences } from './support/readme-blocks';
import { freePort } from './support/redis-server';
import { eventually, Stack, startStack } from './support/stack';
import { Answer, Received, WebhookReceiver } from './support/webhook-receiver';
import { OpenSockets } from './support/ws-client';

/** Offline delivery end to end: the simulator, the service, and a real HTTP receiver of the test's own. */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LINGER_MS = 300;
const FROM = 'zed@partner.example.org';

interface Payload {
  type: string;
  account: string;
  session: string;
  events: { id: string; type: string; at: string; data: any }[];
}

function webhookSettings(url: string, env: Record<string, string> = {}): WebhookConfig {
  return loadConfig({
    WEBHOOK_URL: url,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_BATCH_LINGER_MS: '20',
    WEBHOOK_BACKOFF_MS: '50',
    WEBHOOK_BACKOFF_MAX_MS: '400',
    WEBHOOK_RETRY_WINDOW_MS: '20000',
    WEBHOOK_TIMEOUT_MS: '1000',
    ...env,
  }).webhooks!;
}

/** Verifies a request as a receiver would, with the standardwebhooks package; throws when it does not verify. */
function verified(request: Received): Payload {
  return new Webhook(SECRET).verify(request.body, request.headers) as Payload;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One sample's value from /metrics (the sum over samples whose labels include `labels`). */
async function metric(stack: Stack, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await stack.api.get<string>('/metrics')).body;
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

describe('offline delivery (webhooks)', () => {
  let receiver: WebhookReceiver;
  let stack: Stack;
  const sockets = new OpenSockets(() => stack.url);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await startStack({ config: { eventsLingerMs: LINGER_MS, linkIdleMs: 1_000, webhooks: webhookSettings(receiver.url) } });
  });
  afterEach(async () => {
    await sockets.closeAll();
    receiver.answer = () => ({ status: 200 });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  /** The requests for `account` so far. */
  const requestsFor = (account: string) => receiver.received.filter((r) => r.body.includes(`"account":"${account}"`));
  /** The events `account`'s accepted requests carried, in the order they came. */
  const deliveredTo = (account: string) => requestsFor(account).filter((r) => 'status' in r.answer && r.answer.status < 300).flatMap((r) => verified(r).events);
  /** Answers `account`'s requests with `script` in turn (then 200); other accounts' with 200. */
  const script = (account: string, answers: Answer[]) => {
    let next = 0;
    receiver.answer = ({ body }) => (body.includes(`"account":"${account}"`) && next < answers.length ? answers[next++] : { status: 200 });
  };

  /** A logged-in token that has its link (made by a REST call) and no socket, past the linger. */
  async function offlineToken(local: string): Promise<{ token: string; address: string }> {
    const address = `${local}@example.com`;
    const token = await stack.api.login(local);
    expect((await stack.api.get('/v1/roster', token)).status).toBe(200);
    await eventually(() => (stack.sim.persona(address)?.online ? true : undefined), 3_000, `${address} registered`);
    await sleep(LINGER_MS + 100);
    return { token, address };
  }

  const message = (address: string, body: string) => stack.sim.receiveMessage(address, { from: FROM, body });

  it('POSTs the events of a token without a socket, signed the Standard Webhooks way; the payload names the account, never the token', async () => {
    const { token, address } = await offlineToken('alice');
    message(address, 'are you there?');
    await receiver.waitFor(() => deliveredTo(address).length === 1);

    const [request] = requestsFor(address);
    const payload = verified(request);
    expect(payload).toEqual({
      type: 'imbridge.events',
      account: address,
      session: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      events: [{ id: expect.any(String), type: 'message', at: expect.any(String), data: expect.objectContaining({ from: FROM, text: 'are you there?', seq: 1 }) }],
    });
    expect(request.headers['webhook-id']).toBe(`${payload.session}.${payload.events[0].id}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).not.toContain(token);
    expect(JSON.stringify(request.headers)).not.toContain(token);
    // Signed with the secret: another secret, or a changed body, does not verify.
    expect(() => new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(request.body, request.headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(request.body.replace('are you', 'were you'), request.headers)).toThrow();
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('sends nothing while a socket is open; after it closes, what comes is sent once the linger is over, and a socket that opens later still resumes it', async () => {
    const { token, address } = await offlineToken('bob');
    const socket = await sockets.ready({ token });
    message(address, 'seen live');
    await socket.waitFor((f) => f.type === 'message' && f.data.text === 'seen live');
    const lastSeen = socket.events().at(-1)!.id!;
    await sleep(LINGER_MS + 200);
    expect(requestsFor(address)).toEqual([]);

    await socket.close();
    message(address, 'after the socket went');
    await sleep(LINGER_MS / 2);
    expect(requestsFor(address)).toEqual([]); // still in the linger: a client coming back would resume it
    await receiver.waitFor(() => deliveredTo(address).length === 1, 3_000);
    const [sent] = deliveredTo(address);
    expect(sent.data.text).toBe('after the socket went');

    // A wake-up, not a second delivery path: the socket resumes the same event, same id.
    const later = await sockets.ready({ token, query: { after: lastSeen } });
    expect(later.frames[0]).toMatchObject({ type: 'ready', data: { resumed: true } });
    expect(later.events('message')).toEqual([sent]);
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('a socket that comes back within the linger takes the held events over: nothing is sent', async () => {
    const { token, address } = await offlineToken('carol');
    const socket = await sockets.ready({ token });
    const lastSeen = socket.frames[0].data.lastId;
    await socket.close();
    message(address, 'while reconnecting');
    await sleep(LINGER_MS / 3);
    const back = await sockets.ready({ token, query: lastSeen ? { after: lastSeen } : {} });
    await back.waitFor((f) => f.type === 'message' && f.data.text === 'while reconnecting');
    await sleep(LINGER_MS + 300);
    expect(requestsFor(address)).toEqual([]);
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('sends only WEBHOOK_TYPES (by default message, invitation, subscriptionRequest), and no message of the account\'s own', async () => {
    const { token, address } = await offlineToken('dave');
    stack.sim.receiveMessage(address, { from: FROM, typing: true }); // a typing event: not sent
    expect((await stack.api.post('/v1/chats', { to: 'bob@example.com', text: 'sent by dave himself' }, token)).status).toBe(201); // its echo: not sent
    await stack.api.post('/v1/roster/contacts', { address }, await stack.api.login('erin')); // erin asks: subscriptionRequest
    message(address, 'typed and sent');
    await receiver.waitFor(() => deliveredTo(address).length >= 2);
    await sleep(200);
    expect(deliveredTo(address).map((e) => e.type).sort()).toEqual(['message', 'subscriptionRequest']);
    expect(deliveredTo(address).find((e) => e.type === 'message')?.data.text).toBe('typed and sent');
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('retries a 503 with the same webhook-id and body (a new timestamp and signature each time), delivers each event once and keeps the order', async () => {
    const { token, address } = await offlineToken('frank');
    script(address, [{ status: 503 }, { status: 503 }, { status: 500 }]);
    for (let i = 1; i <= 5; i++) message(address, `m${i}`);
    await receiver.waitFor(() => deliveredTo(address).length === 5, 5_000);

    const requests = requestsFor(address);
    expect(requests.slice(0, 3).map((r) => ('status' in r.answer ? r.answer.status : 0))).toEqual([503, 503, 500]);
    const firstId = requests[0].headers['webhook-id'];
    for (const retry of requests.slice(1, 4)) {
      expect(retry.headers['webhook-id']).toBe(firstId);
      expect(retry.body).toBe(requests[0].body);
      expect(() => verified(retry)).not.toThrow();
    }
    const delivered = deliveredTo(address);
    expect(delivered.map((e) => e.data.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(5);
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('loses nothing across a receiver outage shorter than the retry window, and keeps each token\'s order', async () => {
    const [a, b] = [await offlineToken('grace'), await offlineToken('heidi')];
    const dropped = await metric(stack, 'imbridge_webhook_events_dropped_total');
    await receiver.stop();
    for (let i = 1; i <= 10; i++) {
      message(a.address, `a${i}`);
      message(b.address, `b${i}`);
      await sleep(60);
    }
    await sleep(500);
    await receiver.restart();
    await receiver.waitFor(() => deliveredTo(a.address).length >= 10 && deliveredTo(b.address).length >= 10, 8_000);
    for (const [who, prefix] of [[a, 'a'], [b, 'b']] as const) {
      const texts = deliveredTo(who.address).map((e) => e.data.text);
      expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `${prefix}${i + 1}`));
    }
    expect(await metric(stack, 'imbridge_webhook_events_dropped_total')).toBe(dropped);
    expect(await metric(stack, 'imbridge_webhook_failed_attempts_total', { reason: 'connection' })).toBeGreaterThan(0);
    await stack.api.delete('/v1/sessions/current', a.token);
    await stack.api.delete('/v1/sessions/current', b.token);
  });

  it('does not retry a 4xx other than 429: that batch is dropped (counted) and the next one goes', async () => {
    const { token, address } = await offlineToken('ivan');
    const rejected = await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'rejected' });
    script(address, [{ status: 400 }]);
    message(address, 'refused');
    await receiver.waitFor(() => requestsFor(address).length === 1);
    await sleep(500); // a retry would have come by now (backoff 50 ms)
    message(address, 'accepted');
    await receiver.waitFor(() => deliveredTo(address).length === 1);
    await sleep(200);
    const requests = requestsFor(address);
    expect(requests).toHaveLength(2);
    expect(verified(requests[0]).events.map((e) => e.data.text)).toEqual(['refused']);
    expect(deliveredTo(address).map((e) => e.data.text)).toEqual(['accepted']);
    expect(await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'rejected' })).toBe(rejected + 1);
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('waits out a 429\'s Retry-After before the retry', async () => {
    const { token, address } = await offlineToken('judy');
    script(address, [{ status: 429, headers: { 'retry-after': '1' } }]);
    message(address, 'slow down');
    await receiver.waitFor(() => deliveredTo(address).length === 1, 4_000);
    const [limited, retry] = requestsFor(address);
    expect(retry.headers['webhook-id']).toBe(limited.headers['webhook-id']);
    expect(retry.at - limited.at).toBeGreaterThanOrEqual(990); // the backoff alone would retry after 25-50 ms
    await stack.api.delete('/v1/sessions/current', token);
  });

  it('keeps a token without sockets polling past LINK_IDLE_MS; logout ends it and what was still waiting is not sent', async () => {
    const { token, address } = await offlineToken('alice');
    await sleep(2_500); // LINK_IDLE_MS is 1 s here: an idle link would have ended its upstream session by now
    message(address, 'still listening');
    await receiver.waitFor(() => deliveredTo(address).some((e) => e.data.text === 'still listening'), 3_000);

    const ended = await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'session_ended' });
    receiver.answer = ({ body }) => (body.includes(address) ? { status: 503 } : { status: 200 });
    message(address, 'never sent');
    await receiver.waitFor(() => requestsFor(address).some((r) => r.body.includes('never sent')));
    expect((await stack.api.delete('/v1/sessions/current', token)).status).toBe(204);
    receiver.answer = () => ({ status: 200 });
    await sleep(600);
    expect(deliveredTo(address).map((e) => e.data.text)).not.toContain('never sent');
    expect(await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'session_ended' })).toBe(ended + 1);
    expect(stack.sim.persona(address)?.online).toBe(false);
  });
});

describe('offline delivery with a receiver that never comes back', () => {
  let receiver: WebhookReceiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const webhooks = webhookSettings(receiver.url, {
      WEBHOOK_MAX_QUEUE_PER_TOKEN: '6',
      WEBHOOK_MAX_QUEUE: '10',
      WEBHOOK_BATCH_MAX_EVENTS: '2',
      WEBHOOK_RETRY_WINDOW_MS: '600000',
    });
    stack = await startStack({ config: { eventsLingerMs: 100, webhooks } });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  it('keeps the queues within their bounds, dropping the oldest events first and counting them', async () => {
    receiver.answer = () => ({ status: 503 });
    const users = ['alice', 'bob'];
    const tokens: string[] = [];
    for (const user of users) {
      const token = await stack.api.login(user);
      tokens.push(token);
      await stack.api.get('/v1/roster', token);
      await eventually(() => (stack.sim.persona(`${user}@example.com`)?.online ? true : undefined), 3_000, 'registered');
    }
    await sleep(200);
    const sent = 20;
    for (let i = 1; i <= sent; i++) {
      for (const user of users) stack.sim.receiveMessage(`${user}@example.com`, { from: FROM, body: `${user}-${i}` });
      await sleep(20);
    }
    const total = users.length * sent;
    await eventually(async () => ((await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'queue_full' })) >= total - 10 ? true : undefined), 5_000, 'drops');
    const queued = await metric(stack, 'imbridge_webhook_queued_events');
    const dropped = await metric(stack, 'imbridge_webhook_events_dropped_total', { reason: 'queue_full' });
    expect(queued).toBeLessThanOrEqual(10);
    expect(queued + dropped).toBe(total);
    expect(await metric(stack, 'imbridge_webhook_failed_attempts_total', { reason: 'server_error' })).toBeGreaterThan(0);

    // Back at last: what is left is the newest of each token, in order.
    receiver.answer = () => ({ status: 200 });
    await eventually(async () => ((await metric(stack, 'imbridge_webhook_queued_events')) === 0 ? true : undefined), 5_000, 'queue drained');
    for (const user of users) {
      const texts = receiver.accepted().map(verified).filter((p) => p.account === `${user}@example.com`).flatMap((p) => p.events.map((e) => e.data.text));
      const numbers = texts.map((t: string) => Number(t.split('-')[1]));
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
      expect(numbers.at(-1)).toBe(sent); // the newest is never the one dropped
      expect(numbers.length).toBeLessThanOrEqual(6);
    }
    expect(await metric(stack, 'imbridge_webhook_events_delivered_total')).toBe(queued);
  });
});

describe('the README\'s receiver example (examples/webhook-receiver.mjs), run by Node', () => {
  const EXAMPLE = join(__dirname, '..', 'examples', 'webhook-receiver.mjs');
  let child: ChildProcess;
  let stack: Stack;
  let output = '';
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    child = spawn(process.execPath, [EXAMPLE], { env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => ((await fetch(url, { method: 'POST', body: '{}' }).catch(() => undefined))?.status === 401 ? true : undefined), 10_000, 'the example listening');
    stack = await startStack({ config: { eventsLingerMs: 100, webhooks: webhookSettings(url) } });
  });
  afterAll(async () => {
    child?.kill();
    await stack?.close();
  });

  it('is the README\'s example, word for word', () => {
    const fence = readmeFences(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')).find((f) => f.section === 'Offline delivery (webhooks)' && f.lang === 'js');
    expect(fence?.body.join('\n')).toBe(readFileSync(EXAMPLE, 'utf8').trimEnd());
  });

  it('verifies what the service sends and prints its events; refuses a forged request with 401', async () => {
    const token = await stack.api.login('carol');
    await stack.api.get('/v1/roster', token);
    await eventually(() => (stack.sim.persona('carol@example.com')?.online ? true : undefined), 3_000, 'registered');
    await sleep(200);
    stack.sim.receiveMessage('carol@example.com', { from: FROM, body: 'wake up' });
    const line = await eventually(() => output.split('\n').find((l) => l.startsWith('carol@example.com message ')), 5_000, 'the example\'s line');
    expect(line).toMatch(/^carol@example\.com message \S+\.\d+$/);
    expect(await metric(stack, 'imbridge_webhook_events_delivered_total')).toBe(1);

    const body = JSON.stringify({ type: 'imbridge.events', account: 'carol@example.com', session: 'x', events: [] });
    const forged = await fetch(url, { method: 'POST', body, headers: { 'webhook-id': 'x.1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') } });
    expect(forged.status).toBe(401);
    await stack.api.delete('/v1/sessions/current', token);
  });
});
