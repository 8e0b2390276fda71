import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiInvalidParameters, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { CLIENT_ID_HEADER, CLIENT_ID_PATTERN, ClientId } from '../common/client-id.decorator';
import { SetIdleDto, SetPresenceDto } from './dto/presence.dto';
import { PresenceService } from './presence.service';

@ApiTags('presence')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/presence')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  /** Sets own presence; contacts and this token's event stream see the change. */
  @Put()
  @HttpCode(204)
  @ApiOperation({ summary: 'Set own presence' })
  @ApiBodyProblems()
  @ApiUpstream()
  set(@BearerToken() token: string, @Body() body: SetPresenceDto): Promise<void> {
    return this.presence.setPresence(token, body);
  }

  /**
   * Marks the calling client (its `X-Client-Id`, the same id its socket gave as `?clientId=`) idle or
   * back. The user shows as away only while every client of the token is idle.
   */
  @Put('idle')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark this client idle or back' })
  @ApiHeader({
    name: CLIENT_ID_HEADER,
    required: false,
    description: 'The client reporting; defaults to one shared REST client.',
    schema: { type: 'string', pattern: CLIENT_ID_PATTERN.source, example: 'phone' },
  })
  @ApiInvalidParameters(CLIENT_ID_HEADER)
  @ApiBodyProblems()
  @ApiUpstream()
  idle(@BearerToken() token: string, @ClientId() clientId: string, @Body() body: SetIdleDto): Promise<void> {
    return this.presence.setIdle(token, clientId, body.idle, body.idleSeconds);
  }
}
