import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { validateParam } from '../common/bare-jid.pipe';
import { checkIdentifier } from '../common/validators';

export const MAX_CHAT_THREAD_LENGTH = 256;

/** A chat thread id (`chat-alice%example.com-0`, `myroom`, …): 1..256 characters, XML-safe, no controls. */
export function checkChatThread(value: unknown): string | undefined {
  return checkIdentifier(value, MAX_CHAT_THREAD_LENGTH);
}

/** `{thread}` from the URL: a 400 naming the parameter before any upstream call, else the id unchanged. */
@Injectable()
export class ChatThreadPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return validateParam(checkChatThread, value, metadata);
  }
}

/**
 * `?after=<seq>` (absent = 0, the whole history): a non-negative integer in decimal digits only
 * (`0x10`, `1e3`, `+7`, ` 7` and `7.0` are not). Anything else, a repeated parameter included, is a
 * 400 naming `after`.
 */
@Injectable()
export class AfterSeqPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    if (value === undefined) return 0;
    if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
    const field = metadata.data || 'after';
    throw ProblemException.invalid([{ field, message: `${field} must be a non-negative integer (a message seq)` }]);
  }
}
