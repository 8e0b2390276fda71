import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';
import { PrivacyListDto, SetPrivacyListDto } from './dto/privacy-list.dto';
import { PrivacyListNamePipe } from './privacy-list-name.pipe';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1/privacy-lists')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /** Reads a privacy list; `default` is the default list (empty when the user has none). */
  @Get(':name')
  @ApiResponse({
    status: 504,
    description: '`roster.TIMEOUT`: the list never arrived (the upstream sends nothing for a list that does not exist).',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  })
  get(@BearerToken() token: string, @Param('name', PrivacyListNamePipe) name: string): Promise<PrivacyListDto> {
    return this.privacy.getList(token, name);
  }

  /** Replaces a privacy list; `default` writes the default list. */
  @Put(':name')
  @HttpCode(204)
  set(
    @BearerToken() token: string,
    @Param('name', PrivacyListNamePipe) name: string,
    @Body() body: SetPrivacyListDto,
  ): Promise<void> {
    return this.privacy.setList(token, name, body.items);
  }
}
