import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { bearerFromHeader } from '../auth/bearer-token.decorator';
import { ApiProblem } from '../common/api-responses';
import { ProblemException } from '../common/problem';
import { tokenKey } from '../link/link-registry.service';
import { IdempotencyKeys, KeyReused } from './idempotency-store';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
/** 422 when a key comes back with another request. */
export const KEY_REUSED = 'idempotency.KEY_REUSED';

/** A key as the IETF draft writes it (a structured-field string, quoted) or bare: 1–255 visible ASCII characters. */
const KEY = /^"?([\x21\x23-\x7e]{1,255})"?$/;

/** The request's Idempotency-Key, or undefined; a malformed one is a 400 naming the header. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = KEY.exec(Array.isArray(header) ? header.join(',') : header);
  if (!match) {
    throw ProblemException.invalid([{ field: IDEMPOTENCY_KEY_HEADER, message: 'Idempotency-Key must be 1 to 255 visible ASCII characters (quoted or not)' }]);
  }
  return match[1];
}

/** What makes two requests "the same request" under one key: method, route, path parameters and body. */
function fingerprint(request: FastifyRequest): string {
  const route = request.routeOptions?.url ?? request.url;
  return createHash('sha256').update(JSON.stringify([request.method, route, request.params ?? {}, request.body ?? null])).digest('base64url');
}

/**
 * Runs a request once per Idempotency-Key and token: a retry gets the first answer (status and
 * body, an error too) without a second upstream call, a concurrent retry waits for the first, and
 * the key with another request is 422 `idempotency.KEY_REUSED`. Without the header, nothing changes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyKeys) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = idempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    const token = bearerFromHeader(request.headers.authorization);
    if (key === undefined || token === undefined) return next.handle(); // no token: the route answers 401
    const answer = this.store.run(tokenKey(token), key, fingerprint(request), () => lastValueFrom(next.handle(), { defaultValue: undefined })).catch((err: unknown) => {
      if (err instanceof KeyReused) throw new ProblemException(422, KEY_REUSED, 'This Idempotency-Key was used for another request: send a new key for a new request.');
      throw err;
    });
    return from(answer);
  }
}

/**
 * The route runs once per Idempotency-Key (see IdempotencyInterceptor), and says so in the OpenAPI
 * document; `unprocessable` is the route's own 422 description, if it has one (one entry per status).
 */
export function Idempotent(unprocessable?: string): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request within IDEMPOTENCY_TTL_MS gets the first answer again without a second call to the IM server; a concurrent retry waits for the first. Keys are per token.',
      schema: { type: 'string', minLength: 1, maxLength: 257 },
    }),
    ApiProblem(422, `${unprocessable ? `${unprocessable} ` : ''}\`${KEY_REUSED}\`: the Idempotency-Key was used for another request.`),
  );
}
