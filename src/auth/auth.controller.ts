import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { BearerToken } from './bearer-token.decorator';
import { CreateSessionDto } from './dto/create-session.dto';
import { SessionDto } from './dto/session.dto';

@ApiTags('sessions')
@Controller('v1/sessions')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Logs in upstream; the token is the upstream auth token, passed through. */
  @Post()
  create(@Body() body: CreateSessionDto): Promise<SessionDto> {
    return this.auth.login(body.account, body.password);
  }

  /** Ends the upstream session; the token is refused afterwards. */
  @Delete('current')
  @HttpCode(204)
  @ApiBearerAuth()
  remove(@BearerToken() token: string): Promise<void> {
    return this.auth.logout(token);
  }
}
