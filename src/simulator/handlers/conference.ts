import { attrOrChild, type XmlNode } from '../../soap/xml';
import { optionalBool, requiredAttr } from '../args';
import { invalidRequest } from '../faults';
import { notAConferenceService, notLoggedIn } from '../im/im-faults';
import { configuration } from '../im/room-admin';
import { SERVICE_NAME } from '../im/rooms';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMJoinConferenceRoom (§12.9), IMGetChatConfiguration (§12.8), IMListConferenceServices/Rooms (§12.13). */
export const conferenceHandlers: HandlerTable = {
  IMJoinConferenceRoomRequest: { ns: NS.im, auth: true, handle: joinRoom },
  IMGetChatConfigurationRequest: { ns: NS.im, auth: true, handle: getChatConfiguration },
  IMListConferenceServicesRequest: { ns: NS.im, auth: true, handle: listServices },
  IMListConferenceRoomsRequest: { ns: NS.im, auth: true, handle: listRooms },
};

function joinRoom(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const addr = requiredAttr(node, 'addr');
  // The attribute is `nick`; the `nickname` that clients send is ignored.
  const nick = attrOrChild(node, 'nick');
  const password = attrOrChild(node, 'password');
  const thread = attrOrChild(node, 'thread') || addr.slice(0, Math.max(0, addr.indexOf('@'))) || addr;
  const persona = core.im.persona(ctx.account!);
  // Offline, or no room service there: no answer, so only the thread (the real server waits 5 s first).
  const outcome = persona.online ? core.conversations.rooms.join(persona, addr, { nick, password, thread }) : undefined;
  const response: XmlNode = { '@_thread': thread };
  if (outcome?.status.length) response['@_status'] = outcome.status.join(',');
  if (outcome?.error.length) response['@_error'] = outcome.error.join(',');
  return response;
}

function getChatConfiguration(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const thread = attrOrChild(node, 'thread');
  const addr = attrOrChild(node, 'addr');
  if (thread === undefined && addr === undefined) {
    throw invalidRequest('Missing required argument -- one of (thread, addr) must be specified');
  }
  const ownerForm = optionalBool(node, 'requestOwnerConfig', false);
  const persona = core.im.persona(ctx.account!);
  const response: XmlNode = thread === undefined ? {} : { '@_thread': thread };
  let roomAddr = addr!;
  if (thread !== undefined) {
    const chat = core.conversations.chats.get(persona, thread);
    if (!chat) return { ...response, '@_error': 'not_found' };
    // A 1:1 chat: no room, no error.
    if (!chat.room) return response;
    roomAddr = chat.room;
  }
  if (!persona.online) throw notLoggedIn();
  const result = configuration(core.conversations.rooms, persona, roomAddr, ownerForm);
  if ('error' in result) return { ...response, '@_error': result.error };
  const room: XmlNode = thread === undefined ? { '@_addr': roomAddr } : { '@_threadId': thread, '@_addr': roomAddr };
  if (result.owner) room['@_owner'] = '1';
  if (result.vars.length) room.var = result.vars;
  return { ...response, room };
}

function listServices(ctx: HandlerContext): XmlNode {
  const persona = ctx.core.im.persona(ctx.account!);
  if (!persona.online) throw notLoggedIn();
  return { svc: [{ '@_name': SERVICE_NAME, '@_addr': `conference.${persona.account.domain}` }] };
}

function listRooms(ctx: HandlerContext): XmlNode {
  const { core } = ctx;
  // svc is required although the doc's example omits it (§12.13).
  const svc = requiredAttr(ctx.node, 'svc');
  const persona = core.im.persona(ctx.account!);
  if (!persona.online) throw notLoggedIn();
  const { rooms } = core.conversations;
  if (!rooms.isService(svc)) throw notAConferenceService(svc);
  const listed = rooms.all().filter((r) => r.service.toLowerCase() === svc.toLowerCase() && !r.locked && r.config.get('publicroom')?.[0] === '1');
  return listed.length ? { room: listed.map((r) => ({ '@_name': r.name, '@_addr': r.addr })) } : {};
}
