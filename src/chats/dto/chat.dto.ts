import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBareJid, IsOptionalNonNull, IsXmlSafe, checkXmlSafe, fromCheck } from '../../common/validators';
import type { HistoryMessage } from '../../im/chats';
import { prepareXhtml } from '../../im/xhtml';
import type { Participant } from '../../link/events';
import { ContactAddressDto } from '../../roster/dto/contact.dto';

export const MAX_MESSAGE_TEXT_LENGTH = 10_000;
export const MAX_MESSAGE_HTML_LENGTH = 30_000;
export const MAX_INVITATION_MESSAGE_LENGTH = 1_024;

/**
 * Texts the upstream takes as a command instead of a message (§12.5): they would never be sent nor
 * echoed. `/block` is left out on purpose: the upstream still sends its text.
 */
const UPSTREAM_COMMAND = /^\/(?:add|join|info|join_group|leave_group)(?:\s|$)/i;

function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** A message's plain text: XML-safe, not blank, at most 10 000 characters, not an upstream command. */
export function checkMessageText(value: unknown): string | undefined {
  const xml = checkXmlSafe(value);
  if (xml) return xml;
  const text = value as string;
  if (text.trim() === '') return 'must not be empty or blank';
  if (codePoints(text) > MAX_MESSAGE_TEXT_LENGTH) return `must be at most ${MAX_MESSAGE_TEXT_LENGTH} characters long`;
  if (UPSTREAM_COMMAND.test(text)) {
    return 'must not start with /add, /join, /info, /join_group or /leave_group (the IM server would run it as a command and not send it)';
  }
  return undefined;
}

/** A message's XHTML fragment (see prepareXhtml): well-formed, known entities only, at most 30 000 characters. */
export function checkMessageHtml(value: unknown): string | undefined {
  if (typeof value !== 'string') return value === undefined || value === null ? 'is required' : 'must be a string';
  if (codePoints(value) > MAX_MESSAGE_HTML_LENGTH) return `must be at most ${MAX_MESSAGE_HTML_LENGTH} characters long`;
  const check = prepareXhtml(value);
  return check.ok ? undefined : check.problem;
}

const IsMessageText = fromCheck('isMessageText', checkMessageText);
const IsMessageHtml = fromCheck('isMessageHtml', checkMessageHtml);

// ---- requests ----------------------------------------------------------------------------------

/** Body of `POST /v1/chats/{thread}/messages`. */
export class PostMessageDto {
  /** Plain text of the message (also what clients without HTML show). */
  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_TEXT_LENGTH, example: 'See you at 5 & not later' })
  @IsMessageText()
  @IsString()
  text: string;

  /**
   * The same message as an XHTML fragment (`<b>bold</b> &amp; more`). Must be well-formed; the five
   * XML entities, numeric references and HTML 4 named entities (`&nbsp;` …, sent as numeric ones)
   * are accepted. Not well-formed is a 400.
   */
  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_HTML_LENGTH, example: '<b>See you at 5</b> &amp; not later' })
  @IsOptionalNonNull()
  @IsMessageHtml()
  @IsString()
  html?: string;

  /**
   * Where to send (the 1:1 partner or the room), overriding the address the proxy knows for the
   * thread. Needed only for a room this session has not joined or seen.
   */
  @ApiPropertyOptional({ example: 'bob@example.com' })
  @IsOptionalNonNull()
  @IsBareJid()
  to?: string;
}

/** Body of `POST /v1/chats`: starts a 1:1 chat with a first message. */
export class CreateChatDto {
  /** The partner's bare address. */
  @ApiProperty({ example: 'bob@example.com' })
  @IsBareJid()
  to: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_TEXT_LENGTH, example: 'Hi Bob' })
  @IsMessageText()
  @IsString()
  text: string;

  /** As for `POST /v1/chats/{thread}/messages`. */
  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_HTML_LENGTH, example: '<b>Hi</b> Bob' })
  @IsOptionalNonNull()
  @IsMessageHtml()
  @IsString()
  html?: string;
}

/** Body of `PUT /v1/chats/{thread}/typing`. */
export class TypingDto {
  /** true: "is typing"; false: "stopped typing". */
  @ApiProperty({ example: true })
  @IsBoolean()
  typing: boolean;
}

/** Body of `POST /v1/chats/{thread}/invitations`. */
export class InvitationDto {
  /** Who to invite. A 1:1 chat becomes a room first (its thread stays the same). */
  @ApiProperty({ example: 'carol@example.com' })
  @IsBareJid()
  address: string;

  /** Invitation text; the IM server's default ("Please join my chat") when absent or blank. */
  @ApiPropertyOptional({ maxLength: MAX_INVITATION_MESSAGE_LENGTH, example: 'Join us' })
  @IsOptionalNonNull()
  @IsXmlSafe()
  @MaxLength(MAX_INVITATION_MESSAGE_LENGTH)
  @IsString()
  message?: string;
}

// ---- responses ---------------------------------------------------------------------------------

/** Result of a send: where the message really went and its number there. */
export class SentMessageDto {
  /** The real thread id (a stale or absent one in the request is replaced by the IM server's). */
  @ApiProperty({ example: 'chat-alice%example.com-0' })
  thread: string;

  /** The message's number in the chat, from 1, the same as in its `message` event and in history. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  seq: number;

  @ApiProperty({ format: 'date-time', example: '2010-11-17T13:20:00.000Z' })
  sentAt: string;
}

export class ChatParticipantDto implements Participant {
  /** A bare address in 1:1 chats (where only the partner is listed), the nickname in rooms. */
  @ApiProperty({ example: 'bob@example.com' })
  address: string;

  /** A room occupant's real bare address, when the room reveals it. */
  @ApiPropertyOptional({ example: 'bob@example.com' })
  realAddress?: string;

  @ApiPropertyOptional({ enum: ['moderator', 'participant', 'visitor', 'none'] })
  role?: string;

  @ApiPropertyOptional({ enum: ['owner', 'admin', 'member', 'outcast', 'none'] })
  affiliation?: string;

  /** This account's own occupant entry (rooms). */
  @ApiProperty()
  me: boolean;
}

export class ChatMessageDto implements HistoryMessage {
  /** From 1, as in `message` events; 0 for messages outside the numbering (from `SYSTEM`). */
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  seq: number;

  /** Sender: a bare address (own messages too), a room nickname, or `SYSTEM`. */
  @ApiProperty({ example: 'bob@example.com' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  sentAt: string;

  /** Plain text; for an HTML message, the text of `html`. */
  @ApiProperty()
  text: string;

  /** Sanitized XHTML fragment, for HTML messages. */
  @ApiPropertyOptional()
  html?: string;

  @ApiPropertyOptional()
  subject?: string;
}

/** Result of `GET /v1/chats/{thread}`. */
export class ChatDto {
  @ApiProperty({ example: 'chat-alice%example.com-0' })
  thread: string;

  @ApiProperty({ type: () => [ChatParticipantDto] })
  participants: ChatParticipantDto[];

  /** One page of the history, oldest first (see `after`, `before` and `limit`). */
  @ApiProperty({ type: () => [ChatMessageDto] })
  messages: ChatMessageDto[];

  /** More messages lie beyond this page: newer ones when `after` was given, else older ones. */
  @ApiProperty({ example: false })
  hasMore: boolean;
}

/** One chat of `GET /v1/chats`. */
export class ChatListItemDto {
  @ApiProperty({ example: 'chat-bob%example.com-0' })
  thread: string;

  @ApiProperty({ type: () => [ContactAddressDto] })
  participants: ContactAddressDto[];

  /** The chat's newest message, if it has any. */
  @ApiPropertyOptional({ type: () => ChatMessageDto })
  lastMessage?: ChatMessageDto;

  /** Messages from others numbered after the reader's marker (`PUT /v1/chats/{thread}/read`); own messages never count. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  unread: number;
}

/** Body of `PUT /v1/chats/{thread}/read`. */
export class ReadMarkerDto {
  /** The seq of the newest message the reader has read; later messages from others count as unread. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647, example: 12 })
  @IsInt()
  @Min(0)
  @Max(2147483647)
  seq: number;
}
