import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { checkXmlSafe } from '../common/validators';

export const MAX_CHAT_THREAD_LENGTH = 256;

/** C0 and C1 controls: the thread travels as an XML attribute, where tab/CR/LF would become spaces. */
const CONTROL = /\p{Cc}/u;

/** A chat thread id (`chat-alice%example.com-0`, `myroom`, …): 1..256 characters, XML-safe, no controls. */
export function checkChatThread(value: unknown): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const thread = value as string;
  const length = [...thread].length;
  if (length < 1 || length > MAX_CHAT_THREAD_LENGTH) return `must be 1 to ${MAX_CHAT_THREAD_LENGTH} characters long`;
  if (CONTROL.test(thread)) return 'must not contain control characters';
  return undefined;
}

/** `{thread}` from the URL: a 400 naming the parameter before any upstream call, else the id unchanged. */
@Injectable()
export class ChatThreadPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data || metadata.type;
    const problem = checkChatThread(value);
    if (problem) throw ProblemException.invalid([{ field, message: `${field} ${problem}` }]);
    return value as string;
  }
}

/**
 * `?after=<seq>` (absent = 0, the whole history): a non-negative integer. Anything else, a repeated
 * parameter included, is a 400 naming `after`. (The global validation pipe may already have turned
 * the string into a number, `NaN` for non-numbers; both forms are checked here.)
 */
@Injectable()
export class AfterSeqPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    if (value === undefined) return 0;
    if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    const field = metadata.data || 'after';
    throw ProblemException.invalid([{ field, message: `${field} must be a non-negative integer (a message seq)` }]);
  }
}
