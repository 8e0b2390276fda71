import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsXmlSafe } from '../../common/validators';
import type { Gateway, GatewayRegistration } from '../../im/gateways';

export const MAX_GATEWAY_NAME_LENGTH = 256;
export const MAX_GATEWAY_PASSWORD_LENGTH = 1024;

/** The states the upstream reports (§12.11); listed for documentation, others are passed through lower-cased. */
export const GATEWAY_STATES = ['trying_to_connect', 'online', 'bad_auth', 'disabled', 'intentionally_offline', 'shutdown', 'start'];

// ---- requests ----------------------------------------------------------------------------------

/** Body of `PUT /v1/gateways/{type}/registration`: the account on the remote network. */
export class RegisterGatewayDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_GATEWAY_NAME_LENGTH, example: 'alice_y' })
  @IsXmlSafe()
  @MaxLength(MAX_GATEWAY_NAME_LENGTH)
  @MinLength(1)
  @IsString()
  name: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_GATEWAY_PASSWORD_LENGTH, format: 'password', writeOnly: true })
  @IsXmlSafe()
  @MaxLength(MAX_GATEWAY_PASSWORD_LENGTH)
  @MinLength(1)
  @IsString()
  password: string;
}

// ---- responses ---------------------------------------------------------------------------------

export class GatewayRegistrationDto implements GatewayRegistration {
  /** The account name on the remote network. */
  @ApiProperty({ example: 'alice_y' })
  name: string;

  /** Connection state, lower case; progress is also pushed as `gatewayStatus` events. */
  @ApiProperty({ example: 'online', description: `One of ${GATEWAY_STATES.join(', ')}.` })
  state: string;

  /** Milliseconds until the next connect attempt, only while one is scheduled. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 30000 })
  reconnectInMs?: number;
}

/** One interop gateway of `GET /v1/gateways`. */
export class GatewayDto implements Gateway {
  /** The gateway's type, used in the gateway routes (`yahoo`, `msn` …). */
  @ApiProperty({ example: 'yahoo' })
  type: string;

  @ApiProperty({ example: 'yahoo.example.com' })
  domain: string;

  /** This account's registration, or null when it has none. */
  @ApiProperty({ type: () => GatewayRegistrationDto, nullable: true })
  registration: GatewayRegistrationDto | null;
}
