import { commaList, nonEmpty } from '../link/mapping/values';
import { NS, RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import { attr, children, XmlNode } from '../soap/xml';

/** A conference service or a room, as the listings name them. */
export interface NamedAddress {
  name: string;
  address: string;
}

/** IMListConferenceServices (§12.13): disco on the user's domain; conference/text items only. */
export function listConferenceServicesRequest(): RequestBody {
  return { IMListConferenceServicesRequest: { '@_xmlns': NS.im } };
}

/** `<svc name addr/>*`. */
export function readConferenceServicesResponse(body: XmlNode): NamedAddress[] {
  return readNamedAddresses(children(body, 'svc'));
}

/** IMListConferenceRooms (§12.13): `svc` is required upstream although the doc's example omits it. */
export function listConferenceRoomsRequest(service: string): RequestBody {
  return { IMListConferenceRoomsRequest: { '@_xmlns': NS.im, '@_svc': service } };
}

/** `<room name addr/>*`. */
export function readConferenceRoomsResponse(body: XmlNode): NamedAddress[] {
  return readNamedAddresses(children(body, 'room'));
}

/**
 * Entries without an address cannot be used and are dropped; a repeated address keeps its first
 * entry; a missing or empty name falls back to the address.
 */
function readNamedAddresses(nodes: XmlNode[]): NamedAddress[] {
  const out: NamedAddress[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    const address = nonEmpty(attr(node, 'addr')?.trim());
    if (address === undefined || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    out.push({ name: nonEmpty(attr(node, 'name')?.trim()) ?? address, address });
  }
  return out;
}

export interface JoinRoom {
  /** The room's bare address. */
  address: string;
  /** Sent as `nick`: the upstream ignores the `nickname` the doc names and uses the local part. */
  nickname?: string;
  password?: string;
  /** Join into this chat (an invitation's thread); otherwise the upstream uses the room's local part. */
  thread?: string;
}

/** IMJoinConferenceRoom (§12.9). */
export function joinConferenceRoomRequest(join: JoinRoom): RequestBody {
  return {
    IMJoinConferenceRoomRequest: {
      '@_xmlns': NS.im,
      '@_addr': join.address,
      ...(join.nickname !== undefined ? { '@_nick': join.nickname } : {}),
      ...(join.password !== undefined ? { '@_password': join.password } : {}),
      ...(join.thread !== undefined ? { '@_thread': join.thread } : {}),
    },
  };
}

export interface JoinResult {
  thread: string;
  /** The room did not exist and this join created it (status `NewRoomCreated`). */
  created: boolean;
  /** The upstream's MUC status names, in the order sent. */
  statuses: string[];
}

export const NEW_ROOM_CREATED = 'NewRoomCreated';
/** The code for a join the room never answered (the upstream then sends only `thread`). */
export const NO_RESPONSE_FROM_REMOTE = 'no_response_from_remote';

/**
 * IMJoinConferenceRoomResponse (§12.9): `thread`, and comma-joined MUC code names in `status`
 * (below 400) and `error` (400 and up). An error refuses the join: its first name becomes the
 * problem code (`PasswordRequired`, `NicknameConflict` …). Neither status nor error means the room
 * did not answer within the upstream's wait, so whether we are in is unknown: `no_response_from_remote`.
 * `thread` is always sent; without it the requested thread or the room's local part is used, as the
 * upstream would have.
 */
export function readJoinConferenceRoomResponse(body: XmlNode, join: JoinRoom): JoinResult {
  const errors = commaList(attr(body, 'error'));
  if (errors.length > 0) {
    throw UpstreamError.result(errors[0], `the room refused the join: ${errors.join(', ')}`);
  }
  const statuses = commaList(attr(body, 'status'));
  if (statuses.length === 0) {
    throw UpstreamError.result(NO_RESPONSE_FROM_REMOTE, `the room ${join.address} did not answer the join in time`);
  }
  const thread = nonEmpty(attr(body, 'thread')) ?? join.thread ?? roomLocalPart(join.address);
  return { thread, created: statuses.includes(NEW_ROOM_CREATED), statuses };
}

function roomLocalPart(address: string): string {
  const at = address.indexOf('@');
  return at > 0 ? address.slice(0, at) : address;
}
