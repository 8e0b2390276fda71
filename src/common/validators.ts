import { Transform, Type } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidateNested, ValidationArguments, ValidationOptions } from 'class-validator';
import { hasNonXmlChar } from '../soap/xml';

/**
 * Input rules shared by the DTOs and the path-parameter pipes. Each `check*` function returns
 * `undefined` when the value is acceptable, else the rule it breaks, phrased to follow the field
 * name ("account must not include a /resource"). Messages never repeat the value itself: it may be
 * a password.
 */

export const MAX_BARE_JID_LENGTH = 320;
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_DOMAIN_LENGTH = 253;
export const MAX_DOMAIN_LABEL_LENGTH = 63;
export const MAX_GROUP_NAME_LENGTH = 128;

/** Length in code points, so a non-BMP character counts once. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function typeProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  return undefined;
}

const WHITESPACE = /\s/u;
/** C0 and C1 control characters. */
const CONTROL = /\p{Cc}/u;
/** Characters a JID's local part may not hold (RFC 7622 §3.3.1), `@` and `/` handled separately. */
const LOCAL_FORBIDDEN = /["&'<>:]/;
/** One domain label: letters (any script, with their combining marks), digits and inner hyphens. */
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}-]*[\p{L}\p{M}\p{Nd}])?$/u;

/** A domain name: dot-separated labels of letters, digits and hyphens (IDNs in Unicode form). */
export function checkDomain(value: unknown): string | undefined {
  const type = typeProblem(value);
  if (type) return type;
  const domain = value as string;
  if (domain.length === 0) return 'must not be empty';
  if (WHITESPACE.test(domain)) return 'must not contain whitespace';
  if (hasNonXmlChar(domain) || CONTROL.test(domain)) return 'must not contain control or non-XML characters';
  if (codePoints(domain) > MAX_DOMAIN_LENGTH) return `must be at most ${MAX_DOMAIN_LENGTH} characters long`;
  for (const label of domain.split('.')) {
    if (label.length === 0) return 'must not have an empty label (leading, trailing or double dot)';
    if (codePoints(label) > MAX_DOMAIN_LABEL_LENGTH) {
      return `must not have a label longer than ${MAX_DOMAIN_LABEL_LENGTH} characters`;
    }
    if (!DOMAIN_LABEL.test(label)) {
      return 'must consist of labels of letters, digits and inner hyphens separated by dots';
    }
  }
  return undefined;
}

/** A bare JID `local@domain`: no resource, lengths within RFC limits, nothing XML or whitespace. */
export function checkBareJid(value: unknown): string | undefined {
  const type = typeProblem(value);
  if (type) return type;
  const jid = value as string;
  if (jid.length === 0) return 'must not be empty';
  if (WHITESPACE.test(jid)) return 'must not contain whitespace';
  if (hasNonXmlChar(jid) || CONTROL.test(jid)) return 'must not contain control or non-XML characters';
  if (codePoints(jid) > MAX_BARE_JID_LENGTH) return `must be at most ${MAX_BARE_JID_LENGTH} characters long`;
  if (jid.includes('/')) return 'must be a bare address without a /resource';
  const at = jid.indexOf('@');
  if (at < 0) return 'must be an address of the form local@domain';
  if (jid.indexOf('@', at + 1) >= 0) return 'must contain exactly one @';
  const local = jid.slice(0, at);
  const domain = jid.slice(at + 1);
  if (local.length === 0) return 'must have a local part before the @';
  if (codePoints(local) > MAX_LOCAL_PART_LENGTH) {
    return `must have a local part of at most ${MAX_LOCAL_PART_LENGTH} characters`;
  }
  if (LOCAL_FORBIDDEN.test(local)) return `must not contain any of " & ' < > : in the local part`;
  if (domain.length === 0) return 'must have a domain after the @';
  const domainProblem = checkDomain(domain);
  if (domainProblem) return `must have a valid domain (the domain ${domainProblem})`;
  return undefined;
}

/** A string XML 1.0 can carry (no C0 controls but tab/LF/CR, no lone surrogates, no U+FFFE/U+FFFF). */
export function checkXmlSafe(value: unknown): string | undefined {
  const type = typeProblem(value);
  if (type) return type;
  if (hasNonXmlChar(value as string)) return 'must not contain control characters or other characters XML cannot carry';
  return undefined;
}

/**
 * An identifier that travels as an XML attribute (a thread id, a list name): 1..max characters,
 * XML-safe, no control characters (tab/CR/LF would come back as spaces, so it would not round-trip).
 */
export function checkIdentifier(value: unknown, max: number): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const length = [...(value as string)].length;
  if (length < 1 || length > max) return `must be 1 to ${max} characters long`;
  if (CONTROL.test(value as string)) return 'must not contain control characters';
  return undefined;
}

/** A roster group name: 1..128 characters, XML-safe, no comma (groups travel comma-joined upstream). */
export function checkGroupName(value: unknown): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const name = value as string;
  const length = codePoints(name);
  if (length < 1 || length > MAX_GROUP_NAME_LENGTH) return `must be 1 to ${MAX_GROUP_NAME_LENGTH} characters long`;
  if (name.includes(',')) return 'must not contain a comma';
  return undefined;
}

/**
 * Builds a class-validator decorator from a `check*` function. With `each: true` the message names
 * the first offending item by index (`groups.2 must not contain a comma`).
 */
export function fromCheck(name: string, check: (value: unknown) => string | undefined) {
  return (validationOptions?: ValidationOptions): PropertyDecorator =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown): boolean => check(value) === undefined,
          defaultMessage: (args?: ValidationArguments): string => {
            const property = args?.property ?? 'value';
            const value = args?.value;
            if (validationOptions?.each && (Array.isArray(value) || value instanceof Set)) {
              const items = [...(value as Iterable<unknown>)];
              const index = items.findIndex((item) => check(item) !== undefined);
              if (index >= 0) return `${property}.${index} ${check(items[index])}`;
            }
            return `${property} ${check(value) ?? 'is invalid'}`;
          },
        },
      },
      validationOptions,
    );
}

/** `local@domain`, no `/resource`, local ≤ 64, domain ≤ 253 with valid labels, total ≤ 320. */
export const IsBareJid = fromCheck('isBareJid', checkBareJid);
/** A domain name such as `conference.example.com`. */
export const IsDomainName = fromCheck('isDomainName', checkDomain);
/** A string without characters XML 1.0 cannot carry. Use on every free-text field. */
export const IsXmlSafe = fromCheck('isXmlSafe', checkXmlSafe);
/** A roster group name (1..128, XML-safe, no comma). Use with `{ each: true }` on `groups`. */
export const IsGroupName = fromCheck('isGroupName', checkGroupName);

/**
 * Like `@IsOptional()`, but only an absent property is skipped: an explicit `null` is validated
 * (and so rejected by the type check), so handlers see a value of the declared type or `undefined`.
 */
export function IsOptionalNonNull(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, validationOptions);
}

/** A JSON object: not null, not an array. */
export function checkJsonObject(value: unknown): string | undefined {
  if (value === undefined) return 'is required';
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be a JSON object';
}

const IsJsonObject = fromCheck('isObject', checkJsonObject);

/** `null` for an array, which class-validator would search for nested objects instead of refusing. */
const arrayAsNull = (value: unknown): unknown => (Array.isArray(value) ? null : value);

/**
 * A nested DTO, or with `each` an array of them, validated as `type`. Each value must be a JSON
 * object. On its own, `@ValidateNested` takes an array where an object belongs for a list of them
 * (`[[]]` or `[[{…}]]` would pass as items): such an array is handed to it as `null`, which it
 * reports as not an object, at the item's own path (`items.1`).
 */
export function IsNestedDto(type: () => new () => object, options: { each?: boolean } = {}): PropertyDecorator {
  const rules = options.each
    ? [
        ValidateNested({ each: true, message: (args) => `each item of ${args.property} must be a JSON object` }),
        Transform(({ value }) => (Array.isArray(value) ? value.map(arrayAsNull) : value)),
      ]
    : [
        IsJsonObject(),
        ValidateNested({ message: (args) => `${args.property} must be a JSON object` }),
        Transform(({ value }) => arrayAsNull(value)),
      ];
  return (target: object, property: string | symbol) => {
    for (const rule of [...rules, Type(type)]) rule(target, property);
  };
}
