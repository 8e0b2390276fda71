import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { AuthController } from '../auth/auth.controller';
import { ChatsController } from '../chats/chats.controller';
import { GatewaysController } from '../gateways/gateways.controller';
import { HealthController } from '../health/health.controller';
import { PresenceController } from '../presence/presence.controller';
import { PrivacyController } from '../privacy/privacy.controller';
import { ChatConfigurationController } from '../rooms/chat-configuration.controller';
import { RoomsController } from '../rooms/rooms.controller';
import { RosterController } from '../roster/roster.controller';
import { ProblemException } from './problem';
import { validateBody } from './testing/validate-body';
import { MAX_BODY_DEPTH } from './validation';

/**
 * Generated bodies for every request DTO, through the real global pipe: each is either accepted (as
 * an instance of the DTO holding only declared properties) or a 400 `request.INVALID` problem whose
 * fields are real paths. Never another error, never a crash.
 */

type Dto = new () => object;

// class-transformer keeps `@Type` metadata here; the package exports it without typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

const CONTROLLERS = [
  AuthController, ChatsController, ChatConfigurationController, GatewaysController, HealthController,
  PresenceController, PrivacyController, RoomsController, RosterController,
];

/** The class of every `@Body()` parameter of every route. */
function bodyDtos(): Dto[] {
  const found = new Set<Dto>();
  for (const controller of CONTROLLERS) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {};
      const types: unknown[] = Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? [];
      for (const [key, { index }] of Object.entries(args)) {
        if (Number(key.split(':')[0]) === RouteParamtypes.BODY) found.add(types[index] as Dto);
      }
    }
  }
  return [...found];
}

/** The properties class-validator knows for a DTO (inherited ones included). */
function declaredKeys(dto: Dto): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))];
}

/** The DTO a nested property holds (`@Type`), if any. */
function nestedDto(dto: Dto, key: string): Dto | undefined {
  return defaultMetadataStorage.findTypeMetadata(dto, key)?.typeFunction() as Dto | undefined;
}

/** A list of nested DTOs (`@ValidateNested({ each: true })`). */
function isNestedList(dto: Dto, key: string): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).some((m) => m.propertyName === key && m.type === 'nestedValidation' && m.each);
}

/**
 * A body made of the documented examples (a nested DTO's built from its own, a required property
 * without one is `example`): a body every DTO must accept.
 */
function exampleOf(dto: Dto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of declaredKeys(dto)) {
    const doc = Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, key) as { example?: unknown; required?: boolean; type?: unknown } | undefined;
    const nested = nestedDto(dto, key);
    if (doc?.example !== undefined) out[key] = doc.example;
    else if (nested) out[key] = isNestedList(dto, key) ? [exampleOf(nested)] : exampleOf(nested);
    else if (doc && doc.required !== false) out[key] = 'example';
  }
  return out;
}

const own = (value: unknown, key: string) => value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key);

/**
 * A field names a real place: each segment is in the body, except that the last one may be a
 * declared property that is missing (a required field).
 */
function isRealPath(dto: Dto | undefined, body: unknown, field: string): boolean {
  if (field === '') return true;
  const segments = field.split('.');
  let value: unknown = body;
  let type = dto;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!own(value, segment)) return i === segments.length - 1 && !!type && declaredKeys(type).includes(segment);
    if (!Array.isArray(value)) type = type && nestedDto(type, segment);
    value = (value as Record<string, unknown>)[segment];
  }
  return true;
}

/** An accepted value holds declared properties only, at every level, as instances of the DTOs. */
function onlyDeclared(dto: Dto, value: unknown): boolean {
  if (!(value instanceof dto)) return false;
  const keys = declaredKeys(dto);
  return Object.keys(value).every((key) => {
    if (!keys.includes(key)) return false;
    const nested = nestedDto(dto, key);
    const v = (value as Record<string, unknown>)[key];
    if (!nested) return true;
    return Array.isArray(v) ? v.every((item) => onlyDeclared(nested, item)) : onlyDeclared(nested, v);
  });
}

const PROTOTYPE_KEYS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { k: value };
  return value;
}

/** Values that are wrong or at an edge for some field type. */
const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, '', ' ', 'true', '1', '0x10', '[]', '{}'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 1, maxLength: 5 }).map((s) => `${s}\u0000${s}`),
  fc.integer({ min: 200, max: 40_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('alice@example.com', 'spam.example', 'allow', 'deny', 'online', 'away', 'a@b.c/d', '<b>x</b>', '/join x'),
  fc.array(fc.constantFrom<unknown>([], {}, null, 'x', 1, [[]]), { maxLength: 4 }),
  fc.constantFrom(...PROTOTYPE_KEYS).map((key) => ({ [key]: 1 })),
  fc.tuple(fc.integer({ min: MAX_BODY_DEPTH - 2, max: 3_000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([n, kind]) => deep(n, kind)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A body built on the DTO's documented example, with fields replaced, removed or added. */
function mutatedBody(dto: Dto): fc.Arbitrary<unknown> {
  const base = exampleOf(dto);
  const keys = declaredKeys(dto);
  const nestedKeys = keys.filter((key) => nestedDto(dto, key));
  return fc.oneof(
    // Declared fields with wrong or edge values.
    fc.dictionary(fc.constantFrom(...keys), edgeValue, { maxKeys: 3 }).map((changes) => ({ ...base, ...changes })),
    // A field removed.
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))),
    // A prototype key or an unknown key, at the top or inside a nested DTO.
    fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'extra', 'Show', ''), edgeValue, fc.option(fc.constantFrom(...(nestedKeys.length ? nestedKeys : keys)), { nil: undefined }))
      .map(([key, value, into]) => {
        const body = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
        const target = into === undefined ? body : Array.isArray(body[into]) ? (body[into] as unknown[])[0] : body[into];
        // An own property, as JSON.parse makes one (even for `__proto__`).
        if (target && typeof target === 'object') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
        return body;
      }),
    // An array (or a nested array) where a nested object belongs.
    fc.tuple(fc.constantFrom(...(nestedKeys.length ? nestedKeys : keys)), fc.constantFrom<unknown>([], [[]], [[{}]], [null], [1], 'x'))
      .map(([key, value]: [string, unknown]) => ({ ...base, [key]: Array.isArray(base[key]) && Array.isArray(value) ? [...(base[key] as unknown[]), ...value] : value })),
  );
}

async function outcome(dto: Dto, body: unknown): Promise<{ accepted: unknown } | { problem: ProblemException }> {
  try {
    return { accepted: await validateBody(dto, body) };
  } catch (err) {
    if (err instanceof ProblemException) return { problem: err };
    throw err;
  }
}

async function checkBody(dto: Dto, body: unknown): Promise<void> {
  const result = await outcome(dto, body);
  if ('accepted' in result) {
    expect(onlyDeclared(dto, result.accepted)).toBe(true);
    return;
  }
  const problem = result.problem.problem;
  expect(problem).toMatchObject({ status: 400, code: 'request.INVALID', title: 'Bad Request', type: expect.any(String), detail: expect.any(String) });
  expect(problem.errors?.length).toBeGreaterThan(0);
  for (const error of problem.errors ?? []) {
    expect(typeof error.message).toBe('string');
    if (!isRealPath(dto, body, error.field)) throw new Error(`field ${JSON.stringify(error.field)} is not a path of the body`);
  }
}

const DTOS = bodyDtos();

describe('request bodies (generated)', () => {
  it('finds the body DTO of every route', () => {
    expect(DTOS.map((dto) => dto.name).sort()).toEqual([
      'AddContactDto', 'AnswerSubscriptionDto', 'CreateChatDto', 'CreateSessionDto', 'InvitationDto', 'JoinRoomDto',
      'PostMessageDto', 'ReadMarkerDto', 'RegisterGatewayDto', 'SetIdleDto', 'SetPresenceDto', 'SetPrivacyListDto', 'TypingDto',
      'UpdateConfigurationDto', 'UpdateContactDto',
    ]);
  });

  describe.each(DTOS.map((dto) => [dto.name, dto] as const))('%s', (_name, dto) => {
    it('accepts its documented example', async () => {
      await expect(validateBody(dto, exampleOf(dto))).resolves.toBeInstanceOf(dto);
    });

    it('any JSON value: accepted with declared properties only, or a 400 naming real paths', async () => {
      await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), (body) => checkBody(dto, body)), { seed: 42, numRuns: 150 });
    });

    it('its own fields with wrong, edge, deep, prototype and nested-array values: the same', async () => {
      await fc.assert(fc.asyncProperty(mutatedBody(dto), (body) => checkBody(dto, body)), { seed: 42, numRuns: 250 });
    });

    it('a prototype key anywhere is refused, naming it', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...PROTOTYPE_KEYS), async (key) => {
          const body = exampleOf(dto);
          Object.defineProperty(body, key, { value: {}, enumerable: true, writable: true, configurable: true });
          const result = await outcome(dto, body);
          expect('problem' in result && result.problem.problem.errors).toEqual(expect.arrayContaining([{ field: key, message: `property ${key} should not exist` }]));
        }),
        { seed: 42, numRuns: 40 },
      );
    });
  });
});
