import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { UpstreamError } from '../soap/upstream-error';

/**
 * RFC 9457 problem details, the body of every error response (`application/problem+json`).
 *
 * `type` is `PROBLEM_TYPE_BASE + code` (one URI per machine code, so it never changes between
 * occurrences of the same problem); `title` is the HTTP reason phrase of `status`; `code` is the
 * stable machine string clients branch on.
 */
export interface ProblemFieldError {
  /** Dotted path of the offending input, array items by index (`groups.0`); `''` is the whole body. */
  field: string;
  message: string;
}

export interface ProblemUpstream {
  code: string;
  /** The upstream's trace id, when the fault carried one. */
  trace?: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemFieldError[];
  upstream?: ProblemUpstream;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://imbridge.dev/problems/';

/** Our own codes, for problems without an upstream code. */
export const ProblemCode = {
  INVALID: 'request.INVALID',
  TOO_LARGE: 'request.TOO_LARGE',
  URI_TOO_LONG: 'request.URI_TOO_LONG',
  UNSUPPORTED_MEDIA_TYPE: 'request.UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'request.METHOD_NOT_ALLOWED',
  REQUEST_FAILED: 'request.FAILED',
  AUTH_REQUIRED: 'auth.REQUIRED',
  FORBIDDEN: 'auth.FORBIDDEN',
  ROUTE_NOT_FOUND: 'route.NOT_FOUND',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  RATE_LIMITED: 'rate.LIMITED',
  ROSTER_TIMEOUT: 'roster.TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'upstream.UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'upstream.TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'upstream.BAD_RESPONSE',
  /** Cluster mode: Redis cannot be reached, or the token's link is changing hands; retry shortly. */
  CLUSTER_UNAVAILABLE: 'cluster.UNAVAILABLE',
  /** The browser demo cannot be served: the client SDK's browser bundle is not built. */
  DEMO_UNAVAILABLE: 'demo.UNAVAILABLE',
  INTERNAL: 'internal',
} as const;

export function problemType(code: string): string {
  return PROBLEM_TYPE_BASE + encodeURIComponent(code);
}

/** RFC 9110 reason phrases, fixed here so titles do not change with the Node version. */
const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The problem `title`: the reason phrase of the status. */
export function problemTitle(status: number): string {
  return TITLES[status] ?? STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export function buildProblem(
  status: number,
  code: string,
  detail: string,
  extras: { errors?: ProblemFieldError[]; upstream?: ProblemUpstream } = {},
): ProblemDocument {
  const problem: ProblemDocument = { type: problemType(code), title: problemTitle(status), status, detail, code };
  if (extras.errors) problem.errors = extras.errors;
  if (extras.upstream) problem.upstream = extras.upstream;
  return problem;
}

export interface ProblemExceptionOptions {
  /** Extra response headers, e.g. `Retry-After` for `rate.LIMITED`. */
  headers?: Record<string, string>;
  upstream?: ProblemUpstream;
  cause?: unknown;
}

/**
 * Our own errors. An `HttpException`, so Nest (and any code checking for one) treats it as an HTTP
 * answer; its response body is the problem document.
 */
export class ProblemException extends HttpException {
  readonly code: string;
  readonly detail: string;
  readonly errors?: ProblemFieldError[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    errors?: ProblemFieldError[],
    options: ProblemExceptionOptions = {},
  ) {
    super(buildProblem(status, code, detail, { errors, upstream: options.upstream }), status, {
      cause: options.cause,
    });
    this.name = 'ProblemException';
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.headers = options.headers ?? {};
  }

  get problem(): ProblemDocument {
    return this.getResponse() as ProblemDocument;
  }

  /** 400 `request.INVALID` with one entry per offending field. */
  static invalid(errors: ProblemFieldError[], detail?: string): ProblemException {
    return new ProblemException(HttpStatus.BAD_REQUEST, ProblemCode.INVALID, detail ?? invalidDetail(errors), errors);
  }

  /** 401 `auth.REQUIRED`. */
  static unauthorized(detail = 'A valid bearer token is required.'): ProblemException {
    return new ProblemException(HttpStatus.UNAUTHORIZED, ProblemCode.AUTH_REQUIRED, detail);
  }
}

export function invalidDetail(errors: ProblemFieldError[]): string {
  const fields = [...new Set(errors.map((e) => (e.field === '' ? 'body' : e.field)))];
  if (fields.length === 0) return 'The request is invalid.';
  return `The request has invalid fields: ${fields.join(', ')}.`;
}

// ---- upstream errors ---------------------------------------------------------------------------

/** api.md's status table for upstream codes (faults and in-body `error=` values). */
const STATUS_BY_UPSTREAM_CODE: Readonly<Record<string, number>> = {
  'service.AUTH_REQUIRED': 401,
  'service.AUTH_EXPIRED': 401,
  'account.AUTH_FAILED': 401,

  'service.PERM_DENIED': 403,
  'im.NOT_ALLOWED': 403,
  not_allowed: 403,
  PasswordRequired: 403,
  Banned: 403,
  NotAllowed: 403,
  NotAMember: 403,

  not_found: 404,
  NoSuchRoom: 404,
  'im.NOT_A_CONFERENCE_ROOM': 404,
  'im.NOT_A_CONFERENCE_SERVICE': 404,
  not_a_conference_room: 404,

  NicknameConflict: 409,
  MustUseReservedRoomnick: 409,
  MaxUsers: 409,
  'im.NOT_A_MUC_CHAT': 409,

  'im.INVALID_ADDRESS': 422,

  'service.FAILURE': 502,
  'im.XMPP_ERROR': 502,

  'service.TEMPORARILY_UNAVAILABLE': 503,

  'im.NO_RESPONSE': 504,
  no_response_from_remote: 504,
};

/** The HTTP status for an upstream error, per api.md. Pure. */
export function statusForUpstreamError(err: UpstreamError): number {
  switch (err.kind) {
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'timeout':
      return HttpStatus.GATEWAY_TIMEOUT;
    case 'bad_response':
      return err.details.httpStatus === 503 ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    case 'fault':
    case 'result':
    default:
      return Object.prototype.hasOwnProperty.call(STATUS_BY_UPSTREAM_CODE, err.code)
        ? STATUS_BY_UPSTREAM_CODE[err.code]
        : HttpStatus.BAD_GATEWAY;
  }
}

/** The code clients see: the upstream's own for faults and results, ours for transport trouble. */
function codeForUpstreamError(err: UpstreamError, status: number): string {
  switch (err.kind) {
    case 'unavailable':
      return err.code || ProblemCode.UPSTREAM_UNAVAILABLE;
    case 'timeout':
      return err.code || ProblemCode.UPSTREAM_TIMEOUT;
    case 'bad_response':
      return status === HttpStatus.SERVICE_UNAVAILABLE ? ProblemCode.UPSTREAM_UNAVAILABLE : ProblemCode.UPSTREAM_BAD_RESPONSE;
    default:
      return err.code || ProblemCode.UPSTREAM_BAD_RESPONSE;
  }
}

const GENERIC_DETAIL: Readonly<Record<string, string>> = {
  unavailable: 'The IM server could not be reached.',
  timeout: 'The IM server did not answer in time.',
  bad_response: 'The IM server sent a reply that could not be understood.',
  bad_response_503: 'The IM server is temporarily unavailable.',
  result: 'The IM server refused the request.',
  fault: 'The IM server reported an error.',
};

/**
 * Removes what could be a credential from text that came from elsewhere: `key=value` pairs whose
 * key smells of a secret, bearer values and long opaque runs holding digits (Zimbra auth tokens
 * are long hex runs such as `0_4ab…_…`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(authToken|auth_token|access_token|token|password|passwd|pwd|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi, '$1$2[redacted]')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]')
    .replace(/[A-Za-z0-9_+/=-]{40,}/g, (run) => (/\d/.test(run) ? '[redacted]' : run));
}

const MAX_DETAIL_LENGTH = 500;

function safeDetail(text: string | undefined, fallback: string): string {
  const cleaned = redactSecrets((text ?? '').replace(/\s+/g, ' ').trim());
  if (!cleaned) return fallback;
  return cleaned.length > MAX_DETAIL_LENGTH ? `${cleaned.slice(0, MAX_DETAIL_LENGTH - 1)}…` : cleaned;
}

/**
 * The problem document for an upstream error. Faults keep the fault reason as `detail` and carry
 * `upstream: { code, trace }`; transport trouble gets a generic detail (its message may name hosts).
 */
export function problemFromUpstreamError(err: UpstreamError): ProblemDocument {
  const status = statusForUpstreamError(err);
  const code = codeForUpstreamError(err, status);
  switch (err.kind) {
    case 'fault': {
      const upstream: ProblemUpstream = { code: err.code };
      if (err.details.trace) upstream.trace = err.details.trace;
      return buildProblem(status, code, safeDetail(err.message, GENERIC_DETAIL.fault), { upstream });
    }
    case 'result':
      return buildProblem(status, code, safeDetail(err.message, GENERIC_DETAIL.result));
    case 'unavailable':
    case 'timeout':
      return buildProblem(status, code, GENERIC_DETAIL[err.kind]);
    default:
      return buildProblem(
        status,
        code,
        status === HttpStatus.SERVICE_UNAVAILABLE ? GENERIC_DETAIL.bad_response_503 : GENERIC_DETAIL.bad_response,
      );
  }
}

/** 503 with Retry-After (cluster mode): Redis is out of reach, or the token's link is changing hands. */
export function clusterUnavailable(detail: string, retryAfterSeconds = 1): ProblemException {
  return new ProblemException(503, ProblemCode.CLUSTER_UNAVAILABLE, detail, undefined, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
