import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearerFromHeader } from '../src/auth/bearer-token.decorator';
import { Stack, startStack } from './support/stack';

/**
 * Walks the checked-in OpenAPI document and, for every operation, sends generated bad input: each
 * body field with wrong, null, deep, huge, control-character, prototype-key and misplaced-array
 * values; extra keys; bad whole bodies; junk path and query parameters; broken Authorization,
 * Content-Type and X-Client-Id headers. Every answer must be a 4xx problem, the upstream must not
 * have been called, and the proxy must keep serving.
 */

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  readOnly?: boolean;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = { method: string; path: string; parameters: Parameter[]; body?: Schema; secured: boolean };

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] }>>;
  components: { schemas: Record<string, Schema> };
};

function resolve(schema: Schema): Schema {
  return schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]) : schema;
}

const OPERATIONS: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    parameters: op.parameters ?? [],
    body: op.requestBody ? resolve(op.requestBody.content['application/json'].schema) : undefined,
    secured: (op.security ?? []).length > 0,
  })),
);

/** A valid value for each path parameter, by name and route. */
function validParam(op: Operation, name: string): string {
  switch (name) {
    case 'thread':
      return 'chat-x';
    case 'address':
      return op.path.startsWith('/v1/rooms/') ? 'room@conference.example.com' : 'bob@example.com';
    case 'service':
      return 'conference.example.com';
    case 'type':
      return 'yahoo';
    case 'name':
      return 'default';
    default:
      throw new Error(`no valid value known for {${name}} of ${op.method} ${op.path}: add one`);
  }
}

/** The documented example of a schema (a nested object's built from its properties). */
function exampleOf(raw: Schema): unknown {
  const schema = resolve(raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'array':
      return schema.items ? [exampleOf(schema.items)] : [];
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default: {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(schema.properties![key]);
      return out;
    }
  }
}

type Field = { path: string[]; schema: Schema };

/** Every field of a body schema, nested objects and the first item of lists of objects included. */
function fieldsOf(raw: Schema, prefix: string[] = []): Field[] {
  const schema = resolve(raw);
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => !resolve(s).readOnly)
    .flatMap(([key, s]) => {
      const field = resolve(s);
      const path = [...prefix, key];
      const nested = field.type === 'array' && field.items && resolve(field.items).properties ? fieldsOf(field.items, [...path, '0']) : [];
      return [{ path, schema: field }, ...(field.properties ? fieldsOf(field, path) : []), ...nested];
    });
}

/** Paths of the objects in a body: the body itself and each nested object. */
function objectsOf(raw: Schema, prefix: string[] = []): Array<{ path: string[]; schema: Schema }> {
  const schema = resolve(raw);
  return [
    { path: prefix, schema },
    ...Object.entries(schema.properties ?? {}).flatMap(([key, s]) => {
      const field = resolve(s);
      if (field.properties) return objectsOf(field, [...prefix, key]);
      if (field.type === 'array' && field.items && resolve(field.items).properties) return objectsOf(field.items, [...prefix, key, '0']);
      return [];
    }),
  ];
}

/** The example body with `value` at `path` (`undefined` removes the field). */
function bodyWith(base: unknown, path: string[], value: unknown): unknown {
  const body = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  let target: Record<string, unknown> = body;
  for (const segment of path.slice(0, -1)) target = target[segment] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete target[last];
  // An own property, as JSON.parse makes one (even for `__proto__`).
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  return body;
}

const PROTOTYPE_KEYS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

/** Characters no field accepts: NUL and other C0 controls, a lone surrogate, U+FFFF. */
const FORBIDDEN_CHARS = ['\u0000', '\u0001', '\u0008', '\u001b', '\u001f', '\ud800', '\udfff', '\uffff'];

/**
 * A deeply nested value stands in the body as a marker string, replaced by its JSON text when the
 * body is sent: 10 000 levels are written out directly rather than built and stringified.
 */
const DEEP_MARKER = /"deep:(array|object):(\d+)"/g;
const deepArb = fc
  .tuple(fc.constantFrom('array', 'object'), fc.oneof(fc.integer({ min: 33, max: 200 }), fc.integer({ min: 5_000, max: 10_000 })))
  .map(([kind, depth]) => `deep:${kind}:${depth}`);

function serialize(body: unknown): string {
  return JSON.stringify(body).replace(DEEP_MARKER, (_m, kind: string, depth: string) =>
    kind === 'array' ? '['.repeat(Number(depth)) + ']'.repeat(Number(depth)) : '{"a":'.repeat(Number(depth)) + '1' + '}'.repeat(Number(depth)),
  );
}
const prototypeObject = fc.constantFrom(...PROTOTYPE_KEYS).map((key) => bodyWith({}, [key], 1));
const withForbiddenChar = fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...FORBIDDEN_CHARS), fc.string({ maxLength: 8 })).map((p) => p.join(''));

/** Values the field must refuse, whatever else is in the body. */
function badValues(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constant(null), deepArb, prototypeObject];
  switch (schema.type) {
    case 'string':
      options.push(fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.array(fc.string(), { minLength: 1, maxLength: 2 })));
      options.push(withForbiddenChar);
      options.push(fc.constant('x'.repeat(schema.maxLength !== undefined ? schema.maxLength + 1 : 100_000)));
      if ((schema.minLength ?? 0) >= 1) options.push(fc.constant(''));
      if (schema.enum) options.push(fc.string({ maxLength: 12 }).filter((s) => !schema.enum!.includes(s)));
      break;
    case 'integer':
    case 'number':
      options.push(fc.constantFrom<unknown>('1', '0x10', 1.5, true, [], {}, [1]));
      if (schema.minimum !== undefined) options.push(fc.constant(schema.minimum - 1));
      if (schema.maximum !== undefined) options.push(fc.constant(schema.maximum + 1));
      break;
    case 'boolean':
      options.push(fc.constantFrom<unknown>('true', 'false', 1, 0, [], {}, [true]));
      break;
    case 'array': {
      options.push(fc.constantFrom<unknown>('x', {}, 1, true));
      const items = schema.items ? resolve(schema.items) : undefined;
      if (items?.properties) options.push(fc.constantFrom<unknown>([[]], [[exampleOf(items)]], [null], ['x'], [1]));
      else options.push(fc.constantFrom<unknown>([1], [null], [{}], [[]], [true]));
      if ((schema.minItems ?? 0) >= 1) options.push(fc.constant([]));
      if (schema.maxItems !== undefined && items) options.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => exampleOf(items))));
      break;
    }
    default:
      // An object: an array (nested arrays too) or a scalar where it belongs.
      options.push(fc.constantFrom<unknown>([], [[]], [{}], [exampleOf(schema)], 'x', 1, true));
  }
  return fc.oneof(...options);
}

/** Path segments no parameter accepts: control characters, broken percent-encodings, overlong. */
const junkSegment = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('%00', '%01', '%09', '%0A', '%0D', '%1B', '%1F', '%EF%BF%BF'), fc.string({ maxLength: 8 }))
    .map(([a, c, b]) => encodeURIComponent(a) + c + encodeURIComponent(b)),
  fc.constantFrom('%', '%Z', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%F0%9F'),
  fc.integer({ min: 321, max: 3_000 }).map((n) => 'a'.repeat(n)),
);

/** Query values no parameter of that name accepts. */
function junkQuery(name: string): fc.Arbitrary<string> {
  switch (name) {
    case 'after':
    case 'before':
      return fc.oneof(
        fc.constantFrom('0x10', '1e3', ' 7', '+7', '7.0', '-1', '', '0b1', 'Infinity', '1'.repeat(16), '٣'),
        fc.string({ maxLength: 12 }).filter((s) => !/^\d{1,15}$/.test(s)),
      );
    case 'limit':
      return fc.oneof(
        fc.constantFrom('0', '1001', '0x10', '1e2', ' 7', '+7', '7.0', '-1', '', 'Infinity', '1'.repeat(16), '٣'),
        fc.string({ maxLength: 12 }).filter((s) => !/^\d{1,15}$/.test(s) || Number(s) < 1 || Number(s) > 1000),
      );
    case 'owner':
      return fc.oneof(fc.constantFrom('TRUE', 'True', '1', '0', 'yes', '', ' true'), fc.string({ maxLength: 8 }).filter((s) => s !== 'true' && s !== 'false'));
    default:
      throw new Error(`no junk known for ?${name}=: add some`);
  }
}

const junkAuthorization = fc.oneof(
  fc.constantFrom('', 'Bearer', 'Bearer ', 'bearer', 'Basic YWxpY2U6cHc=', 'Token abc', 'Bearer a b', 'Bearer\tabc', 'Bearerabc', 'Digest x'),
  fc.string({ maxLength: 40 }).filter((s) => bearerFromHeader(s.trim()) === undefined),
);

const junkClientId = fc.oneof(fc.constantFrom('', 'a b', 'x'.repeat(129), 'é', 'a/b', 'a,b'), fc.string({ maxLength: 20 }).filter((s) => !/^[\w.:-]{1,128}$/.test(s.trim())));

const NON_JSON_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
  'text/json', 'application/jsonp', 'application/json-patch+json', 'application/octet-stream', 'json',
];

describe('fuzzing every operation of openapi.json', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    // Never used successfully below, so the account's link (and its polls) never starts.
    token = await stack.api.login('alice');
  });
  afterAll(() => stack.close());

  type Request = { path: string; body?: unknown; raw?: string; headers?: Record<string, string>; noToken?: boolean };

  function pathOf(op: Operation, overrides: Record<string, string> = {}): string {
    let path = op.path;
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      path = path.replace(`{${p.name}}`, overrides[p.name] ?? encodeURIComponent(validParam(op, p.name)));
    }
    return path;
  }

  /** Sends one bad request: a 4xx problem, nothing upstream. */
  async function expectRefused(op: Operation, request: Request): Promise<void> {
    stack.sim.resetRequests();
    const headers: Record<string, string> = { ...request.headers };
    if (op.secured && !request.noToken) headers.authorization ??= `Bearer ${token}`;
    const raw = request.raw ?? (request.body === undefined ? undefined : serialize(request.body));
    const res = await stack.api.request(op.method, request.path, { raw, headers });
    const shown = { ...headers, ...(headers.authorization === `Bearer ${token}` ? { authorization: 'Bearer <token>' } : {}) };
    const what = `${op.method} ${request.path.slice(0, 200)} ${JSON.stringify(shown).slice(0, 200)} ${(raw ?? '').slice(0, 300)}`;
    if (res.status < 400 || res.status > 499) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    if (stack.sim.requestCount() !== 0) {
      throw new Error(`${what} → ${res.status} ${res.body.code}, but reached the upstream: ${stack.sim.requests.map((r) => r.name).join(', ')}`);
    }
  }

  const alive = async () => expect((await stack.api.get('/health/live')).status).toBe(200);
  const run = { seed: 42, numRuns: 12 };

  const bodyOps = OPERATIONS.filter((op) => op.body);
  const paramOps = OPERATIONS.filter((op) => op.parameters.some((p) => p.in === 'path'));
  const queryOps = OPERATIONS.filter((op) => op.parameters.some((p) => p.in === 'query'));
  const securedOps = OPERATIONS.filter((op) => op.secured);
  const label = (ops: Operation[]) => ops.map((op) => [`${op.method} ${op.path}`, op] as const);

  it('covers the routes of the document', () => {
    expect(bodyOps.length).toBeGreaterThanOrEqual(14);
    expect(paramOps.length).toBeGreaterThanOrEqual(15);
    expect(queryOps.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(label(bodyOps))('%s body', (_name, op) => {
    const base = exampleOf(op.body!);
    const fields = fieldsOf(op.body!);
    const objects = objectsOf(op.body!);

    it('bad values in each field', async () => {
      const arb = fc.constantFrom(...fields).chain((field) => badValues(field.schema).map((value) => bodyWith(base, field.path, value)));
      // Always tried, besides the generated ones: null and 10 000 levels in each field, and an
      // array where each nested object (or item of a list of them) belongs.
      const examples: Array<[unknown]> = [
        ...fields.flatMap((field) => [bodyWith(base, field.path, null), bodyWith(base, field.path, 'deep:array:10000')]),
        ...objects.filter((o) => o.path.length > 0).map((o) => bodyWith(base, o.path, [[]])),
      ].map((body) => [body]);
      await fc.assert(fc.asyncProperty(arb, (body) => expectRefused(op, { path: pathOf(op), body })), { ...run, examples });
      await alive();
    });

    it('a required field missing', async () => {
      const required = objects.flatMap((o) => (o.schema.required ?? []).map((key) => [...o.path, key]));
      if (required.length === 0) return;
      await fc.assert(fc.asyncProperty(fc.constantFrom(...required), (path) => expectRefused(op, { path: pathOf(op), body: bodyWith(base, path, undefined) })), run);
    });

    it('extra and prototype keys in the body and in each nested object', async () => {
      const arb = fc.tuple(fc.constantFrom(...objects), fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), fc.jsonValue({ maxDepth: 2 }))
        .filter(([o, key]) => !Object.prototype.hasOwnProperty.call(o.schema.properties ?? {}, key))
        .map(([o, key, value]) => bodyWith(base, [...o.path, key], value));
      await fc.assert(fc.asyncProperty(arb, (body) => expectRefused(op, { path: pathOf(op), body })), run);
    });

    it('a body that is not a JSON object, or not JSON', async () => {
      const notAnObject = (text: string) => {
        try {
          const value: unknown = JSON.parse(text);
          return value === null || typeof value !== 'object' || Array.isArray(value);
        } catch {
          return true;
        }
      };
      // An empty body is no body (many clients label every request application/json): not junk.
      const arb = fc.oneof(deepArb.map((marker) => serialize(marker)), fc.string({ minLength: 1, maxLength: 20 }).filter(notAnObject));
      const examples = ['null', '[]', '[{}]', '"x"', '1', 'true', ' ', '{', '{"a":1,}', "{'a':1}", 'NaN'].map((raw): [string] => [raw]);
      await fc.assert(fc.asyncProperty(arb, (raw) => expectRefused(op, { path: pathOf(op), raw })), { ...run, examples });
    });

    it('a valid body with a Content-Type other than application/json', async () => {
      // The same fields as a form, too: a form parser would turn it into the very same DTO.
      const form = new URLSearchParams(Object.entries(base as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...NON_JSON_TYPES), fc.constantFrom(JSON.stringify(base), form), (type, raw) =>
          expectRefused(op, { path: pathOf(op), raw, headers: { 'content-type': type } }),
        ),
        { seed: 42, numRuns: 8, examples: [['application/x-www-form-urlencoded', form]] },
      );
      await alive();
    });
  });

  describe.each(label(paramOps))('%s path parameters', (_name, op) => {
    it('junk in each path parameter', async () => {
      const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const arb = fc.tuple(fc.constantFrom(...names), junkSegment);
      await fc.assert(
        fc.asyncProperty(arb, ([name, junk]) => expectRefused(op, { path: pathOf(op, { [name]: junk }), body: op.body ? exampleOf(op.body) : undefined })),
        run,
      );
      await alive();
    });
  });

  describe.each(label(queryOps))('%s query parameters', (_name, op) => {
    it('junk in each query parameter, alone or repeated', async () => {
      const names = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const arb = fc.tuple(fc.constantFrom(...names), junkQuery(names[0]), fc.boolean());
      await fc.assert(
        fc.asyncProperty(arb, ([name, junk, repeated]) => {
          const query = `${name}=${encodeURIComponent(junk)}`;
          return expectRefused(op, { path: `${pathOf(op)}?${repeated ? `${query}&${name}=1` : query}` });
        }),
        run,
      );
      await alive();
    });
  });

  describe.each(label(securedOps))('%s headers', (_name, op) => {
    it('a missing or malformed Authorization header → 401', async () => {
      await fc.assert(
        fc.asyncProperty(fc.option(junkAuthorization, { nil: undefined }), (authorization) =>
          expectRefused(op, { path: pathOf(op), body: op.body ? exampleOf(op.body) : undefined, noToken: true, headers: authorization === undefined ? {} : { authorization } }),
        ),
        run,
      );
    });

    const headerParams = op.parameters.filter((p) => p.in === 'header');
    if (headerParams.some((p) => p.name === 'x-client-id')) {
      it('a malformed X-Client-Id header → 400', async () => {
        await fc.assert(
          fc.asyncProperty(junkClientId, (clientId) =>
            expectRefused(op, { path: pathOf(op), body: op.body ? exampleOf(op.body) : undefined, headers: { 'x-client-id': clientId } }),
          ),
          run,
        );
      });
    }
  });

  describe('afterwards', () => {
    it('still serves good requests', async () => {
      const bob = await stack.api.login('bob');
      expect((await stack.api.put('/v1/presence', { show: 'away', status: 'fuzzed' }, bob)).status).toBe(204);
      expect((await stack.api.get('/v1/roster', bob)).body.presence).toEqual({ show: 'away', status: 'fuzzed' });
    });
  });
});
