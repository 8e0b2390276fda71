import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, MaxLength } from 'class-validator';
import { IsBareJid, IsGroupName, IsOptionalNonNull, IsXmlSafe, MAX_GROUP_NAME_LENGTH } from '../../common/validators';
import { Contact, Presence, SHOWS, Show } from '../../link/events';

export const MAX_CONTACT_NAME_LENGTH = 256;
export const MAX_GROUPS = 64;

const NAME_PROPERTY: ApiPropertyOptions = { maxLength: MAX_CONTACT_NAME_LENGTH, example: 'Bob' };
const GROUPS_PROPERTY: ApiPropertyOptions = {
  type: [String],
  maxItems: MAX_GROUPS,
  example: ['Friends'],
  description: `Group names, 1..${MAX_GROUP_NAME_LENGTH} characters each, no commas.`,
};

// ---- requests ----------------------------------------------------------------------------------

/** Body of `PUT /v1/roster/contacts/{address}`. Omitted fields are left as they are. */
export class UpdateContactDto {
  /** Display name. */
  @ApiPropertyOptional(NAME_PROPERTY)
  @IsOptionalNonNull()
  @IsXmlSafe()
  @MaxLength(MAX_CONTACT_NAME_LENGTH)
  @IsString()
  name?: string;

  @ApiPropertyOptional(GROUPS_PROPERTY)
  @IsOptionalNonNull()
  @IsGroupName({ each: true })
  @ArrayMaxSize(MAX_GROUPS)
  @IsArray()
  groups?: string[];
}

/** Body of `POST /v1/roster/contacts`. */
export class AddContactDto extends UpdateContactDto {
  /** The contact's bare address. */
  @ApiProperty({ example: 'bob@example.com' })
  @IsBareJid()
  address: string;
}

/** Body of `POST /v1/roster/requests/{address}`: answers a subscription request. */
export class AnswerSubscriptionDto extends UpdateContactDto {
  /** Whether the requester may see this account's presence. */
  @ApiProperty({ example: true })
  @IsBoolean()
  authorize: boolean;

  /** Also add the requester to this roster; absent is false. */
  // No schema `default` here: generated clients (openapi-typescript) would type the field as required.
  @ApiPropertyOptional({ example: true })
  @IsOptionalNonNull()
  @IsBoolean()
  addToRoster?: boolean;
}

// ---- responses ---------------------------------------------------------------------------------

export class PresenceDto implements Presence {
  @ApiProperty({ enum: SHOWS, example: 'online' })
  show: Show;

  @ApiPropertyOptional({ example: 'In a meeting' })
  status?: string;
}

export class ContactDto implements Contact {
  @ApiProperty({ example: 'bob@example.com' })
  address: string;

  @ApiPropertyOptional({ example: 'Bob' })
  name?: string;

  @ApiProperty({ type: [String], example: ['Friends'] })
  groups: string[];

  /** `to`: this account sees the contact's presence; `none`: not (yet). */
  @ApiProperty({ enum: ['to', 'none'] })
  subscription: 'to' | 'none';

  /** A subscription request to the contact is awaiting an answer. */
  @ApiProperty()
  pending: boolean;

  /** The contact's last known presence, when one is known. */
  @ApiPropertyOptional({ type: () => PresenceDto })
  presence?: PresenceDto;
}

export class ContactAddressDto {
  @ApiProperty({ example: 'bob@example.com' })
  address: string;
}

export class ChatSummaryDto {
  @ApiProperty()
  thread: string;

  @ApiProperty({ type: () => [ContactAddressDto] })
  participants: ContactAddressDto[];
}

/** Result of `GET /v1/roster`. */
export class RosterDto {
  /** This account's own presence. */
  @ApiProperty({ type: () => PresenceDto })
  presence: PresenceDto;

  @ApiProperty({ type: () => [ContactDto] })
  contacts: ContactDto[];

  /** Addresses asking to see this account's presence. */
  @ApiProperty({ type: [String], example: ['carol@example.com'] })
  requests: string[];

  @ApiProperty({ type: () => [ChatSummaryDto] })
  chats: ChatSummaryDto[];
}
