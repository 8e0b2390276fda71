import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { IsNestedDto, IsOptionalNonNull, IsXmlSafe } from '../../common/validators';
import type { ChatConfiguration } from '../../im/chat-configuration';
import type { JoinResult, NamedAddress } from '../../im/rooms';
import { checkChatThread, MAX_CHAT_THREAD_LENGTH } from '../../chats/thread.pipe';
import { RoomSettingsDto, UpdateRoomSettingsDto } from './room-settings.dto';

export const MAX_NICKNAME_LENGTH = 256;
export const MAX_ROOM_PASSWORD_LENGTH = 1024;

/** No C0/C1 controls: these travel as XML attributes, which would turn tab/CR/LF into spaces. */
const NO_CONTROLS = /^\P{Cc}*$/u;

/** A thread id in a body, same rules as `{thread}` in a path. */
function IsThreadId(): PropertyDecorator {
  return ValidateBy({
    name: 'isThreadId',
    validator: {
      validate: (value: unknown) => checkChatThread(value) === undefined,
      defaultMessage: (args) => `${args?.property ?? 'thread'} ${checkChatThread(args?.value) ?? 'is invalid'}`,
    },
  });
}

// ---- requests ----------------------------------------------------------------------------------

/** Body of `POST /v1/rooms/{address}/join`; may be empty. */
export class JoinRoomDto {
  /** Nickname in the room; defaults to the local part of the account's address. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_NICKNAME_LENGTH, example: 'alice' })
  @IsOptionalNonNull()
  @Matches(/\S/, { message: 'nickname must not be blank' })
  @Matches(NO_CONTROLS, { message: 'nickname must not contain control characters' })
  @IsXmlSafe()
  @MaxLength(MAX_NICKNAME_LENGTH)
  @MinLength(1)
  @IsString()
  nickname?: string;

  /** The room's password, for a password-protected room. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_ROOM_PASSWORD_LENGTH, format: 'password' })
  @IsOptionalNonNull()
  @Matches(NO_CONTROLS, { message: 'password must not contain control characters' })
  @IsXmlSafe()
  @MaxLength(MAX_ROOM_PASSWORD_LENGTH)
  @MinLength(1)
  @IsString()
  password?: string;

  /** Join into this chat, e.g. an invitation's thread; by default the room's local part. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_CHAT_THREAD_LENGTH, example: 'myroom' })
  @IsOptionalNonNull()
  @IsThreadId()
  @IsString()
  thread?: string;
}

/** Body of `PATCH /v1/chats/{thread}/configuration`. */
export class UpdateConfigurationDto {
  /**
   * The settings to change; the others stay as they are. `{}` submits the room's form unchanged.
   * The `settings` of a configuration read may be sent back as they are.
   */
  @ApiProperty({ type: () => UpdateRoomSettingsDto })
  @IsNestedDto(() => UpdateRoomSettingsDto)
  settings: UpdateRoomSettingsDto;
}

// ---- responses ---------------------------------------------------------------------------------

/** A conference service or a room. */
export class NamedAddressDto implements NamedAddress {
  @ApiProperty({ example: 'Public Chatrooms' })
  name: string;

  @ApiProperty({ example: 'conference.example.com' })
  address: string;
}

/** Result of `POST /v1/rooms/{address}/join`. */
export class JoinResultDto implements JoinResult {
  /** The room's chat: send to it, read it and leave it through `/v1/chats/{thread}`. */
  @ApiProperty({ example: 'myroom' })
  thread: string;

  /** The room did not exist and this join created it (the upstream's `NewRoomCreated`). */
  @ApiProperty()
  created: boolean;

  /** The upstream's MUC status names, in the order sent. */
  @ApiProperty({ type: [String], example: ['OccupantPresence', 'NewRoomCreated'] })
  statuses: string[];
}

export class ConfigurationRoomDto {
  @ApiProperty({ example: 'myroom@conference.example.com' })
  address: string;

  /** These are the owner form's settings (asked for with `?owner=true`). */
  @ApiProperty()
  owner: boolean;
}

/** Result of the configuration reads. */
export class ChatConfigurationDto implements ChatConfiguration {
  /** The chat; null when a room was read by address without a chat of this account. */
  @ApiProperty({ type: String, nullable: true, example: 'myroom' })
  thread: string | null;

  /** A conference room; false for a 1:1 chat, which has no settings. */
  @ApiProperty()
  conference: boolean;

  @ApiPropertyOptional({ type: () => ConfigurationRoomDto })
  room?: ConfigurationRoomDto;

  /** What the server reported, typed; settings it did not report are absent. */
  @ApiProperty({ type: () => RoomSettingsDto })
  settings: RoomSettingsDto;
}
