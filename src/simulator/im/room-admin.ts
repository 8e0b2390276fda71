import type { XmlNode } from '../../soap/xml';
import type { Chat } from './chat';
import { notAllowed, noResponse } from './im-faults';
import type { Persona } from './persona';
import type { Room } from './room';
import { formVars, type ConfigValues, type ConfigVar } from './room-config';
import type { RoomService } from './rooms';

/** Vars the room computes; writes to them are ignored. */
const COMPUTED: ReadonlySet<ConfigVar> = new Set(['open', 'creationdate', 'numoccupants', 'contactid']);

/** IMModifyChat configure (§12.7) on a MUC chat: only an owner inside the room may; it unlocks the room. */
export function configure(rooms: RoomService, persona: Persona, chat: Chat, vars: ConfigValues): void {
  const roomAddr = chat.room!;
  if (!persona.online) throw noResponse(roomAddr, 'configuring room');
  const room = rooms.get(roomAddr);
  // The room answers forbidden (an auth-type error) to anyone but an owner (→ im.NOT_ALLOWED).
  if (!room || !chat.joined || room.affiliationOf(persona.address) !== 'owner') throw notAllowed(roomAddr);
  for (const [name, values] of vars) {
    if (COMPUTED.has(name)) continue;
    if (name === 'owners' || name === 'admins') setAffiliations(room, name === 'owners' ? 'owner' : 'admin', values);
    else room.config.set(name, values);
  }
  room.locked = false;
}

function setAffiliations(room: Room, affiliation: 'owner' | 'admin', addresses: string[]): void {
  for (const old of room.withAffiliation(affiliation)) room.setAffiliation(old, 'none');
  for (const address of addresses) room.setAffiliation(address, affiliation);
}

export type ConfigurationResult = { error: string } | { owner: boolean; vars: XmlNode[] };

/** IMGetChatConfiguration for a room address (§12.8): the info form, or the owner form for an owner. */
export function configuration(rooms: RoomService, persona: Persona, roomAddr: string, ownerForm: boolean): ConfigurationResult {
  const at = roomAddr.indexOf('@');
  if (at <= 0 || !rooms.isService(roomAddr.slice(at + 1))) return { error: 'not_a_conference_room' };
  const room = rooms.get(roomAddr);
  const isOwner = room?.affiliationOf(persona.address) === 'owner';
  if (!room || (room.locked && !isOwner)) return { error: 'not_found' };
  if (ownerForm && !isOwner) return { error: 'not_allowed' };
  const membersOnly = room.config.get('membersonly')?.[0] === '1';
  const vars = formVars(room.config, ownerForm, {
    open: [membersOnly ? '0' : '1'],
    creationdate: [xmppStamp(room.createdAt)],
    numoccupants: [String(room.occupants.size)],
    owners: room.withAffiliation('owner'),
    admins: room.withAffiliation('admin'),
    contactid: room.withAffiliation('owner').slice(0, 1),
  });
  return { owner: ownerForm, vars };
}

/** `yyyyMMddTHH:mm:ss` UTC, the XMPP legacy stamp. */
function xmppStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/-/g, '');
}
