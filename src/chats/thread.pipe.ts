import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { validateParam } from '../common/bare-jid.pipe';
import { checkIdentifier } from '../common/validators';
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT } from './history-page';

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
 * A query integer in decimal digits only (`0x10`, `1e3`, `+7`, ` 7` and `7.0` are not), within
 * `min..max`. Absent is undefined; anything else, a repeated parameter included, is a 400 naming it.
 */
function decimalQuery(value: unknown, metadata: ArgumentMetadata, min: number, max: number, meaning: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) {
    const n = Number(value);
    if (n >= min && n <= max) return n;
  }
  const field = metadata.data || 'query';
  throw ProblemException.invalid([{ field, message: `${field} must be ${meaning}` }]);
}

/** `?after=<seq>` / `?before=<seq>`: a message seq, a non-negative integer; absent is undefined. */
@Injectable()
export class SeqQueryPipe implements PipeTransform<unknown, number | undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): number | undefined {
    return decimalQuery(value, metadata, 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer (a message seq)');
  }
}

/** `?limit=`: 1..MAX_HISTORY_LIMIT messages; absent is DEFAULT_HISTORY_LIMIT. */
@Injectable()
export class HistoryLimitPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const limit = decimalQuery(value, metadata, 1, MAX_HISTORY_LIMIT, `an integer from 1 to ${MAX_HISTORY_LIMIT}`);
    return limit ?? DEFAULT_HISTORY_LIMIT;
  }
}
