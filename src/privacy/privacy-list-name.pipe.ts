import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { checkXmlSafe } from '../common/validators';

export const MAX_PRIVACY_LIST_NAME_LENGTH = 64;

/** C0 and C1 controls: an XML attribute would turn tab/CR/LF into spaces, so the name would not round-trip. */
const CONTROL = /\p{Cc}/u;

/** A privacy list name: 1..64 characters, XML-safe, no control characters, no `/`. */
export function checkPrivacyListName(value: unknown): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const name = value as string;
  const length = [...name].length;
  if (length < 1 || length > MAX_PRIVACY_LIST_NAME_LENGTH) return `must be 1 to ${MAX_PRIVACY_LIST_NAME_LENGTH} characters long`;
  if (CONTROL.test(name)) return 'must not contain control characters';
  if (name.includes('/')) return 'must not contain a /';
  return undefined;
}

/** Validates `{name}` of the privacy-list routes: a 400 naming the parameter, else the name unchanged. */
@Injectable()
export class PrivacyListNamePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data || metadata.type;
    const problem = checkPrivacyListName(value);
    if (problem) throw ProblemException.invalid([{ field, message: `${field} ${problem}` }]);
    return value as string;
  }
}
