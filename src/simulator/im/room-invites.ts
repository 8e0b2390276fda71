import type { Chat } from './chat';
import { invitedN } from './chat-notifications';
import { blockedFor } from './messaging';
import type { Persona } from './persona';
import type { Room } from './room';
import type { RoomService } from './rooms';

export const DEFAULT_INVITATION = 'Please join my chat';

/**
 * IMModifyChat adduser (§12.7): a 1:1 chat first becomes the room `<thread>@conf.<domain>` (an
 * instant room, so unlocked) and its other participants are invited too; then `addr` is invited.
 */
export function addUser(rooms: RoomService, persona: Persona, chat: Chat, addr: string, reason: string): void {
  let room = chat.room ? rooms.get(chat.room) : undefined;
  const invitees: string[] = [];
  if (!chat.isMuc) {
    const me = persona.address.toLowerCase();
    for (const p of chat.participants.values()) {
      if (p.addr.toLowerCase() !== me && p.addr.toLowerCase() !== addr.toLowerCase()) invitees.push(p.addr);
    }
    const roomAddr = `${chat.thread}@conf.${persona.account.domain}`;
    const existing = rooms.get(roomAddr);
    room = existing ?? rooms.create(roomAddr, persona.address);
    room.locked = false;
    rooms.enter(persona, chat, room, persona.address.slice(0, persona.address.indexOf('@')), !existing);
  }
  if (!room) return;
  for (const invitee of [...invitees, addr]) invite(rooms, room, persona, invitee, reason);
}

/**
 * The room's invitation reaching a local user (§13.9). It carries no thread, so it lands in the chat
 * named after the room's local part: a converted chat that already has messages joins at once with a
 * SYSTEM message; otherwise `invited` plus the text stored as a message from the room.
 */
function invite(rooms: RoomService, room: Room, inviter: Persona, addr: string, reason: string): void {
  const affiliation = room.affiliationOf(inviter.address);
  if (room.affiliationOf(addr) === 'none' && (affiliation === 'owner' || affiliation === 'admin')) room.setAffiliation(addr, 'member');
  const invitee = rooms.chats.im.local(addr);
  if (!invitee || invitee === inviter || blockedFor(invitee, room.addr)) return;
  const chats = rooms.chats;
  const chat = chats.incomingChat(invitee, room.addr);
  if (chat.messages.length > 0) {
    if (!invitee.online || chat.joined) return;
    chats.system(invitee, chat, 'Automatically joining converted multi-user-chat');
    rooms.join(invitee, room.addr, { thread: chat.thread });
    return;
  }
  const text = `${reason} (/join ${room.addr})`;
  invitee.postToListeners(invitedN(chat.thread, room.addr, text));
  chats.store(invitee, chat, { from: room.addr, ts: chats.clock.now(), typing: false, body: { text } });
}
