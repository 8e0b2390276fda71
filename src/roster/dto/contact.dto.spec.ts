import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { AddContactDto, AnswerSubscriptionDto, UpdateContactDto } from './contact.dto';

const transform = validateBody;
const rejected = rejectedBody;

/** Invalid name/groups cases, shared by every DTO that has them. */
const nameAndGroupCases: Array<[string, Record<string, unknown>, string]> = [
  ['a name over 256', { name: 'n'.repeat(257) }, 'name'],
  ['a name with U+0001', { name: 'Bo\u0001b' }, 'name'],
  ['a numeric name', { name: 42 }, 'name'],
  ['groups that are a string', { groups: 'Friends' }, 'groups'],
  ['groups with a comma', { groups: ['Friends', 'Work,Home'] }, 'groups'],
  ['an empty group', { groups: [''] }, 'groups'],
  ['a group over 128', { groups: ['g'.repeat(129)] }, 'groups'],
  ['a group with a lone surrogate', { groups: ['\udc00'] }, 'groups'],
  ['a non-string group', { groups: [1] }, 'groups'],
  ['65 groups', { groups: Array.from({ length: 65 }, (_, i) => `g${i}`) }, 'groups'],
  ['a null name', { name: null }, 'name'],
  ['null groups', { groups: null }, 'groups'],
  ['an unknown property', { nickname: 'x' }, 'nickname'],
];

describe('AddContactDto', () => {
  const base = { address: 'bob@example.com' };

  it('accepts an address with an optional name and up to 64 groups', async () => {
    await expect(transform(AddContactDto, base)).resolves.toEqual(base);
    const full = { ...base, name: 'n'.repeat(256), groups: Array.from({ length: 64 }, (_, i) => `Group ${i} <&>`) };
    await expect(transform(AddContactDto, full)).resolves.toEqual(full);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing address', {}, 'address'],
    ['an address with a resource', { address: 'bob@example.com/phone' }, 'address'],
    ['an address with <', { address: 'b<ob@example.com' }, 'address'],
    ['an address with whitespace', { address: 'bob @example.com' }, 'address'],
    ...nameAndGroupCases.map(([n, b, f]): [string, Record<string, unknown>, string] => [n, { ...base, ...b }, f]),
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(AddContactDto, body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('names the offending group item in the message', async () => {
    const problem = await rejected(AddContactDto, { ...base, groups: ['ok', 'a,b'] });
    expect(problem.errors?.[0].message).toBe('groups.1 must not contain a comma');
  });
});

describe('UpdateContactDto', () => {
  it('accepts an empty body (nothing to change)', async () => {
    await expect(transform(UpdateContactDto, {})).resolves.toBeInstanceOf(UpdateContactDto);
    await expect(transform(UpdateContactDto, { groups: [] })).resolves.toEqual({ groups: [] });
  });

  it.each(nameAndGroupCases)('rejects %s', async (_name, body, field) => {
    const problem = await rejected(UpdateContactDto, body);
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('does not accept an address in the body', async () => {
    const problem = await rejected(UpdateContactDto, { address: 'bob@example.com' });
    expect(problem.errors).toEqual([{ field: 'address', message: 'property address should not exist' }]);
  });
});

describe('AnswerSubscriptionDto', () => {
  it('accepts authorize with optional addToRoster, name and groups', async () => {
    await expect(transform(AnswerSubscriptionDto, { authorize: false })).resolves.toEqual({ authorize: false });
    const full = { authorize: true, addToRoster: true, name: 'Carol', groups: ['Friends'] };
    await expect(transform(AnswerSubscriptionDto, full)).resolves.toEqual(full);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing authorize', {}, 'authorize'],
    ['a string authorize', { authorize: 'true' }, 'authorize'],
    ['a numeric authorize', { authorize: 1 }, 'authorize'],
    ['a null authorize', { authorize: null }, 'authorize'],
    ['a string addToRoster', { authorize: true, addToRoster: 'yes' }, 'addToRoster'],
    ['a null addToRoster', { authorize: true, addToRoster: null }, 'addToRoster'],
    ...nameAndGroupCases.map(([n, b, f]): [string, Record<string, unknown>, string] => [n, { authorize: true, ...b }, f]),
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(AnswerSubscriptionDto, body);
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });
});
