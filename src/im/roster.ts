import type { Presence } from '../link/events';
import { mapShow } from '../link/notification-mapper';
import { NS, RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import { attr, child, children, XmlNode } from '../soap/xml';

export function getRosterRequest(): RequestBody {
  return { IMGetRosterRequest: { '@_xmlns': NS.im } };
}

export interface ChatSummary {
  thread: string;
  participants: { address: string }[];
}

export interface RosterResponse {
  presence: Presence;
  chats: ChatSummary[];
}

/**
 * IMGetRosterResponse (§12.1): own presence and open chats only; the contacts come as a `roster`
 * notification. Each chat element is named `chats`, inside a `chats` container.
 */
export function readRosterResponse(body: XmlNode): RosterResponse {
  const presenceNode = child(body, 'presence');
  if (!presenceNode) throw UpstreamError.badResponse('IMGetRosterResponse lacks presence');
  const status = attr(presenceNode, 'status');
  const presence: Presence = { show: mapShow(attr(presenceNode, 'show')), ...(status ? { status } : {}) };
  const chats = children(child(body, 'chats'), 'chats').flatMap((chat): ChatSummary[] => {
    const thread = attr(chat, 'thread');
    if (!thread) return [];
    const participants = children(child(chat, 'pcps'), 'p')
      .map((p) => attr(p, 'addr'))
      .filter((addr): addr is string => !!addr)
      .map((address) => ({ address }));
    return [{ thread, participants }];
  });
  return { presence, chats };
}

export interface ContactChange {
  address: string;
  name?: string;
  groups?: string[];
}

/** IMSubscribe (§12.2): `op` is required upstream; anything but `remove` adds. */
export function subscribeRequest(op: 'add' | 'remove', contact: ContactChange): RequestBody {
  return {
    IMSubscribeRequest: {
      '@_xmlns': NS.im,
      '@_addr': contact.address,
      '@_op': op,
      ...(contact.name !== undefined ? { '@_name': contact.name } : {}),
      ...(contact.groups !== undefined ? { '@_groups': contact.groups.join(',') } : {}),
    },
  };
}

/** The address as the upstream resolved it (an alias maps to the primary name). */
export function readSubscribeResponse(body: XmlNode, requested: string): string {
  return attr(body, 'addr') || requested;
}

/** IMAuthorizeSubscribe (§12.3): answers a pending request; `add` also subscribes back. */
export function authorizeSubscribeRequest(answer: {
  address: string;
  authorize: boolean;
  addToRoster: boolean;
  name?: string;
  groups?: string[];
}): RequestBody {
  return {
    IMAuthorizeSubscribeRequest: {
      '@_xmlns': NS.im,
      '@_addr': answer.address,
      '@_authorized': answer.authorize ? 'true' : 'false',
      '@_add': answer.addToRoster ? 'true' : 'false',
      ...(answer.name !== undefined ? { '@_name': answer.name } : {}),
      ...(answer.groups !== undefined ? { '@_groups': answer.groups.join(',') } : {}),
    },
  };
}
