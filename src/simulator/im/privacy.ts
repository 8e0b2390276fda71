import type { XmlNode } from '../../soap/xml';

/**
 * Privacy lists as the XMPP server stores them (§12.10), and the check it applies to stanzas
 * arriving for a user. Pure: no timers, no notifications.
 *
 * Message delivery should drop a stanza when `isBlockedFor(recipientPersona, senderAddress)` is true.
 */

export type PrivacyAction = 'allow' | 'deny';

export interface PrivacyItem {
  action: PrivacyAction;
  /** Positive and unique within the list; lower is checked first. */
  order: number;
  /** A JID or a bare domain, as the request gave it. */
  addr: string;
}

export interface PrivacyList {
  name: string;
  /** Ascending by order. */
  items: PrivacyItem[];
}

interface Jid {
  node?: string;
  domain: string;
  resource?: string;
}

function parseJid(value: string): Jid {
  const slash = value.indexOf('/');
  const bare = (slash >= 0 ? value.slice(0, slash) : value).toLowerCase();
  const resource = slash >= 0 ? value.slice(slash + 1) : undefined;
  const at = bare.indexOf('@');
  return at >= 0 ? { node: bare.slice(0, at), domain: bare.slice(at + 1), resource } : { domain: bare, resource };
}

/** XEP-0016 jid matching: every part the item names must equal the sender's (a bare domain matches the whole domain). */
export function matches(itemAddr: string, sender: string): boolean {
  const item = parseJid(itemAddr.trim());
  const from = parseJid(sender.trim());
  if (item.domain !== from.domain) return false;
  if (item.node !== undefined && item.node !== from.node) return false;
  return item.resource === undefined || item.resource === from.resource;
}

/** The first item (ascending order) matching the sender decides; no match → delivered. */
export function isBlocked(list: PrivacyList | undefined, sender: string): boolean {
  if (!list) return false;
  const items = [...list.items].sort((a, b) => a.order - b.order);
  const hit = items.find((item) => matches(item.addr, sender));
  return hit?.action === 'deny';
}

/** A user's lists on the XMPP server; kept while the persona is offline. */
export class PrivacyStore {
  private readonly lists = new Map<string, PrivacyList>();
  private defaultListName?: string;

  get defaultName(): string | undefined {
    return this.defaultListName;
  }

  get(name: string): PrivacyList | undefined {
    return this.lists.get(name);
  }

  defaultList(): PrivacyList | undefined {
    return this.defaultListName === undefined ? undefined : this.lists.get(this.defaultListName);
  }

  /** Stores (replaces) a list; the first list stored becomes the default (§12.10). */
  put(list: PrivacyList): void {
    const items = [...list.items].sort((a, b) => a.order - b.order);
    this.lists.set(list.name, { name: list.name, items });
    this.defaultListName ??= list.name;
  }

  names(): string[] {
    return [...this.lists.keys()];
  }
}

/** The per-persona check: the user's default list applied to a stanza from `sender`. */
export function isBlockedFor(persona: { privacy: PrivacyStore }, sender: string): boolean {
  return isBlocked(persona.privacy.defaultList(), sender);
}

/** §13.11: one `<list>` with its items in ascending order; every item blocks all kinds, so no children. */
export function privacyN(list: PrivacyList): XmlNode {
  const items = list.items.map((i) => ({ '@_addr': i.addr, '@_action': i.action, '@_order': String(i.order) }));
  const el: XmlNode = { '@_name': list.name };
  if (items.length) el.item = items;
  return { '@_type': 'privacy', list: el };
}
