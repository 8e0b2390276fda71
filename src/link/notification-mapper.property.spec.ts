import fc from 'fast-check';
import { buildXml, parseXml, XmlNode } from '../soap/xml';
import { EVENT_TYPES, ImEvent, SHOWS } from './events';
import { mapNotification } from './notification-mapper';

/** Attribute values as the upstream (or a broken one) might write them. */
const value = fc.oneof(
  fc.constantFrom('', ' ', 'bob@example.com', 'bob@example.com/zcs', ' carol@example.com ', '/res', '@x', 'x@', 'room', 'SYSTEM',
    'ONLINE', 'away', 'DND', 'nonsense', '0', '1', '3', '-1', '1.5', '1290000000000', '99999999999999999', 'true', 'subscribe',
    'allow', 'deny', 'DENY', 'Friends,Work', ' , ,a,a', 'NewRoomCreated,OccupantPresence', 'trying_to_connect', 'yahoo', 'default'),
  fc.string({ maxLength: 6 }),
);
const attrs = (names: string[]) =>
  fc.dictionary(fc.constantFrom(...names.map((n) => `@_${n}`)), value, { maxKeys: names.length });

const N_ATTRS = ['type', 'from', 'to', 'thread', 'seq', 'ts', 'error', 'show', 'status', 'name', 'groups', 'ask', 'addr', 'me', 'service', 'state', 'timeUntilNextConnect', 'username'];
const TYPES = ['roster', 'subscribed', 'unsubscribed', 'message', 'presence', 'subscribe', 'enteredchat', 'chatpresence', 'leftchat',
  'chatclosed', 'invited', 'gwStatus', 'otherLocation', 'privacy', 'PRESENCE', ' message ', 'unknown', ''];

const body = fc.record({ '@_html': fc.constantFrom('0', '1', 'true', ''), '#text': fc.constantFrom('', 'hi', '&lt;b&gt;bold&lt;/b&gt;', '<b></b>', ' ') }, { requiredKeys: [] });
const leaf = attrs(['type', 'to', 'name', 'groups', 'ask']);
const item = attrs(['addr', 'action', 'order']);
const notification: fc.Arbitrary<XmlNode> = fc
  .record(
    {
      attributes: attrs(N_ATTRS),
      type: fc.constantFrom(...TYPES),
      body: fc.option(body, { nil: undefined }),
      subject: fc.option(fc.constantFrom<XmlNode | string>('', 'plain', { hi: '' }, { '#text': ' topic ' }), { nil: undefined }),
      typing: fc.option(fc.constant(''), { nil: undefined }),
      p: fc.option(attrs(['addr', 'fulladdr', 'role', 'affiliation', 'me']), { nil: undefined }),
      n: fc.option(fc.array(leaf, { maxLength: 3 }), { nil: undefined }),
      list: fc.option(fc.array(fc.record({ attributes: attrs(['name']), item: fc.array(item, { maxLength: 3 }) }), { maxLength: 2 }), { nil: undefined }),
      text: fc.option(fc.constantFrom('', 'Please join', ' x '), { nil: undefined }),
    },
    { requiredKeys: ['attributes', 'type'] },
  )
  .map(({ attributes, type, list, text, ...rest }) => {
    const node: XmlNode = { ...attributes, '@_type': type };
    for (const [key, v] of Object.entries(rest)) if (v !== undefined) node[key] = v;
    if (list) node.list = list.map((l) => ({ ...l.attributes, item: l.item }));
    if (text !== undefined) node['#text'] = text;
    return node;
  });

// ---- the api.md shapes ----------------------------------------------------------------------------

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const filled: Check = (v) => typeof v === 'string' && v !== '';
const bool: Check = (v) => typeof v === 'boolean';
const nat: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const strings: Check = (v) => Array.isArray(v) && v.every(filled);
const oneOf = (...allowed: unknown[]): Check => (v) => allowed.includes(v);
const arrayOf = (check: Check): Check => (v) => Array.isArray(v) && v.every(check);
/** Every required key passes, optional keys are absent or pass, nothing else is there (so no `undefined` and no `""` optionals). */
const shape = (required: Record<string, Check>, optional: Record<string, Check> = {}): Check => (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    Object.entries(required).every(([k, check]) => k in o && check(o[k])) &&
    Object.entries(optional).every(([k, check]) => !(k in o) || check(o[k])) &&
    Object.keys(o).every((k) => k in required || k in optional)
  );
};
const contact = shape({ address: filled, groups: strings, subscription: oneOf('to', 'none'), pending: bool }, { name: filled });
const participant = shape({ address: filled, me: bool }, { realAddress: filled, role: filled, affiliation: filled });
const iso: Check = (v) => typeof v === 'string' && new Date(v).toISOString() === v;

const SHAPES: Record<string, Check> = {
  roster: shape({ contacts: arrayOf(contact) }),
  contact,
  message: shape({ thread: filled, from: filled, seq: nat, sentAt: iso, text: str }, { to: filled, html: filled, subject: filled }),
  typing: shape({ thread: filled, from: filled, typing: bool }),
  messageError: shape({ thread: filled, from: filled, condition: filled }, { detail: filled }),
  presence: shape({ address: filled, show: oneOf(...SHOWS) }, { status: filled }),
  subscriptionRequest: shape({ from: filled }),
  participantJoined: shape({ thread: filled, participant, statuses: strings }),
  participantUpdated: shape({ thread: filled, participant, statuses: strings }),
  participantLeft: shape({ thread: filled, address: filled, me: bool, statuses: strings, errors: strings }),
  chatClosed: shape({ thread: filled }),
  invitation: shape({ thread: filled, room: filled, message: str }),
  gatewayStatus: shape({ type: filled, state: filled }, { reconnectInMs: nat }),
  gatewayOtherLocation: shape({ type: filled, username: str }),
  privacyList: shape({ name: filled, items: arrayOf(shape({ order: (v) => nat(v) && (v as number) > 0, action: oneOf('allow', 'deny'), address: filled })) }),
};

function wellShaped(events: ImEvent[]): void {
  for (const event of events) {
    expect(EVENT_TYPES).toContain(event.type);
    expect(Object.keys(event).sort()).toEqual(['data', 'type']);
    if (!SHAPES[event.type](event.data)) throw new Error(`${event.type} has not the api.md shape: ${JSON.stringify(event.data)}`);
  }
}

describe('mapNotification property: any well-formed <n> gives events of the api.md shapes, and never throws', () => {
  it('holds for notifications in parsed form', () => {
    fc.assert(
      fc.property(notification, (n) => {
        wellShaped(mapNotification(n));
        wellShaped(mapNotification(n, { historyReplay: true }));
      }),
      { seed: 42, numRuns: 2_000 },
    );
  });

  it('holds for the same notifications written as XML and parsed back', () => {
    fc.assert(
      fc.property(notification, (n) => {
        const parsed = parseXml(`<im>${buildXml({ n })}</im>`) as { im: XmlNode };
        const [again] = ([] as XmlNode[]).concat(parsed.im.n as XmlNode);
        wellShaped(mapNotification(again));
      }),
      { seed: 42, numRuns: 1_000 },
    );
  });
});
