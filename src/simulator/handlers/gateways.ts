import type { XmlNode } from '../../soap/xml';
import { requiredAttr } from '../args';
import { illegalArgument } from '../faults';
import { GATEWAY_TYPES, isGatewayType, type GatewayRegistration, type GatewayType } from '../im/gateways';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** IMGatewayListRequest (§12.11), whose side effect is IM listener registration (§4), and IMGatewayRegister (§12.12). */
export const gatewayHandlers: HandlerTable = {
  IMGatewayListRequest: { ns: NS.im, auth: true, handle: gatewayList },
  IMGatewayRegisterRequest: { ns: NS.im, auth: true, handle: gatewayRegister },
};

function registrationEl(reg: GatewayRegistration, now: number): XmlNode {
  const el: XmlNode = { '@_name': reg.name, '@_state': reg.state };
  // Only while a reconnect is scheduled; a number here (§9).
  if (reg.retry && reg.dueAt !== undefined) el['@_timeUntilNextConnect'] = String(Math.max(0, reg.dueAt - now));
  return el;
}

function gatewayList(ctx: HandlerContext): XmlNode {
  const { core } = ctx;
  const account = ctx.account!;
  // The "hacky side-effect": the only way a session becomes an IM listener.
  if (ctx.session) core.im.registerListener(ctx.session);
  const now = core.clock.now();
  return {
    service: GATEWAY_TYPES.map((type) => {
      const service: XmlNode = { '@_type': type, '@_domain': `${type}.${account.domain}` };
      const reg = core.gateways.get(account, type);
      if (reg) service.registration = registrationEl(reg, now);
      return service;
    }),
  };
}

function gatewayRegister(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const account = ctx.account!;
  const op = requiredAttr(node, 'op');
  const service = requiredAttr(node, 'service');
  // Ops are compared case-sensitively; reg reads name and password before the service is looked up.
  const name = op === 'reg' ? requiredAttr(node, 'name') : undefined;
  const password = op === 'reg' ? requiredAttr(node, 'password') : undefined;
  const type = serviceType(service);
  if (name !== undefined && password !== undefined) core.gateways.register(account, type, name, password);
  else if (op === 'reconnect') core.gateways.reconnect(account, type);
  else core.gateways.unregister(account, type);
  return { '@_result': '1' };
}

/** ServiceName.valueOf: an unknown type is an IllegalArgumentException (→ service.FAILURE). */
function serviceType(service: string): GatewayType {
  if (!isGatewayType(service)) throw illegalArgument(`No enum constant com.zimbra.cs.im.interop.Interop.ServiceName.${service}`);
  return service;
}
