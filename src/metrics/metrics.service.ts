import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROBLEM_CONTENT_TYPE, ProblemCode } from '../common/problem';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { LinkEvent } from '../link/events';
import { LinkRegistry } from '../link/link-registry.service';
import { CallOutcome, SoapClient } from '../soap/soap-client';
import { BoundedLabel } from './bounded-label';

/** Distinct problem codes beyond our own (the upstream's) kept as label values before `other`. */
const MAX_FOREIGN_PROBLEM_CODES = 50;
/** Request names are a fixed set of our own; the bound only guards against a mistake. */
const MAX_REQUEST_NAMES = 100;
/** From a quick reply to a long-poll held for its whole wait (LONG_POLL_WAIT_MS, 60 s by default). */
const UPSTREAM_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export type ResyncReason = 'gap' | 'upstream_session';

/** Why events were dropped without reaching the receiver. */
export type WebhookDropReason = 'queue_full' | 'retry_window' | 'rejected' | 'session_ended';
const WEBHOOK_DROP_REASONS: readonly WebhookDropReason[] = ['queue_full', 'retry_window', 'rejected', 'session_ended'];

export interface WebhookMetrics {
  /** A batch reached the receiver; `ages` are its events' seconds since the proxy published them. */
  delivered(ages: number[]): void;
  failedAttempt(reason: string): void;
  dropped(reason: WebhookDropReason, events: number): void;
}

export interface ClusterMetrics {
  tookOver(links: number): void;
  forwarded(outcome: 'answered' | 'timeout' | 'unreachable' | 'failed'): void;
  committed(seconds: number): void;
}

/**
 * The proxy's Prometheus metrics, on a registry of its own (never prom-client's global one), so that
 * several applications in one process (tests, two proxies) each count only their own traffic.
 * Gauges read live state when scraped; counters are told by the code where things happen.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly registry = new Registry();
  private readonly sockets: Gauge;
  private readonly published: Counter;
  private readonly delivered: Counter;
  private readonly resyncs: Counter<'reason'>;
  private readonly upstreamCalls: Histogram<'request' | 'outcome'>;
  private readonly problems: Counter<'code'>;
  private readonly rateLimited: Counter;
  private readonly problemCodes = new BoundedLabel(MAX_FOREIGN_PROBLEM_CODES, Object.values(ProblemCode));
  private readonly requestNames = new BoundedLabel(MAX_REQUEST_NAMES);

  constructor(
    links: LinkRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SoapClient) private readonly soap: SoapClient,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry }); // process, heap, GC and event-loop lag
    new Gauge({
      name: 'imbridge_links',
      help: 'Upstream links open (one upstream session per token in use).',
      registers,
      collect() {
        this.set(links.size);
      },
    });
    new Gauge({ name: 'imbridge_links_max', help: 'Most links open at once (MAX_LINKS).', registers }).set(config.maxLinks);
    this.sockets = new Gauge({ name: 'imbridge_sockets', help: 'Authenticated event-stream sockets.', registers });
    this.published = new Counter({
      name: 'imbridge_events_published_total',
      help: 'Events published to the event streams that have sockets (once per event, whatever the number of sockets).',
      registers,
    });
    this.delivered = new Counter({
      name: 'imbridge_events_delivered_total',
      help: 'Live events sent to sockets (once per socket).',
      registers,
    });
    this.resyncs = new Counter({
      name: 'imbridge_resyncs_total',
      help: 'resync notices: published in a stream (gap in the upstream notify seq, upstream session replaced), or sent to one socket whose ?after= cannot be replayed (gap).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['gap', 'upstream_session'] satisfies ResyncReason[]) this.resyncs.inc({ reason }, 0);
    this.upstreamCalls = new Histogram({
      name: 'imbridge_upstream_request_duration_seconds',
      help: 'Upstream SOAP calls by request element and outcome (ok, fault, timeout, unavailable, bad_response).',
      labelNames: ['request', 'outcome'],
      buckets: UPSTREAM_BUCKETS_SECONDS,
      registers,
    });
    this.problems = new Counter({
      name: 'imbridge_problems_total',
      help: `problem+json answers by code (upstream codes beyond ${MAX_FOREIGN_PROBLEM_CODES} distinct ones count as "other").`,
      labelNames: ['code'],
      registers,
    });
    this.rateLimited = new Counter({ name: 'imbridge_rate_limited_total', help: 'Requests refused with 429 rate.LIMITED.', registers });
  }

  onModuleInit(): void {
    this.soap.observeCalls((request, outcome, seconds) => this.upstreamCall(request, outcome, seconds));
    this.countProblemAnswers(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  socketOpened(): void {
    this.sockets.inc();
  }

  socketClosed(): void {
    this.sockets.dec();
  }

  eventPublished(event: LinkEvent): void {
    this.published.inc();
    if (event.type === 'resync') this.resync(event.data.reason);
  }

  eventDelivered(): void {
    this.delivered.inc();
  }

  resync(reason: ResyncReason): void {
    this.resyncs.inc({ reason });
  }

  rateLimitedRequest(): void {
    this.rateLimited.inc();
  }

  /** Cluster mode's own figures, registered by the cluster when it starts. */
  clusterMetrics(ownedLinks: () => number): ClusterMetrics {
    const registers = [this.registry];
    new Gauge({
      name: 'imbridge_cluster_owned_links',
      help: 'Links this instance owns (it alone talks to the upstream for their tokens).',
      registers,
      collect() {
        this.set(ownedLinks());
      },
    });
    const takeovers = new Counter({ name: 'imbridge_cluster_takeovers_total', help: 'Links taken over from instances whose lease ran out.', registers });
    const forwards = new Counter<'outcome'>({
      name: 'imbridge_cluster_forwards_total',
      help: 'REST requests forwarded to the instance that owns their token, by outcome (answered, timeout, unreachable, failed).',
      labelNames: ['outcome'],
      registers,
    });
    const commits = new Histogram({
      name: 'imbridge_cluster_commit_seconds',
      help: 'Committing a notify block to the shared log (fence, append, publish), before it is acknowledged upstream.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    return {
      tookOver: (links) => takeovers.inc(links),
      forwarded: (outcome) => forwards.inc({ outcome }),
      committed: (seconds) => commits.observe(seconds),
    };
  }

  /** Offline delivery's figures, registered by the webhooks module when WEBHOOK_URL is set. */
  webhookMetrics(queued: () => number, failureReasons: readonly string[]): WebhookMetrics {
    const registers = [this.registry];
    new Gauge({
      name: 'imbridge_webhook_queued_events',
      help: 'Events waiting for the webhook receiver (held during the socket linger, queued, or in a batch being retried).',
      registers,
      collect() {
        this.set(queued());
      },
    });
    const delivered = new Counter({ name: 'imbridge_webhook_events_delivered_total', help: 'Events the webhook receiver accepted (2xx), once per event and batch.', registers });
    const failed = new Counter<'reason'>({
      name: 'imbridge_webhook_failed_attempts_total',
      help: 'Webhook requests that did not deliver, by reason (server_error, rate_limited, timeout, connection: retried; rejected: other 4xx, given up; upstream: the account could not be read).',
      labelNames: ['reason'],
      registers,
    });
    const dropped = new Counter<'reason'>({
      name: 'imbridge_webhook_events_dropped_total',
      help: 'Events given up without reaching the receiver, by reason (queue_full: oldest first beyond a bound; retry_window; rejected: a 4xx; session_ended: logout or token refused).',
      labelNames: ['reason'],
      registers,
    });
    const age = new Histogram({
      name: 'imbridge_webhook_delivery_seconds',
      help: 'From the proxy publishing an event to the receiver accepting it (the socket linger included).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
      registers,
    });
    for (const reason of failureReasons) failed.inc({ reason }, 0);
    for (const reason of WEBHOOK_DROP_REASONS) dropped.inc({ reason }, 0);
    return {
      delivered: (ages) => {
        delivered.inc(ages.length);
        for (const seconds of ages) age.observe(seconds);
      },
      failedAttempt: (reason) => failed.inc({ reason }),
      dropped: (reason, events) => dropped.inc({ reason }, events),
    };
  }

  private upstreamCall(request: string, outcome: CallOutcome, seconds: number): void {
    this.upstreamCalls.observe({ request: this.requestNames.valueOf(request), outcome }, seconds);
  }

  /**
   * Every problem+json answer, whichever way it was produced (the exception filter, Fastify's own
   * errors before routing): counted as it is sent.
   */
  private countProblemAnswers(fastify: FastifyInstance): void {
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith(PROBLEM_CONTENT_TYPE) && typeof payload === 'string') {
        this.problems.inc({ code: this.problemCodes.valueOf(problemCodeOf(payload)) });
      }
      done();
    });
  }
}

function problemCodeOf(payload: string): string {
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}
