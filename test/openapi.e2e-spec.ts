import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/config';
import { buildOpenApiDocument } from '../src/docs/openapi';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const OPENAPI_PATH = join(__dirname, '..', 'openapi', 'openapi.json');

/**
 * openapi/openapi.json is generated from the code (`npm run openapi` rewrites it); this fails when
 * the checked-in file and the code disagree.
 */
describe('OpenAPI document', () => {
  let app: NestFastifyApplication;
  let document: any;
  beforeAll(async () => {
    app = await createApp({ ...loadConfig({}), logLevel: 'silent', upstreamUrl: 'http://127.0.0.1:9/service/soap' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    document = JSON.parse(JSON.stringify(buildOpenApiDocument(app)));
    if (process.env.UPDATE_OPENAPI) writeFileSync(OPENAPI_PATH, `${JSON.stringify(document, null, 2)}\n`);
  });
  afterAll(() => app.close());

  it('matches the checked-in openapi/openapi.json (run `npm run openapi` after changing the API)', () => {
    expect(existsSync(OPENAPI_PATH)).toBe(true);
    expect(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))).toEqual(document);
  });

  it('holds DTO fields (so the CLI plugin ran) and problem+json error responses', () => {
    const session = document.components.schemas.CreateSessionDto;
    expect(session.properties.account).toMatchObject({ type: 'string' });
    expect(session.required).toEqual(expect.arrayContaining(['account', 'password']));
    const login = document.paths['/v1/sessions'].post;
    expect(login.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/SessionDto');
    expect(login.responses['400'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDto');
    const roster = document.paths['/v1/roster'].get;
    expect(roster.security).toEqual([{ bearer: [] }]);
    expect(roster.responses['401'].content['application/problem+json']).toBeDefined();
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('GET /docs serves the Swagger UI and /docs/openapi.json the document', async () => {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const json = await fetch(`${base}/docs/openapi.json`);
    expect(json.status).toBe(200);
    expect(((await json.json()) as any).paths['/v1/roster']).toBeDefined();
  });
});
