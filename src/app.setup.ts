import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { registerJsonBodyParser } from './common/json-body';
import { ProblemFilter, problemFrameworkErrors } from './common/problem.filter';
import { createLogger, logRequests, nestLogger } from './common/request-log';
import { createValidationPipe } from './common/validation';
import { buildOpenApiDocument, setupDocs } from './docs/openapi';
import type { AppConfig } from './config/config';
import { EventsWsAdapter } from './events/events-ws.adapter';

/** Builds the application exactly as production runs it; main.ts and the e2e tests share this. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    trustProxy: false,
    // A caller's request id is kept (and logged) so a request can be followed across services.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Errors Fastify raises before routing (bad percent-encoding …) are problems too.
    frameworkErrors: problemFrameworkErrors,
    // Room for a percent-encoded 320-character address in a path parameter.
    routerOptions: { maxParamLength: 1_000 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    bufferLogs: true,
    // JSON only, through our own parser (see registerJsonBodyParser); no form bodies.
    bodyParser: false,
  });
  const logger = createLogger(config.logLevel);
  app.useLogger(nestLogger(logger));
  registerJsonBodyParser(app.getHttpAdapter().getInstance());
  logRequests(app.getHttpAdapter().getInstance(), logger);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.useWebSocketAdapter(new EventsWsAdapter(app, config.wsMaxPayloadBytes));
  app.enableShutdownHooks();
  setupDocs(app, buildOpenApiDocument(app));
  return app;
}
