import { nonEmpty, nonNegativeInt } from '../link/mapping/values';
import { NS, RequestBody } from '../soap/envelope';
import { attr, child, children, XmlNode } from '../soap/xml';

export { gatewayListRequest } from './account';

export interface GatewayRegistration {
  /** The account name on the remote network. */
  name: string;
  /** Lower-case connection state (§12.11): `online`, `trying_to_connect`, `bad_auth`, `disabled` … */
  state: string;
  /** Milliseconds until the next connect attempt, only while one is scheduled. */
  reconnectInMs?: number;
}

export interface Gateway {
  /** `yahoo`, `msn` …: the `{type}` of the gateway routes. */
  type: string;
  domain: string;
  registration: GatewayRegistration | null;
}

/** The state the upstream's enum starts in, for a registration that names none. */
const INITIAL_STATE = 'start';

/**
 * IMGatewayListResponse (§12.11): one `service` per interop gateway, with only `type` and `domain`;
 * a `registration` child only when the user is registered. A service lacking `type` or `domain` is
 * dropped (it could not be addressed), a repeated type keeps its first entry; a registration lacking
 * `state` reports `start`. An empty response (no gateways on the server) is an empty list.
 */
export function readGatewayListResponse(body: XmlNode): Gateway[] {
  const gateways: Gateway[] = [];
  const seen = new Set<string>();
  for (const service of children(body, 'service')) {
    const type = nonEmpty(attr(service, 'type')?.trim());
    const domain = nonEmpty(attr(service, 'domain')?.trim());
    if (type === undefined || domain === undefined || seen.has(type)) continue;
    seen.add(type);
    gateways.push({ type, domain, registration: readRegistration(child(service, 'registration')) });
  }
  return gateways;
}

function readRegistration(node: XmlNode | undefined): GatewayRegistration | null {
  if (!node) return null;
  const state = nonEmpty(attr(node, 'state')?.trim().toLowerCase()) ?? INITIAL_STATE;
  const reconnectInMs = nonNegativeInt(attr(node, 'timeUntilNextConnect'));
  return { name: attr(node, 'name') ?? '', state, ...(reconnectInMs !== undefined ? { reconnectInMs } : {}) };
}

export type GatewayOp =
  | { op: 'reg'; name: string; password: string }
  | { op: 'unreg' }
  | { op: 'reconnect' };

/**
 * IMGatewayRegister (§12.12): `reg` needs name and password; `reconnect` retries now and re-enables
 * a disabled registration; any other op (we send `unreg`) unregisters. The response always says
 * `result="1"`; progress arrives as `gwStatus` notifications.
 */
export function gatewayRegisterRequest(type: string, change: GatewayOp): RequestBody {
  const element: Record<string, string> = { '@_xmlns': NS.im, '@_op': change.op, '@_service': type };
  if (change.op === 'reg') {
    element['@_name'] = change.name;
    element['@_password'] = change.password;
  }
  return { IMGatewayRegisterRequest: element };
}
