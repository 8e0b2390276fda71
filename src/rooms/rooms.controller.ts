import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { BareJidPipe, DomainNamePipe } from '../common/bare-jid.pipe';
import { problemResponse } from '../common/problem.dto';
import { ChatConfigurationDto, JoinResultDto, JoinRoomDto, NamedAddressDto } from './dto/rooms.dto';
import { OwnerFlag } from './route-params';
import { RoomsService } from './rooms.service';

export const OWNER_QUERY = { name: 'owner', required: false, enum: ['true', 'false'], description: 'Read the owner form (owners only).' };

/** The errors of the configuration reads (the `error=` values of the upstream's answer). */
export const ConfigurationProblems = (): MethodDecorator =>
  applyDecorators(
    problemResponse(403, '`not_allowed`: the owner form was asked for by someone who is not an owner.'),
    problemResponse(404, '`not_found` (unknown chat or room), `not_a_conference_room`.'),
    problemResponse(504, '`no_response_from_remote`: the room did not answer.'),
  );

@ApiTags('rooms')
@ApiBearerAuth()
@Controller('v1/conference-services')
export class ConferenceServicesController {
  constructor(private readonly rooms: RoomsService) {}

  /** The conference services of the account's domain. */
  @Get()
  list(@BearerToken() token: string): Promise<NamedAddressDto[]> {
    return this.rooms.listServices(token);
  }

  /** The public rooms of a service, e.g. `conference.example.com`. */
  @Get(':service/rooms')
  @problemResponse(404, '`im.NOT_A_CONFERENCE_SERVICE`.')
  listRooms(@BearerToken() token: string, @Param('service', DomainNamePipe) service: string): Promise<NamedAddressDto[]> {
    return this.rooms.listRooms(token, service);
  }
}

@ApiTags('rooms')
@ApiBearerAuth()
@Controller('v1/rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  /**
   * Enters a room, creating it (with this account as owner) when it does not exist. A new room stays
   * locked to others until its owner configures it (`PATCH /v1/chats/{thread}/configuration`).
   */
  @Post(':address/join')
  @HttpCode(200)
  @problemResponse(403, 'The room refused: `PasswordRequired`, `Banned`, `NotAllowed`, `NotAMember`.')
  @problemResponse(404, '`NoSuchRoom`.')
  @problemResponse(409, '`NicknameConflict`, `MustUseReservedRoomnick`, `MaxUsers`.')
  @problemResponse(504, '`no_response_from_remote`: the room did not answer the join.')
  join(@BearerToken() token: string, @Param('address', BareJidPipe) address: string, @Body() body: JoinRoomDto): Promise<JoinResultDto> {
    return this.rooms.join(token, { address, ...body });
  }

  /** A room's configuration by address, whether or not this account is in it. */
  @Get(':address/configuration')
  @ApiQuery(OWNER_QUERY)
  @ConfigurationProblems()
  configuration(
    @BearerToken() token: string,
    @Param('address', BareJidPipe) address: string,
    @OwnerFlag() owner: boolean,
  ): Promise<ChatConfigurationDto> {
    return this.rooms.configuration(token, { address }, owner);
  }
}
