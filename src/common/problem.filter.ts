import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { UpstreamError } from '../soap/upstream-error';
import {
  buildProblem,
  PROBLEM_CONTENT_TYPE,
  ProblemCode,
  ProblemDocument,
  ProblemException,
  ProblemFieldError,
  problemFromUpstreamError,
} from './problem';

/** What an exception becomes: the document, extra headers, and how loudly to log it. */
export interface MappedProblem {
  problem: ProblemDocument;
  headers: Record<string, string>;
  log: 'none' | 'warn' | 'error';
}

/** Enough of a request to describe it in a detail or a log line. */
export interface RequestLike {
  method?: string;
  url?: string;
}

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: ProblemCode.INVALID,
  401: ProblemCode.AUTH_REQUIRED,
  403: ProblemCode.FORBIDDEN,
  404: ProblemCode.NOT_FOUND,
  405: ProblemCode.METHOD_NOT_ALLOWED,
  409: ProblemCode.CONFLICT,
  413: ProblemCode.TOO_LARGE,
  414: ProblemCode.URI_TOO_LONG,
  415: ProblemCode.UNSUPPORTED_MEDIA_TYPE,
  429: ProblemCode.RATE_LIMITED,
  502: ProblemCode.UPSTREAM_BAD_RESPONSE,
  503: ProblemCode.UPSTREAM_UNAVAILABLE,
  504: ProblemCode.UPSTREAM_TIMEOUT,
};

const DETAIL_BY_FASTIFY_CODE: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type is application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body size does not match its Content-Length.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request Content-Type is not supported; send application/json.',
  FST_ERR_BAD_URL: 'The request URL is not valid (malformed percent-encoding).',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter of the request URL is too long.',
};

/** The same errors as they reach a filter through Nest, which keeps only Fastify's message and status. */
const DETAIL_BY_FASTIFY_MESSAGE: Readonly<Record<string, string>> = {
  "Body is not valid JSON but content-type is set to 'application/json'": DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_INVALID_JSON_BODY,
  "Body cannot be empty when content-type is set to 'application/json'": DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_EMPTY_JSON_BODY,
  'Request body size did not match Content-Length': DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_INVALID_CONTENT_LENGTH,
  'Request body is too large': DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_BODY_TOO_LARGE,
  'Unsupported Media Type': DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_INVALID_MEDIA_TYPE,
};

const INTERNAL_DETAIL = 'An unexpected error occurred.';

function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? ProblemCode.INTERNAL : ProblemCode.REQUEST_FAILED);
}

function pathOf(request?: RequestLike): string {
  const url = request?.url ?? '';
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

function headersFor(status: number, extra: Record<string, string> = {}): Record<string, string> {
  return status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': 'Bearer realm="imbridge"', ...extra } : extra;
}

function isUpstreamError(exception: unknown): exception is UpstreamError {
  return (
    exception instanceof UpstreamError ||
    (exception instanceof Error && exception.name === 'UpstreamError' && 'kind' in exception && 'code' in exception)
  );
}

/** A Fastify error (from a content-type parser, the router …) that was not wrapped by Nest. */
function fastifyErrorOf(exception: unknown): { statusCode: number; code?: string; message: string } | undefined {
  if (!exception || typeof exception !== 'object') return undefined;
  const e = exception as { statusCode?: unknown; status?: unknown; code?: unknown; name?: unknown; message?: unknown };
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  if (statusCode === undefined || statusCode < 400 || statusCode > 599) return undefined;
  const fromFastify =
    (typeof e.code === 'string' && e.code.startsWith('FST_')) ||
    e.name === 'FastifyError' ||
    (exception instanceof SyntaxError && statusCode === 400);
  if (!fromFastify) return undefined;
  return {
    statusCode,
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : '',
  };
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return fallback;
}

function fromHttpException(exception: HttpException, request?: RequestLike): MappedProblem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const log = status >= 500 ? 'error' : 'none';

  // Someone threw an HttpException shaped like a problem: keep its code, detail and errors.
  if (response && typeof response === 'object') {
    const r = response as { code?: unknown; detail?: unknown; errors?: unknown };
    if (typeof r.code === 'string' && typeof r.detail === 'string') {
      const errors = Array.isArray(r.errors) ? (r.errors as ProblemFieldError[]) : undefined;
      return { problem: buildProblem(status, r.code, r.detail, { errors }), headers: headersFor(status), log };
    }
  }

  const message = messageOf(response, exception.message);
  // Nest's own answer for a path no route matches: "Cannot GET /x?query".
  if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(message)) {
    const method = request?.method ?? message.split(' ')[1];
    const detail = `No route matches ${method} ${pathOf(request) || '(unknown path)'}.`;
    return { problem: buildProblem(status, ProblemCode.ROUTE_NOT_FOUND, detail), headers: {}, log: 'none' };
  }
  if (status === HttpStatus.INTERNAL_SERVER_ERROR || status < 400 || status > 599) {
    return { problem: buildProblem(500, ProblemCode.INTERNAL, INTERNAL_DETAIL), headers: {}, log: 'error' };
  }
  const detail = DETAIL_BY_FASTIFY_MESSAGE[message] ?? (message || (exception.message ?? ''));
  return { problem: buildProblem(status, codeForStatus(status), detail), headers: headersFor(status), log };
}

/**
 * Maps anything thrown while serving a request to its problem document. Pure apart from reading the
 * exception; shared by the HTTP filter and anything else that must speak problem+json.
 */
export function problemFromException(exception: unknown, request?: RequestLike): MappedProblem {
  if (exception instanceof ProblemException) {
    return {
      problem: exception.problem,
      headers: headersFor(exception.getStatus(), exception.headers),
      log: exception.getStatus() >= 500 ? 'warn' : 'none',
    };
  }
  if (isUpstreamError(exception)) {
    const problem = problemFromUpstreamError(exception);
    return { problem, headers: headersFor(problem.status), log: problem.status >= 500 ? 'warn' : 'none' };
  }
  if (exception instanceof HttpException) return fromHttpException(exception, request);

  const fastify = fastifyErrorOf(exception);
  if (fastify) {
    if (fastify.statusCode >= 500) {
      return { problem: buildProblem(500, ProblemCode.INTERNAL, INTERNAL_DETAIL), headers: {}, log: 'error' };
    }
    const detail =
      (fastify.code && DETAIL_BY_FASTIFY_CODE[fastify.code]) ||
      (exception instanceof SyntaxError ? DETAIL_BY_FASTIFY_CODE.FST_ERR_CTP_INVALID_JSON_BODY : fastify.message) ||
      'The request could not be processed.';
    return {
      problem: buildProblem(fastify.statusCode, codeForStatus(fastify.statusCode), detail),
      headers: headersFor(fastify.statusCode),
      log: 'none',
    };
  }

  return { problem: buildProblem(500, ProblemCode.INTERNAL, INTERNAL_DETAIL), headers: {}, log: 'error' };
}

/** Writes a mapped problem on a Fastify reply (no-op when the reply has already been sent). */
export function sendProblem(reply: FastifyReply, mapped: MappedProblem): void {
  if (reply.sent) return;
  reply
    .code(mapped.problem.status)
    .headers(mapped.headers)
    .header('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .send(JSON.stringify(mapped.problem));
}

/**
 * For the `frameworkErrors` option of the Fastify adapter: errors Fastify's router raises before
 * any hook or handler (a malformed percent-encoding, an over-long path parameter) never reach Nest
 * or its filters, and would otherwise be answered with Fastify's own JSON.
 * `new FastifyAdapter({ frameworkErrors: problemFrameworkErrors })`.
 */
export function problemFrameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, problemFromException(error, request));
}

interface WsClientLike {
  send(data: string): void;
  readyState?: number;
}

/**
 * The global catch-all filter: every error answer is `application/problem+json`. Register it with
 * `app.useGlobalFilters(new ProblemFilter())` before `app.init()`, so it also covers unknown routes
 * and errors Fastify raises before a handler runs (malformed JSON, body too large, media type).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const type = host.getType<string>();
    if (type === 'http') {
      this.catchHttp(exception, host);
    } else if (type === 'ws') {
      this.catchWs(exception, host);
    } else {
      this.report(problemFromException(exception), exception, type);
    }
  }

  private catchHttp(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest | undefined>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = problemFromException(exception, request);
    // The request id ties this line to the request's `request completed` line.
    this.report(mapped, exception, `${request?.method ?? '?'} ${pathOf(request)} (request ${request?.id ?? '?'})`);

    if (reply && typeof reply.code === 'function') {
      sendProblem(reply, mapped);
      return;
    }
    // A raw Node response (an error raised outside Fastify's reply handling).
    const raw = reply as unknown as ServerResponse;
    if (raw && typeof raw.writeHead === 'function' && !raw.headersSent) {
      raw.writeHead(mapped.problem.status, { ...mapped.headers, 'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8` });
      raw.end(JSON.stringify(mapped.problem));
    }
  }

  private catchWs(exception: unknown, host: ArgumentsHost): void {
    const mapped = problemFromException(exception);
    this.report(mapped, exception, 'ws');
    const client = host.switchToWs().getClient<WsClientLike | undefined>();
    if (!client || typeof client.send !== 'function' || (client.readyState !== undefined && client.readyState !== 1)) return;
    const { code, detail, errors } = mapped.problem;
    client.send(JSON.stringify({ type: 'error', data: errors ? { code, detail, errors } : { code, detail } }));
  }

  private report(mapped: MappedProblem, exception: unknown, where: string): void {
    const { status, code } = mapped.problem;
    if (mapped.log === 'error') {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${where} → ${status} ${code}: unhandled ${exception instanceof Error ? exception.name : typeof exception}`, stack);
    } else if (mapped.log === 'warn') {
      this.logger.warn(`${where} → ${status} ${code}: ${mapped.problem.detail}`);
    }
  }
}
