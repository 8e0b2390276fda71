import type { ImService } from './im-service';
import { refusedN, removedN, subscribeN } from './notifications';
import type { Persona } from './persona';
import { isBlockedFor } from './privacy';
import { hasFrom, hasTo, withFrom, withTo } from './roster-store';

/**
 * The subscription protocol between the simulator's users, with RFC 3921 semantics, producing the
 * notifications of §12.2, §12.3 and §13.3 on both sides. Addresses that are not local accounts
 * only ever get the user's own side (nobody answers for them).
 */

/** IMSubscribe op=add (and IMAuthorizeSubscribe add=1). */
export function subscribe(im: ImService, user: Persona, addr: string, name: string, groups: string[]): void {
  const item = user.roster.upsert(addr);
  item.name = name;
  item.groups = groups;
  if (!hasTo(item.subscription)) item.ask = true;
  // The XMPP roster push: `unsubscribed … ask="subscribe"` while pending (§12.2).
  im.pushItem(user, item);
  const contact = im.local(addr);
  if (!contact || contact === user || hasTo(item.subscription)) return;
  const back = contact.roster.get(user.address);
  if (back && hasFrom(back.subscription)) {
    // Already approved: the contact's server answers `subscribed` on its behalf.
    grantTo(im, user, contact);
    return;
  }
  contact.roster.addPending(user.address);
  // Stored server-side either way; the contact's privacy list only stops delivery (§12.10).
  if (contact.online && !contact.deliveredSubscribes.has(user.address) && !isBlockedFor(contact, user.address)) {
    contact.deliveredSubscribes.add(user.address);
    contact.postToListeners(subscribeN(user.address));
  }
}

/** IMAuthorizeSubscribe (§12.3): `user` answers a subscribe request from `addr`. */
export function authorize(im: ImService, user: Persona, addr: string, authorized: boolean): void {
  user.roster.dropPending(addr);
  user.deliveredSubscribes.delete(addr.toLowerCase());
  const requester = im.local(addr);
  const asked = requester?.roster.get(user.address)?.ask ?? true;
  if (authorized) {
    if (!asked) return;
    const item = user.roster.upsert(requester?.address ?? addr);
    if (!hasFrom(item.subscription)) {
      item.subscription = withFrom(item.subscription, true);
      im.pushItem(user, item);
    }
    if (requester) grantTo(im, requester, user);
    return;
  }
  const item = user.roster.get(addr);
  if (item && hasFrom(item.subscription)) {
    item.subscription = withFrom(item.subscription, false);
    im.pushItem(user, item);
  }
  if (requester) revokeTo(im, requester, user);
}

/** IMSubscribe op=remove (§12.2): immediate `unsubscribed` with the request's name/groups; the item stays. */
export function unsubscribe(im: ImService, user: Persona, addr: string, name: string, groups: string): void {
  user.postToListeners(removedN(addr, name, groups));
  const item = user.roster.get(addr);
  const hadTo = item ? hasTo(item.subscription) : false;
  if (item) {
    item.subscription = withTo(item.subscription, false);
    item.ask = false;
    im.pushItem(user, item);
  }
  const contact = im.local(addr);
  if (!contact || contact === user) return;
  contact.roster.dropPending(user.address);
  contact.deliveredSubscribes.delete(user.address);
  const back = contact.roster.get(user.address);
  if (back && hasFrom(back.subscription)) {
    back.subscription = withFrom(back.subscription, false);
    im.pushItem(contact, back);
  }
  if (hadTo) {
    user.buffered.delete(contact.address);
    im.deliverUnavailable(user, contact);
  }
}

/** `subscriber` now sees `contact`: roster push `subscribed`, then the contact's current presence. */
function grantTo(im: ImService, subscriber: Persona, contact: Persona): void {
  const item = subscriber.roster.get(contact.address);
  if (!item) return;
  item.subscription = withTo(item.subscription, true);
  item.ask = false;
  im.pushItem(subscriber, item);
  if (contact.online && contact.available()) im.deliverPresence(subscriber, contact.address, contact.forContacts());
}

/** `contact` refused or revoked `subscriber`: roster push, then `unsubscribed` name=address (§13.3). */
function revokeTo(im: ImService, subscriber: Persona, contact: Persona): void {
  const item = subscriber.roster.get(contact.address);
  if (!item) return;
  const hadTo = hasTo(item.subscription);
  item.subscription = withTo(item.subscription, false);
  item.ask = false;
  im.pushItem(subscriber, item);
  if (subscriber.online && !isBlockedFor(subscriber, contact.address)) subscriber.postToListeners(refusedN(contact.address));
  if (hadTo) {
    subscriber.buffered.delete(contact.address);
    im.deliverUnavailable(subscriber, contact);
  }
}
