import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks answers against an OpenAPI 3.0 document: the status must be declared for the operation
 * (found by matching the request path against the path templates), and a JSON or problem+json body
 * must validate against that status's schema. Every e2e request goes through it (see `Api` in
 * stack.ts), so a status or a shape the document does not describe fails the test that met it.
 *
 * Schemas are read as OpenAPI 3.0 defines them and handed to ajv as JSON Schema: `nullable: true`
 * admits null for the whole schema (a `$ref` wrapped in `allOf` included), annotations ajv does not
 * know (`example` …) are dropped, and an object schema listing `properties` is closed: a field the
 * document does not list is drift too, as a generated client would never see it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What came back: the status, the Content-Type header and the body (parsed JSON, else the text). */
export interface ObservedResponse {
  status: number;
  contentType: string | null;
  body: unknown;
}

const ROOT_ID = 'openapi';
const SCHEMA_REF = '#/components/schemas/';
/** OpenAPI annotations with no JSON Schema meaning. */
const OPENAPI_ONLY = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator', 'deprecated']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** One OpenAPI 3.0 schema object as a JSON Schema (draft-07) ajv can compile. */
export function toJsonSchema(schema: Schema): Schema {
  if (typeof schema.$ref === 'string') {
    // OpenAPI 3.0: a $ref's siblings are ignored.
    if (!schema.$ref.startsWith(SCHEMA_REF)) throw new Error(`unsupported $ref ${schema.$ref}`);
    return { $ref: `${ROOT_ID}#/definitions/${schema.$ref.slice(SCHEMA_REF.length)}` };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (OPENAPI_ONLY.has(key)) continue;
    switch (key) {
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, s]) => [name, toJsonSchema(s)]));
        break;
      case 'items':
      case 'not':
        out[key] = toJsonSchema(value as Schema);
        break;
      case 'additionalProperties':
        out[key] = typeof value === 'object' && value !== null ? toJsonSchema(value as Schema) : value;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = (value as Schema[]).map(toJsonSchema);
        break;
      default:
        out[key] = value;
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

interface Route {
  template: string;
  pattern: RegExp;
  literals: number;
  operations: Record<string, Operation>;
}

function routeOf(template: string, operations: Record<string, Operation>): Route {
  const segments = template.split('/');
  const source = segments.map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return {
    template,
    pattern: new RegExp(`^${source}$`),
    literals: segments.filter((segment) => !segment.startsWith('{')).length,
    operations: Object.fromEntries(Object.entries(operations).filter(([method]) => HTTP_METHODS.has(method))),
  };
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true); // an annotation for UIs, no constraint
    const definitions = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([name, s]) => [name, toJsonSchema(s)]));
    this.ajv.addSchema({ $id: ROOT_ID, definitions });
    // The most literal template first: `/v1/sessions/current` before `/v1/sessions/{id}`, were there both.
    this.routes = Object.entries(document.paths)
      .map(([template, operations]) => routeOf(template, operations))
      .sort((a, b) => b.literals - a.literals);
  }

  static fromFile(path: string): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument);
  }

  /** Why the answer to `method url` contradicts the document, or undefined when it does not. */
  mismatch(method: string, url: string, response: ObservedResponse): string | undefined {
    const path = url.split('?')[0];
    // Not part of the REST document: CORS preflights (answered by the CORS plugin) and the Swagger UI
    // with its assets and its copy of this very document.
    if (method.toUpperCase() === 'OPTIONS' || path === '/docs' || path.startsWith('/docs/')) return undefined;

    const what = `${method.toUpperCase()} ${url.length > 200 ? `${url.slice(0, 200)}…` : url} → ${response.status}`;
    const route = this.routes.find((r) => r.pattern.test(path));
    const operation = route?.operations[method.toLowerCase()];
    if (!route || !operation) {
      // No operation: the answer must be the problem for a route that does not exist.
      if (response.status !== 404) return `${what}: no operation in the document matches, so the answer must be a 404 problem`;
      return this.checkBody(what, '404 for an unknown route', { content: { 'application/problem+json': { schema: { $ref: `${SCHEMA_REF}ProblemDto` } } } }, response);
    }
    const declared = Object.keys(operation.responses);
    const status = String(response.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => operation.responses[k]);
    if (!key) {
      return `${what}: status ${status} is not declared for ${method.toUpperCase()} ${route.template} (declared: ${declared.join(', ')}); body: ${excerpt(response.body)}`;
    }
    return this.checkBody(what, `${method.toLowerCase()} ${route.template} ${key}`, operation.responses[key], response);
  }

  /** Throws with the mismatch, if any. */
  assert(method: string, url: string, response: ObservedResponse): void {
    const problem = this.mismatch(method, url, response);
    if (problem) throw new Error(`Answer contradicts openapi/openapi.json: ${problem}`);
  }

  private checkBody(what: string, where: string, declared: ResponseObject, response: ObservedResponse): string | undefined {
    const content = declared.content ?? {};
    const mediaTypes = Object.keys(content);
    const mediaType = (response.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (mediaTypes.length === 0) {
      if (response.body !== '' && response.body !== undefined) return `${what}: ${where} declares no body, but one came (${mediaType || 'no content type'}): ${excerpt(response.body)}`;
      return undefined;
    }
    if (!mediaTypes.includes(mediaType)) return `${what}: content type ${mediaType || '(none)'} is not declared for ${where} (declared: ${mediaTypes.join(', ')})`;
    const schema = content[mediaType].schema;
    if (!schema) return undefined;
    if (isJsonMediaType(mediaType) && typeof response.body === 'string') return `${what}: a ${mediaType} body that is not JSON: ${excerpt(response.body)}`;
    const validate = this.validatorFor(`${where} ${mediaType}`, schema);
    if (validate(response.body)) return undefined;
    return `${what}: the body does not match the schema of ${where} (${mediaType}): ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}; body: ${excerpt(response.body)}`;
  }

  private validatorFor(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? JSON.stringify(body) : JSON.stringify(body) ?? String(body);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export const OPENAPI_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');

let shared: OpenApiContract | undefined;

/** The checked-in openapi/openapi.json, read once per process. */
export function openApiContract(): OpenApiContract {
  shared ??= OpenApiContract.fromFile(OPENAPI_PATH);
  return shared;
}
