import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem';
import { checkBareJid, checkDomain } from './validators';

/** Runs a `check*` function on a URL parameter: a 400 naming the parameter, else the value unchanged. */
export function validateParam(check: (value: unknown) => string | undefined, value: unknown, metadata: ArgumentMetadata): string {
  const field = metadata.data || metadata.type;
  const problem = check(value);
  if (problem) throw ProblemException.invalid([{ field, message: `${field} ${problem}` }]);
  return value as string;
}

/**
 * Validates an address taken from the URL (`@Param('address', BareJidPipe)`): a bare JID, else a
 * 400 `request.INVALID` naming the parameter. Returns the address unchanged.
 */
@Injectable()
export class BareJidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return validateParam(checkBareJid, value, metadata);
  }
}

/** Same for a domain taken from the URL, e.g. a conference service `conference.example.com`. */
@Injectable()
export class DomainNamePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return validateParam(checkDomain, value, metadata);
  }
}
