import type { FastifyCorsOptions, OriginFunction } from '@fastify/cors';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { MAX_PATH_PARAMETER_LENGTH } from './common/api-responses';
import { registerJsonBodyParser } from './common/json-body';
import { ProblemFilter, problemFrameworkErrors } from './common/problem.filter';
import { createLogger, logRequests, nestLogger } from './common/request-log';
import { createValidationPipe } from './common/validation';
import { buildOpenApiDocument, setupDocs } from './docs/openapi';
import type { AppConfig } from './config/config';
import { EventsWsAdapter } from './events/events-ws.adapter';
import { ImSimulator } from './simulator';
import { DEMO_ACCOUNTS } from './simulator/demo-accounts';

export interface RunningService {
  app: NestFastifyApplication;
  /** The embedded simulator, when UPSTREAM_URL is unset. */
  simulator?: ImSimulator;
  /** Where the service listens, e.g. http://127.0.0.1:3000 (the real port when PORT is 0). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the service as `npm start` does: against UPSTREAM_URL, or, when it is unset, against an
 * embedded simulator with the demo accounts, so the API can be tried at once. main.ts and the README
 * test share this.
 */
export async function startService(config: AppConfig): Promise<RunningService> {
  const logger = new Logger('Bootstrap');
  let simulator: ImSimulator | undefined;
  if (!config.upstreamUrl) {
    simulator = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: [...DEMO_ACCOUNTS] });
    config = { ...config, upstreamUrl: simulator.url };
  }
  const app = await createApp(config);
  if (simulator) {
    const accounts = DEMO_ACCOUNTS.map((a) => `${a.address} / ${a.password}`).join(', ');
    logger.warn(`UPSTREAM_URL is unset: using the embedded simulator at ${simulator.url}; demo accounts: ${accounts}`);
  }
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${port}`;
  logger.log(`imbridge listening on ${url}`);
  if (config.demo) logger.log(`browser demo (DEMO=on): ${url}/demo`);
  return {
    app,
    simulator,
    url,
    async close() {
      await app.close();
      await simulator?.stop();
    },
  };
}

/** Builds the application exactly as production runs it; main.ts and the e2e tests share this. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    // The client address (for the rate limit) from X-Forwarded-For, believed only from TRUST_PROXY's peers.
    trustProxy: typeof config.trustProxy === 'number' ? trustNearestHops(config.trustProxy) : config.trustProxy,
    // A caller's request id is kept (logged, and sent back) so a request can be followed across
    // services; one that is not a short printable token is replaced rather than written into our logs.
    requestIdHeader: false,
    genReqId: requestId,
    // Errors Fastify raises before routing (bad percent-encoding …) are problems too.
    frameworkErrors: config.corsOrigins.length > 0 ? withCorsHeaders(problemFrameworkErrors, config.corsOrigins) : problemFrameworkErrors,
    // Room for a percent-encoded 320-character address in a path parameter.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    bufferLogs: true,
    // JSON only, through our own parser (see registerJsonBodyParser); no form bodies.
    bodyParser: false,
  });
  const logger = createLogger(config.logLevel);
  app.useLogger(nestLogger(logger));
  if (config.corsOrigins.length > 0) app.enableCors(corsOptions(config.corsOrigins));
  registerJsonBodyParser(app.getHttpAdapter().getInstance());
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  logRequests(app.getHttpAdapter().getInstance(), config.logLevel);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.useWebSocketAdapter(new EventsWsAdapter(app, config.wsMaxPayloadBytes, config.corsOrigins));
  app.enableShutdownHooks();
  setupDocs(app, buildOpenApiDocument(app));
  return app;
}

/**
 * TRUST_PROXY as a hop count: the nearest `hops` peers are believed, as proxy-addr counts them (the
 * operator says how many proxies stand in front). Fastify 5.12 trusts nothing for a bare number, so
 * the count is given as the function it used to compile to.
 */
function trustNearestHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

const CORS_EXPOSED_HEADERS = ['Retry-After', 'X-Request-Id'];
const CALLER_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The caller's X-Request-Id when it is 1–128 visible ASCII characters, else a new UUID. */
export function requestId(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Is `origin` (a request's Origin header) one of CORS_ORIGINS? */
function isListedOrigin(origins: readonly string[]): (origin: string | undefined) => boolean {
  const listed = new Set(origins);
  return (origin) => origin !== undefined && listed.has(origin);
}

/**
 * Browser pages on the CORS_ORIGINS origins may call every route. Nest runs @fastify/cors in a request
 * hook ahead of everything else, so error answers (404, 429 …) carry the headers too and a page can
 * read them. Any other origin gets no CORS headers at all, and its preflight is a 404 like any OPTIONS.
 */
function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const isListed = isListedOrigin(origins);
  const origin: OriginFunction = (requestOrigin, callback) => callback(null, isListed(requestOrigin));
  return {
    origin,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Client-Id', 'Idempotency-Key'],
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // An OPTIONS without Access-Control-Request-Method is answered like a preflight rather than with
    // the plugin's text/plain 400: every error here is a problem document.
    strictPreflight: false,
  };
}

type FrameworkErrorHandler = (error: Error, request: FastifyRequest, reply: FastifyReply) => void;

/** The router answers these errors before any request hook runs, so before @fastify/cors: its headers are added here. */
function withCorsHeaders(handler: FrameworkErrorHandler, origins: readonly string[]): FrameworkErrorHandler {
  const isListed = isListedOrigin(origins);
  return (error, request, reply) => {
    const origin = request.headers.origin;
    reply.header('Vary', 'Origin');
    if (isListed(origin)) reply.header('Access-Control-Allow-Origin', origin).header('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
    handler(error, request, reply);
  };
}
