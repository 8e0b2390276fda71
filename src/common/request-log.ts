import type { FastifyInstance } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { Logger } from 'pino';

/** Query parameters that carry credentials (browsers put the socket token in the URL). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:access_token|token)=)[^&#]*/gi, '$1[redacted]');
}

/**
 * The one JSON logger of the process. Bodies and headers are never logged (passwords, bearer tokens);
 * credentials in logged objects are redacted.
 */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: ['password', 'token', '*.password', '*.token'], censor: '[redacted]' } });
}

/** Nest's application logger (`new Logger('Context')` anywhere) writing through the same pino logger. */
export function nestLogger(logger: Logger): NestPinoLogger {
  return new NestPinoLogger(new PinoLogger({ pinoHttp: { logger } }), {});
}

/**
 * One `request completed` line per request, written when the response is done. A Fastify hook rather
 * than per-request middleware: no child logger, no async-context store and no work at all when the
 * level is above info — this runs on every request.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      {
        req: { id: request.id, method: request.method, url: redactUrl(request.url) },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime * 1000) / 1000,
      },
      'request completed',
    );
    done();
  });
}
