import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { ChatsModule } from './chats/chats.module';
import { RateLimitGuard } from './common/rate-limit.guard';
import { AppConfig, ClusterConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DemoModule } from './demo/demo.module';
import { EventsModule } from './events/events.module';
import { GatewaysModule } from './gateways/gateways.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LinkModule } from './link/link.module';
import { MetricsModule } from './metrics/metrics.module';
import { PresenceModule } from './presence/presence.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RoomsModule } from './rooms/rooms.module';
import { RosterModule } from './roster/roster.module';
import { SoapModule } from './soap/soap.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
      imports: [
        ConfigModule.forRoot(config),
        SoapModule,
        LinkModule,
        HealthModule,
        MetricsModule,
        AuthModule,
        RosterModule,
        PresenceModule,
        ChatsModule,
        PrivacyModule,
        GatewaysModule,
        RoomsModule,
        EventsModule,
        IdempotencyModule,
        ...(config.cluster ? [clusterModule(config.cluster)] : []),
        ...(config.demo ? [DemoModule] : []),
        ...(config.webhooks ? [webhooksModule()] : []),
      ],
    };
  }
}

/** Loaded only with REDIS_URL set: one process without Redis loads no Redis code at all. */
function clusterModule(settings: ClusterConfig): DynamicModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ClusterModule } = require('./cluster/cluster.module') as typeof import('./cluster/cluster.module');
  return ClusterModule.forConfig(settings);
}

/** Loaded only with WEBHOOK_URL set: without it no delivery code runs and links end when idle, as before. */
function webhooksModule(): DynamicModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { WebhooksModule } = require('./webhooks/webhooks.module') as typeof import('./webhooks/webhooks.module');
  return { module: WebhooksModule };
}
