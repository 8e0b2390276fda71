import { isoTime } from '../common/iso-time';
import { attr, child, children, elementNames, text, XmlNode } from '../soap/xml';
import { Contact, EventData, ImEvent, Participant, PrivacyItem, Show, SHOWS } from './events';
import { htmlToText } from './mapping/html-text';
import { bareAddress, commaList, nonEmpty, nonNegativeInt, wireBool } from './mapping/values';

/**
 * Maps one upstream `<n type="…">` notification (from `<notify><im>`) to the typed events of api.md's
 * "Real-time events" table. Pure: no I/O and no state; the only clock read is the documented `sentAt`
 * fallback. Total: whatever the upstream sends, the result is a (possibly empty) list of well-formed
 * events and nothing is thrown.
 *
 * Decisions where api.md is silent:
 * - A notification missing what identifies it is dropped: `thread` for chat notifications, `from` for
 *   messages, presence and subscription requests, `to` (with an `@`) for contacts, `addr` for
 *   participants and invitations, `service` and `state` for gateway status, `service` for otherLocation.
 * - Optional fields are omitted, never `""`; lists are always arrays, de-duplicated, order kept.
 * - Real addresses (contacts, presence, subscription requests, `realAddress`) lose any `/resource`.
 *   Message `from`/`to`, participant `address` and `leftchat` `address` are kept as sent because in rooms
 *   they are nicknames, which may contain "/".
 * - Type names are matched case-insensitively.
 */

export interface MappingContext {
  /** True for `message` notifications that are the IMGetRoster history replay (seq numbered from 0). */
  historyReplay?: boolean;
  /** Clock for the `sentAt` fallback when a message has no usable `ts` (epoch ms). Defaults to `Date.now`. */
  now?: () => number;
}

/** The `seq` given to messages that are not part of the numbered chat history (SYSTEM or no usable seq). */
export const UNSEQUENCED = 0;

const SYSTEM_SENDER = 'SYSTEM';

/** One upstream notification → its events; `[]` for unknown, ignorable or unusable notifications. */
export function mapNotification(n: XmlNode, ctx: MappingContext = {}): ImEvent[] {
  try {
    if (!n || typeof n !== 'object') return [];
    switch ((attr(n, 'type') ?? '').trim().toLowerCase()) {
      case 'roster':
        return [event('roster', { contacts: mapRoster(n) })];
      case 'subscribed':
      case 'unsubscribed':
        return usableContact(n) ? [event('contact', mapRosterItem(n))] : [];
      case 'message':
        return mapMessage(n, ctx);
      case 'presence':
        return mapPresence(n);
      case 'subscribe':
        return mapSubscribe(n);
      case 'enteredchat':
        return mapParticipant(n, 'participantJoined');
      case 'chatpresence':
        return mapParticipant(n, 'participantUpdated');
      case 'leftchat':
        return mapLeftChat(n);
      case 'chatclosed':
        return mapChatClosed(n);
      case 'invited':
        return mapInvited(n);
      case 'gwstatus':
        return mapGatewayStatus(n);
      case 'otherlocation':
        return mapOtherLocation(n);
      case 'privacy':
        return mapPrivacy(n);
      default:
        return [];
    }
  } catch {
    // Unreachable with a parsed document; kept so that no upstream output can ever crash the link.
    return [];
  }
}

/**
 * One roster item (a nested `subscribed`/`unsubscribed` `<n>`, or a standalone one) → Contact.
 * `subscribed` → subscription `to`, anything else → `none`; `pending` = `ask="subscribe"`; `groups` from
 * the comma-joined attribute; `name` omitted when absent or empty (a contact refusing or revoking arrives
 * with name = its address, which is kept as sent). Always returns a Contact: an item without `to` has
 * address `""`, and callers drop items that are not real addresses (see `mapNotification`).
 */
export function mapRosterItem(n: XmlNode): Contact {
  return {
    address: bareAddress((attr(n, 'to') ?? '').trim()),
    ...optional('name', nonEmpty(attr(n, 'name'))),
    groups: commaList(attr(n, 'groups')),
    subscription: attr(n, 'type')?.trim().toLowerCase() === 'subscribed' ? 'to' : 'none',
    pending: attr(n, 'ask')?.trim().toLowerCase() === 'subscribe',
  };
}

/**
 * Upstream show (`ONLINE`, `DND`, … any case) → JSON show. Absent, empty or unknown values are `online`:
 * a presence without a show is XMPP's plain "available", and the upstream's own default is ONLINE.
 */
export function mapShow(upstream: string | undefined): Show {
  const show = (upstream ?? '').trim().toLowerCase();
  return (SHOWS as readonly string[]).includes(show) ? (show as Show) : 'online';
}

// ---- per type -------------------------------------------------------------------------------------

function event<T extends keyof EventData>(type: T, data: EventData[T]): ImEvent {
  return { type, data } as ImEvent;
}

/** Items whose `to` has no `@` (bare domains, gateway transports) are not contacts; the web client ignores them too. */
function usableContact(n: XmlNode): boolean {
  const to = attr(n, 'to') ?? '';
  return to.indexOf('@') > 0;
}

/** The whole roster; items are unique by address (a repeated address keeps its first position and last values). */
function mapRoster(n: XmlNode): Contact[] {
  const byAddress = new Map<string, Contact>();
  for (const item of children(n, 'n')) {
    const type = attr(item, 'type')?.trim().toLowerCase();
    if ((type !== 'subscribed' && type !== 'unsubscribed') || !usableContact(item)) continue;
    const contact = mapRosterItem(item);
    byAddress.set(contact.address, contact);
  }
  return [...byAddress.values()];
}

/**
 * `message`, in this order of precedence:
 * 1. `error=` → `messageError` (`detail` = the body as plain text, omitted when empty).
 * 2. no body and no subject (or both empty) → `typing`; `typing` is whether a `<typing/>` child is present.
 * 3. otherwise → `message`. A `<typing/>` that came along with text yields only the message.
 *
 * `seq` counts from 1 as everywhere in the API: live notifications as sent, the history replay + 1.
 * Messages outside the numbered history, i.e. from `SYSTEM` (always seq 0 upstream) or with no usable seq,
 * get `seq` 0 (UNSEQUENCED), which never collides with a real message.
 */
function mapMessage(n: XmlNode, ctx: MappingContext): ImEvent[] {
  const thread = nonEmpty(attr(n, 'thread'));
  const from = nonEmpty(attr(n, 'from'));
  if (thread === undefined || from === undefined) return [];

  const body = readBody(n);
  const error = nonEmpty(attr(n, 'error')?.trim());
  if (error !== undefined) {
    return [event('messageError', { thread, from, condition: error, ...optional('detail', nonEmpty(body.text)) })];
  }

  const subject = readSubject(n);
  if (body.raw === '' && subject === '') {
    return [event('typing', { thread, from, typing: child(n, 'typing') !== undefined })];
  }

  return [
    event('message', {
      thread,
      from,
      ...optional('to', nonEmpty(attr(n, 'to'))),
      seq: messageSeq(n, from, ctx),
      sentAt: sentAt(n, ctx),
      text: body.text,
      ...optional('html', body.html),
      ...optional('subject', nonEmpty(subject)),
    }),
  ];
}

/**
 * The first `<body>`. With `html="1"` (or `true`) its text is escaped XHTML: `html` is that XHTML and `text`
 * its plain text. Without the attribute or with `html="0"` it is plain text and `html` is omitted.
 */
function readBody(n: XmlNode): { raw: string; text: string; html?: string } {
  const body = child(n, 'body');
  const raw = text(body);
  if (raw !== '' && wireBool(attr(body, 'html'))) return { raw, text: htmlToText(raw), html: raw };
  return { raw, text: raw };
}

/**
 * The subject, reproducing the upstream bug: it writes the subject as the name of a child element
 * (`<subject><hi/></subject>` means "hi"). A plain-text subject is accepted too and wins when present.
 * Returns '' when there is none.
 */
function readSubject(n: XmlNode): string {
  const subject = child(n, 'subject');
  if (!subject) return '';
  const plain = text(subject).trim();
  if (plain !== '') return plain;
  return elementNames(subject)[0] ?? '';
}

function messageSeq(n: XmlNode, from: string, ctx: MappingContext): number {
  const seq = nonNegativeInt(attr(n, 'seq'));
  if (from === SYSTEM_SENDER || seq === undefined) return UNSEQUENCED;
  return ctx.historyReplay ? seq + 1 : seq;
}

/** `ts` (epoch ms) as ISO-8601 UTC; when absent or unusable, the time of mapping. */
function sentAt(n: XmlNode, ctx: MappingContext): string {
  return isoTime(nonNegativeInt(attr(n, 'ts')) ?? (ctx.now ?? Date.now)());
}

/** `presence`: status omitted when absent or empty (a contact going offline sends `status=""`). */
function mapPresence(n: XmlNode): ImEvent[] {
  const address = realAddress(attr(n, 'from'));
  if (address === undefined) return [];
  return [
    event('presence', {
      address,
      show: mapShow(attr(n, 'show')),
      ...optional('status', nonEmpty(attr(n, 'status'))),
    }),
  ];
}

function mapSubscribe(n: XmlNode): ImEvent[] {
  const from = realAddress(attr(n, 'from'));
  return from === undefined ? [] : [event('subscriptionRequest', { from })];
}

/** A bare address, or undefined when nothing is left without the resource (`/res`). */
function realAddress(value: string | undefined): string | undefined {
  return nonEmpty(bareAddress(value?.trim() ?? ''));
}

/**
 * `enteredchat`/`chatpresence`: the participant is the nested `<p>`; without one (or without its `addr`)
 * the attributes of the `<n>` itself are used. MUC `error` names have no place in these events and are
 * not reported.
 */
function mapParticipant(n: XmlNode, type: 'participantJoined' | 'participantUpdated'): ImEvent[] {
  const thread = nonEmpty(attr(n, 'thread'));
  if (thread === undefined) return [];
  const p = child(n, 'p');
  const source = p && nonEmpty(attr(p, 'addr')) !== undefined ? p : n;
  const participant = mapParticipantElement(source);
  if (!participant) return [];
  return [event(type, { thread, participant, statuses: commaList(attr(n, 'status')) })];
}

function mapParticipantElement(p: XmlNode): Participant | undefined {
  const address = nonEmpty(attr(p, 'addr'));
  if (address === undefined) return undefined;
  return {
    address,
    ...optional('realAddress', realAddress(attr(p, 'fulladdr'))),
    ...optional('role', nonEmpty(attr(p, 'role')?.trim().toLowerCase())),
    ...optional('affiliation', nonEmpty(attr(p, 'affiliation')?.trim().toLowerCase())),
    me: wireBool(attr(p, 'me')),
  };
}

function mapLeftChat(n: XmlNode): ImEvent[] {
  const thread = nonEmpty(attr(n, 'thread'));
  const address = nonEmpty(attr(n, 'addr'));
  if (thread === undefined || address === undefined) return [];
  return [
    event('participantLeft', {
      thread,
      address,
      me: wireBool(attr(n, 'me')),
      statuses: commaList(attr(n, 'status')),
      errors: commaList(attr(n, 'error')),
    }),
  ];
}

function mapChatClosed(n: XmlNode): ImEvent[] {
  const thread = nonEmpty(attr(n, 'thread'));
  return thread === undefined ? [] : [event('chatClosed', { thread })];
}

/** `invited`: `room` is the room's address (needed to accept), `message` the inviter's words (invitationWords). */
function mapInvited(n: XmlNode): ImEvent[] {
  const thread = nonEmpty(attr(n, 'thread'));
  const room = realAddress(attr(n, 'addr'));
  if (thread === undefined || room === undefined) return [];
  return [event('invitation', { thread, room, message: invitationWords(text(n), room) })];
}

/**
 * The inviter's own words in an invitation text (§13.9), trimmed. The upstream appends its
 * ` (/join ROOM)` hint to the invitation reason, and without a reason says
 * `<inviter> has invited you into a groupchat  (/join ROOM)`: that gives `''`, there are no words.
 * A text without the hint for this room (the invitation's message body) is the inviter's as it is.
 */
export function invitationWords(invitationText: string, room: string): string {
  const text = invitationText.trim();
  const hint = ` (/join ${room.toLowerCase()})`;
  if (!text.toLowerCase().endsWith(hint) && text.toLowerCase() !== hint.trim()) return text;
  const words = text.slice(0, Math.max(0, text.length - hint.length)).trim();
  return /^\S+ has invited you into a groupchat$/.test(words) ? '' : words;
}

/** `gwStatus`: `timeUntilNextConnect` is a string of milliseconds; omitted unless a non-negative integer. */
function mapGatewayStatus(n: XmlNode): ImEvent[] {
  const type = nonEmpty(attr(n, 'service')?.trim());
  const state = nonEmpty(attr(n, 'state')?.trim().toLowerCase());
  if (type === undefined || state === undefined) return [];
  return [event('gatewayStatus', { type, state, ...optional('reconnectInMs', nonNegativeInt(attr(n, 'timeUntilNextConnect'))) })];
}

/** `otherLocation`: a missing `username` becomes `""` (the event still tells the client it was logged out). */
function mapOtherLocation(n: XmlNode): ImEvent[] {
  const type = nonEmpty(attr(n, 'service')?.trim());
  if (type === undefined) return [];
  return [event('gatewayOtherLocation', { type, username: attr(n, 'username') ?? '' })];
}

/**
 * `privacy`: one `privacyList` per `<list>` (the upstream sends exactly one); a notification without any
 * `<list>` is the empty default list. `name` defaults to `default`. Items are sorted by order (stable);
 * items without a positive integer order, an `addr`, or an `allow`/`deny` action are skipped. Items that
 * block only some stanza kinds (`message`, `presence-in`… children; only possible for lists made outside
 * SOAP) are reported as plain allow/deny items: the API has no way to express the partial form.
 */
function mapPrivacy(n: XmlNode): ImEvent[] {
  const lists = children(n, 'list');
  if (lists.length === 0) return [event('privacyList', { name: 'default', items: [] })];
  return lists.map((list) => event('privacyList', { name: nonEmpty(attr(list, 'name')) ?? 'default', items: mapPrivacyItems(list) }));
}

function mapPrivacyItems(list: XmlNode): PrivacyItem[] {
  const items: PrivacyItem[] = [];
  for (const item of children(list, 'item')) {
    const order = nonNegativeInt(attr(item, 'order'));
    const action = attr(item, 'action')?.trim().toLowerCase();
    const address = nonEmpty(attr(item, 'addr')?.trim());
    if (order === undefined || order === 0 || address === undefined) continue;
    if (action !== 'allow' && action !== 'deny') continue;
    items.push({ order, action, address });
  }
  return items.sort((a, b) => a.order - b.order);
}

/** `{ key: value }` when there is a value, else `{}`: spread it so absent optional fields are omitted, not `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
