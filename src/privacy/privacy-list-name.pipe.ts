import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateParam } from '../common/bare-jid.pipe';
import { checkIdentifier } from '../common/validators';

export const MAX_PRIVACY_LIST_NAME_LENGTH = 64;

/** A privacy list name: 1..64 characters, XML-safe, no control characters, no `/`. */
export function checkPrivacyListName(value: unknown): string | undefined {
  return checkIdentifier(value, MAX_PRIVACY_LIST_NAME_LENGTH) ?? ((value as string).includes('/') ? 'must not contain a /' : undefined);
}

/** Validates `{name}` of the privacy-list routes: a 400 naming the parameter, else the name unchanged. */
@Injectable()
export class PrivacyListNamePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return validateParam(checkPrivacyListName, value, metadata);
  }
}
