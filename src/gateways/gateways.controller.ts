import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';
import { GatewayDto, RegisterGatewayDto } from './dto/gateway.dto';
import { GatewayTypePipe } from './gateway-type.pipe';
import { GatewaysService } from './gateways.service';

const problem = (status: number, description: string): MethodDecorator =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } } });
const UNKNOWN_TYPE = problem(404, '`not_found`: the upstream offers no gateway of that type to this account.');

@ApiTags('gateways')
@ApiBearerAuth()
@Controller('v1/gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  /** The interop gateways (Yahoo, MSN …) offered to this account, with its registration on each. */
  @Get()
  list(@BearerToken() token: string): Promise<GatewayDto[]> {
    return this.gateways.list(token);
  }

  /** Registers the account on the remote network; the connection's progress arrives as `gatewayStatus` events. */
  @Put(':type/registration')
  @HttpCode(204)
  @UNKNOWN_TYPE
  register(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string, @Body() body: RegisterGatewayDto): Promise<void> {
    return this.gateways.register(token, type, body);
  }

  /** Removes the registration; removing one that does not exist succeeds too. */
  @Delete(':type/registration')
  @HttpCode(204)
  @UNKNOWN_TYPE
  unregister(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string): Promise<void> {
    return this.gateways.unregister(token, type);
  }

  /** Connects again now, re-enabling a registration that was disabled (e.g. after a login elsewhere). */
  @Post(':type/reconnect')
  @HttpCode(204)
  @UNKNOWN_TYPE
  @problem(409, '`conflict`: there is no registration to reconnect.')
  reconnect(@BearerToken() token: string, @Param('type', GatewayTypePipe) type: string): Promise<void> {
    return this.gateways.reconnect(token, type);
  }
}
