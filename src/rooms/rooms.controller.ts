import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiQueryOptions, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiInvalidParameters, ApiPathParameters, ApiProblem, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { BareJidPipe, DomainNamePipe } from '../common/bare-jid.pipe';
import { Idempotent } from '../idempotency/idempotent';
import { ChatConfigurationDto, JoinResultDto, JoinRoomDto, NamedAddressDto } from './dto/rooms.dto';
import { OwnerFlag } from './route-params';
import { RoomsService } from './rooms.service';

/** `?owner=`: exactly `true` or `false` (see OwnerFlag); absent is false. */
export const OWNER_QUERY: ApiQueryOptions = {
  name: 'owner',
  required: false,
  schema: { type: 'boolean' },
  description: 'Read the owner form (owners only): `true` or `false`; absent is `false`.',
};

/** A configuration read: the owner flag, and the errors of the upstream's answer (its `error=` values). */
export const ConfigurationRead = (target: string): MethodDecorator =>
  applyDecorators(
    ApiQuery(OWNER_QUERY),
    ApiPathParameters(target),
    ApiInvalidParameters('owner'),
    ApiProblem(403, '`not_allowed`: the owner form was asked for by someone who is not an owner.'),
    ApiProblem(404, '`not_found` (unknown chat or room), `not_a_conference_room`.'),
    ApiUpstream('`no_response_from_remote`: the room did not answer.'),
  );

@ApiTags('rooms')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/conference-services')
export class ConferenceServicesController {
  constructor(private readonly rooms: RoomsService) {}

  /** The conference services of the account's domain. */
  @Get()
  @ApiOperation({ summary: 'List conference services' })
  @ApiUpstream()
  list(@BearerToken() token: string): Promise<NamedAddressDto[]> {
    return this.rooms.listServices(token);
  }

  /** The public rooms of a service, e.g. `conference.example.com`. */
  @Get(':service/rooms')
  @ApiOperation({ summary: 'List the public rooms of a conference service' })
  @ApiPathParameters('service')
  @ApiProblem(404, '`im.NOT_A_CONFERENCE_SERVICE`.')
  @ApiUpstream('`im.NO_RESPONSE`: the service did not answer.')
  listRooms(@BearerToken() token: string, @Param('service', DomainNamePipe) service: string): Promise<NamedAddressDto[]> {
    return this.rooms.listRooms(token, service);
  }
}

@ApiTags('rooms')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  /**
   * Enters a room, creating it (with this account as owner) when it does not exist. A new room stays
   * locked to others until its owner configures it (`PATCH /v1/chats/{thread}/configuration`).
   */
  @Post(':address/join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join or create a room' })
  @ApiPathParameters('address')
  @ApiBodyProblems()
  @ApiProblem(403, 'The room refused: `PasswordRequired`, `Banned`, `NotAllowed`, `NotAMember`.')
  @ApiProblem(404, '`NoSuchRoom`.')
  @ApiProblem(409, '`NicknameConflict`, `MustUseReservedRoomnick`, `MaxUsers`.')
  @ApiUpstream('`no_response_from_remote`: the room did not answer the join.')
  @Idempotent()
  join(@BearerToken() token: string, @Param('address', BareJidPipe) address: string, @Body() body: JoinRoomDto): Promise<JoinResultDto> {
    return this.rooms.join(token, { address, ...body });
  }

  /** A room's configuration by address, whether or not this account is in it. */
  @Get(':address/configuration')
  @ApiOperation({ summary: 'Read a room\'s configuration' })
  @ConfigurationRead('address')
  configuration(
    @BearerToken() token: string,
    @Param('address', BareJidPipe) address: string,
    @OwnerFlag() owner: boolean,
  ): Promise<ChatConfigurationDto> {
    return this.rooms.configuration(token, { address }, owner);
  }
}
