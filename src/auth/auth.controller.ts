import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBodyProblems, ApiProblem, ApiPublic, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { AuthService } from './auth.service';
import { BearerToken } from './bearer-token.decorator';
import { CreateSessionDto } from './dto/create-session.dto';
import { SessionDto } from './dto/session.dto';

@ApiTags('sessions')
@ApiRateLimited()
@Controller('v1/sessions')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Logs in upstream; the token is the upstream auth token, passed through. */
  @Post()
  @ApiOperation({ summary: 'Log in' })
  @ApiPublic()
  @ApiBodyProblems()
  @ApiProblem(401, '`account.AUTH_FAILED`: unknown account or wrong password.')
  @ApiUpstream()
  create(@Body() body: CreateSessionDto): Promise<SessionDto> {
    return this.auth.login(body.account, body.password);
  }

  /** Ends the upstream session; the token is refused afterwards. */
  @Delete('current')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out' })
  @ApiAuthenticated()
  @ApiBodyProblems()
  @ApiUpstream()
  remove(@BearerToken() token: string): Promise<void> {
    return this.auth.logout(token);
  }
}
