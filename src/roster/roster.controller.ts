import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { BareJidPipe } from '../common/bare-jid.pipe';
import { problemResponse } from '../common/problem.dto';
import { AddContactDto, AnswerSubscriptionDto, ContactAddressDto, RosterDto, UpdateContactDto } from './dto/contact.dto';
import { RosterService } from './roster.service';

@ApiTags('roster')
@ApiBearerAuth()
@Controller('v1/roster')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  /** Own presence, contacts with their presence, pending requests and open chats. */
  @Get()
  get(@BearerToken() token: string): Promise<RosterDto> {
    return this.roster.getRoster(token);
  }

  /** Adds a contact and asks to see their presence. */
  @Post('contacts')
  add(@BearerToken() token: string, @Body() body: AddContactDto): Promise<ContactAddressDto> {
    return this.roster.addContact(token, body);
  }

  /** Renames or regroups a contact; 404 `not_found` when the address is not a contact (add it with POST). */
  @Put('contacts/:address')
  @problemResponse(404, '`not_found`: the address is not a contact.')
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
  remove(@BearerToken() token: string, @Param('address', BareJidPipe) address: string): Promise<void> {
    return this.roster.removeContact(token, address);
  }

  /** Answers someone's request to see our presence. */
  @Post('requests/:address')
  @HttpCode(204)
  answer(
    @BearerToken() token: string,
    @Param('address', BareJidPipe) address: string,
    @Body() body: AnswerSubscriptionDto,
  ): Promise<void> {
    return this.roster.answerRequest(token, { address, ...body, addToRoster: body.addToRoster ?? false });
  }
}
