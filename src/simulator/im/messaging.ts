import type { AccountDirectory } from '../accounts';
import { isBlank, type Chat, type ChatMessage, type MessageBody } from './chat';
import type { ChatService } from './chats';
import type { Persona } from './persona';
import { isBlockedFor } from './privacy';
import { addUser, DEFAULT_INVITATION } from './room-invites';
import type { RoomService } from './rooms';

/** What IMSendMessage read from `<message>` (§12.5). */
export interface OutgoingMessage {
  body?: MessageBody;
  subject?: string;
  typing: boolean;
}

/**
 * Privacy enforcement (§12.10): the recipient's default list decides whether a stanza from
 * `sender` reaches it. Every incoming chat message, groupchat message and invitation passes here.
 */
export function blockedFor(recipient: Persona, sender: string): boolean {
  return isBlockedFor(recipient, sender);
}

/** 1:1 messaging between the simulator's users, with the XMPP leg reduced to a direct hand-over. */
export class Messaging {
  constructor(private readonly chats: ChatService, private readonly rooms: RoomService, private readonly accounts: AccountDirectory) {}

  /** IMSendMessage for an online persona (§12.5): choose the chat, then send, echo and deliver. */
  send(persona: Persona, addr: string, thread: string | undefined, out: OutgoingMessage): void {
    const chat =
      (thread !== undefined ? this.chats.get(persona, thread) : undefined) ??
      this.chats.withPartner(persona, addr) ??
      this.chats.create(persona, this.chats.newThreadId(persona), addr);
    if (this.command(persona, chat, out)) return;
    const message: ChatMessage = { from: persona.address, to: addr, ts: this.chats.clock.now(), typing: out.typing };
    if (out.subject) message.subject = out.subject;
    if (out.body) message.body = out.body;
    if (chat.isMuc) return this.rooms.groupchat(persona, chat, message);
    // Blank (typing-only) messages are neither stored nor echoed.
    if (isBlank(message)) chat.touched(message.ts);
    else this.chats.store(persona, chat, message);
    this.deliver(persona, chat, message);
  }

  /** The XMPP leg: the thread travels with the message, so both sides share it (§11). */
  private deliver(sender: Persona, chat: Chat, message: ChatMessage): void {
    const dest = chat.dest ?? message.to!;
    const recipient = this.chats.im.local(dest);
    if (!recipient) {
      if (this.localDomain(sender, dest)) this.chats.bounce(sender, chat, dest, message, 'service-unavailable', 503);
      return;
    }
    if (recipient === sender || blockedFor(recipient, sender.address)) return;
    // Typing to an offline user is lost; a real message waits in the user's chat (offline storage).
    if (!recipient.online && isBlank(message)) return;
    const incoming: ChatMessage = { from: sender.address, ts: message.ts, typing: message.typing };
    if (message.subject) incoming.subject = message.subject;
    if (message.body) incoming.body = message.body;
    this.chats.receive(recipient, this.chats.incomingChat(recipient, sender.address, chat.thread), incoming);
  }

  /** A message from anyone (test control): incoming thread rules of §11, typing-only when blank. */
  receive(recipient: Persona, from: string, thread: string | undefined, message: Omit<ChatMessage, 'from' | 'ts'>): string | undefined {
    if (blockedFor(recipient, from) || (!recipient.online && isBlank(message))) return undefined;
    const chat = this.chats.incomingChat(recipient, from, thread);
    this.chats.receive(recipient, chat, { ...message, from, ts: this.chats.clock.now() });
    return chat.thread;
  }

  private localDomain(persona: Persona, addr: string): boolean {
    const domain = addr.slice(addr.indexOf('@') + 1).toLowerCase();
    return domain === persona.account.domain || domain === this.accounts.defaultDomain;
  }

  /** Slash commands (§12.5): /info, /add, /join and the group ones are handled here and not sent. */
  private command(persona: Persona, chat: Chat, out: OutgoingMessage): boolean {
    const plain = out.body?.text ?? '';
    const match = /^\/(\S+)\s*(.*)$/s.exec(plain);
    if (!match) return false;
    const [, name, arg] = match;
    switch (name) {
      case 'info': {
        const parts = [...chat.participants.values()].map((p) => p.addr).join(', ');
        this.chats.system(persona, chat, `thread=${chat.thread} ${chat.isMuc ? `room=${chat.room} ` : ''}participants={${parts}} messages=${chat.messages.length}`);
        return true;
      }
      case 'add':
        if (arg.trim()) addUser(this.rooms, persona, chat, arg.trim(), DEFAULT_INVITATION);
        return true;
      case 'join':
        if (arg.trim()) this.rooms.join(persona, arg.trim(), { thread: arg.trim().split('@')[0] });
        return true;
      case 'join_group':
      case 'leave_group':
        return true;
      default:
        return false;
    }
  }
}
