import { attrOrChild, type XmlNode } from '../../soap/xml';
import { requiredBool, requiredElement, requiredLong } from '../args';
import { failure, illegalArgument } from '../faults';
import { SHOWS, type Show } from '../im/notifications';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMSetPresence (§12.4) and IMSetIdle (§12.14). */
export const presenceHandlers: HandlerTable = {
  IMSetPresenceRequest: { ns: NS.im, auth: true, handle: setPresence },
  IMSetIdleRequest: { ns: NS.im, auth: true, handle: setIdle },
};

function setPresence(ctx: HandlerContext): XmlNode {
  // Only the first <presence> counts; priority, lang and idle are ignored.
  const el = requiredElement(ctx.node, 'presence');
  const rawShow = attrOrChild(el, 'show') ?? 'ONLINE';
  const show = rawShow.toUpperCase() as Show;
  // Java's Enum.valueOf on an unknown name (§8: becomes service.FAILURE).
  if (!SHOWS.includes(show)) throw illegalArgument(`No enum constant com.zimbra.cs.im.IMPresence.Show.${show}`);
  const status = attrOrChild(el, 'status');
  ctx.core.im.setPresence(ctx.core.im.persona(ctx.account!), status === undefined ? { show } : { show, status });
  return {};
}

function setIdle(ctx: HandlerContext): XmlNode {
  const isIdle = requiredBool(ctx.node, 'isIdle');
  requiredLong(ctx.node, 'idleTime');
  // The doc's SESSION_REQUIRED does not exist; the server throws FAILURE (§12.14).
  if (!ctx.session) throw failure('Must be called in the context of a session');
  // A session that is not a listener is silently ignored.
  ctx.core.im.setIdle(ctx.session, isIdle);
  return {};
}
