import { ProblemDocument, ProblemException } from '../problem';
import { createValidationPipe } from '../validation';

/** For DTO specs: runs a body through the same global ValidationPipe the app uses. */
const pipe = createValidationPipe();

export function validateBody(metatype: new () => object, value: unknown): Promise<unknown> {
  return pipe.transform(value, { type: 'body', metatype, data: '' });
}

/** The problem document a rejected body earns; fails the test if the body is accepted. */
export async function rejectedBody(metatype: new () => object, value: unknown): Promise<ProblemDocument> {
  try {
    await validateBody(metatype, value);
  } catch (err) {
    if (err instanceof ProblemException) return err.problem;
    throw err;
  }
  throw new Error('expected the body to be rejected');
}
