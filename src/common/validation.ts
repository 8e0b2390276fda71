import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ProblemException, ProblemFieldError } from './problem';

/**
 * Constraints that say the value has the wrong type or should not be there at all. When one of
 * them failed, the other messages of the same field (length, format …) are noise and are dropped.
 */
const TYPE_CONSTRAINTS = new Set([
  'whitelistValidation',
  'isDefined',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isObject',
  'isEnum',
  'nestedValidation',
  'unknownValue',
]);

function joinPath(parent: string, property: string | undefined): string {
  if (property === undefined || property === '') return parent;
  return parent === '' ? property : `${parent}.${property}`;
}

function messageFor(constraints: Record<string, string>): string {
  const entries = Object.entries(constraints);
  const typeEntries = entries.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return (typeEntries.length > 0 ? typeEntries : entries).map(([, message]) => message).join('; ');
}

/**
 * Flattens class-validator's tree into one entry per offending field. Paths are dotted, array items
 * by index (`groups.0`, `items.2.order`); an unknown property is its own field (`foo`, message
 * `property foo should not exist`). A field with several failed rules gets one entry.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      out.push({ field, message: messageFor(error.constraints) });
    }
    if (error.children && error.children.length > 0) {
      out.push(...flattenValidationErrors(error.children, field));
    }
  }
  return out;
}

/** The 400 `request.INVALID` problem for a list of class-validator errors. */
export function validationException(errors: ValidationError[]): ProblemException {
  const fieldErrors = flattenValidationErrors(errors);
  if (fieldErrors.length === 0) fieldErrors.push({ field: '', message: 'request is invalid' });
  return ProblemException.invalid(fieldErrors);
}

export const BODY_NOT_OBJECT: ProblemFieldError = { field: '', message: 'request body must be a JSON object' };

function isClass(metatype: unknown): boolean {
  return typeof metatype === 'function' && ![String, Boolean, Number, Array, Object].includes(metatype as never);
}

/**
 * The global pipe. A body bound to a DTO class must be a JSON object: a missing body counts as `{}`
 * (so each required field is reported), an array or a scalar is one `''` (whole body) error.
 */
export class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isClass(metadata.metatype)) {
      if (value === undefined || value === null) {
        value = {};
      } else if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
        throw ProblemException.invalid([BODY_NOT_OBJECT], 'The request body must be a JSON object.');
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * `ValidationPipe` with `whitelist`, `forbidNonWhitelisted` and `transform`, no implicit type
 * conversion (a `"true"` string is not a boolean), and problem+json errors. Options may be overridden.
 */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => validationException(errors),
    ...options,
  });
}
