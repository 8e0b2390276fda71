import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateParam } from '../common/bare-jid.pipe';
import { checkIdentifier } from '../common/validators';

/** Gateway types are short names (`yahoo`, `msn` …); this leaves room for any the upstream adds. */
export const MAX_GATEWAY_TYPE_LENGTH = 64;

/** A gateway type: 1..64 characters, XML-safe, no control characters (it travels as an attribute). */
export function checkGatewayType(value: unknown): string | undefined {
  return checkIdentifier(value, MAX_GATEWAY_TYPE_LENGTH);
}

/**
 * `{type}` of the gateway routes: a 400 naming the parameter before any upstream call (an unknown
 * but well-formed type is a 404 once the upstream's list is known), else the type unchanged.
 */
@Injectable()
export class GatewayTypePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    return validateParam(checkGatewayType, value, metadata);
  }
}
