import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Max, Min, ValidateBy, ValidationArguments,
} from 'class-validator';
import { checkBareJid, checkDomain, IsNestedDto } from '../../common/validators';
import type { PrivacyItem } from '../../link/events';

export const MAX_PRIVACY_ITEMS = 1000;
/** The upstream reads `order` as a 32-bit int; larger values would wrap. */
export const MAX_PRIVACY_ORDER = 2 ** 31 - 1;
export const PRIVACY_ACTIONS = ['allow', 'deny'] as const;

/** A bare JID (`friend@spam.example`) or a bare domain (`spam.example`); never a `/resource`. */
export function checkPrivacyAddress(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  if (value.includes('/')) return 'must be a bare address or a domain, without a /resource';
  return value.includes('@') ? checkBareJid(value) : checkDomain(value);
}

function IsPrivacyAddress(): PropertyDecorator {
  return ValidateBy({
    name: 'isPrivacyAddress',
    validator: {
      validate: (value: unknown): boolean => checkPrivacyAddress(value) === undefined,
      defaultMessage: (args?: ValidationArguments): string => `${args?.property ?? 'address'} ${checkPrivacyAddress(args?.value) ?? 'is invalid'}`,
    },
  });
}

/**
 * Where an item sits in its list. Set (non-enumerable, so the whitelist never sees it) on each item
 * when the body is transformed, so the `order` check can look at the items before it and report the
 * duplicate at its own path (`items.3.order`).
 */
const POSITION = Symbol('privacyItemPosition');
type Positioned = { [POSITION]?: { list: unknown[]; index: number } };

function markPositions(value: unknown): unknown {
  // Anything but an array is dropped (not validated as an item), so only `items must be an array` is reported.
  if (!Array.isArray(value)) return undefined;
  value.forEach((item: unknown, index) => {
    if (item && typeof item === 'object') Object.defineProperty(item, POSITION, { value: { list: value, index }, enumerable: false });
  });
  return value;
}

/** The index of an earlier item with the same order, or -1. */
function earlierDuplicate(item: Positioned | undefined, order: unknown): number {
  const position = item?.[POSITION];
  if (!position || !Number.isInteger(order)) return -1;
  return position.list
    .slice(0, position.index)
    .findIndex((other) => !!other && typeof other === 'object' && (other as { order?: unknown }).order === order);
}

function IsUniqueOrder(): PropertyDecorator {
  return ValidateBy({
    name: 'isUniqueOrder',
    validator: {
      validate: (value: unknown, args?: ValidationArguments): boolean => earlierDuplicate(args?.object as Positioned, value) < 0,
      defaultMessage: (args?: ValidationArguments): string =>
        `${args?.property ?? 'order'} must be unique within the list (items.${earlierDuplicate(args?.object as Positioned, args?.value)} has the same order)`,
    },
  });
}

/** One rule of a privacy list; the lowest order that matches a sender decides. */
export class PrivacyItemDto implements PrivacyItem {
  /** Position of the rule: a unique positive integer, lower is checked first. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PRIVACY_ORDER, example: 1 })
  @IsUniqueOrder()
  @Max(MAX_PRIVACY_ORDER)
  @Min(1)
  @IsInt()
  order: number;

  @ApiProperty({ enum: PRIVACY_ACTIONS, example: 'deny' })
  @IsIn(PRIVACY_ACTIONS, { message: 'action must be allow or deny' })
  @IsString()
  action: 'allow' | 'deny';

  /** A bare address (`friend@spam.example`) or a whole domain (`spam.example`). */
  @ApiProperty({ example: 'spam.example' })
  @IsPrivacyAddress()
  address: string;
}

/** Body of `PUT /v1/privacy-lists/{name}`: replaces the whole list. */
export class SetPrivacyListDto {
  @ApiProperty({ type: () => [PrivacyItemDto], maxItems: MAX_PRIVACY_ITEMS, description: 'Orders must be unique positive integers.' })
  @Transform(({ value }) => markPositions(value))
  @IsNestedDto(() => PrivacyItemDto, { each: true })
  @ArrayMaxSize(MAX_PRIVACY_ITEMS)
  @IsArray()
  items: PrivacyItemDto[];
}

/** One rule of a privacy list as the IM server reports it (rules it reports unreadably are left out). */
export class PrivacyRuleDto implements PrivacyItem {
  /** Position of the rule, lower is checked first. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  order: number;

  @ApiProperty({ enum: PRIVACY_ACTIONS, example: 'deny' })
  action: 'allow' | 'deny';

  /** A bare address or a whole domain, as the IM server keeps it. */
  @ApiProperty({ example: 'spam.example' })
  address: string;
}

/** Result of `GET /v1/privacy-lists/{name}`. */
export class PrivacyListDto {
  /** The list's name; for `default`, the default list's real name (`default` when the user has none). */
  @ApiProperty({ example: 'default' })
  name: string;

  /** Ascending by order. */
  @ApiProperty({ type: () => [PrivacyRuleDto] })
  items: PrivacyRuleDto[];
}
