import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from './problem';

export const CLIENT_ID_HEADER = 'x-client-id';
/** The client a REST call speaks for when it names none. */
export const DEFAULT_CLIENT_ID = 'rest';
export const CLIENT_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Checks a client id from a header or a socket URL; undefined when absent. */
export function checkClientId(value: string | null | undefined, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!CLIENT_ID_PATTERN.test(value)) {
    throw ProblemException.invalid([{ field, message: `${field} must be 1 to 128 letters, digits, '_', '.', ':' or '-'` }]);
  }
  return value;
}

/** The `X-Client-Id` request header (validated), or the shared REST client. */
export const ClientId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const header = ctx.switchToHttp().getRequest<FastifyRequest>().headers[CLIENT_ID_HEADER];
  return checkClientId(Array.isArray(header) ? header[0] : header, CLIENT_ID_HEADER) ?? DEFAULT_CLIENT_ID;
});
