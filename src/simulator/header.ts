import type { XmlNode } from '../soap/xml';
import type { HandlerContext } from './handlers/registry';

/** Minimal mailbox refresh: enough for a client to see "this is a new session" (§3). */
const REFRESH: XmlNode = {
  version: '7.2.7_GA_2942 (simulator)',
  mbx: { '@_s': '0' },
  folder: { '@_id': '1', '@_name': 'USER_ROOT' },
};

/**
 * The response `<context>` content, children in the server's order (§3): session (id attribute
 * and text), change, refresh (new session only), then the notify blocks of §5.
 */
export function buildHeader(ctx: HandlerContext): XmlNode {
  const header: XmlNode = {};
  const session = ctx.session && !ctx.session.ended ? ctx.session : undefined;
  if (session) header.session = { '@_id': session.id, '#text': session.id };
  // No mailbox here, so the change token never moves.
  if (session || ctx.account) header.change = { '@_token': '1' };
  if (session && ctx.sessionCreated) header.refresh = structuredClone(REFRESH);
  if (session) {
    const blocks = session.queue.serialize(ctx.context.ack);
    if (blocks.length) header.notify = blocks;
  }
  return header;
}
