import { Body, Controller, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ChatThreadPipe } from '../chats/thread.pipe';
import { ApiAuthenticated, ApiBodyProblems, ApiPathParameters, ApiProblem, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { ChatConfigurationDto, UpdateConfigurationDto } from './dto/rooms.dto';
import { ConfigurationRead } from './rooms.controller';
import { RoomsService } from './rooms.service';
import { OwnerFlag } from './route-params';

/** The configuration routes under `/v1/chats/{thread}` (the chat routes themselves live elsewhere). */
@ApiTags('chats')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/chats')
export class ChatConfigurationController {
  constructor(private readonly rooms: RoomsService) {}

  /** A chat's configuration: typed room settings, or `conference: false` for a 1:1 chat. */
  @Get(':thread/configuration')
  @ApiOperation({ summary: 'Read a chat\'s configuration' })
  @ConfigurationRead('thread')
  get(
    @BearerToken() token: string,
    @Param('thread', ChatThreadPipe) thread: string,
    @OwnerFlag() owner: boolean,
  ): Promise<ChatConfigurationDto> {
    return this.rooms.configuration(token, { thread }, owner);
  }

  /**
   * Changes room settings (owners only); a 1:1 chat is a 409 `im.NOT_A_MUC_CHAT`. The `settings` of
   * a configuration read may be sent back as they are: read-only settings are ignored, and so are
   * empty values (the IM server cannot clear a setting).
   */
  @Patch(':thread/configuration')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change a room\'s settings' })
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(403, '`im.NOT_ALLOWED`: only an owner inside the room may configure it.')
  @ApiProblem(404, '`not_found`: no such chat.')
  @ApiProblem(409, '`im.NOT_A_MUC_CHAT`: a 1:1 chat has no room to configure.')
  @ApiUpstream('`im.NO_RESPONSE`: the room did not answer.')
  update(@BearerToken() token: string, @Param('thread', ChatThreadPipe) thread: string, @Body() body: UpdateConfigurationDto): Promise<void> {
    return this.rooms.configure(token, thread, body.settings);
  }
}
