import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { GatewayDto, RegisterGatewayDto } from './dto/gateway.dto';
import { GatewaysService } from './gateways.service';

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
  register(@BearerToken() token: string, @Param('type') type: string, @Body() body: RegisterGatewayDto): Promise<void> {
    return this.gateways.register(token, type, body);
  }

  @Delete(':type/registration')
  @HttpCode(204)
  unregister(@BearerToken() token: string, @Param('type') type: string): Promise<void> {
    return this.gateways.unregister(token, type);
  }

  /** Connects again now, re-enabling a registration that was disabled (e.g. after a login elsewhere). */
  @Post(':type/reconnect')
  @HttpCode(204)
  reconnect(@BearerToken() token: string, @Param('type') type: string): Promise<void> {
    return this.gateways.reconnect(token, type);
  }
}
