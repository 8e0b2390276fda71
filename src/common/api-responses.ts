import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, DECORATORS, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { ProblemDto } from './problem.dto';

/**
 * The OpenAPI side of what a route can answer. Each route lists its own error answers with these,
 * next to its handler; the e2e tests check every answer against the document, so a status a route
 * really gives but does not list here fails the test that provoked it.
 */

/** One error answer: `application/problem+json` with the ProblemDto schema. Same status twice: the descriptions are joined. */
export const ApiProblem = (status: number, description: string): MethodDecorator & ClassDecorator =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } } });

/**
 * No credentials: `security: []`, so the operation says so rather than leaving it unsaid. On a class
 * it is the controller's security; on a method it goes into the operation object (the explorer drops
 * an empty method-level security list).
 */
export const ApiPublic = (): MethodDecorator & ClassDecorator =>
  ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (!descriptor) {
      Reflect.defineMetadata(DECORATORS.API_SECURITY, [], target);
      return target;
    }
    const operation: object | undefined = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value);
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, security: [] }, descriptor.value);
    return descriptor;
  }) as MethodDecorator & ClassDecorator;

/**
 * A bearer token is needed (the `BearerToken` parameter): 401 when it is missing or malformed, was
 * ended with `DELETE /v1/sessions/current`, or the IM server no longer accepts it.
 */
export const ApiAuthenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiProblem(
      401,
      '`auth.REQUIRED`: no bearer token, a malformed one, or one ended with `DELETE /v1/sessions/current`; ' +
        '`service.AUTH_REQUIRED`, `service.AUTH_EXPIRED`: the IM server does not accept the token (any more). Log in again.',
    ),
  );

/** Under the rate limit (RateLimitGuard: every route under `/v1/`). */
export const ApiRateLimited = (): MethodDecorator & ClassDecorator =>
  ApiResponse({
    status: 429,
    description: '`rate.LIMITED`: more than `RATE_LIMIT` requests a minute from this token or client address.',
    headers: { 'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer', minimum: 1 } } },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  });

/**
 * The route calls the IM server: its trouble is the caller's 502/503/504. `timeouts` names the
 * route's own 504 codes (a notification or a room that did not come in time).
 */
export const ApiUpstream = (timeouts?: string): MethodDecorator =>
  applyDecorators(
    ApiProblem(502, '`service.FAILURE`, `im.XMPP_ERROR` and other IM server faults; `upstream.BAD_RESPONSE`: a reply that could not be read.'),
    ApiProblem(503, '`upstream.UNAVAILABLE`: the IM server cannot be reached, or a new upstream session cannot be opened (`MAX_LINKS`); `service.TEMPORARILY_UNAVAILABLE`.'),
    ApiProblem(504, `\`upstream.TIMEOUT\`: the IM server did not answer in time.${timeouts ? ` ${timeouts}` : ''}`),
  );

/**
 * Fastify parses a body on every POST, PUT, PATCH and DELETE, whether or not the route reads one
 * (GET bodies are never read): JSON only, bounded in size and depth.
 */
export const ApiBodyProblems = (): MethodDecorator =>
  applyDecorators(
    ApiProblem(400, '`request.INVALID`: a body that is not JSON, not an object, nested too deeply, or with invalid or unknown fields (one `errors` entry each).'),
    ApiProblem(413, '`request.TOO_LARGE`: a body over `MAX_BODY_BYTES`.'),
    ApiProblem(415, '`request.UNSUPPORTED_MEDIA_TYPE`: a body that is not `application/json`.'),
  );

/** Query or header parameters checked before any upstream call. */
export const ApiInvalidParameters = (...names: string[]): MethodDecorator =>
  ApiProblem(400, `\`request.INVALID\`: an invalid ${names.map((name) => `\`${name}\``).join(', ')} (one \`errors\` entry each).`);

/** The router's limit on one path parameter (`maxParamLength` in app.setup.ts). */
export const MAX_PATH_PARAMETER_LENGTH = 1_000;

/**
 * Path parameters: checked before any upstream call (400, as is a URL with broken percent-encoding),
 * and one longer than the router takes is refused before routing (414).
 */
export const ApiPathParameters = (...names: string[]): MethodDecorator =>
  applyDecorators(
    ApiProblem(400, `\`request.INVALID\`: an invalid ${names.map((name) => `\`${name}\``).join(', ')}, or a URL with broken percent-encoding.`),
    ApiProblem(414, `\`request.URI_TOO_LONG\`: a path parameter over ${MAX_PATH_PARAMETER_LENGTH} characters (percent-encoded).`),
  );
