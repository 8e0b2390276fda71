import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNonNull, IsXmlSafe } from '../../common/validators';
import { SHOWS, Show } from '../../link/events';

export const MAX_STATUS_LENGTH = 1024;
export const MAX_IDLE_SECONDS = 2 ** 31 - 1;
/** BCP-47-ish: a 2..8 letter primary subtag, then alphanumeric subtags of 1..8. */
export const LANG_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Body of `PUT /v1/presence`. */
export class SetPresenceDto {
  @ApiProperty({ enum: SHOWS, example: 'away' })
  @IsIn(SHOWS, { message: `show must be one of ${SHOWS.join(', ')}` })
  show: Show;

  /** Free-text status message. */
  @ApiPropertyOptional({ maxLength: MAX_STATUS_LENGTH, example: 'In a meeting' })
  @IsOptionalNonNull()
  @IsXmlSafe()
  @MaxLength(MAX_STATUS_LENGTH)
  @IsString()
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 255 })
  @IsOptionalNonNull()
  @Max(255)
  @Min(0)
  @IsInt()
  priority?: number;

  /** Language of `status`, a BCP 47 tag such as `en` or `pt-BR`. */
  @ApiPropertyOptional({ maxLength: 35, example: 'en' })
  @IsOptionalNonNull()
  @Matches(LANG_TAG, { message: 'lang must be a language tag such as en or pt-BR' })
  @MaxLength(35)
  @IsString()
  lang?: string;
}

/** Body of `PUT /v1/presence/idle`. */
export class SetIdleDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  idle: boolean;

  /** How long the user has been idle, in seconds. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_IDLE_SECONDS, example: 300 })
  @Max(MAX_IDLE_SECONDS)
  @Min(0)
  @IsInt()
  idleSeconds: number;
}
