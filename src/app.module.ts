import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { ChatsModule } from './chats/chats.module';
import { RateLimitGuard } from './common/rate-limit.guard';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { EventsModule } from './events/events.module';
import { GatewaysModule } from './gateways/gateways.module';
import { HealthModule } from './health/health.module';
import { LinkModule } from './link/link.module';
import { PresenceModule } from './presence/presence.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RoomsModule } from './rooms/rooms.module';
import { RosterModule } from './roster/roster.module';
import { SoapModule } from './soap/soap.module';

/** Query parameters that carry credentials (browsers put the socket token in the URL). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:access_token|token)=)[^&#]*/gi, '$1[redacted]');
}

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Bodies are never logged (passwords); headers and URLs only with credentials removed.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token', '*.password', '*.token'], censor: '[redacted]' },
          },
        }),
        SoapModule,
        LinkModule,
        HealthModule,
        AuthModule,
        RosterModule,
        PresenceModule,
        ChatsModule,
        PrivacyModule,
        GatewaysModule,
        RoomsModule,
        EventsModule,
      ],
    };
  }
}
