import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiPathParameters, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { PrivacyListDto, SetPrivacyListDto } from './dto/privacy-list.dto';
import { PrivacyListNamePipe } from './privacy-list-name.pipe';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/privacy-lists')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /** Reads a privacy list; `default` is the default list (empty when the user has none). */
  @Get(':name')
  @ApiOperation({ summary: 'Read a privacy list' })
  @ApiPathParameters('name')
  @ApiUpstream('`roster.TIMEOUT`: the list never arrived (the IM server sends nothing for a list that does not exist).')
  get(@BearerToken() token: string, @Param('name', PrivacyListNamePipe) name: string): Promise<PrivacyListDto> {
    return this.privacy.getList(token, name);
  }

  /** Replaces a privacy list; `default` writes the default list. */
  @Put(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Replace a privacy list' })
  @ApiPathParameters('name')
  @ApiBodyProblems()
  @ApiUpstream()
  set(
    @BearerToken() token: string,
    @Param('name', PrivacyListNamePipe) name: string,
    @Body() body: SetPrivacyListDto,
  ): Promise<void> {
    return this.privacy.setList(token, name, body.items);
  }
}
