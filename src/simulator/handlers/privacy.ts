import { attrOrChild, buildXml, children, type XmlNode } from '../../soap/xml';
import { requiredAttr, requiredElement, requiredLong } from '../args';
import { illegalArgument, invalidRequest } from '../faults';
import type { PrivacyItem } from '../im/privacy';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMGetPrivacyList / IMSetPrivacyList (§12.10); the lists themselves travel as notifications (§13.11). */
export const privacyHandlers: HandlerTable = {
  IMGetPrivacyListRequest: { ns: NS.im, auth: true, handle: getPrivacyList },
  IMSetPrivacyListRequest: { ns: NS.im, auth: true, handle: setPrivacyList },
};

function getPrivacyList(ctx: HandlerContext): XmlNode {
  const persona = ctx.core.im.persona(ctx.account!);
  ctx.core.privacy.fetch(persona, attrOrChild(ctx.node, 'name'));
  return {};
}

/** The item as the server's Element.toString() quotes it in fault messages. */
const quote = (item: XmlNode) => buildXml({ item });

function readItem(item: XmlNode): PrivacyItem {
  // Enum.valueOf: case-sensitive, anything else is an IllegalArgumentException (→ service.FAILURE).
  const action = requiredAttr(item, 'action');
  if (action !== 'allow' && action !== 'deny') {
    throw illegalArgument(`No enum constant com.zimbra.cs.im.PrivacyListEntry.Action.${action}`);
  }
  // (int) of a long, then a check whose message says ">= 0" although 0 is refused.
  const order = Number(BigInt.asIntN(32, BigInt(requiredLong(item, 'order'))));
  if (order <= 0) throw invalidRequest(`Order must be >= 0 in item ${quote(item)}`);
  // A JID or a bare domain, not resolved (§12.10).
  const addr = requiredAttr(item, 'addr');
  return { action, order, addr };
}

function setPrivacyList(ctx: HandlerContext): XmlNode {
  const list = requiredElement(ctx.node, 'list');
  const items: PrivacyItem[] = [];
  for (const el of children(list, 'item')) {
    const item = readItem(el);
    if (items.some((i) => i.order === item.order)) {
      throw invalidRequest(`Order must be unique for every item within list.  Problem at entry: ${quote(el)}`);
    }
    items.push(item);
  }
  const persona = ctx.core.im.persona(ctx.account!);
  ctx.core.privacy.set(persona, { name: attrOrChild(list, 'name'), items });
  return {};
}
