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

  describe('says what each route can answer', () => {
    type Operation = { summary?: string; security?: unknown[]; parameters?: Array<{ in: string; name: string; schema?: { type?: string } }>; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const operations = (): Array<[string, Operation]> =>
      Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
      );
    const statuses = (op: Operation) => Object.keys(op.responses);

    it('every operation has a one-line summary and says its security: none on public routes, the bearer token elsewhere', () => {
      const publicRoutes = operations().filter(([, op]) => op.security?.length === 0).map(([name]) => name);
      expect(publicRoutes.sort()).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /v1/sessions']);
      for (const [name, op] of operations()) {
        expect({ name, summary: op.summary }).toEqual({ name, summary: expect.stringMatching(/^[A-Z][^\n]{2,60}$/) });
        if (op.security?.length !== 0) expect({ name, security: op.security, has401: statuses(op).includes('401') }).toEqual({ name, security: [{ bearer: [] }], has401: true });
      }
    });

    it('429 exactly where the rate limit applies (every /v1 route), 4xx answers on every /v1 route', () => {
      for (const [name, op] of operations()) {
        expect({ name, has429: statuses(op).includes('429') }).toEqual({ name, has429: name.split(' ')[1].startsWith('/v1/') });
        if (name.includes(' /v1/')) expect({ name, has4xx: statuses(op).some((s) => s.startsWith('4')) }).toEqual({ name, has4xx: true });
      }
    });

    it('body problems (400, 413, 415) on every method whose body is parsed, never on GET; 414 wherever there is a path parameter', () => {
      for (const [name, op] of operations()) {
        const parsesBody = !name.startsWith('GET ');
        expect({ name, bodyCodes: ['413', '415'].filter((s) => statuses(op).includes(s)) }).toEqual({ name, bodyCodes: parsesBody ? ['413', '415'] : [] });
        if (parsesBody) expect({ name, has400: statuses(op).includes('400') }).toEqual({ name, has400: true });
        const hasPathParameter = (op.parameters ?? []).some((p) => p.in === 'path');
        expect({ name, has414: statuses(op).includes('414') }).toEqual({ name, has414: hasPathParameter });
      }
    });

    it('every error answer is problem+json with ProblemDto, every 200/201 answer has a schema', () => {
      for (const [name, op] of operations()) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400) {
            expect({ name, status, content: response.content }).toEqual({
              name,
              status,
              content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
            });
          } else if (status !== '204') {
            expect({ name, status, schema: Object.values(response.content ?? {})[0]?.schema }).toEqual({ name, status, schema: expect.anything() });
          }
        }
      }
      expect(document.paths['/health/ready'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HealthStatusDto' });
    });
  });

  it('gives generated clients what they need: a relative server, an opaque bearer token, no defaults that make optional fields required, typed booleans', () => {
    expect(document.servers).toEqual([{ url: '/' }]);
    expect(document.info.license).toEqual({ name: 'MIT', url: expect.stringMatching(/^https:\/\//) });
    expect(document.components.securitySchemes.bearer).not.toHaveProperty('bearerFormat');
    // openapi-typescript types a schema property with a `default` as always present.
    const withDefault = Object.entries(document.components.schemas as Record<string, { properties?: Record<string, object> }>).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {}).filter(([, p]) => 'default' in p).map(([key]) => `${name}.${key}`),
    );
    expect(withDefault).toEqual([]);
    const owner = document.paths['/v1/chats/{thread}/configuration'].get.parameters.find((p: { name: string }) => p.name === 'owner');
    expect(owner.schema).toEqual({ type: 'boolean' });
  });

  it('gives responses schemas of their own: a configuration read fits the settings a PATCH takes', () => {
    const read = document.components.schemas.ChatConfigurationDto.properties.settings;
    const write = document.components.schemas.UpdateConfigurationDto.properties.settings;
    expect(JSON.stringify(read)).toContain('#/components/schemas/RoomSettingsDto');
    expect(JSON.stringify(write)).toContain('#/components/schemas/UpdateRoomSettingsDto');
    const response = document.components.schemas.RoomSettingsDto.properties;
    const request = document.components.schemas.UpdateRoomSettingsDto.properties;
    expect(Object.keys(request).sort()).toEqual(Object.keys(response).sort());
    // What a room reports (empty text, empty lists) is never outside what a PATCH accepts.
    for (const schema of [...Object.values(response), ...Object.values(request)] as Array<{ minLength?: number; minItems?: number }>) {
      expect(schema.minLength ?? 0).toBe(0);
      expect(schema.minItems ?? 0).toBe(0);
    }
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
