import { attrOrChild, children, text, type XmlNode } from '../../soap/xml';
import { requiredAttr, requiredElement } from '../args';
import { illegalArgument } from '../faults';
import { historyChatEl } from '../im/chat-notifications';
import { notAMucChat } from '../im/im-faults';
import { configure } from '../im/room-admin';
import { parseVars } from '../im/room-config';
import { addUser, DEFAULT_INVITATION } from '../im/room-invites';
import { readMessage } from './message-input';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMSendMessage (§12.5), IMGetChat (§12.6), IMModifyChat (§12.7). */
export const chatHandlers: HandlerTable = {
  IMSendMessageRequest: { ns: NS.im, auth: true, handle: sendMessage },
  IMGetChatRequest: { ns: NS.im, auth: true, handle: getChat },
  IMModifyChatRequest: { ns: NS.im, auth: true, handle: modifyChat },
};

function sendMessage(ctx: HandlerContext): XmlNode {
  const { core } = ctx;
  const message = requiredElement(ctx.node, 'message');
  // addr is required even with a thread, and resolved (§12.5).
  const addr = core.accounts.resolveImAddress(requiredAttr(message, 'addr'));
  const thread = attrOrChild(message, 'thread');
  const out = readMessage(message);
  const persona = core.im.persona(ctx.account!);
  // Offline: still a success, the message is dropped.
  if (persona.online) core.conversations.messaging.send(persona, addr, thread, out);
  // The response echoes the request's thread, stale or absent as it was.
  return thread === undefined ? {} : { '@_thread': thread };
}

function getChat(ctx: HandlerContext): XmlNode {
  const { core } = ctx;
  // seq is ignored: the whole history, from 0 (§12.6).
  const thread = requiredAttr(ctx.node, 'thread');
  const chat = core.conversations.chats.get(core.im.persona(ctx.account!), thread);
  if (!chat) return { '@_error': 'not_found', '@_thread': thread };
  return { '@_thread': thread, chat: historyChatEl(chat) };
}

function modifyChat(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const thread = requiredAttr(node, 'thread');
  const persona = core.im.persona(ctx.account!);
  const { chats, rooms } = core.conversations;
  const chat = chats.get(persona, thread);
  // Unknown thread: op is not even looked at.
  if (!chat) return { '@_thread': thread, '@_error': 'not_found' };
  const op = requiredAttr(node, 'op').toUpperCase();
  switch (op) {
    case 'CLOSE':
      chats.close(persona, chat);
      break;
    case 'ADDUSER':
      // addr used as given; the invitation text is the request element's own text.
      addUser(rooms, persona, chat, requiredAttr(node, 'addr'), text(node).trim() || DEFAULT_INVITATION);
      break;
    case 'CONFIGURE':
      if (!chat.isMuc) throw notAMucChat(thread);
      configure(rooms, persona, chat, parseVars(children(node, 'var'), text, children));
      break;
    default:
      throw illegalArgument(`No enum constant com.zimbra.cs.service.im.IMModifyChat.Op.${op}`);
  }
  return { '@_thread': thread };
}
