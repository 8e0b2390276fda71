import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from '../common/problem.dto';

/**
 * The OpenAPI document, built from the controllers and DTOs (the swagger CLI plugin reads the DTOs,
 * and each route declares its own answers: `common/api-responses.ts`), with keys sorted so the
 * checked-in file diffs cleanly.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('imbridge')
    .setDescription('JSON REST front for the Zimbra IM SOAP API. Events: WebSocket /v1/events (see asyncapi.yaml).')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the document works on whatever host and port serve it.
    .addServer('/')
    // The token is the IM server's, passed through: opaque to clients (no bearerFormat).
    .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'The token from POST /v1/sessions.' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
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
