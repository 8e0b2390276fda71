import type { SimClock } from '../clock';
import type { SoapSession } from '../sessions';
import { Chat, isBlank, type ChatMessage, type ChatTimings } from './chat';
import { chatClosedN, errorN, messageN, systemN, typingN } from './chat-notifications';
import type { ImService } from './im-service';
import type { Persona } from './persona';

/**
 * Every persona's open chats (§11): creation and thread ids, storage with the live seq, echo and
 * history replay, close (explicit and by the inactivity timer). Chats outlive sessions; they go
 * away only when closed.
 */
export class ChatService {
  private readonly books = new Map<string, Map<string, Chat>>();
  private readonly counters = new Map<string, number>();
  private readonly closeHooks: ((persona: Persona, chat: Chat) => void)[] = [];

  constructor(readonly im: ImService, readonly clock: SimClock, private readonly timings: ChatTimings) {}

  private book(persona: Persona): Map<string, Chat> {
    let book = this.books.get(persona.account.id);
    if (!book) {
      book = new Map();
      this.books.set(persona.account.id, book);
    }
    return book;
  }

  list(persona: Persona): Chat[] {
    return [...this.book(persona).values()];
  }

  get(persona: Persona, thread: string): Chat | undefined {
    return this.book(persona).get(thread);
  }

  /** An open 1:1 chat with `addr`. */
  withPartner(persona: Persona, addr: string): Chat | undefined {
    return this.list(persona).find((c) => !c.isMuc && c.dest?.toLowerCase() === addr.toLowerCase());
  }

  /** The persona's chat for a room. */
  forRoom(persona: Persona, room: string): Chat | undefined {
    return this.list(persona).find((c) => c.room?.toLowerCase() === room.toLowerCase());
  }

  /** `chat-<localpart>%<domain>-<n>`, n per user from 0 (§11). */
  newThreadId(persona: Persona): string {
    const n = this.counters.get(persona.account.id) ?? 0;
    this.counters.set(persona.account.id, n + 1);
    return `chat-${persona.address.replace('@', '%')}-${n}`;
  }

  create(persona: Persona, thread: string, dest?: string): Chat {
    const chat = new Chat(thread, dest, this.timings);
    this.book(persona).set(thread, chat);
    return chat;
  }

  /**
   * The chat an incoming message lands in (§11): the thread it carries, else the 1:1 chat with the
   * sender, else the thread named after the sender's local part (else its bare JID), found or created.
   */
  incomingChat(persona: Persona, from: string, thread?: string): Chat {
    if (!thread) {
      const existing = this.withPartner(persona, from);
      if (existing) return existing;
    }
    const id = thread || (from.indexOf('@') > 0 ? from.slice(0, from.indexOf('@')) : from);
    return this.get(persona, id) ?? this.create(persona, id, from);
  }

  /** Stores a message and posts it to the persona's listeners with its live seq (from 1). */
  store(persona: Persona, chat: Chat, message: ChatMessage): void {
    chat.messages.push(message);
    chat.stored(this.clock.now());
    persona.postToListeners(messageN(chat.thread, message, chat.messages.length));
  }

  /** A message reaching the persona: stored and posted, or a typing notification when blank (§13.2). */
  receive(persona: Persona, chat: Chat, message: ChatMessage, typingFrom = message.from): void {
    if (!isBlank(message)) return this.store(persona, chat, message);
    chat.touched(this.clock.now());
    persona.postToListeners(typingN(typingFrom, chat.thread, message.ts, message.typing));
  }

  /** SYSTEM text to the persona's listeners only; not stored. */
  system(persona: Persona, chat: Chat, textBody: string): void {
    persona.postToListeners(systemN(chat.thread, this.clock.now(), textBody));
  }

  /** IMGetRoster step 3 (§12.1): every open chat's history to one session, seq from 0. */
  replay(persona: Persona, session: SoapSession): void {
    for (const chat of this.list(persona)) chat.messages.forEach((m, seq) => session.post(messageN(chat.thread, m, seq)));
  }

  /** Runs before a chat is removed (rooms leave the MUC here). */
  onClose(hook: (persona: Persona, chat: Chat) => void): void {
    this.closeHooks.push(hook);
  }

  /** IMModifyChat close and the auto-close timer: leave, remove, `chatclosed` to all listeners (§13.8). */
  close(persona: Persona, chat: Chat): void {
    if (this.get(persona, chat.thread) !== chat) return;
    for (const hook of this.closeHooks) hook(persona, chat);
    chat.stopTimer();
    this.book(persona).delete(chat.thread);
    persona.postToListeners(chatClosedN(chat.thread));
  }

  /** Closes every chat whose close timer has fired on the simulator clock. */
  sweep(): void {
    const now = this.clock.now();
    for (const persona of this.im.all()) for (const chat of this.list(persona)) if (chat.due(now)) this.close(persona, chat);
  }

  /** An XMPP error bounced to the persona (§13.2): the condition, and the raw stanza as a plain body. */
  bounce(persona: Persona, chat: Chat, from: string, sent: ChatMessage, condition: string, code: number): void {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const body = sent.body ? `<body>${esc(sent.body.text)}</body>` : '';
    const stanza =
      `<message type="error" to="${esc(persona.address)}/zcs" from="${esc(from)}"><thread>${esc(chat.thread)}</thread>${body}` +
      `<error code="${code}" type="cancel"><${condition} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`;
    persona.postToListeners(errorN(from, chat.thread, this.clock.now(), condition, stanza));
  }
}
