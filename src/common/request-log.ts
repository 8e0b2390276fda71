import type { FastifyInstance } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';

/** Query parameters that carry credentials (browsers put the socket token in the URL). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:access_token|token)=)[^&#]*/gi, '$1[redacted]');
}

let standardOutput: DestinationStream | undefined;

/**
 * Standard output, written asynchronously: a line costs a third of a synchronous write to a pipe, and
 * pino flushes what is buffered when the process exits. A standard output that something has wrapped
 * (a test capturing the logs) is written through as it is, as pino itself does.
 */
function logDestination(): DestinationStream {
  if (process.stdout.write !== Object.getPrototypeOf(process.stdout).write) return process.stdout;
  return (standardOutput ??= pino.destination({ dest: 1, sync: false }));
}

/**
 * The JSON logger of the process. Bodies and headers are never logged (passwords, bearer tokens);
 * credentials in logged objects are redacted.
 */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: ['password', 'token', '*.password', '*.token'], censor: '[redacted]' } }, logDestination());
}

/** Nest's application logger (`new Logger('Context')` anywhere) writing through the same pino logger. */
export function nestLogger(logger: Logger): NestPinoLogger {
  return new NestPinoLogger(new PinoLogger({ pinoHttp: { logger } }), {});
}

/**
 * One `request completed` line per request, written when the response is done. A Fastify hook rather
 * than per-request middleware: no child logger, no async-context store and no work at all when the
 * level is above info — this runs on every request. The line holds only the fields below (the URL's
 * credentials already redacted), so it skips the redaction pass the general logger makes on every line.
 */
export function logRequests(fastify: FastifyInstance, level: string): void {
  const logger = pino({ level }, logDestination());
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
