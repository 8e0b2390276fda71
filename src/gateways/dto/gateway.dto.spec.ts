import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { RegisterGatewayDto } from './gateway.dto';

const transform = (value: unknown) => validateBody(RegisterGatewayDto, value);
const rejected = (value: unknown) => rejectedBody(RegisterGatewayDto, value);

describe('RegisterGatewayDto', () => {
  it('accepts a name up to 256 and a password up to 1024 characters, XML specials included', async () => {
    const body = { name: 'n'.repeat(256), password: '<&>"\''.repeat(200).slice(0, 1024) };
    await expect(transform(body)).resolves.toEqual(body);
  });

  it.each<[string, unknown, string]>([
    ['a missing name', { password: 'pw' }, 'name'],
    ['an empty name', { name: '', password: 'pw' }, 'name'],
    ['a name over 256', { name: 'n'.repeat(257), password: 'pw' }, 'name'],
    ['a name with U+0000', { name: 'a\u0000', password: 'pw' }, 'name'],
    ['a numeric name', { name: 5, password: 'pw' }, 'name'],
    ['a missing password', { name: 'alice_y' }, 'password'],
    ['an empty password', { name: 'alice_y', password: '' }, 'password'],
    ['a password over 1024', { name: 'alice_y', password: 'p'.repeat(1025) }, 'password'],
    ['a password with U+FFFF', { name: 'alice_y', password: 'p\uffff' }, 'password'],
    ['an unknown property', { name: 'alice_y', password: 'pw', service: 'yahoo' }, 'service'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('never repeats the password in a message', async () => {
    const problem = await rejected({ name: 'alice_y', password: 'secret\u0001' });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
