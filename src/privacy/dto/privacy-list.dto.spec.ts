import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { checkPrivacyListName } from '../privacy-list-name.pipe';
import { SetPrivacyListDto } from './privacy-list.dto';

const transform = (value: unknown) => validateBody(SetPrivacyListDto, value);
const rejected = (value: unknown) => rejectedBody(SetPrivacyListDto, value);

const allow = { order: 1, action: 'allow', address: 'friend@spam.example' };
const deny = { order: 2, action: 'deny', address: 'spam.example' };

describe('SetPrivacyListDto', () => {
  it('accepts JIDs and bare domains, an empty list and 1000 items', async () => {
    const accepted = (await transform({ items: [allow, deny] })) as SetPrivacyListDto;
    expect(accepted.items.map((i) => ({ ...i }))).toEqual([allow, deny]);
    expect(Object.keys(accepted.items[0])).toEqual(['order', 'action', 'address']);
    await expect(transform({ items: [] })).resolves.toEqual({ items: [] });
    const many = Array.from({ length: 1000 }, (_, i) => ({ order: i + 1, action: 'deny', address: `u${i}@x.example` }));
    await expect(transform({ items: many })).resolves.toBeInstanceOf(SetPrivacyListDto);
  });

  it.each<[string, unknown, string]>([
    ['a missing items', {}, 'items'],
    ['items that are an object', { items: { 0: allow } }, 'items'],
    ['items that are a string', { items: 'allow all' }, 'items'],
    ['null items', { items: null }, 'items'],
    ['an item that is a number', { items: [allow, 5] }, 'items.1'],
    ['an item that is null', { items: [null] }, 'items.0'],
    ['1001 items', { items: Array.from({ length: 1001 }, (_, i) => ({ ...deny, order: i + 1 })) }, 'items'],
    ['order 0', { items: [{ ...allow, order: 0 }] }, 'items.0.order'],
    ['a negative order', { items: [allow, { ...deny, order: -2 }] }, 'items.1.order'],
    ['a fractional order', { items: [{ ...allow, order: 1.5 }] }, 'items.0.order'],
    ['a string order', { items: [{ ...allow, order: '1' }] }, 'items.0.order'],
    ['an order beyond 32 bits', { items: [{ ...allow, order: 2 ** 31 }] }, 'items.0.order'],
    ['a missing order', { items: [{ action: 'deny', address: 'x.example' }] }, 'items.0.order'],
    ['action Deny', { items: [{ ...deny, action: 'Deny' }] }, 'items.0.action'],
    ['action block', { items: [{ ...deny, action: 'block' }] }, 'items.0.action'],
    ['a missing action', { items: [{ order: 1, address: 'x.example' }] }, 'items.0.action'],
    ['an address with a resource', { items: [{ ...allow, address: 'friend@spam.example/phone' }] }, 'items.0.address'],
    ['a domain with a resource', { items: [{ ...deny, address: 'spam.example/x' }] }, 'items.0.address'],
    ['an empty local part', { items: [{ ...deny, address: '@spam.example' }] }, 'items.0.address'],
    ['an address with <', { items: [{ ...deny, address: 'sp<am.example' }] }, 'items.0.address'],
    ['an empty address', { items: [{ ...deny, address: '' }] }, 'items.0.address'],
    ['a numeric address', { items: [{ ...deny, address: 7 }] }, 'items.0.address'],
    ['an unknown item property', { items: [{ ...deny, type: 'message' }] }, 'items.0.type'],
    ['an unknown body property', { items: [], name: 'x' }, 'name'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('reports a duplicate order at the later item, naming the earlier one', async () => {
    const problem = await rejected({ items: [allow, deny, { ...deny, order: 1, address: 'other.example' }] });
    expect(problem.errors).toEqual([{ field: 'items.2.order', message: 'order must be unique within the list (items.0 has the same order)' }]);
  });

  it('reports every offending field at once', async () => {
    const problem = await rejected({ items: [{ ...allow, action: 'Allow' }, { ...deny, order: 1, address: 'a@b.example/r' }] });
    expect(problem.errors?.map((e) => e.field)).toEqual(['items.0.action', 'items.1.order', 'items.1.address']);
  });

  it('says what is wrong with an address with a resource', async () => {
    const problem = await rejected({ items: [{ ...allow, address: 'friend@spam.example/phone' }] });
    expect(problem.errors?.[0].message).toBe('address must be a bare address or a domain, without a /resource');
  });
});

describe('checkPrivacyListName', () => {
  it.each(['default', 'work', 'x', 'n'.repeat(64), 'Ünïcode 名前', 'a<b&"c"'])('accepts %j', (name) => {
    expect(checkPrivacyListName(name)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'n'.repeat(65)],
    ['a slash', 'a/b'],
    ['a newline', 'a\nb'],
    ['a tab', 'a\tb'],
    ['U+0001', 'a\u0001'],
    ['a lone surrogate', 'a\ud800'],
  ])('rejects %s', (_name, name) => {
    expect(checkPrivacyListName(name)).toEqual(expect.any(String));
  });
});
