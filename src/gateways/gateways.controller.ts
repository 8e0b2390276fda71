import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiPathParameters, ApiProblem, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { GatewayDto, RegisterGatewayDto } from './dto/gateway.dto';
import { GatewayTypePipe } from './gateway-type.pipe';
import { GatewaysService } from './gateways.service';

const UNKNOWN_TYPE = ApiProblem(404, '`not_found`: the IM server offers no gateway of that type to this account.');

@ApiTags('gateways')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  /** The interop gateways (Yahoo, MSN …) offered to this account, with its registration on each. */
  @Get()
  @ApiOperation({ summary: 'List gateways and registrations' })
  @ApiUpstream()
  list(@BearerToken() token: string): Promise<GatewayDto[]> {
    return this.gateways.list(token);
  }

  /** Registers the account on the remote network; the connection's progress arrives as `gatewayStatus` events. */
  @Put(':type/registration')
  @HttpCode(204)
  @ApiOperation({ summary: 'Register on a gateway' })
  @ApiPathParameters('type')
  @ApiBodyProblems()
  @UNKNOWN_TYPE
  @ApiUpstream()
  register(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string, @Body() body: RegisterGatewayDto): Promise<void> {
    return this.gateways.register(token, type, body);
  }

  /** Removes the registration; removing one that does not exist succeeds too. */
  @Delete(':type/registration')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a gateway registration' })
  @ApiPathParameters('type')
  @ApiBodyProblems()
  @UNKNOWN_TYPE
  @ApiUpstream()
  unregister(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string): Promise<void> {
    return this.gateways.unregister(token, type);
  }

  /** Connects again now, re-enabling a registration that was disabled (e.g. after a login elsewhere). */
  @Post(':type/reconnect')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reconnect a gateway registration' })
  @ApiPathParameters('type')
  @ApiBodyProblems()
  @UNKNOWN_TYPE
  @ApiProblem(409, '`conflict`: there is no registration to reconnect.')
  @ApiUpstream()
  reconnect(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string): Promise<void> {
    return this.gateways.reconnect(token, type);
  }
}
