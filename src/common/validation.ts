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

/** Whether a key can be one segment of a dotted path: not empty, no dot. */
export function isPathSegment(key: string): boolean {
  return key !== '' && !key.includes('.');
}

function joinPath(parent: string, property: string | undefined): string {
  if (property === undefined || property === '') return parent;
  return parent === '' ? property : `${parent}.${property}`;
}

function messageFor(constraints: Record<string, string>): string {
  const entries = Object.entries(constraints);
  const typeEntries = entries.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return [...new Set((typeEntries.length > 0 ? typeEntries : entries).map(([, message]) => message))].join('; ');
}

/**
 * Flattens class-validator's tree into one entry per offending field. Paths are dotted, array items
 * by index (`groups.0`, `items.2.order`); an unknown property is its own field (`foo`, message
 * `property foo should not exist`). A field with several failed rules gets one entry.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    // An unknown key no dotted path can name (`""`, `a.b`) is reported on the object holding it.
    if (error.constraints?.whitelistValidation && !isPathSegment(error.property)) {
      out.push({ field: parent, message: `property ${JSON.stringify(error.property)} should not exist` });
      continue;
    }
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

/**
 * How deeply arrays and objects may nest in a request body. Real bodies need four levels; the
 * framework's own steps (prototype-key stripping, class-transformer, class-validator) recurse, so a
 * deeper value must be refused before any of them sees it.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys no DTO declares but every object answers to. class-transformer drops a key whose name is a
 * method of the prototype and the framework deletes `__proto__`, `prototype` and `constructor`, so
 * the whitelist never sees them: they would be accepted in silence instead of being unknown.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The problem of a body nesting too deeply, named by its top-level field (`''`: the body itself,
 * also when the field's name cannot be a path segment).
 */
export function tooDeep(key: string): ProblemFieldError {
  const field = isPathSegment(key) ? key : '';
  return { field, message: `${field || 'request body'} must not nest arrays and objects more than ${MAX_BODY_DEPTH} levels deep` };
}

/**
 * What a parsed JSON value holds that validation cannot be trusted with: nesting beyond
 * `MAX_BODY_DEPTH` (reported once, by top-level field) and prototype keys, by path.
 * Iterative, so a value of any depth is safe to inspect.
 */
export function jsonShapeErrors(value: unknown): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  // `exact`: `path` names the node itself; below a key no dotted path can name (`""`, `a.b`),
  // `path` stays on the last object that can be named, and problems are reported there.
  const pending: Array<{ value: unknown; path: string; exact: boolean; top: string; depth: number }> = [
    { value, path: '', exact: true, top: '', depth: 1 },
  ];
  let reportedDepth = false;
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.value === null || typeof node.value !== 'object') continue;
    if (node.depth > MAX_BODY_DEPTH) {
      if (!reportedDepth) errors.push(tooDeep(node.top));
      reportedDepth = true;
      continue;
    }
    // Keys in reverse onto the stack, so errors come out in the body's order.
    for (const key of Object.keys(node.value).reverse()) {
      if (!Array.isArray(node.value) && PROTOTYPE_KEYS.has(key)) {
        errors.push({ field: node.exact ? joinPath(node.path, key) : node.path, message: `property ${key} should not exist` });
        continue;
      }
      const exact = node.exact && isPathSegment(key);
      pending.push({
        value: (node.value as Record<string, unknown>)[key],
        path: exact ? joinPath(node.path, key) : node.path,
        exact,
        top: node.depth === 1 ? key : node.top,
        depth: node.depth + 1,
      });
    }
  }
  return errors;
}

function isClass(metatype: unknown): boolean {
  return typeof metatype === 'function' && ![String, Boolean, Number, Array, Object].includes(metatype as never);
}

/**
 * The global pipe. A body bound to a DTO class must be a JSON object: a missing body counts as `{}`
 * (so each required field is reported), `null`, an array or a scalar is one `''` (whole body) error.
 * Path and query parameters stay the strings they came as: each parameter pipe parses its own
 * (the framework's `Number("0x10")` would turn hex, exponents and blanks into integers).
 */
export class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isClass(metadata.metatype)) {
      if (value === undefined) {
        value = {};
      } else if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
        throw ProblemException.invalid([BODY_NOT_OBJECT], 'The request body must be a JSON object.');
      }
      const shapeErrors = jsonShapeErrors(value);
      if (shapeErrors.length > 0) throw ProblemException.invalid(shapeErrors);
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown): unknown {
    return value;
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
