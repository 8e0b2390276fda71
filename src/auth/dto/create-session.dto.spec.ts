import { ProblemDocument, ProblemException } from '../../common/problem';
import { createValidationPipe } from '../../common/validation';
import { CreateSessionDto } from './create-session.dto';

const pipe = createValidationPipe();

async function fieldsRejected(value: unknown): Promise<ProblemDocument> {
  try {
    await pipe.transform(value, { type: 'body', metatype: CreateSessionDto, data: '' });
  } catch (err) {
    if (err instanceof ProblemException) return err.problem;
    throw err;
  }
  throw new Error('expected the body to be rejected');
}

const valid = { account: 'alice@example.com', password: 'correct horse battery staple' };

describe('CreateSessionDto', () => {
  it('accepts a bare address and a password', async () => {
    const dto = await pipe.transform({ ...valid }, { type: 'body', metatype: CreateSessionDto, data: '' });
    expect(dto).toBeInstanceOf(CreateSessionDto);
    expect(dto).toEqual(valid);
  });

  it('accepts a password with markup characters and emoji (escaped, not rejected)', async () => {
    await expect(
      pipe.transform({ ...valid, password: '<&>"\'😀' }, { type: 'body', metatype: CreateSessionDto, data: '' }),
    ).resolves.toBeInstanceOf(CreateSessionDto);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing account', { password: 'x' }, 'account'],
    ['a missing password', { account: 'alice@example.com' }, 'password'],
    ['an account with a resource', { ...valid, account: 'alice@example.com/web' }, 'account'],
    ['an account without a domain', { ...valid, account: 'alice' }, 'account'],
    ['an account that is not a string', { ...valid, account: ['alice@example.com'] }, 'account'],
    ['an empty password', { ...valid, password: '' }, 'password'],
    ['a password over 1024 characters', { ...valid, password: 'p'.repeat(1025) }, 'password'],
    ['a password with U+0001', { ...valid, password: 'pa\u0001ss' }, 'password'],
    ['a password with a lone surrogate', { ...valid, password: 'pa\ud800ss' }, 'password'],
    ['a numeric password', { ...valid, password: 1234 }, 'password'],
    ['an unknown property', { ...valid, remember: true }, 'remember'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await fieldsRejected(body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('never echoes the password', async () => {
    const problem = await fieldsRejected({ account: 'bad', password: 'hunter2\u0001' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
