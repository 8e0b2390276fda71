import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiParamOptions, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BearerToken } from '../auth/bearer-token.decorator';
import { ApiAuthenticated, ApiBodyProblems, ApiInvalidParameters, ApiPathParameters, ApiProblem, ApiRateLimited, ApiUpstream } from '../common/api-responses';
import { Idempotent } from '../idempotency/idempotent';
import { ChatsService } from './chats.service';
import { ChatDto, ChatListItemDto, CreateChatDto, InvitationDto, PostMessageDto, ReadMarkerDto, SentMessageDto, TypingDto } from './dto/chat.dto';
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT } from './history-page';
import { ChatThreadPipe, HistoryLimitPipe, MAX_CHAT_THREAD_LENGTH, SeqQueryPipe } from './thread.pipe';

const THREAD_PARAM: ApiParamOptions = {
  name: 'thread',
  description: 'The chat\'s thread id (percent-encoded), as in events and `GET /v1/chats`.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_CHAT_THREAD_LENGTH, example: 'chat-alice%example.com-0' },
};

const NO_SUCH_CHAT = '`not_found`: no open chat with that thread.';
const NO_ECHO = '`message.NO_ECHO`: the IM server did not echo the message within `ROSTER_TIMEOUT_MS` (it may still have gone out).';

/**
 * 1:1 chats (and sending into any chat). Sends answer with the real thread and seq from the upstream's
 * echo; when it does not come in time: 504 `message.NO_ECHO` (the message may still have gone out).
 */
@ApiTags('chats')
@ApiAuthenticated()
@ApiRateLimited()
@Controller('v1/chats')
export class ChatsController {
  constructor(private readonly chats: ChatsService) {}

  /**
   * Open chats, their participants (nicknames in rooms), each one's newest message and how many
   * messages from others came after the reader's marker (`PUT /v1/chats/{thread}/read`).
   */
  @Get()
  @ApiOperation({ summary: 'List open chats with their last message and unread count' })
  @ApiUpstream()
  list(@BearerToken() token: string): Promise<ChatListItemDto[]> {
    return this.chats.list(token);
  }

  /** Starts a 1:1 chat (or continues the open one with that partner) with a first message. */
  @Post()
  @ApiOperation({ summary: 'Start a chat with a first message' })
  @ApiBodyProblems()
  @ApiUpstream(NO_ECHO)
  @Idempotent('`im.INVALID_ADDRESS`: the IM server cannot resolve `to`.')
  start(@BearerToken() token: string, @Body() body: CreateChatDto): Promise<SentMessageDto> {
    return this.chats.start(token, body.to, { text: body.text, html: body.html });
  }

  /**
   * A chat's participants and one page of its history, oldest first; 404 `not_found` for an unknown
   * thread. With `after`, the oldest `limit` messages newer than it (and older than `before`, if
   * given); otherwise the newest `limit` messages older than `before`, or the newest of all.
   * `hasMore` says whether more lie beyond the page in that direction: page back with `before` = the
   * smallest non-zero seq received, forward with `after` = the largest. `limit` counts numbered
   * messages; an unnumbered one (seq 0, `SYSTEM`) comes with the numbered message after it.
   */
  @Get(':thread')
  @ApiOperation({ summary: 'Read a chat and a page of its history' })
  @ApiParam(THREAD_PARAM)
  @ApiQuery({ name: 'after', required: false, schema: { type: 'integer', minimum: 0 }, description: 'Only messages with a greater seq; the page is the oldest of them (0 = from the start).' })
  @ApiQuery({ name: 'before', required: false, schema: { type: 'integer', minimum: 0 }, description: 'Only messages with a smaller seq; without `after`, the page is the newest of them.' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_HISTORY_LIMIT, default: DEFAULT_HISTORY_LIMIT },
    description: `How many messages, 1..${MAX_HISTORY_LIMIT} (default ${DEFAULT_HISTORY_LIMIT}).`,
  })
  @ApiPathParameters('thread')
  @ApiInvalidParameters('after', 'before', 'limit')
  @ApiProblem(404, NO_SUCH_CHAT)
  @ApiUpstream()
  get(
    @BearerToken() token: string,
    @Param('thread', ChatThreadPipe) thread: string,
    @Query('after', SeqQueryPipe) after: number | undefined,
    @Query('before', SeqQueryPipe) before: number | undefined,
    @Query('limit', HistoryLimitPipe) limit: number,
  ): Promise<ChatDto> {
    return this.chats.get(token, thread, { after, before, limit });
  }

  /**
   * Sends a message. The answer's `thread` is the real one: if the thread was closed meanwhile, the
   * IM server starts a new chat. 409 `chat.ADDRESS_UNKNOWN` when the thread's room address is unknown
   * and `to` is absent.
   */
  @Post(':thread/messages')
  @ApiOperation({ summary: 'Send a message into a chat' })
  @ApiParam(THREAD_PARAM)
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(403, 'The room refused the message: `forbidden`, `not_allowed`, `not_acceptable`, `not_authorized`.')
  @ApiProblem(404, `${NO_SUCH_CHAT} \`item_not_found\`: the recipient does not exist.`)
  @ApiProblem(409, '`chat.ADDRESS_UNKNOWN`: the address of the thread (a room this session has not joined) is not known and `to` is absent.')
  @ApiProblem(502, 'Any other condition the room refused the message with, as the code.')
  @ApiUpstream(`${NO_ECHO} \`remote_server_timeout\`: the room did not answer.`)
  @Idempotent('`im.INVALID_ADDRESS`: the IM server cannot resolve `to`.')
  post(
    @BearerToken() token: string,
    @Param('thread', ChatThreadPipe) thread: string,
    @Body() body: PostMessageDto,
  ): Promise<SentMessageDto> {
    return this.chats.post(token, thread, body);
  }

  /** Typing started or stopped; the other side gets a `typing` event. */
  @Put(':thread/typing')
  @ApiOperation({ summary: 'Say typing started or stopped' })
  @ApiParam(THREAD_PARAM)
  @HttpCode(204)
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(404, NO_SUCH_CHAT)
  @ApiProblem(409, '`chat.ADDRESS_UNKNOWN`: the address of the thread (a room this session has not joined) is not known.')
  @ApiUpstream()
  typing(@BearerToken() token: string, @Param('thread', ChatThreadPipe) thread: string, @Body() body: TypingDto): Promise<void> {
    return this.chats.typing(token, thread, body.typing);
  }

  /**
   * Marks the chat read up to `seq` for this token (the IM server keeps no read state; the marker is
   * the proxy's): later messages from others count as unread in `GET /v1/chats`.
   */
  @Put(':thread/read')
  @ApiOperation({ summary: 'Mark a chat read up to a message' })
  @ApiParam(THREAD_PARAM)
  @HttpCode(204)
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(404, NO_SUCH_CHAT)
  @ApiUpstream()
  read(@BearerToken() token: string, @Param('thread', ChatThreadPipe) thread: string, @Body() body: ReadMarkerDto): Promise<void> {
    return this.chats.markRead(token, thread, body.seq);
  }

  /** Closes the chat (leaves the room); a `chatClosed` event follows. */
  @Delete(':thread')
  @ApiOperation({ summary: 'Close a chat' })
  @ApiParam(THREAD_PARAM)
  @HttpCode(204)
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(404, NO_SUCH_CHAT)
  @ApiUpstream()
  close(@BearerToken() token: string, @Param('thread', ChatThreadPipe) thread: string): Promise<void> {
    return this.chats.close(token, thread);
  }

  /** Invites someone; a 1:1 chat becomes a room first (same thread). The invitee gets an `invitation` event. */
  @Post(':thread/invitations')
  @ApiOperation({ summary: 'Invite someone into a chat' })
  @ApiParam(THREAD_PARAM)
  @HttpCode(204)
  @ApiPathParameters('thread')
  @ApiBodyProblems()
  @ApiProblem(404, NO_SUCH_CHAT)
  @ApiUpstream()
  @Idempotent()
  invite(@BearerToken() token: string, @Param('thread', ChatThreadPipe) thread: string, @Body() body: InvitationDto): Promise<void> {
    return this.chats.invite(token, thread, body.address, body.message);
  }
}
