import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';

/** Error answers every operation can give, beside its own: all of them problem+json. */
const COMMON_PROBLEMS: Record<string, string> = {
  '400': 'Invalid input (one entry per offending field in `errors`), malformed JSON.',
  '401': 'Missing, invalid, expired or ended bearer token.',
  '413': 'Request body too large.',
  '502': 'The upstream failed (service.FAILURE, im.XMPP_ERROR) or answered something unreadable.',
  '503': 'The upstream is unreachable or temporarily unavailable.',
  '504': 'The upstream did not answer in time.',
};

/**
 * The OpenAPI document, built from the controllers and DTOs (the swagger CLI plugin reads the DTOs),
 * with the problem+json error responses added to every operation and keys sorted so the checked-in
 * file diffs cleanly.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('imbridge')
    .setDescription('JSON REST front for the Zimbra IM SOAP API. Events: WebSocket /v1/events (see asyncapi.yaml).')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The token from POST /v1/sessions.' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  const problem = { content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } } };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue; // health checks document their own answers
    for (const operation of Object.values(item) as { responses?: Record<string, unknown>; security?: unknown[] }[]) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      for (const [status, description] of Object.entries(COMMON_PROBLEMS)) {
        if (status === '401' && !operation.security) continue;
        operation.responses[status] ??= { description, ...problem };
      }
    }
  }
  return sortKeys(document) as OpenAPIObject;
}

export function setupDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
