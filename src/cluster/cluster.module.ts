import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AppConfig, ClusterConfig } from '../config/config';
import { APP_CONFIG } from '../config/config';
import { CLUSTER_READ_MARKERS } from '../chats/read-markers';
import { CLUSTER_SOCKETS } from '../events/events.gateway';
import { CLUSTER_HEALTH, ClusterHealth } from '../health/health.controller';
import { CLUSTER_IDEMPOTENCY, isFinalAnswer } from '../idempotency/idempotency.module';
import { LinkRegistry } from '../link/link-registry.service';
import { ClusterMetrics, MetricsService } from '../metrics/metrics.service';
import { Admission } from './admission';
import { installClusterGate } from './cluster-gate';
import { ClusterLinks } from './cluster-links';
import { ClusterSocketsService } from './cluster-sockets';
import { RedisEventStore } from './event-store';
import { Inbox } from './inbox';
import { ClusterKeys } from './keys';
import { LinkDirectory } from './link-directory';
import { Membership } from './membership';
import { RedisConnection } from './redis';
import { RedisIdempotencyKeys } from './redis-idempotency';
import { RedisReadMarkers } from './redis-read-markers';
import { Sealer } from './sealed';

/** Everything cluster mode is made of, built once Redis answers. */
export class Cluster implements ClusterHealth {
  readonly keys: ClusterKeys;
  readonly membership: Membership;
  readonly directory: LinkDirectory;
  readonly store: RedisEventStore;
  readonly admission: Admission;
  readonly inbox: Inbox;
  readonly links: ClusterLinks;
  readonly sockets: ClusterSocketsService;
  readonly metrics: ClusterMetrics;
  private readonly logger = new Logger('Cluster');

  constructor(
    readonly redis: RedisConnection,
    readonly settings: ClusterConfig,
    config: AppConfig,
    registry: LinkRegistry,
    metrics: MetricsService,
  ) {
    const id = settings.instanceId;
    this.metrics = metrics.clusterMetrics(() => this.links.ownedCount);
    this.keys = new ClusterKeys(settings.keyPrefix);
    this.membership = new Membership(redis, this.keys, { instanceId: id, leaseMs: settings.leaseMs, heartbeatMs: settings.heartbeatMs }, {
      fenced: () => this.fenced(),
      deadInstances: (ids) => void this.takeOver(ids),
    });
    this.directory = new LinkDirectory(redis, this.keys, new Sealer(settings.secret, 'upstream tokens'), id, config.eventLogMaxAgeMs);
    this.store = new RedisEventStore(redis, this.keys, { maxEvents: config.eventLogSize, maxAgeMs: config.eventLogMaxAgeMs });
    this.admission = new Admission(redis, this.keys, config.rateLimitPerMinute);
    this.inbox = new Inbox(redis, this.keys, new Sealer(settings.secret, 'inbox'), id);
    this.links = new ClusterLinks(registry, this.directory, this.membership, this.store, redis, this.keys, this.metrics, {
      instanceId: id,
      lingerMs: config.eventsLingerMs,
    });
    this.sockets = new ClusterSocketsService(this.links, this.directory, this.admission, this.inbox, this.store, redis, this.keys, config, metrics, id, settings.leaseMs);
    redis.onReconnect(() => this.links.verifyAll());
    registry.useOwnership({
      revoke: async (token) => {
        const tag = ClusterKeys.tagOf(token);
        await this.admission.revoke(tag);
        await redis.publish(this.keys.events(tag), JSON.stringify({ note: 'revoked' }));
      },
    });
  }

  notReady(): string | undefined {
    if (!this.redis.isReady) return `Redis cannot be reached${this.redis.error ? ` (${this.redis.error})` : ''}`;
    if (!this.membership.holdsLease) return 'this instance does not hold its lease';
    return undefined;
  }

  /** Lost the lease (paused, or cut off from Redis): no longer an owner; sockets reconnect elsewhere. */
  private fenced(): void {
    this.logger.warn('this instance lost its cluster lease: its links end and its sockets are told to reconnect');
    this.links.fenced();
    this.sockets.dropAll();
  }

  private async takeOver(dead: string[]): Promise<void> {
    if (!this.membership.eligibleForTakeover) return;
    for (const instance of dead) {
      this.links.dropInstance(instance);
      try {
        const taken = await this.links.takeOver(instance);
        if (taken > 0) this.logger.log(`took over ${taken} links of ${instance}`);
        this.metrics.tookOver(taken);
      } catch (err) {
        this.logger.warn(`taking over ${instance} failed: ${(err as Error).message}`);
      }
    }
  }
}

export const CLUSTER = Symbol('CLUSTER');

/** The longest a request may run on the owner: its upstream calls and a notification it waits for. */
function forwardTimeoutMs(config: AppConfig): number {
  return 2 * config.upstreamTimeoutMs + config.rosterTimeoutMs;
}

/** Joins the cluster once the application is built, and leaves it last on shutdown. */
@Injectable()
class ClusterLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CLUSTER) private readonly cluster: Cluster,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const { cluster, config } = this;
    installClusterGate(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), { ...cluster, metrics: this.metrics, clusterMetrics: cluster.metrics }, {
      instanceId: cluster.settings.instanceId,
      marker: { header: 'x-imbridge-forwarded', value: randomBytes(16).toString('hex') },
      forwardTimeoutMs: forwardTimeoutMs(config),
      leaseSeconds: Math.ceil(cluster.settings.leaseMs / 1000),
    });
    await cluster.inbox.start();
    await cluster.membership.start();
  }

  /** After the links closed (their sessions stay, for a survivor): the lease ends at once, so takeover is immediate. */
  async onApplicationShutdown(): Promise<void> {
    await this.cluster.membership.stop();
    await this.cluster.inbox.stop();
    await this.cluster.redis.close();
  }
}

@Global()
@Module({})
export class ClusterModule {
  static forConfig(settings: ClusterConfig): DynamicModule {
    return {
      module: ClusterModule,
      providers: [
        {
          provide: CLUSTER,
          inject: [APP_CONFIG, LinkRegistry, MetricsService],
          useFactory: async (config: AppConfig, registry: LinkRegistry, metrics: MetricsService) =>
            new Cluster(await RedisConnection.connect({ url: settings.redisUrl, name: `imbridge:${settings.instanceId}` }), settings, config, registry, metrics),
        },
        { provide: CLUSTER_SOCKETS, inject: [CLUSTER], useFactory: (cluster: Cluster) => cluster.sockets },
        { provide: CLUSTER_READ_MARKERS, inject: [CLUSTER], useFactory: (cluster: Cluster) => new RedisReadMarkers(cluster.redis, cluster.keys) },
        {
          provide: CLUSTER_IDEMPOTENCY,
          inject: [CLUSTER, APP_CONFIG],
          useFactory: (cluster: Cluster, config: AppConfig) =>
            new RedisIdempotencyKeys(cluster.redis, cluster.keys, { ttlMs: config.idempotencyTtlMs, runningTtlMs: forwardTimeoutMs(config), isFinal: isFinalAnswer }),
        },
        { provide: CLUSTER_HEALTH, inject: [CLUSTER], useFactory: (cluster: Cluster): ClusterHealth => cluster },
        ClusterLifecycle,
      ],
      exports: [CLUSTER, CLUSTER_SOCKETS, CLUSTER_HEALTH, CLUSTER_IDEMPOTENCY, CLUSTER_READ_MARKERS],
    };
  }
}
