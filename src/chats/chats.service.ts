import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, AppConfig } from '../config/config';
import {
  addUserRequest, ChatHistory, closeChatRequest, getChatRequest, readGetChatResponse,
  readModifyChatResponse, sendMessageRequest, typingRequest,
} from '../im/chats';
import { getRosterRequest, readRosterResponse } from '../im/roster';
import { prepareXhtml } from '../im/xhtml';
import type { EventData, ImEvent } from '../link/events';
import type { Link } from '../link/link';
import { LinkRegistry, tokenKey } from '../link/link-registry.service';
import { htmlToText } from '../link/mapping/html-text';
import { mapLimited } from '../common/map-limited';
import { UpstreamError } from '../soap/upstream-error';
import { ChatListItem, chatListItem } from './chat-list';
import { historyPage, HistoryPage, HistoryQuery } from './history-page';
import { READ_MARKERS, ReadMarkers } from './read-markers';

/** IMGetChat reads one chat list runs at once. */
const LIST_READS_AT_ONCE = 4;

export interface SentMessage {
  thread: string;
  seq: number;
  sentAt: string;
}

export interface NewMessage {
  text: string;
  html?: string;
}

/** The echo of our own message never came (the upstream drops messages silently, e.g. when offline). */
export const NO_ECHO_CODE = 'message.NO_ECHO';
/** The thread's address (needed for every send) is unknown: a room this session never joined or saw. */
export const ADDRESS_UNKNOWN_CODE = 'chat.ADDRESS_UNKNOWN';

/** Echoes already handed to a caller, per link, so two identical sends never report the same message. */
const MAX_CLAIMS = 256;

/**
 * The chat routes. Decisions where the contract is silent:
 * - Sends wait (bounded by ROSTER_TIMEOUT_MS, the bound for every notification the proxy waits for)
 *   for the upstream's echo, the only place the real thread and seq appear; none in time is
 *   504 `message.NO_ECHO`. The message may still have gone out, so a client should not blindly resend.
 * - Every send needs the chat's address. It comes from `to`, else from what the link has seen, else
 *   (1:1 chats) from IMGetChat's participant, which also turns an unknown thread into a 404 before
 *   anything is sent. A room whose address is unknown is 409 `chat.ADDRESS_UNKNOWN`.
 * - With `to`, a thread the upstream no longer has is sent as is: the upstream opens a new chat and
 *   the answer carries its thread.
 * - A room refusing a message (a `messageError` in the thread, no echo) fails the send with the
 *   stanza condition as code (403 for refusals, 404 item_not_found, 504 remote timeout, else 502).
 */
@Injectable()
export class ChatsService {
  private readonly claims = new WeakMap<Link, Set<string>>();

  constructor(
    private readonly links: LinkRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MARKERS) private readonly markers: ReadMarkers,
  ) {}

  /**
   * Open chats from IMGetRoster's `<chats>` (§12.1), each with its newest message and the messages
   * from others after the reader's marker: one IMGetChat per chat, a few at a time. A chat closed
   * between the two reads is listed without a message.
   */
  async list(token: string): Promise<ChatListItem[]> {
    const link = this.links.acquire(token);
    const { chats } = readRosterResponse(await link.call(getRosterRequest(), { sessionless: true }));
    const markers = await this.markers.get(tokenKey(token), chats.map((chat) => chat.thread));
    return mapLimited(chats, LIST_READS_AT_ONCE, async (chat, i) => {
      const history = await this.fetch(link, chat.thread).catch((err: unknown) => {
        if (err instanceof UpstreamError && err.code === 'not_found') return undefined;
        throw err;
      });
      return history ? chatListItem(chat, history, markers[i]) : { ...chat, unread: 0 };
    });
  }

  /** `PUT /v1/chats/{thread}/read`: the reader has read up to `seq` (an unknown thread is a 404). */
  async markRead(token: string, thread: string, seq: number): Promise<void> {
    await this.fetch(this.links.acquire(token), thread);
    await this.markers.set(tokenKey(token), thread, seq);
  }

  /** IMGetChat, paged here (the upstream ignores its `seq` and always gives the whole history). */
  async get(token: string, thread: string, query: HistoryQuery): Promise<Omit<ChatHistory, 'partner' | 'messages'> & HistoryPage> {
    const link = this.links.acquire(token);
    const chat = await this.fetch(link, thread);
    return { thread: chat.thread, participants: chat.participants, ...historyPage(chat.messages, query) };
  }

  /** `POST /v1/chats`: IMSendMessage without a thread; the real thread comes from the echo. */
  start(token: string, to: string, message: NewMessage): Promise<SentMessage> {
    return this.send(this.links.acquire(token), to, undefined, message);
  }

  /** `POST /v1/chats/{thread}/messages`. `to` overrides the address the link knows for the thread. */
  async post(token: string, thread: string, message: NewMessage & { to?: string }): Promise<SentMessage> {
    const link = this.links.acquire(token);
    const address = message.to ?? (await this.addressOf(link, thread));
    return this.send(link, address, thread, message);
  }

  async typing(token: string, thread: string, typing: boolean): Promise<void> {
    const link = this.links.acquire(token);
    const address = await this.addressOf(link, thread);
    await link.call(typingRequest(address, thread, typing), { repeatOnNewSession: true });
  }

  /** IMModifyChat close. Not repeated on a new session: a second close would answer not_found. */
  async close(token: string, thread: string): Promise<void> {
    const body = await this.links.acquire(token).call(closeChatRequest(thread));
    readModifyChatResponse(body, thread);
  }

  /** IMModifyChat adduser. Not repeated on a new session (the invitation would go out twice). */
  async invite(token: string, thread: string, address: string, message?: string): Promise<void> {
    const body = await this.links.acquire(token).call(addUserRequest(thread, address, message));
    readModifyChatResponse(body, thread);
  }

  // ---- internals --------------------------------------------------------------------------------

  private async fetch(link: Link, thread: string): Promise<ChatHistory> {
    const chat = readGetChatResponse(await link.call(getChatRequest(thread), { sessionless: true }), thread);
    if (chat.partner && !link.state.chatAddress(thread)) link.state.rememberChat(thread, chat.partner);
    return chat;
  }

  /**
   * Where the thread's messages go: what the link has seen (message and invitation events, room
   * joins), else the partner IMGetChat lists for a 1:1 chat. An unknown thread is a 404 (not_found).
   */
  private async addressOf(link: Link, thread: string): Promise<string> {
    const known = link.state.chatAddress(thread);
    if (known) return known;
    const chat = await this.fetch(link, thread);
    if (chat.partner) return chat.partner;
    throw new ProblemException(
      HttpStatus.CONFLICT,
      ADDRESS_UNKNOWN_CODE,
      `The address of chat ${thread} is not known (a room this session has not joined); send with "to" set to the room's address.`,
    );
  }

  /**
   * Sends and waits (bounded, ROSTER_TIMEOUT_MS) for the echo the upstream posts to every listener
   * session of the sender (§12.5): only it carries the real thread and the seq. The waiter is
   * registered before the call because the echo usually comes in the call's own response header.
   * The echo is our own message (it has `to`) with the same text, sent to the same address or, when
   * a thread was given, in that thread. A `messageError` in that thread instead (a room refusing
   * the message: nothing stored, nothing echoed) fails the send.
   */
  private async send(link: Link, address: string, thread: string | undefined, message: NewMessage): Promise<SentMessage> {
    let html: string | undefined;
    if (message.html !== undefined) {
      const check = prepareXhtml(message.html);
      if (!check.ok) throw ProblemException.invalid([{ field: 'html', message: `html ${check.problem}` }]);
      html = check.xhtml;
    }
    const expected = new Set([normalize(message.text), ...(html !== undefined ? [normalize(htmlToText(html))] : [])]);
    const claims = this.claimsOf(link);
    /**
     * Own messages with our text but to another address: an alias the upstream resolved (§11). Taken
     * only when the call has returned without an exact match (then the first such message is ours).
     */
    const candidates: EventData['message'][] = [];
    let matched = false;
    let callDone = false;

    const claim = (data: EventData['message']): SentMessage | undefined => {
      const key = `${data.thread}\u0000${data.seq}`;
      if (claims.has(key)) return undefined;
      claims.add(key);
      if (claims.size > MAX_CLAIMS) claims.delete(claims.values().next().value as string);
      matched = true;
      return { thread: data.thread, seq: data.seq, sentAt: data.sentAt };
    };
    const echo = link.waitFor<SentMessage | ProblemException>(
      (event: ImEvent) => {
        if (event.type === 'messageError' && thread !== undefined && event.data.thread === thread) {
          return rejected(event.data.condition);
        }
        if (event.type !== 'message' || event.data.to === undefined || !expected.has(normalize(event.data.text))) return undefined;
        if (sameAddress(event.data.to, address) || (thread !== undefined && event.data.thread === thread)) return claim(event.data);
        if (callDone) return claim(event.data);
        candidates.push(event.data);
        return undefined;
      },
      this.config.rosterTimeoutMs,
      NO_ECHO_CODE,
    );
    try {
      await link.call(sendMessageRequest({ address, thread, text: message.text, html }));
    } catch (err) {
      // The connection was lost with the request perhaps delivered: the echo, if it comes (the upstream
      // resends unacknowledged notifications), says the message went out; if not, NO_ECHO says it may
      // have. Never "unavailable": a retry would then send it again.
      if (!(err instanceof UpstreamError && err.details.answerLost)) {
        echo.cancel();
        throw err;
      }
    }
    callDone = true;
    if (!matched) {
      for (const candidate of candidates) {
        const sent = claim(candidate);
        if (sent) {
          echo.cancel();
          return sent;
        }
      }
    }
    const result = await echo.promise;
    if (result instanceof ProblemException) throw result;
    return result;
  }

  private claimsOf(link: Link): Set<string> {
    let claims = this.claims.get(link);
    if (!claims) {
      claims = new Set();
      this.claims.set(link, claims);
    }
    return claims;
  }
}

/** Whitespace-insensitive text comparison (the upstream may re-flow the text of an HTML body). */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The stanza error a room (or remote) answered instead of accepting the message (§13.2): the
 * condition is the code; refusals are 403, an unknown recipient 404, a remote timeout 504, others 502.
 */
function rejected(condition: string): ProblemException {
  const status = REJECTION_STATUS[condition] ?? HttpStatus.BAD_GATEWAY;
  return new ProblemException(status, condition, `The message was not accepted (${condition.replace(/_/g, '-')}).`);
}

const REJECTION_STATUS: Readonly<Record<string, number>> = {
  forbidden: HttpStatus.FORBIDDEN,
  not_allowed: HttpStatus.FORBIDDEN,
  not_acceptable: HttpStatus.FORBIDDEN,
  not_authorized: HttpStatus.FORBIDDEN,
  item_not_found: HttpStatus.NOT_FOUND,
  remote_server_timeout: HttpStatus.GATEWAY_TIMEOUT,
};
