import { attrOrChild, type XmlNode } from '../../soap/xml';
import { optionalBool, requiredAttr, requiredBool } from '../args';
import { rosterChatEl } from '../im/chat-notifications';
import { authorize, subscribe, unsubscribe } from '../im/subscriptions';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMGetRoster (§12.1), IMSubscribe (§12.2), IMAuthorizeSubscribe (§12.3). */
export const rosterHandlers: HandlerTable = {
  IMGetRosterRequest: { ns: NS.im, auth: true, handle: getRoster },
  IMSubscribeRequest: { ns: NS.im, auth: true, handle: subscribeRequest },
  IMAuthorizeSubscribeRequest: { ns: NS.im, auth: true, handle: authorizeRequest },
};

function getRoster(ctx: HandlerContext): XmlNode {
  const persona = ctx.core.im.persona(ctx.account!);
  // The roster never travels in the body: it goes to the requesting session, listener or not.
  if (ctx.session) ctx.core.im.rosterSnapshot(persona, ctx.session);
  // Step 2 (§12.1): a privacy-list fetch, answered later to all listeners.
  ctx.core.privacy.fetch(persona);
  const p = persona.effective();
  const presence: XmlNode = { '@_show': p.show };
  if (p.status !== undefined) presence['@_status'] = p.status;
  // Step 3: every open chat's history to the requesting session, seq from 0.
  const chats = ctx.core.conversations.chats;
  if (ctx.session) chats.replay(persona, ctx.session);
  // Chats are always present (possibly empty); each chat element is itself named `chats`.
  const open = chats.list(persona).map(rosterChatEl);
  return { presence, chats: open.length ? { chats: open } : { '#text': '' } };
}

function groupList(groups: string | undefined): string[] {
  return groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [];
}

function subscribeRequest(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const rawAddr = requiredAttr(node, 'addr');
  // `op` is required although the doc says optional; only `remove` removes (§12.2).
  const op = requiredAttr(node, 'op');
  const addr = core.accounts.resolveImAddress(rawAddr);
  const name = attrOrChild(node, 'name') ?? '';
  const groups = attrOrChild(node, 'groups');
  const persona = core.im.persona(ctx.account!);
  if (op.toLowerCase() === 'remove') unsubscribe(core.im, persona, addr, name, groups ?? '');
  else subscribe(core.im, persona, addr, name, groupList(groups));
  return { '@_addr': addr };
}

function authorizeRequest(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  // Not resolved, used as given (§12.3).
  const addr = requiredAttr(node, 'addr');
  const authorized = requiredBool(node, 'authorized');
  const add = optionalBool(node, 'add', false);
  const persona = core.im.persona(ctx.account!);
  authorize(core.im, persona, addr, authorized);
  if (add) subscribe(core.im, persona, addr, attrOrChild(node, 'name') ?? '', groupList(attrOrChild(node, 'groups')));
  return {};
}
