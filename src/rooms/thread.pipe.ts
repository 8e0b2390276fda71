import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { checkXmlSafe } from '../common/validators';

export const MAX_THREAD_LENGTH = 1024;

/** C0 and C1 controls: an XML attribute turns tab/CR/LF into spaces, so the id would not round-trip. */
const CONTROL = /\p{Cc}/u;

/**
 * A chat thread id as the upstream hands them out (`chat-alice%example.com-0`, `myroom`, a remote
 * client's XMPP thread): 1..1024 characters, XML-safe, no control characters.
 */
export function checkThread(value: unknown): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const thread = value as string;
  const length = [...thread].length;
  if (length < 1 || length > MAX_THREAD_LENGTH) return `must be 1 to ${MAX_THREAD_LENGTH} characters long`;
  if (CONTROL.test(thread)) return 'must not contain control characters';
  return undefined;
}

/** Validates `{thread}` taken from the URL: a 400 naming the parameter, else the id unchanged. */
@Injectable()
export class ThreadPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data || metadata.type;
    const problem = checkThread(value);
    if (problem) throw ProblemException.invalid([{ field, message: `${field} ${problem}` }]);
    return value as string;
  }
}

/**
 * `?owner=true|false` (absent = false): whether to ask for the owner configuration form. Anything
 * else, a repeated parameter included, is a 400 naming `owner`.
 */
@Injectable()
export class OwnerFlagPipe implements PipeTransform<unknown, boolean> {
  transform(value: unknown, metadata: ArgumentMetadata): boolean {
    if (value === undefined) return false;
    if (value === 'true') return true;
    if (value === 'false') return false;
    const field = metadata.data || 'owner';
    throw ProblemException.invalid([{ field, message: `${field} must be true or false` }]);
  }
}
