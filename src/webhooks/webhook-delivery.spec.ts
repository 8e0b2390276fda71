import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../config/config';
import type { LinkEvent } from '../link/events';
import type { Link } from '../link/link';
import type { LinkRegistry } from '../link/link-registry.service';
import type { MetricsService, WebhookDropReason } from '../metrics/metrics.service';
import type { WebhookPayload } from './payload';
import { WebhookDelivery } from './webhook-delivery.service';

/**
 * The delivery service against a real HTTP receiver that misbehaves as fast-check says, with links
 * that are stand-ins (events and sockets driven by the test). Whatever the receiver does, every event
 * reaches it at least once and in each token's order, or is counted as dropped within the bounds;
 * a 4xx other than 429 is never retried; the queues never hold more than their bound.
 */
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const TIMEOUT_MS = 250;

type Behaviour = { status: number; retryAfter?: string } | { reset: true } | { slow: true };

interface Seen {
  payload: WebhookPayload;
  id: string;
  /** What the receiver answered (a late 2xx after the sender gave up still means it saw the events). */
  accepted: boolean;
  refused: boolean;
}

/** A receiver answering request i with behaviours[i], then 200. */
class Receiver {
  readonly seen: Seen[] = [];
  behaviours: Behaviour[] = [];
  private server!: Server;
  private count = 0;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      const headers = req.headers as Record<string, string>;
      const payload = new Webhook(SECRET).verify(body, headers) as WebhookPayload; // throws (and fails the run) when unsigned
      const behaviour = this.behaviours[this.count++] ?? { status: 200 };
      const status = 'status' in behaviour ? behaviour.status : 'slow' in behaviour ? 200 : 0;
      this.seen.push({ payload, id: headers['webhook-id'], accepted: status >= 200 && status < 300, refused: status >= 400 && status < 500 && status !== 429 });
      if ('reset' in behaviour) return req.socket.destroy();
      if ('slow' in behaviour) await new Promise((r) => setTimeout(r, TIMEOUT_MS + 100));
      res.writeHead(status, 'retryAfter' in behaviour && behaviour.retryAfter !== undefined ? { 'retry-after': behaviour.retryAfter } : {});
      res.end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  reset(behaviours: Behaviour[]): void {
    this.seen.length = 0;
    this.behaviours = behaviours;
    this.count = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The part of a Link the delivery service uses. */
class StandInLink {
  openSockets = 0;
  private readonly listeners: ((event: LinkEvent) => void)[] = [];
  private readonly observers: ((open: number) => void)[] = [];
  private readonly closers: (() => void)[] = [];

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.push(listener);
    return () => undefined;
  }
  onSocketsChanged(observer: (open: number) => void): void {
    this.observers.push(observer);
  }
  onClose(handler: () => void): void {
    this.closers.push(handler);
  }
  async call(): Promise<unknown> {
    return { name: { '#text': 'alice@example.com' } };
  }
  emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
  sockets(open: number): void {
    this.openSockets = open;
    for (const observer of this.observers) observer(open);
  }
  close(): void {
    for (const closer of this.closers) closer();
  }
}

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(200, 202, 204).map((status) => ({ status })) },
  { weight: 4, arbitrary: fc.constantFrom(500, 502, 503, 504).map((status) => ({ status })) },
  { weight: 2, arbitrary: fc.constantFrom(400, 401, 403, 404, 410, 413, 422).map((status) => ({ status })) },
  { weight: 2, arbitrary: fc.constantFrom(undefined, '0', 'Sun, 01 Mar 2026 00:00:00 GMT').map((retryAfter) => ({ status: 429, retryAfter })) },
  { weight: 1, arbitrary: fc.constant({ reset: true as const }) },
  { weight: 1, arbitrary: fc.constant({ slow: true as const }) },
);

/** What happens to the tokens, in order, with pauses between. */
type Step = { kind: 'event'; token: number; pauseMs: number } | { kind: 'socket'; token: number; open: boolean };
const step = (tokens: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('event' as const), token: fc.nat(tokens - 1), pauseMs: fc.integer({ min: 0, max: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('socket' as const), token: fc.nat(tokens - 1), open: fc.boolean() }) },
  );

const scenario = fc
  .record({ tokens: fc.integer({ min: 1, max: 3 }), batch: fc.integer({ min: 1, max: 4 }), perTokenExtra: fc.integer({ min: 0, max: 6 }), totalExtra: fc.integer({ min: 0, max: 10 }), behaviours: fc.array(behaviour, { maxLength: 25 }) })
  .chain((s) => fc.record({ steps: fc.array(step(s.tokens), { minLength: 1, maxLength: 30 }) }).map((rest) => ({ ...s, ...rest })));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WebhookDelivery under generated receiver behaviour', () => {
  const receiver = new Receiver();
  let url: string;
  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined); // a misbehaving receiver is the point here
    url = await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('delivers every event at least once, in order per token, or counts it dropped within the bounds; never retries a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ tokens, batch, perTokenExtra, totalExtra, behaviours, steps }) => {
        receiver.reset(behaviours);
        const perToken = batch + perTokenExtra;
        const total = perToken + totalExtra;
        const settings = loadConfig({
          WEBHOOK_URL: url,
          WEBHOOK_SECRET: SECRET,
          WEBHOOK_MAX_QUEUE_PER_TOKEN: String(perToken),
          WEBHOOK_MAX_QUEUE: String(total),
          WEBHOOK_BATCH_MAX_EVENTS: String(batch),
          WEBHOOK_BATCH_LINGER_MS: '2',
          WEBHOOK_BACKOFF_MS: '10',
          WEBHOOK_BACKOFF_MAX_MS: '40',
          WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
          WEBHOOK_CONCURRENCY: '2',
        }).webhooks!;
        const dropped: Record<WebhookDropReason, number> = { queue_full: 0, retry_window: 0, rejected: 0, session_ended: 0 };
        const metrics = {
          webhookMetrics: () => ({ delivered: () => undefined, failedAttempt: () => undefined, dropped: (reason: WebhookDropReason, n: number) => (dropped[reason] += n) }),
        } as unknown as MetricsService;
        let created!: (link: Link, token: string) => void;
        const registry = { onLinkCreated: (handler: typeof created) => (created = handler) } as unknown as LinkRegistry;
        const service = new WebhookDelivery(registry, { ...loadConfig({}), eventsLingerMs: 0, webhooks: settings }, metrics);
        service.onModuleInit();
        const links = Array.from({ length: tokens }, (_, i) => {
          const link = new StandInLink();
          created(link as unknown as Link, `token-${i}`);
          return link;
        });
        await sleep(5); // the new links' linger (0 ms) is over

        const emitted = links.map(() => [] as string[]);
        const whileOpen = new Set<string>();
        let n = 0;
        try {
          for (const s of steps) {
            const link = links[s.token];
            if (s.kind === 'socket') {
              link.sockets(s.open ? 1 : 0);
              await sleep(3); // past the linger: nothing is left held for a socket to take over
              continue;
            }
            const id = `e${s.token}.${++n}`;
            link.emit({ id, type: 'message', at: new Date().toISOString(), data: { thread: 't', from: 'b@x', seq: n, sentAt: new Date().toISOString(), text: id } });
            if (link.openSockets > 0) whileOpen.add(id);
            else emitted[s.token].push(id);
            expect(service.waiting).toBeLessThanOrEqual(total);
            await sleep(s.pauseMs);
          }
          const deadline = Date.now() + 15_000;
          while (service.waiting > 0 && Date.now() < deadline) await sleep(20);
          expect(service.waiting).toBe(0);
          await sleep(TIMEOUT_MS + 150); // late answers to timed-out requests are in
        } finally {
          await service.onApplicationShutdown();
        }

        const seen = receiver.seen;
        // Nothing that a socket had is ever sent.
        expect(seen.flatMap((s) => s.payload.events.map((e) => e.id)).filter((id) => whileOpen.has(id))).toEqual([]);
        // A refusal is final: none of its events is ever sent again.
        seen.forEach((request, i) => {
          if (!request.refused) return;
          const ids = new Set(request.payload.events.map((e) => e.id));
          expect(seen.slice(i + 1).filter((later) => later.payload.events.some((e) => ids.has(e.id)))).toEqual([]);
        });
        links.forEach((_, t) => {
          const session = seen.find((s) => s.payload.events[0].id.startsWith(`e${t}.`))?.payload.session;
          const mine = seen.filter((s) => s.payload.session === session);
          // Each token's events, first seen in the order they came.
          const firstSeen = [...new Set(mine.filter((s) => s.accepted).flatMap((s) => s.payload.events.map((e) => e.id)))];
          expect(firstSeen).toEqual(emitted[t].filter((id) => firstSeen.includes(id)));
          for (const request of mine) expect(request.id).toBe(`${request.payload.session}.${request.payload.events[0].id}`);
        });
        // Every event reached the receiver or is counted dropped, and the bounds cap what was dropped to make room.
        const accepted = new Set(seen.filter((s) => s.accepted).flatMap((s) => s.payload.events.map((e) => e.id)));
        const all = emitted.flat();
        const lost = all.filter((id) => !accepted.has(id)).length;
        expect(lost).toBeLessThanOrEqual(dropped.queue_full + dropped.rejected);
        const roomBound = emitted.reduce((sum, list) => sum + Math.max(0, list.length - perToken), 0) + Math.max(0, all.length - total);
        expect(dropped.queue_full).toBeLessThanOrEqual(roomBound);
        expect(dropped.retry_window).toBe(0);
      }),
      { seed: 20260301, numRuns: 30, interruptAfterTimeLimit: 150_000 },
    );
  }, 180_000);
});
