import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { SetIdleDto, SetPresenceDto } from './dto/presence.dto';
import { PresenceService } from './presence.service';

@ApiTags('presence')
@ApiBearerAuth()
@Controller('v1/presence')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  /** Sets own presence; contacts and this token's event stream see the change. */
  @Put()
  @HttpCode(204)
  set(@BearerToken() token: string, @Body() body: SetPresenceDto): Promise<void> {
    return this.presence.setPresence(token, body);
  }

  /** Marks this session idle (the upstream shows the user away once every session is idle). */
  @Put('idle')
  @HttpCode(204)
  idle(@BearerToken() token: string, @Body() body: SetIdleDto): Promise<void> {
    return this.presence.setIdle(token, body.idle, body.idleSeconds);
  }
}
