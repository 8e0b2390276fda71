import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { SetIdleDto, SetPresenceDto } from './presence.dto';

const transform = validateBody;
const rejected = rejectedBody;

describe('SetPresenceDto', () => {
  it.each(['online', 'chat', 'away', 'xa', 'dnd', 'offline'])('accepts show=%s', async (show) => {
    await expect(transform(SetPresenceDto, { show })).resolves.toBeInstanceOf(SetPresenceDto);
  });

  it('accepts every optional field at its limits', async () => {
    const body = { show: 'away', status: 's'.repeat(1024), priority: 255, lang: 'zh-Hant-TW' };
    await expect(transform(SetPresenceDto, body)).resolves.toEqual(body);
    await expect(transform(SetPresenceDto, { show: 'dnd', priority: 0, lang: 'en' })).resolves.toBeDefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing show', {}, 'show'],
    ['an upper-case show', { show: 'Away' }, 'show'],
    ['an unknown show', { show: 'busy' }, 'show'],
    ['a status over 1024', { show: 'away', status: 's'.repeat(1025) }, 'status'],
    ['a status with U+0001', { show: 'away', status: 'a\u0001' }, 'status'],
    ['a non-string status', { show: 'away', status: 5 }, 'status'],
    ['a null status', { show: 'away', status: null }, 'status'],
    ['a null priority', { show: 'away', priority: null }, 'priority'],
    ['a priority of 256', { show: 'away', priority: 256 }, 'priority'],
    ['a negative priority', { show: 'away', priority: -1 }, 'priority'],
    ['a fractional priority', { show: 'away', priority: 1.5 }, 'priority'],
    ['a string priority', { show: 'away', priority: '5' }, 'priority'],
    ['a lang over 35', { show: 'away', lang: `en-${'a'.repeat(40)}` }, 'lang'],
    ['a malformed lang', { show: 'away', lang: 'en_US' }, 'lang'],
    ['a lang with markup', { show: 'away', lang: 'en"><x' }, 'lang'],
    ['an unknown property', { show: 'away', mood: 'happy' }, 'mood'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(SetPresenceDto, body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });
});

describe('SetIdleDto', () => {
  it('accepts real booleans and integers', async () => {
    await expect(transform(SetIdleDto, { idle: true, idleSeconds: 300 })).resolves.toBeInstanceOf(SetIdleDto);
    await expect(transform(SetIdleDto, { idle: false, idleSeconds: 0 })).resolves.toBeDefined();
    await expect(transform(SetIdleDto, { idle: true, idleSeconds: 2 ** 31 - 1 })).resolves.toBeDefined();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a string boolean', { idle: 'true', idleSeconds: 1 }, ['idle']],
    ['a numeric boolean', { idle: 1, idleSeconds: 1 }, ['idle']],
    ['a string number', { idle: true, idleSeconds: '60' }, ['idleSeconds']],
    ['a negative number', { idle: true, idleSeconds: -1 }, ['idleSeconds']],
    ['a fraction', { idle: true, idleSeconds: 0.5 }, ['idleSeconds']],
    ['a number beyond 2^31-1', { idle: true, idleSeconds: 2 ** 31 }, ['idleSeconds']],
    ['both missing', {}, ['idle', 'idleSeconds']],
  ])('rejects %s', async (_name, body, fields) => {
    const problem = await rejected(SetIdleDto, body);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(fields);
  });
});
