import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem';

/** `Bearer <token>` from the Authorization header (RFC 6750 §2.1), or undefined. */
export function bearerFromHeader(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The request's bearer token; a missing or malformed one is a 401 before any upstream call. */
export const BearerToken = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const token = bearerFromHeader(request.headers.authorization);
  if (!token) throw ProblemException.unauthorized();
  return token;
});
