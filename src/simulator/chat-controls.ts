import type { SimulatorCore } from './core';
import type { Affiliation, ChatMessage, Participant, Role } from './im/chat';
import type { Persona } from './im/persona';
import { CONFIG_VARS, type ConfigVar } from './im/room-config';
import { parseXhtmlContent } from './im/xhtml';

/** Test controls behind ImSimulator's chat and conference-room methods (§11–§13). */

export type { Affiliation, Participant, Role } from './im/chat';

export interface ChatMessageView {
  /** History numbering (from 0); live notifications carry seq + 1. */
  seq: number;
  ts: number;
  from: string;
  to?: string;
  subject?: string;
  text: string;
  /** Raw inner XHTML, when the message has HTML. */
  html?: string;
  typing: boolean;
}

export interface ChatView {
  thread: string;
  /** Bare room address of a MUC chat. */
  room?: string;
  nick?: string;
  /** Currently an occupant of `room`. */
  joined: boolean;
  participants: Participant[];
  messages: ChatMessageView[];
}

export interface RoomView {
  addr: string;
  name: string;
  locked: boolean;
  config: Record<string, string[]>;
  affiliations: Record<string, Affiliation>;
  occupants: { nick: string; address: string; role: Role; affiliation: Affiliation }[];
}

export interface CreateRoomOptions {
  owner?: string;
  members?: string[];
  admins?: string[];
  /** Server var names (§12.8); booleans as '1'/'0'. Defaults to a persistent, unlocked, public room. */
  config?: Record<string, string | string[]>;
}

export interface IncomingMessage {
  /** Any bare address; local or not. */
  from: string;
  /** Plain text; omit with no subject for a typing-only message. */
  body?: string;
  /** Inner XHTML (must be well-formed). */
  html?: string;
  subject?: string;
  /** Omitted: the incoming-thread rules of §11 pick the chat. */
  thread?: string;
  typing?: boolean;
}

function persona(core: SimulatorCore, address: string): Persona {
  const account = core.accounts.byName(address);
  if (!account) throw new Error(`unknown account: ${address}`);
  return core.im.persona(account);
}

function messageView(m: ChatMessage, seq: number): ChatMessageView {
  const view: ChatMessageView = { seq, ts: m.ts, from: m.from, text: m.body?.text ?? '', typing: m.typing };
  if (m.to !== undefined) view.to = m.to;
  if (m.subject) view.subject = m.subject;
  if (m.body?.html) view.html = m.body.html.raw;
  return view;
}

export function chats(core: SimulatorCore, address: string): ChatView[] {
  return core.conversations.chats.list(persona(core, address)).map((c) => {
    const view: ChatView = {
      thread: c.thread, joined: c.joined, participants: [...c.participants.values()].map((p) => ({ ...p })),
      messages: c.messages.map(messageView),
    };
    if (c.room) view.room = c.room;
    if (c.nick) view.nick = c.nick;
    return view;
  });
}

export function rooms(core: SimulatorCore): RoomView[] {
  return core.conversations.rooms.all().map((r) => ({
    addr: r.addr,
    name: r.name,
    locked: r.locked,
    config: Object.fromEntries([...r.config].map(([k, v]) => [k, [...v]])),
    affiliations: Object.fromEntries(r.affiliations),
    occupants: [...r.occupants.values()].map((o) => ({ ...o })),
  }));
}

export function createRoom(core: SimulatorCore, addr: string, opts: CreateRoomOptions = {}): void {
  const service = core.conversations.rooms;
  if (service.get(addr)) throw new Error(`room exists: ${addr}`);
  if (addr.indexOf('@') <= 0 || !service.isService(addr.slice(addr.indexOf('@') + 1))) {
    throw new Error(`not on a conference service of this server: ${addr}`);
  }
  const room = service.create(addr, opts.owner);
  room.locked = false;
  room.config.set('persistent', ['1']);
  for (const [name, value] of Object.entries(opts.config ?? {})) {
    if (!(CONFIG_VARS as readonly string[]).includes(name)) throw new Error(`unknown room config var: ${name}`);
    room.config.set(name as ConfigVar, Array.isArray(value) ? value : [value]);
  }
  for (const a of opts.admins ?? []) room.setAffiliation(a, 'admin');
  for (const m of opts.members ?? []) room.setAffiliation(m, 'member');
}

export function banFromRoom(core: SimulatorCore, room: string, address: string): void {
  core.conversations.rooms.ban(room, address);
}

export function receiveMessage(core: SimulatorCore, address: string, msg: IncomingMessage): string | undefined {
  const message: Omit<ChatMessage, 'from' | 'ts'> = { typing: msg.typing ?? false };
  if (msg.subject) message.subject = msg.subject;
  if (msg.html !== undefined) {
    const html = parseXhtmlContent(msg.html);
    if (!html) throw new Error('html is not well-formed XHTML');
    message.body = { text: msg.body ?? '', html };
  } else if (msg.body !== undefined) {
    message.body = { text: msg.body };
  }
  return core.conversations.messaging.receive(persona(core, address), msg.from, msg.thread, message);
}
