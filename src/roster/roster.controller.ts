import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiPathParameters, ApiProblem, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { BareJidPipe } from '../common/bare-jid.pipe';
import { AddContactDto, AnswerSubscriptionDto, ContactAddressDto, RosterDto, UpdateContactDto } from './dto/contact.dto';
import { RosterService } from './roster.service';

const ROSTER_TIMEOUT = '`roster.TIMEOUT`: the roster notification did not come within `ROSTER_TIMEOUT_MS`.';
const UNRESOLVED = (what: string) => ApiProblem(422, `\`im.INVALID_ADDRESS\`: the IM server cannot resolve ${what}.`);

@ApiTags('roster')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/roster')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  /** Own presence, contacts with their presence, pending requests and open chats. */
  @Get()
  @ApiOperation({ summary: 'Read the roster' })
  @ApiUpstream(ROSTER_TIMEOUT)
  get(@BearerToken() token: string): Promise<RosterDto> {
    return this.roster.getRoster(token);
  }

  /** Adds a contact and asks to see their presence. */
  @Post('contacts')
  @ApiOperation({ summary: 'Add a contact' })
  @ApiBodyProblems()
  @UNRESOLVED('the address')
  @ApiUpstream()
  add(@BearerToken() token: string, @Body() body: AddContactDto): Promise<ContactAddressDto> {
    return this.roster.addContact(token, body);
  }

  /** Renames or regroups a contact; 404 `not_found` when the address is not a contact (add it with POST). */
  @Put('contacts/:address')
  @ApiOperation({ summary: 'Rename or regroup a contact' })
  @ApiPathParameters('address')
  @ApiBodyProblems()
  @ApiProblem(404, '`not_found`: the address is not a contact.')
  @UNRESOLVED('the address')
  @ApiUpstream(ROSTER_TIMEOUT)
  update(
    @BearerToken() token: string,
    @Param('address', BareJidPipe) address: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactAddressDto> {
    return this.roster.updateContact(token, { address, ...body });
  }

  /**
   * Removes a contact and stops seeing its presence. It is gone from `GET /v1/roster` (until added
   * again), and a `contact` event with `removed: true` tells every client of this session.
   */
  @Delete('contacts/:address')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a contact' })
  @ApiPathParameters('address')
  @ApiBodyProblems()
  @UNRESOLVED('the address')
  @ApiUpstream()
  remove(@BearerToken() token: string, @Param('address', BareJidPipe) address: string): Promise<void> {
    return this.roster.removeContact(token, address);
  }

  /** Answers someone's request to see our presence. */
  @Post('requests/:address')
  @HttpCode(204)
  @ApiOperation({ summary: 'Answer a subscription request' })
  @ApiPathParameters('address')
  @ApiBodyProblems()
  @ApiUpstream()
  answer(
    @BearerToken() token: string,
    @Param('address', BareJidPipe) address: string,
    @Body() body: AnswerSubscriptionDto,
  ): Promise<void> {
    return this.roster.answerRequest(token, { address, ...body, addToRoster: body.addToRoster ?? false });
  }
}
