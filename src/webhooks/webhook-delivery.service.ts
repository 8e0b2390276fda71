import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { WebhookConfig } from '../config/webhooks';
import { getInfoRequest, readAccountName } from '../im/account';
import type { EventType, LinkEvent } from '../link/events';
import type { Link } from '../link/link';
import { LinkRegistry } from '../link/link-registry.service';
import { MetricsService, WebhookMetrics } from '../metrics/metrics.service';
import { LogDigest } from './log-digest';
import { payloadBody, sessionOf, webhookId } from './payload';
import { AttemptResult, FAILURE_REASONS, judge, retryDelay, Verdict } from './retry-policy';
import { Signer } from './signature';
import { TokenQueue, WebhookQueues } from './webhook-queues';
import { WebhookSender } from './webhook-sender';

/**
 * idle: nothing released; collecting: the batch linger runs; ready: waiting for a free request slot;
 * sending: a request (or the account look-up) is under way; backoff: waiting to retry.
 */
type State = 'idle' | 'collecting' | 'ready' | 'sending' | 'backoff';

/** One token's offline delivery: its waiting events and where its current batch stands. */
interface Outbox {
  readonly link: Link;
  readonly session: string;
  readonly queue: TokenQueue<LinkEvent>;
  /** Read from the upstream before the first batch (the token alone does not say whose it is). */
  account?: string;
  /** The socket linger: while it runs, new events are held; a socket that opens meanwhile resumes them. */
  linger?: NodeJS.Timeout;
  state: State;
  /** The batch linger, or the wait before a retry. */
  timer?: NodeJS.Timeout;
  /** Tries at the current batch, and when it is given up. */
  tries: number;
  giveUpAt: number;
  closed: boolean;
}

/**
 * Offline delivery. Every link this instance runs (in cluster mode: every link it owns, so only the
 * owner sends) gets a background listener: the link polls on while no socket is open, until the
 * token ends. An event of a type in WEBHOOK_TYPES that comes while the token has no open socket
 * anywhere is held for EVENTS_LINGER_MS (a client that comes back resumes it with `?after=`), then
 * queued; each token's queue is sent in batches, one request at a time per token (so in order),
 * retried with backoff until delivered, refused (4xx) or past WEBHOOK_RETRY_WINDOW_MS.
 */
@Injectable()
export class WebhookDelivery implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly settings: WebhookConfig;
  private readonly types: ReadonlySet<EventType>;
  private readonly queues: WebhookQueues<LinkEvent>;
  private readonly sender: WebhookSender;
  private readonly signer: Signer;
  private readonly metrics: WebhookMetrics;
  private readonly digest: LogDigest;
  /** Waiting for a request slot, in turn: a token with much to send does not hold up the others. */
  private readonly ready = new Set<Outbox>();
  /** Waiting out a backoff the receiver did not ask for (no Retry-After): brought forward once it answers again. */
  private readonly backingOff = new Set<Outbox>();
  private readonly outboxes = new Set<Outbox>();
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly registry: LinkRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    if (!config.webhooks) throw new Error('the webhooks module needs WEBHOOK_URL');
    this.settings = config.webhooks;
    this.types = new Set(this.settings.types);
    this.signer = new Signer(this.settings.secrets);
    this.sender = new WebhookSender(this.settings.url, { timeoutMs: this.settings.timeoutMs, connections: this.settings.concurrency, userAgent: config.userAgent });
    this.digest = new LogDigest((line) => this.logger.warn(line));
    this.queues = new WebhookQueues({ perToken: this.settings.maxQueuePerToken, total: this.settings.maxQueue }, (_queue, items) => {
      this.metrics.dropped('queue_full', items.length);
      this.digest.note('queue_full', items.length, '', (n) => `webhook queue full: dropped the ${n} oldest waiting events (WEBHOOK_MAX_QUEUE_PER_TOKEN, WEBHOOK_MAX_QUEUE)`);
    });
    this.metrics = metrics.webhookMetrics(() => this.queues.total, FAILURE_REASONS);
  }

  onModuleInit(): void {
    this.registry.onLinkCreated((link, token) => this.track(link, token));
  }

  /** Events waiting in all (held, queued, or in a batch being delivered). */
  get waiting(): number {
    return this.queues.total;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.queues.total > 0) this.logger.warn(`shutting down with ${this.queues.total} webhook events not delivered; clients still resume them`);
    for (const outbox of [...this.outboxes]) this.untrack(outbox, false);
    this.digest.stop();
    await this.sender.close();
  }

  // ---- following links ------------------------------------------------------------------------

  private track(link: Link, token: string): void {
    const outbox: Outbox = { link, session: sessionOf(token), queue: this.queues.open(), state: 'idle', tries: 0, giveUpAt: 0, closed: false };
    this.outboxes.add(outbox);
    link.subscribe((event) => this.take(outbox, event), { background: true });
    link.onSocketsChanged((open) => this.socketsChanged(outbox, open));
    link.onClose(() => this.untrack(outbox, true));
    // A new link: as if its last socket had just closed (a socket about to open for it, or a
    // client's sockets coming back to a new owner after a takeover, are waited for).
    this.startLinger(outbox);
  }

  /** Logout, a token the upstream refuses, or shutdown: what is still waiting is not sent. */
  private untrack(outbox: Outbox, count: boolean): void {
    if (outbox.closed) return;
    outbox.closed = true;
    clearTimeout(outbox.linger);
    clearTimeout(outbox.timer);
    this.ready.delete(outbox);
    this.backingOff.delete(outbox);
    this.outboxes.delete(outbox);
    const inRequest = outbox.queue.sending ? outbox.queue.batchSize : 0; // counted when its answer comes
    const left = this.queues.close(outbox.queue).length - inRequest;
    if (count && left > 0) this.metrics.dropped('session_ended', left);
  }

  private take(outbox: Outbox, event: LinkEvent): void {
    if (!this.types.has(event.type) || outbox.link.openSockets > 0 || isOwnMessage(event)) return;
    const held = outbox.linger !== undefined;
    this.queues.push(outbox.queue, event, held);
    if (!held) this.released(outbox);
  }

  private socketsChanged(outbox: Outbox, open: number): void {
    if (open > 0) {
      clearTimeout(outbox.linger);
      outbox.linger = undefined;
      this.queues.discardHeld(outbox.queue);
    } else if (!outbox.linger) {
      this.startLinger(outbox);
    }
  }

  private startLinger(outbox: Outbox): void {
    outbox.linger = setTimeout(() => {
      outbox.linger = undefined;
      this.queues.release(outbox.queue);
      if (outbox.queue.released > 0) this.released(outbox);
    }, this.config.eventsLingerMs);
    outbox.linger.unref();
  }

  // ---- scheduling -----------------------------------------------------------------------------

  /** Events were released: the batch linger starts (or the batch is full already). */
  private released(outbox: Outbox): void {
    const full = outbox.queue.released >= this.settings.batchMaxEvents;
    if (outbox.state === 'idle') {
      if (full || this.settings.batchLingerMs === 0) return this.makeReady(outbox);
      outbox.state = 'collecting';
      outbox.timer = setTimeout(() => this.makeReady(outbox), this.settings.batchLingerMs);
      outbox.timer.unref();
    } else if (outbox.state === 'collecting' && full) {
      this.makeReady(outbox);
    }
  }

  private makeReady(outbox: Outbox): void {
    if (outbox.closed) return;
    clearTimeout(outbox.timer);
    this.backingOff.delete(outbox);
    outbox.state = 'ready';
    this.ready.add(outbox);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.settings.concurrency) {
      const next = this.ready.values().next();
      if (next.done) return;
      this.ready.delete(next.value);
      void this.attempt(next.value);
    }
  }

  /** After a batch is done with: the next one at once (its events have waited already), or idle. */
  private next(outbox: Outbox): void {
    outbox.tries = 0;
    if (outbox.queue.released > 0) this.makeReady(outbox);
    else outbox.state = 'idle';
  }

  // ---- one try --------------------------------------------------------------------------------

  private async attempt(outbox: Outbox): Promise<void> {
    outbox.state = 'sending';
    this.inFlight++;
    try {
      await this.tryOnce(outbox);
    } catch (err) {
      this.logger.warn(`webhook delivery failed unexpectedly: ${(err as Error).message}`);
      if (!outbox.closed) this.next(outbox);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  private async tryOnce(outbox: Outbox): Promise<void> {
    const { queue } = outbox;
    if (outbox.tries === 0) outbox.giveUpAt = Date.now() + this.settings.retryWindowMs;
    outbox.tries++;
    if (outbox.account === undefined) {
      try {
        outbox.account = readAccountName(await outbox.link.call(getInfoRequest(), { sessionless: true }));
      } catch (err) {
        if (!outbox.closed) this.retryOrGiveUp(outbox, { kind: 'retry', reason: 'upstream' }, `the account could not be read: ${(err as Error).message}`);
        return;
      }
    }
    if (outbox.closed) return;
    const batch = this.queues.formBatch(queue, this.settings.batchMaxEvents);
    if (batch.length === 0) return this.next(outbox); // dropped to a bound meanwhile
    queue.sending = true;
    const body = payloadBody(outbox.account, outbox.session, batch);
    const result = await this.sender.post(body, this.signer.headers(webhookId(outbox.session, batch), body));
    queue.sending = false;
    const verdict = judge(result, Date.now());
    if (outbox.closed) {
      // The token ended while this request was out: its answer still counts, nothing follows it.
      if (verdict.kind === 'delivered') this.metrics.delivered(ages(batch));
      else if (!this.stopped) this.metrics.dropped('session_ended', batch.length);
      return;
    }
    if (verdict.kind === 'delivered') {
      this.metrics.delivered(ages(this.queues.completeBatch(queue)));
      this.broughtForward();
      return this.next(outbox);
    }
    if (verdict.kind === 'reject') {
      this.metrics.failedAttempt('rejected');
      const refused = this.queues.completeBatch(queue).length;
      this.metrics.dropped('rejected', refused);
      this.digest.note('rejected', 1, `HTTP ${verdict.status}`, (n, last) => `webhook receiver refused ${n} batches for good (last: ${last}); their events are dropped, not retried`);
      return this.next(outbox);
    }
    this.retryOrGiveUp(outbox, verdict, describe(result));
  }

  private retryOrGiveUp(outbox: Outbox, verdict: Extract<Verdict, { kind: 'retry' }>, detail: string): void {
    this.metrics.failedAttempt(verdict.reason);
    const delay = retryDelay(verdict, outbox.tries, this.settings.backoffMs, this.settings.backoffMaxMs);
    if (Date.now() + delay > outbox.giveUpAt) {
      this.queues.formBatch(outbox.queue, this.settings.batchMaxEvents);
      const given = this.queues.completeBatch(outbox.queue).length;
      this.metrics.dropped('retry_window', given);
      this.digest.note('retry_window', given, detail, (n, last) => `webhook receiver still failing after WEBHOOK_RETRY_WINDOW_MS (last: ${last}): gave up ${n} events`);
      return this.next(outbox);
    }
    this.digest.note('failing', 1, detail, (n, last) => `webhook receiver failing (last: ${last}): ${n} failed attempts, retrying with backoff`);
    outbox.state = 'backoff';
    outbox.timer = setTimeout(() => this.makeReady(outbox), delay);
    outbox.timer.unref();
    if (verdict.retryAfterMs === undefined) this.backingOff.add(outbox);
  }

  /** The receiver answered again: every token backing off (without a Retry-After of its own) tries now. */
  private broughtForward(): void {
    if (this.backingOff.size === 0) return;
    const waiting = [...this.backingOff];
    this.backingOff.clear();
    for (const outbox of waiting) this.makeReady(outbox);
  }
}

/**
 * The account's own message (it carries `to`, wire format §13): the echo of a send from this token or
 * from another client of the account. It wakes nobody up.
 */
function isOwnMessage(event: LinkEvent): boolean {
  return event.type === 'message' && event.data.to !== undefined;
}

function ages(events: readonly LinkEvent[], now = Date.now()): number[] {
  return events.map((event) => Math.max(0, now - Date.parse(event.at)) / 1000);
}

function describe(result: AttemptResult): string {
  if ('failure' in result) return result.failure === 'timeout' ? 'timeout' : 'connection error';
  return `HTTP ${result.status}`;
}
