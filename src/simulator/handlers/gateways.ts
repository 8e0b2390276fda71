import type { XmlNode } from '../../soap/xml';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** Interop gateways the simulated server offers; registrations come later. */
const GATEWAY_TYPES = ['aim', 'icq', 'msn', 'yahoo'];

/** IMGatewayListRequest (§12.11), whose side effect is IM listener registration (§4). */
export const gatewayHandlers: HandlerTable = {
  IMGatewayListRequest: { ns: NS.im, auth: true, handle: gatewayList },
};

function gatewayList(ctx: HandlerContext): XmlNode {
  const account = ctx.account!;
  // The "hacky side-effect": the only way a session becomes an IM listener.
  if (ctx.session) ctx.core.im.registerListener(ctx.session);
  return { service: GATEWAY_TYPES.map((type) => ({ '@_type': type, '@_domain': `${type}.${account.domain}` })) };
}
