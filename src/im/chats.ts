import { isoTime } from '../common/iso-time';
import type { Participant } from '../link/events';
import { UNSEQUENCED } from '../link/notification-mapper';
import { bareAddress, nonEmpty, nonNegativeInt, wireBool } from '../link/mapping/values';
import { NS, RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import { attr, child, children, elementNames, text, XmlNode } from '../soap/xml';
import { readStoredBody } from './xhtml';

/**
 * Pure request builders and response readers for 1:1 chats: IMSendMessage (§12.5), IMGetChat (§12.6)
 * and IMModifyChat close/adduser (§12.7).
 */

// ---- IMSendMessage ---------------------------------------------------------------------------------

export interface OutgoingMessage {
  /** Where the message goes (the 1:1 partner or the room): required upstream even with a thread. */
  address: string;
  thread?: string;
  text: string;
  /** A checked XHTML fragment with HTML named entities already numeric (see prepareXhtml). */
  html?: string;
}

/**
 * A message in the form the upstream parses (§12.5): `<body>` holding `<text>` and, for HTML, the
 * fragment as escaped text in `<html>` beside it. `<subject>` is never sent: notifications would
 * mis-serialise it (§13.2).
 */
export function sendMessageRequest(message: OutgoingMessage): RequestBody {
  const body: XmlNode = { text: message.text };
  if (message.html !== undefined) body.html = message.html;
  return { IMSendMessageRequest: { '@_xmlns': NS.im, message: { ...target(message.address, message.thread), body } } };
}

/**
 * Typing state (§12.5): `<typing/>` is a child of `<message>` (not of `<body>`), and there is no body.
 * The message without `<typing/>` says "stopped typing". Neither is stored or echoed.
 */
export function typingRequest(address: string, thread: string, typing: boolean): RequestBody {
  const message: XmlNode = target(address, thread);
  if (typing) message.typing = '';
  return { IMSendMessageRequest: { '@_xmlns': NS.im, message } };
}

function target(address: string, thread: string | undefined): XmlNode {
  return { '@_addr': address, ...(thread !== undefined ? { '@_thread': thread } : {}) };
}

// ---- IMGetChat -------------------------------------------------------------------------------------

export function getChatRequest(thread: string): RequestBody {
  return { IMGetChatRequest: { '@_xmlns': NS.im, '@_thread': thread } };
}

export interface HistoryMessage {
  /** Counted from 1 as everywhere in the API (the upstream's history counts from 0); 0 for SYSTEM. */
  seq: number;
  from: string;
  sentAt: string;
  text: string;
  html?: string;
  subject?: string;
}

export interface ChatHistory {
  thread: string;
  participants: Participant[];
  messages: HistoryMessage[];
  /**
   * The partner's address when this is recognisably a 1:1 chat (one participant, a bare address,
   * no room attributes); undefined for rooms, whose address IMGetChat does not tell.
   */
  partner?: string;
}

const SYSTEM_SENDER = 'SYSTEM';

/**
 * IMGetChatResponse (§12.6). `error="not_found"` (no fault) becomes UpstreamError `not_found` (404).
 * Participants as in events (nicknames in rooms, `realAddress` from `fulladdr`, lower-case
 * role/affiliation, `me`). Messages: seq + 1 so the numbering is the live one; `sentAt` from `ts`
 * (epoch ms; the time of reading when unusable, as for events); body per readStoredBody.
 */
export function readGetChatResponse(body: XmlNode, requestedThread: string, now: () => number = Date.now): ChatHistory {
  const error = nonEmpty(attr(body, 'error')?.trim());
  if (error !== undefined) throw chatError(error, requestedThread);
  const chat = child(body, 'chat');
  if (!chat) throw UpstreamError.badResponse('IMGetChatResponse lacks chat');
  const thread = nonEmpty(attr(chat, 'thread')) ?? nonEmpty(attr(body, 'thread')) ?? requestedThread;

  const participants = children(child(chat, 'pcps'), 'p').flatMap((p): Participant[] => {
    const address = nonEmpty(attr(p, 'addr'));
    if (address === undefined) return [];
    const realAddress = nonEmpty(bareAddress(attr(p, 'fulladdr')?.trim() ?? ''));
    const role = nonEmpty(attr(p, 'role')?.trim().toLowerCase());
    const affiliation = nonEmpty(attr(p, 'affiliation')?.trim().toLowerCase());
    return [{
      address,
      ...(realAddress !== undefined ? { realAddress } : {}),
      ...(role !== undefined ? { role } : {}),
      ...(affiliation !== undefined ? { affiliation } : {}),
      me: wireBool(attr(p, 'me')),
    }];
  });

  // A plain loop: this runs for every message of every history read, the proxy's busiest mapping.
  const messages: HistoryMessage[] = [];
  const elements = children(child(chat, 'messages'), 'message');
  for (let index = 0; index < elements.length; index++) {
    const m = elements[index];
    const from = nonEmpty(attr(m, 'from'));
    if (from === undefined) continue;
    const upstreamSeq = nonNegativeInt(attr(m, 'seq')) ?? index;
    const body = readStoredBody(text(child(m, 'body')));
    const message: HistoryMessage = {
      seq: from === SYSTEM_SENDER ? UNSEQUENCED : upstreamSeq + 1,
      from,
      sentAt: isoTime(nonNegativeInt(attr(m, 'ts')) ?? now()),
      text: body.text,
    };
    if (body.html !== undefined) message.html = body.html;
    const subjectElement = child(m, 'subject');
    if (subjectElement !== undefined) {
      const subject = nonEmpty(text(subjectElement).trim()) ?? nonEmpty(elementNames(subjectElement)[0]);
      if (subject !== undefined) message.subject = subject;
    }
    messages.push(message);
  }

  return { thread, participants, messages, ...optionalPartner(participants) };
}

function optionalPartner(participants: Participant[]): { partner?: string } {
  if (participants.length !== 1) return {};
  const [p] = participants;
  const oneToOne = !p.me && p.role === undefined && p.affiliation === undefined && p.address.indexOf('@') > 0 && !p.address.includes('/');
  return oneToOne ? { partner: p.address } : {};
}

// ---- IMModifyChat ----------------------------------------------------------------------------------

/** op=close (§12.7): leaves a room, removes the chat and posts `chatclosed`. */
export function closeChatRequest(thread: string): RequestBody {
  return { IMModifyChatRequest: { '@_xmlns': NS.im, '@_thread': thread, '@_op': 'close' } };
}

/**
 * op=adduser (§12.7): the invitation text is the request element's own text (the upstream's default
 * "Please join my chat" when there is none). A 1:1 chat becomes a room first.
 */
export function addUserRequest(thread: string, address: string, message?: string): RequestBody {
  const element: XmlNode = { '@_xmlns': NS.im, '@_thread': thread, '@_op': 'adduser', '@_addr': address };
  if (message !== undefined && message.trim() !== '') element['#text'] = message;
  return { IMModifyChatRequest: element };
}

/** IMModifyChatResponse: `error="not_found"` for an unknown thread (no fault), otherwise nothing to read. */
export function readModifyChatResponse(body: XmlNode, thread: string): void {
  const error = nonEmpty(attr(body, 'error')?.trim());
  if (error !== undefined) throw chatError(error, thread);
}

function chatError(error: string, thread: string): UpstreamError {
  return error === 'not_found'
    ? UpstreamError.result('not_found', `There is no open chat with thread ${thread}.`)
    : UpstreamError.result(error, `The IM server refused the chat request (${error}).`);
}
