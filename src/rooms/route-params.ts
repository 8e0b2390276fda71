import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem';

/** `?owner=true|false`, absent = false; anything else, a repeated parameter included, is undefined. */
export function parseOwnerFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : undefined;
}

/**
 * The `owner` query parameter (read the owner configuration form), as a boolean; a 400 naming
 * `owner` unless it is `true` or `false`. A parameter decorator rather than a pipe on `@Query`:
 * the global validation pipe would turn any string into a boolean first (`yes` into false).
 */
export const OwnerFlag = createParamDecorator((_data: unknown, ctx: ExecutionContext): boolean => {
  const query = ctx.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
  const owner = parseOwnerFlag(query?.owner);
  if (owner === undefined) throw ProblemException.invalid([{ field: 'owner', message: 'owner must be true or false' }]);
  return owner;
});
