import type { Show } from '../link/events';
import { NS, RequestBody } from '../soap/envelope';

/** IMSetPresence (§12.4): show is an upper-case enum on the wire; priority and lang are ignored upstream. */
export function setPresenceRequest(presence: { show: Show; status?: string }): RequestBody {
  const element: Record<string, string> = { '@_show': presence.show.toUpperCase() };
  if (presence.status !== undefined && presence.status !== '') element['@_status'] = presence.status;
  return { IMSetPresenceRequest: { '@_xmlns': NS.im, presence: element } };
}

/** IMSetIdle (§12.14): both attributes are required; the session must be a registered listener. */
export function setIdleRequest(idle: boolean, idleSeconds: number): RequestBody {
  return { IMSetIdleRequest: { '@_xmlns': NS.im, '@_isIdle': idle ? '1' : '0', '@_idleTime': String(idleSeconds) } };
}
