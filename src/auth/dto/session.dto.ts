import { ApiProperty } from '@nestjs/swagger';

/** Result of `POST /v1/sessions`. */
export class SessionDto {
  /** The bearer token for every other route (the upstream auth token, passed through). */
  @ApiProperty()
  token: string;

  /** The account's bare address, as the upstream knows it. */
  @ApiProperty({ example: 'alice@example.com' })
  account: string;

  /** When the token expires (ISO-8601 UTC). */
  @ApiProperty({ format: 'date-time', example: '2030-01-01T12:00:00.000Z' })
  expiresAt: string;
}
