import type { EventData, PrivacyItem } from '../link/events';
import { NS, RequestBody } from '../soap/envelope';

/** The name clients use for "whichever list is the default"; never sent upstream as a name. */
export const DEFAULT_PRIVACY_LIST = 'default';

/**
 * IMGetPrivacyList (§12.10): without `name` the upstream fetches the default list. The response is
 * empty; the list arrives later as a `privacy` notification to every listener session.
 */
export function getPrivacyListRequest(name?: string): RequestBody {
  return { IMGetPrivacyListRequest: { '@_xmlns': NS.im, ...(name !== undefined ? { '@_name': name } : {}) } };
}

/**
 * IMSetPrivacyList (§12.10): `<list>` is required even when empty; without `name` the upstream
 * writes the current default list (or one called `default`). `action` is case-sensitive upstream.
 */
export function setPrivacyListRequest(list: { name?: string; items: readonly PrivacyItem[] }): RequestBody {
  const element: Record<string, unknown> = {};
  if (list.name !== undefined) element['@_name'] = list.name;
  if (list.items.length > 0) {
    element.item = list.items.map((item) => ({ '@_action': item.action, '@_order': String(item.order), '@_addr': item.address }));
  }
  return { IMSetPrivacyListRequest: { '@_xmlns': NS.im, list: element } };
}

/**
 * Whether a `privacyList` event answers an IMGetPrivacyList for `requested` (undefined = the default
 * list). The default list comes back under its real name, which the caller does not know, so the
 * first list to arrive answers; a named request is answered only by a list of that name.
 */
export function answersPrivacyRequest(requested: string | undefined, list: EventData['privacyList']): boolean {
  return requested === undefined || list.name === requested;
}
