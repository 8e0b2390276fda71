import type { XmlNode } from '../../soap/xml';
import { hasTo, type RosterItem } from './roster-store';

/** Builders for the `<n>` notifications of §13, attribute for attribute. */

export type Show = 'ONLINE' | 'CHAT' | 'AWAY' | 'XA' | 'DND' | 'OFFLINE';
export const SHOWS: readonly Show[] = ['ONLINE', 'CHAT', 'AWAY', 'XA', 'DND', 'OFFLINE'];

export interface Presence {
  show: Show;
  status?: string;
}

/** A contact going fully unavailable: `show="OFFLINE" status=""` (§11, §13.4). */
export const UNAVAILABLE: Presence = Object.freeze({ show: 'OFFLINE', status: '' });

/** §13.4: only from, show and status (status only when there is one). */
export function presenceN(from: string, p: Presence): XmlNode {
  const n: XmlNode = { '@_type': 'presence', '@_from': from, '@_show': p.show };
  if (p.status !== undefined) n['@_status'] = p.status;
  return n;
}

/** §13.3 from a roster item: `subscribed` when the user sees them (to/both), else `unsubscribed`. */
export function itemN(item: RosterItem): XmlNode {
  const to = hasTo(item.subscription);
  const n: XmlNode = { '@_type': to ? 'subscribed' : 'unsubscribed' };
  if (item.name) n['@_name'] = item.name;
  n['@_groups'] = item.groups.join(',');
  // Only ask="subscribe" is ever written (§13.3).
  if (item.ask && !to) n['@_ask'] = 'subscribe';
  n['@_to'] = item.addr;
  return n;
}

/** §13.1: the whole roster, one nested entry per item. */
export function rosterN(items: RosterItem[]): XmlNode {
  return { '@_type': 'roster', n: items.map(itemN) };
}

/** §13.5. */
export function subscribeN(from: string): XmlNode {
  return { '@_type': 'subscribe', '@_from': from };
}

/** §12.2 remove: name and groups as the request gave them. */
export function removedN(to: string, name: string, groups: string): XmlNode {
  return { '@_type': 'unsubscribed', '@_name': name, '@_groups': groups, '@_to': to };
}

/** §13.3: a contact refusing or revoking: name = the address, no groups. */
export function refusedN(from: string): XmlNode {
  return { '@_type': 'unsubscribed', '@_name': from, '@_to': from };
}
