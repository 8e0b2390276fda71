import { OpenApiContract, openApiContract, type OpenApiDocument, toJsonSchema } from './openapi-contract';

const PROBLEM = 'application/problem+json';
const problemBody = (status: number, code: string) => ({
  type: `https://imbridge.dev/problems/${code}`,
  title: 'Not Found',
  status,
  detail: 'No such thing.',
  code,
});

/** A small document with the shapes the real one uses: a $ref in allOf, nullable, a path template. */
const DOCUMENT: OpenApiDocument = {
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingDto' } } } },
          '404': { content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/ProblemDto' } } } },
        },
      },
      delete: { responses: { '204': { description: '' } } },
    },
    '/v1/things/current': {
      get: { responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      ProblemDto: {
        type: 'object',
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', example: 'not_found' },
        },
        required: ['type', 'title', 'status', 'detail', 'code'],
      },
      OwnerDto: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      ThingDto: {
        type: 'object',
        properties: {
          id: { type: 'integer', minimum: 1 },
          at: { type: 'string', format: 'date-time' },
          owner: { allOf: [{ $ref: '#/components/schemas/OwnerDto' }], nullable: true, type: 'object' },
          label: { type: 'string', nullable: true, example: 'x' },
        },
        required: ['id', 'owner'],
      },
    },
  },
};

const json = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({ status, contentType, body });

describe('OpenApiContract', () => {
  const contract = new OpenApiContract(DOCUMENT);
  const thing = { id: 7, at: '2030-01-01T12:00:00.000Z', owner: { name: 'alice' }, label: null };

  it('accepts a declared status with a body of the declared shape, nullable values included', () => {
    expect(contract.mismatch('GET', '/v1/things/7?x=1', json(200, thing))).toBeUndefined();
    expect(contract.mismatch('GET', '/v1/things/7', json(200, { id: 7, owner: null }))).toBeUndefined();
    expect(contract.mismatch('GET', '/v1/things/8', json(404, problemBody(404, 'not_found'), PROBLEM))).toBeUndefined();
    expect(contract.mismatch('DELETE', '/v1/things/8', { status: 204, contentType: null, body: '' })).toBeUndefined();
  });

  it('rejects a status the operation does not declare, naming method, path, status and what is declared', () => {
    const problem = contract.mismatch('GET', '/v1/things/7', json(409, problemBody(409, 'conflict'), PROBLEM));
    expect(problem).toMatch(/^GET \/v1\/things\/7 → 409: status 409 is not declared for GET \/v1\/things\/\{id\} \(declared: 200, 404\)/);
    expect(() => contract.assert('DELETE', '/v1/things/7', json(500, problemBody(500, 'internal'), PROBLEM))).toThrow(/DELETE \/v1\/things\/7 → 500: status 500 is not declared/);
  });

  it.each<[string, unknown, RegExp]>([
    ['a missing required field', { id: 7 }, /must have required property 'owner'/],
    ['a field of the wrong type', { ...thing, id: '7' }, /body\/id must be integer/],
    ['a value out of range', { ...thing, id: 0 }, /body\/id must be >= 1/],
    ['a malformed date-time', { ...thing, at: 'yesterday' }, /body\/at must match format "date-time"/],
    ['a wrong nested shape', { ...thing, owner: { name: 1 } }, /body\/owner/],
    ['a field the document does not list', { ...thing, extra: true }, /must NOT have additional properties/],
    ['an array for an object', [thing], /body must be object/],
  ])('rejects a body with %s, with the ajv errors', (_name, body, errors) => {
    const problem = contract.mismatch('GET', '/v1/things/7', json(200, body));
    expect(problem).toMatch(/^GET \/v1\/things\/7 → 200: the body does not match the schema of get \/v1\/things\/\{id\} 200 \(application\/json\)/);
    expect(problem).toMatch(errors);
  });

  it('rejects a content type the status does not declare, JSON that is not JSON, and a body where none is declared', () => {
    expect(contract.mismatch('GET', '/v1/things/7', json(200, 'oops', 'text/html'))).toMatch(/content type text\/html is not declared/);
    expect(contract.mismatch('GET', '/v1/things/7', json(200, '{"id":', 'application/json'))).toMatch(/body that is not JSON/);
    expect(contract.mismatch('DELETE', '/v1/things/7', json(204, { id: 7 }))).toMatch(/declares no body, but one came/);
  });

  it('prefers the most literal template, and checks text bodies too', () => {
    expect(contract.mismatch('GET', '/v1/things/current', { status: 200, contentType: 'text/plain; version=0.0.4', body: 'x 1\n' })).toBeUndefined();
    expect(contract.mismatch('GET', '/v1/things/current', json(200, thing))).toMatch(/content type application\/json is not declared/);
  });

  it('holds a request no operation matches to a 404 problem', () => {
    expect(contract.mismatch('GET', '/v1/nothing', json(404, problemBody(404, 'route.NOT_FOUND'), PROBLEM))).toBeUndefined();
    expect(contract.mismatch('PATCH', '/v1/things/7', json(404, problemBody(404, 'route.NOT_FOUND'), PROBLEM))).toBeUndefined();
    expect(contract.mismatch('GET', '/v1/nothing', json(200, {}))).toMatch(/no operation in the document matches/);
    expect(contract.mismatch('GET', '/v1/nothing', json(404, { error: 'Not Found' }, PROBLEM))).toMatch(/does not match the schema of 404 for an unknown route/);
  });

  it('leaves alone what is not part of the REST document: preflights and the docs UI', () => {
    expect(contract.mismatch('OPTIONS', '/v1/things/7', { status: 204, contentType: null, body: '' })).toBeUndefined();
    expect(contract.mismatch('GET', '/docs/swagger-ui.css', { status: 200, contentType: 'text/css', body: 'x{}' })).toBeUndefined();
  });

  it('turns OpenAPI 3.0 schemas into JSON Schema: nullable over the whole schema, annotations dropped, objects closed', () => {
    expect(toJsonSchema({ allOf: [{ $ref: '#/components/schemas/X' }], nullable: true, example: 1, description: 'd' })).toEqual({
      anyOf: [{ type: 'null' }, { allOf: [{ $ref: 'openapi#/definitions/X' }], description: 'd' }],
    });
    expect(toJsonSchema({ type: 'object', properties: { example: { type: 'string', example: 'x' } } })).toEqual({
      type: 'object',
      properties: { example: { type: 'string' } },
      additionalProperties: false,
    });
  });
});

describe('the checked-in document', () => {
  const contract = openApiContract();

  it('is read once per process', () => {
    expect(openApiContract()).toBe(contract);
  });

  it('describes the answers of a real route, and rejects what it does not describe', () => {
    const roster = { presence: { show: 'online' }, contacts: [], requests: [], chats: [] };
    expect(contract.mismatch('GET', '/v1/roster', json(200, roster))).toBeUndefined();
    expect(contract.mismatch('GET', '/v1/roster', json(200, { ...roster, presence: { show: 'ONLINE' } }))).toMatch(/body\/presence\/show must be equal to one of the allowed values/);
    expect(contract.mismatch('GET', '/v1/roster', json(418, problemBody(418, 'teapot'), PROBLEM))).toMatch(/status 418 is not declared for GET \/v1\/roster/);
    expect(contract.mismatch('GET', '/v1/chats/chat-bob%25example.com-0', json(404, problemBody(404, 'not_found'), PROBLEM))).toBeUndefined();
  });
});
