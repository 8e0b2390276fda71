import { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ProblemException } from './problem';
import { createValidationPipe, flattenValidationErrors, jsonShapeErrors, MAX_BODY_DEPTH } from './validation';
import { IsNestedDto, IsOptionalNonNull, IsXmlSafe } from './validators';

class ItemDto {
  @Min(1)
  @IsInt()
  order: number;

  @IsString()
  address: string;
}

class ListDto {
  @IsXmlSafe()
  @MaxLength(5)
  @IsString()
  name: string;

  @IsNestedDto(() => ItemDto, { each: true })
  @IsArray()
  items: ItemDto[];

  @IsOptional()
  @IsBoolean()
  flag?: boolean;

  @IsOptionalNonNull()
  @IsNestedDto(() => ItemDto)
  first?: ItemDto;
}

/** A body nested `depth` levels deep: arrays, or objects under `key`. */
function nested(depth: number, kind: 'array' | 'object' = 'array', key = 'k'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { [key]: value };
  return value;
}

/** Every name `{}` answers to, plus `prototype` (stripped by the framework before validation). */
const PROTOTYPE_KEYS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

const body = (metatype: unknown): ArgumentMetadata => ({ type: 'body', metatype: metatype as never, data: '' });

async function problemOf(value: unknown, metatype: unknown = ListDto) {
  try {
    await createValidationPipe().transform(value, body(metatype));
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemException);
    return (err as ProblemException).problem;
  }
  throw new Error('expected a validation failure');
}

describe('flattenValidationErrors', () => {
  it('flattens nested and array children into dotted paths with indexes', () => {
    const errors: ValidationError[] = [
      { property: 'name', constraints: { isString: 'name must be a string' }, children: [] },
      {
        property: 'items',
        children: [
          {
            property: '2',
            children: [{ property: 'order', constraints: { min: 'order must not be less than 1' }, children: [] }],
          },
        ],
      },
      { property: 'foo', constraints: { whitelistValidation: 'property foo should not exist' } },
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'items.2.order', message: 'order must not be less than 1' },
      { field: 'foo', message: 'property foo should not exist' },
    ]);
  });

  it('keeps only the type message when a type check failed, else joins all', () => {
    expect(
      flattenValidationErrors([
        { property: 'a', constraints: { maxLength: 'a too long', isString: 'a must be a string' }, children: [] },
        { property: 'b', constraints: { maxLength: 'b too long', isXmlSafe: 'b has control chars' }, children: [] },
      ]),
    ).toEqual([
      { field: 'a', message: 'a must be a string' },
      { field: 'b', message: 'b too long; b has control chars' },
    ]);
  });
});

describe('createValidationPipe', () => {
  it('passes and transforms a valid body into the DTO class', async () => {
    const out = await createValidationPipe().transform(
      { name: 'abc', items: [{ order: 1, address: 'x' }], flag: true },
      body(ListDto),
    );
    expect(out).toBeInstanceOf(ListDto);
    expect((out as ListDto).items[0]).toBeInstanceOf(ItemDto);
  });

  it('reports each offending field, nested and indexed, and unknown properties', async () => {
    const p = await problemOf({
      name: 'toolong\u0001',
      items: [{ order: 1, address: 'ok' }, { order: 0, address: 3, extra: 1 }],
      foo: 'bar',
    });
    expect(p).toMatchObject({ status: 400, code: 'request.INVALID', title: 'Bad Request' });
    expect(p.errors).toEqual(
      expect.arrayContaining([
        { field: 'foo', message: 'property foo should not exist' },
        { field: 'name', message: expect.stringMatching(/shorter than or equal to 5.*; name must not contain/) },
        { field: 'items.1.order', message: 'order must not be less than 1' },
        { field: 'items.1.address', message: 'address must be a string' },
        { field: 'items.1.extra', message: 'property extra should not exist' },
      ]),
    );
    expect(p.errors).toHaveLength(5);
    expect(p.detail).toMatch(/foo/);
    expect(p.detail).toMatch(/items\.1\.order/);
  });

  it('does not coerce strings into booleans or numbers', async () => {
    const p = await problemOf({ name: 'a', items: [{ order: '1', address: 'x' }], flag: 'true' });
    expect(p.errors).toEqual([
      { field: 'items.0.order', message: 'order must be an integer number' },
      { field: 'flag', message: 'flag must be a boolean value' },
    ]);
  });

  it('treats a missing body as {} and reports every required field', async () => {
    const p = await problemOf(undefined);
    expect(p.errors?.map((e) => e.field).sort()).toEqual(['items', 'name']);
  });

  it.each([['null', null], ['an array', [{ name: 'a' }]], ['a string', 'hello'], ['a number', 42], ['a boolean', true]])(
    'rejects %s as the body with one whole-body error',
    async (_name, value) => {
      const p = await problemOf(value);
      expect(p.errors).toEqual([{ field: '', message: 'request body must be a JSON object' }]);
    },
  );

  it('reports a nested value that is not an object', async () => {
    const p = await problemOf({ name: 'a', items: ['x'] });
    expect(p.errors?.[0].field).toMatch(/^items/);
  });

  it('refuses null as the body (only a missing body counts as {})', async () => {
    const p = await problemOf(null);
    expect(p.errors).toEqual([{ field: '', message: 'request body must be a JSON object' }]);
  });

  it.each(PROTOTYPE_KEYS)('reports the prototype key %s as an unknown property, at any depth', async (key) => {
    const valid = { name: 'a', items: [{ order: 1, address: 'x' }] };
    const top = await problemOf(JSON.parse(JSON.stringify(valid).replace('{', `{"${key}":1,`)));
    expect(top.errors).toEqual([{ field: key, message: `property ${key} should not exist` }]);
    const deep = await problemOf(JSON.parse(`{"name":"a","items":[{"order":1,"address":"x","${key}":{}}],"first":{"${key}":"x","order":1,"address":"x"}}`));
    expect(deep.errors).toEqual([
      { field: `items.0.${key}`, message: `property ${key} should not exist` },
      { field: `first.${key}`, message: `property ${key} should not exist` },
    ]);
  });

  it.each([
    ['an empty array', [[]], 'items.0'],
    ['an array holding a valid item', [[{ order: 1, address: 'x' }]], 'items.0'],
    ['a number', [{ order: 1, address: 'x' }, 5], 'items.1'],
    ['null', [null], 'items.0'],
  ])('refuses %s where an item of a nested list belongs, at its path', async (_what, items, field) => {
    const p = await problemOf({ name: 'a', items });
    expect(p.errors).toEqual([{ field, message: 'each item of items must be a JSON object' }]);
  });

  it.each([['an array', []], ['an array holding a valid item', [{ order: 1, address: 'x' }]], ['a string', 'x'], ['null', null]])(
    'refuses %s where a nested object belongs',
    async (_what, first) => {
      const p = await problemOf({ name: 'a', items: [], first });
      expect(p.errors).toEqual([{ field: 'first', message: 'first must be a JSON object' }]);
    },
  );

  it('accepts nesting up to the limit and refuses deeper, naming the top-level field, without recursing', async () => {
    // `items` holds the body's levels 2 and up: the body object itself is level 1.
    await expect(createValidationPipe().transform({ name: 'a', items: [], first: { order: 1, address: 'x' } }, body(ListDto))).resolves.toBeDefined();
    expect(jsonShapeErrors({ a: nested(MAX_BODY_DEPTH - 1) })).toEqual([]);
    expect(jsonShapeErrors({ a: nested(MAX_BODY_DEPTH) })).toEqual([{ field: 'a', message: expect.stringMatching(/^a must not nest/) }]);
    for (const kind of ['array', 'object'] as const) {
      const p = await problemOf({ name: 'a', items: [], flag: nested(100_000, kind) });
      expect(p.errors).toEqual([{ field: 'flag', message: `flag must not nest arrays and objects more than ${MAX_BODY_DEPTH} levels deep` }]);
    }
  });

  it('reports an unknown key no dotted path can name on the object holding it', async () => {
    const p = await problemOf({ name: 'a', items: [{ order: 1, address: 'x', 'a.b': 1 }], '': 2 });
    expect(p.errors).toEqual([
      { field: '', message: 'property "" should not exist' },
      { field: 'items.0', message: 'property "a.b" should not exist' },
    ]);
    expect(jsonShapeErrors({ 'x.y': nested(MAX_BODY_DEPTH) })).toEqual([{ field: '', message: expect.any(String) }]);
    expect(jsonShapeErrors({ a: [{ '': { constructor: 1 } }] })).toEqual([{ field: 'a.0', message: 'property constructor should not exist' }]);
  });

  it('leaves query and path parameters as the strings they came as', async () => {
    for (const raw of ['0x10', '1e3', ' 7', '+7', '7.0', 'true']) {
      await expect(createValidationPipe().transform(raw, { type: 'query', metatype: Number, data: 'after' })).resolves.toBe(raw);
      await expect(createValidationPipe().transform(raw, { type: 'param', metatype: Boolean, data: 'x' })).resolves.toBe(raw);
    }
  });

  it('leaves non-class parameters alone', async () => {
    await expect(createValidationPipe().transform('abc', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('abc');
  });

  it('never includes the rejected value in the problem', async () => {
    const p = await problemOf({ name: 'hunter2-password-long', items: [] });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});
