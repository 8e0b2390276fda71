import type { NotifyBlock } from '../soap/envelope';
import type { XmlNode } from '../soap/xml';
import { LinkState } from './link-state';
import { NotifyIntake, TakenEvent } from './notify-intake';

const IVAN = 'ivan@example.com';
const ROOM = 'team@conference.example.com';

/** `<n type="subscribed|unsubscribed">` as the upstream writes it (§13.3); absent attributes stay absent. */
const contact = (type: 'subscribed' | 'unsubscribed', to: string, extra: Record<string, string> = {}): XmlNode => ({
  '@_type': type,
  '@_to': to,
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`@_${k}`, v])),
});
const roster = (...items: XmlNode[]): XmlNode => ({ '@_type': 'roster', n: items });
const invited = (thread: string, text: string): XmlNode => ({ '@_type': 'invited', '@_thread': thread, '@_addr': ROOM, '#text': text });
const message = (thread: string, seq: number, text: string, from = ROOM): XmlNode => ({
  '@_type': 'message', '@_from': from, '@_thread': thread, '@_seq': String(seq), '@_ts': '1290000000000', body: { '@_html': '0', '#text': text },
});

/** Feeds notifications through the intake, one block per call, and returns the published events. */
function linkWith(state = new LinkState()) {
  const intake = new NotifyIntake(state);
  let seq = 0;
  const take = (...notifications: XmlNode[]) => {
    const blocks: NotifyBlock[] = [{ seq: ++seq, notifications }];
    return intake.take(blocks).filter((t: TakenEvent) => t.isNew).map((t) => t.event);
  };
  return { state, take };
}

describe('LinkState: contacts this link removes', () => {
  it("marks the upstream's answer to our removal, drops the contact, and keeps it out of later rosters", () => {
    const { state, take } = linkWith();
    take(roster(contact('subscribed', IVAN, { name: 'Ivan', groups: 'Team' }), contact('subscribed', 'bob@example.com', { groups: '' })));

    state.removalStarted(IVAN);
    // IMSubscribe op=remove posts `unsubscribed` at once (name/groups of the request), then the roster push follows.
    const events = take(contact('unsubscribed', IVAN, { name: '', groups: '' }), contact('unsubscribed', IVAN, { name: 'Ivan', groups: 'Team' }));
    state.removalEnded([IVAN], true);
    expect(events).toEqual([{ type: 'contact', data: { address: IVAN, groups: [], subscription: 'none', pending: false, removed: true } }]);
    expect(state.contacts?.map((c) => c.address)).toEqual(['bob@example.com']);
    expect(state.hasContact(IVAN)).toBe(false);

    // The upstream keeps the item: its snapshots list it, the client is not told.
    const snapshot = take(roster(contact('subscribed', 'bob@example.com', { groups: '' }), contact('unsubscribed', IVAN, { name: 'Ivan', groups: 'Team' })));
    expect(snapshot).toEqual([]);
    expect(state.contacts?.map((c) => c.address)).toEqual(['bob@example.com']);
    expect(take(roster(contact('unsubscribed', IVAN, { groups: '' })))).toEqual([{ type: 'roster', data: { contacts: [] } }]);

    // Added again (a subscription request out): back, and in later snapshots too.
    expect(take(contact('unsubscribed', IVAN, { groups: '', ask: 'subscribe' }))).toEqual([
      { type: 'contact', data: { address: IVAN, groups: [], subscription: 'none', pending: true } },
    ]);
    expect(state.hasContact(IVAN)).toBe(true);
    expect(take(roster(contact('unsubscribed', IVAN, { groups: '', ask: 'subscribe' })))).toEqual([]); // unchanged
    expect(state.contacts).toEqual([{ address: IVAN, groups: [], subscription: 'none', pending: true }]);
  });

  it('a refusal while removing is no removal (name = the address); an unsubscribed nobody asked for is a plain change', () => {
    const { state, take } = linkWith();
    take(roster(contact('subscribed', IVAN, { groups: '' })));
    expect(take(contact('unsubscribed', IVAN, { name: IVAN }))).toEqual([
      { type: 'contact', data: { address: IVAN, name: IVAN, groups: [], subscription: 'none', pending: false } },
    ]);
    state.removalStarted(IVAN);
    expect(take(contact('unsubscribed', IVAN, { name: IVAN }))[0].data).not.toHaveProperty('removed');
    expect(state.hasContact(IVAN)).toBe(true);
  });

  it('a removal the upstream refused leaves the contact; one whose notification never came still removes it, by any case of the address', () => {
    const { state, take } = linkWith();
    take(roster(contact('subscribed', IVAN, { groups: '' })));
    state.removalStarted(IVAN);
    state.removalEnded([IVAN], false);
    expect(state.hasContact(IVAN)).toBe(true);
    expect(take(contact('unsubscribed', IVAN, { name: '', groups: '' }))[0].data).not.toHaveProperty('removed');

    state.removalStarted('Ivan@Example.com');
    state.removalEnded(['Ivan@Example.com'], true);
    expect(state.hasContact(IVAN)).toBe(false);
    expect(take(roster(contact('unsubscribed', IVAN, { groups: '' })))).toEqual([]); // unchanged: empty
    expect(state.contacts).toEqual([]);
  });
});

describe('LinkState: the stored copy of an invitation', () => {
  it('is no message event, live or replayed; later messages from the room are', () => {
    const { take } = linkWith();
    const text = `Join us (/join ${ROOM})`;
    expect(take(invited('team', text), message('team', 1, text))).toEqual([
      { type: 'invitation', data: { thread: 'team', room: ROOM, message: 'Join us' } },
    ]);
    // IMGetRoster's history replay (seq from 0) is a repetition.
    expect(take(message('team', 0, text))).toEqual([]);
    expect(take(message('team', 2, text)).map((e) => e.type)).toEqual(['message']);
  });

  it('recognises the text the upstream writes without a reason, blanks aside', () => {
    const { take } = linkWith();
    const text = `bob@example.com/zcs has invited you into a groupchat  (/join ${ROOM})`;
    expect(take(invited('team', text), message('team', 1, text.replace('  ', ' ')))).toEqual([
      { type: 'invitation', data: { thread: 'team', room: ROOM, message: '' } },
    ]);
  });

  it('lets through a message with other words, from someone else, or in another thread', () => {
    const { take } = linkWith();
    const text = `Join us (/join ${ROOM})`;
    take(invited('team', text));
    expect(take(message('team', 1, 'Something else')).map((e) => e.type)).toEqual(['message']);
    expect(take(message('team', 2, text, 'bob')).map((e) => e.type)).toEqual(['message']);
    expect(take(message('other', 1, text)).map((e) => e.type)).toEqual(['message']);
    // The copy itself is still recognised after them.
    expect(take(message('team', 3, text))).toEqual([]);
  });
});
