import type { AccountDirectory } from '../accounts';
import { isBlank, type Chat, type ChatMessage, type Participant } from './chat';
import { chatPresenceN, leftChatN } from './chat-notifications';
import type { ChatService } from './chats';
import { blockedFor } from './messaging';
import type { Persona } from './persona';
import { RESOURCE, Room, type Occupant } from './room';

/** §12.9: what a join presence brings back; undefined when nobody answered. */
export type JoinOutcome = { status: string[]; error: string[] } | undefined;

export const SERVICE_NAME = 'Public Chatrooms';

/**
 * The simulated conference service: `conference.<domain>` (listed) and `conf.<domain>` (where
 * converted 1:1 chats go, §11). Rooms, occupancy and what each occupant's chat sees of it (§13.6–13.7).
 */
export class RoomService {
  private readonly rooms = new Map<string, Room>();

  constructor(readonly chats: ChatService, private readonly accounts: AccountDirectory) {
    chats.onClose((persona, chat) => {
      if (chat.joined) this.leave(persona, chat, []);
    });
  }

  /** A conference host of this server. */
  isService(host: string): boolean {
    const h = host.toLowerCase();
    const domain = h.startsWith('conference.') ? h.slice(11) : h.startsWith('conf.') ? h.slice(5) : undefined;
    if (!domain) return false;
    return domain === this.accounts.defaultDomain || this.chats.im.all().some((p) => p.account.domain === domain);
  }

  get(addr: string): Room | undefined {
    return this.rooms.get(addr.toLowerCase());
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** Creates a room; `owner` gets the owner affiliation. */
  create(addr: string, owner?: string): Room {
    const room = new Room(addr, this.chats.clock.now());
    if (owner) room.setAffiliation(owner, 'owner');
    this.rooms.set(room.addr.toLowerCase(), room);
    return room;
  }

  /** IMJoinConferenceRoom (§12.9); create-on-join makes the user owner of a locked room. */
  join(persona: Persona, addr: string, opts: { nick?: string; password?: string; thread: string }): JoinOutcome {
    const at = addr.indexOf('@');
    if (at <= 0 || !this.isService(addr.slice(at + 1))) return undefined;
    const nick = opts.nick || persona.address.slice(0, persona.address.indexOf('@'));
    let room = this.get(addr);
    const created = !room;
    if (room) {
      const refused = room.admission(persona.address, nick, opts.password);
      if (refused) return { status: [], error: [refused] };
    } else {
      room = this.create(addr, persona.address);
    }
    const chat = this.chats.get(persona, opts.thread) ?? this.chats.create(persona, opts.thread);
    return { status: this.enter(persona, chat, room, nick, created), error: [] };
  }

  /** The user's chat becomes an occupant of the room; presences both ways. Returns the self-presence codes. */
  enter(persona: Persona, chat: Chat, room: Room, nick: string, created: boolean): string[] {
    const status = created ? ['OccupantPresence', 'NewRoomCreated'] : ['OccupantPresence'];
    Object.assign(chat, { room: room.addr, dest: room.addr, joined: true });
    const existing = room.byAddress(persona.address);
    if (existing) {
      chat.nick = existing.nick;
      return status;
    }
    chat.nick = nick;
    const affiliation = room.affiliationOf(persona.address);
    const me: Occupant = { nick, address: persona.address, affiliation, role: room.roleFor(affiliation) };
    room.occupants.set(nick.toLowerCase(), me);
    // The newcomer first sees everyone already there, then itself; the others see the newcomer.
    for (const other of room.occupants.values()) if (other !== me) this.show(persona, chat, room, other, []);
    for (const [viewer, viewerChat] of this.audience(room, me)) this.show(viewer, viewerChat, room, me, []);
    this.show(persona, chat, room, me, status);
    return status;
  }

  /** Occupant presence as one viewer's chat sees it: enteredchat the first time, chatpresence after (§13.6). */
  show(viewer: Persona, chat: Chat, room: Room, occ: Occupant, status: string[]): void {
    const self = occ.address.toLowerCase() === viewer.address.toLowerCase();
    const viewerOcc = room.byAddress(viewer.address);
    const p: Participant = { addr: occ.nick };
    if (self) p.me = true;
    if (viewerOcc && room.revealsTo(viewerOcc)) p.fulladdr = `${occ.address}/${RESOURCE}`;
    Object.assign(p, { role: occ.role, affiliation: occ.affiliation });
    const key = occ.nick.toLowerCase();
    const first = !chat.participants.has(key);
    chat.participants.set(key, p);
    viewer.postToListeners(chatPresenceN(first, chat.thread, p, status));
  }

  /** Every other occupant that is a local persona, with its chat for the room. */
  audience(room: Room, except?: Occupant): [Persona, Chat][] {
    const out: [Persona, Chat][] = [];
    for (const occ of room.occupants.values()) {
      if (occ === except) continue;
      const persona = this.chats.im.local(occ.address);
      const chat = persona && this.chats.forRoom(persona, room.addr);
      if (persona && chat?.joined) out.push([persona, chat]);
    }
    return out;
  }

  /** The user's occupant leaves (close, going offline, kick/ban): leftchat to the others; empty temporary rooms go. */
  leave(persona: Persona, chat: Chat, status: string[], notifySelf = false): void {
    chat.joined = false;
    const room = chat.room ? this.get(chat.room) : undefined;
    const occ = room?.byAddress(persona.address);
    if (!room || !occ) return;
    room.occupants.delete(occ.nick.toLowerCase());
    for (const [viewer, viewerChat] of this.audience(room)) {
      viewerChat.participants.delete(occ.nick.toLowerCase());
      viewer.postToListeners(leftChatN(viewerChat.thread, occ.nick, false, status));
    }
    if (notifySelf) {
      chat.participants.delete(occ.nick.toLowerCase());
      persona.postToListeners(leftChatN(chat.thread, occ.nick, true, status));
    }
    if (!room.occupants.size && room.config.get('persistent')?.[0] !== '1') this.rooms.delete(room.addr.toLowerCase());
  }

  /** Own presence changed: rooms see it (chatpresence); going offline leaves them all. */
  presenceChanged(persona: Persona): void {
    for (const chat of this.chats.list(persona)) {
      const room = chat.joined && chat.room ? this.get(chat.room) : undefined;
      const occ = room?.byAddress(persona.address);
      if (!room || !occ) continue;
      if (!persona.online) this.leave(persona, chat, []);
      else for (const [viewer, viewerChat] of this.audience(room, occ)) this.show(viewer, viewerChat, room, occ, []);
    }
  }

  /** Test control: the address becomes an outcast; an occupant is thrown out with YouHaveBeenBanned. */
  ban(addr: string, address: string): void {
    const room = this.get(addr);
    if (!room) throw new Error(`no such room: ${addr}`);
    const occ = room.byAddress(address);
    room.setAffiliation(address, 'outcast');
    const persona = occ && this.chats.im.local(occ.address);
    const chat = persona && this.chats.forRoom(persona, room.addr);
    if (persona && chat) this.leave(persona, chat, ['YouHaveBeenBanned'], true);
    else if (occ) room.occupants.delete(occ.nick.toLowerCase());
  }

  /** A groupchat message (§12.5): own echo from the bare address, others see the nickname. */
  groupchat(persona: Persona, chat: Chat, message: ChatMessage): void {
    const room = chat.room ? this.get(chat.room) : undefined;
    const occ = chat.joined ? room?.byAddress(persona.address) : undefined;
    if (!room || !occ || occ.role === 'visitor') {
      this.chats.bounce(persona, chat, chat.room!, message, occ ? 'forbidden' : 'not-acceptable', occ ? 403 : 406);
      return;
    }
    if (isBlank(message)) chat.touched(message.ts);
    else this.chats.store(persona, chat, message);
    for (const [viewer, viewerChat] of this.audience(room, occ)) {
      if (blockedFor(viewer, `${room.addr}/${occ.nick}`)) continue;
      const copy: ChatMessage = { ...message, from: occ.nick };
      delete copy.to;
      // Chat states from a room come from its bare address (§13.2).
      this.chats.receive(viewer, viewerChat, copy, room.addr);
    }
  }
}
