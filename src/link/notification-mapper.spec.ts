import { child, children, parseXml, XmlNode } from '../soap/xml';
import { ImEvent } from './events';
import { htmlToText } from './mapping/html-text';
import { MappingContext, mapNotification, mapRosterItem, mapShow } from './notification-mapper';

/** Parses one `<n>` as it appears inside `<notify><im>` and maps it. */
function map(xml: string, ctx?: MappingContext): ImEvent[] {
  const n = child(parseXml(xml), 'n');
  if (!n) throw new Error('test XML has no <n>');
  return mapNotification(n, ctx);
}

function node(xml: string): XmlNode {
  return child(parseXml(xml), 'n') as XmlNode;
}

const TS = '1290000000000';
const SENT_AT = '2010-11-17T13:20:00.000Z';
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
const clock: MappingContext = { now: () => NOW };

describe('mapNotification', () => {
  describe('roster', () => {
    it('maps the wire-format example', () => {
      const events = map(`
        <n type="roster">
          <n type="subscribed" name="Bob" groups="Friends" to="bob@example.com"/>
          <n type="unsubscribed" groups="" ask="subscribe" to="dave@example.com"/>
        </n>`);
      expect(events).toStrictEqual([
        {
          type: 'roster',
          data: {
            contacts: [
              { address: 'bob@example.com', name: 'Bob', groups: ['Friends'], subscription: 'to', pending: false },
              { address: 'dave@example.com', groups: [], subscription: 'none', pending: true },
            ],
          },
        },
      ]);
    });

    it('splits groups, drops empty names, skips addresses without @ and foreign entries, keeps each address once', () => {
      const events = map(`
        <n type="roster">
          <n type="subscribed" name="" groups=" Work , ,Friends,Work," to="carol@example.com"/>
          <n type="subscribed" name="Yahoo" to="yahoo.example.com"/>
          <n type="subscribed" name="NoAddress"/>
          <n type="presence" from="x@example.com" show="ONLINE"/>
          <n type="subscribed" ask="subscribe" to="erin@example.com"/>
          <n type="unsubscribed" name="Carol C" groups="Old" to="carol@example.com"/>
        </n>`);
      expect(events).toStrictEqual([
        {
          type: 'roster',
          data: {
            contacts: [
              { address: 'carol@example.com', name: 'Carol C', groups: ['Old'], subscription: 'none', pending: false },
              { address: 'erin@example.com', groups: [], subscription: 'to', pending: true },
            ],
          },
        },
      ]);
    });

    it('maps an empty roster to an empty array', () => {
      expect(map('<n type="roster"/>')).toStrictEqual([{ type: 'roster', data: { contacts: [] } }]);
    });
  });

  describe('subscribed / unsubscribed', () => {
    it('maps subscribed to a contact with subscription "to"', () => {
      expect(map('<n type="subscribed" name="Bob" groups="Friends,Work" to="bob@example.com"/>')).toStrictEqual([
        {
          type: 'contact',
          data: { address: 'bob@example.com', name: 'Bob', groups: ['Friends', 'Work'], subscription: 'to', pending: false },
        },
      ]);
    });

    it('maps a pending unsubscribed item', () => {
      expect(map('<n type="unsubscribed" groups="" ask="subscribe" to="dave@example.com"/>')).toStrictEqual([
        { type: 'contact', data: { address: 'dave@example.com', groups: [], subscription: 'none', pending: true } },
      ]);
    });

    it('keeps the name of a refusal as sent (name = the address, no groups)', () => {
      expect(map('<n type="unsubscribed" name="carol@example.com" to="carol@example.com"/>')).toStrictEqual([
        {
          type: 'contact',
          data: { address: 'carol@example.com', name: 'carol@example.com', groups: [], subscription: 'none', pending: false },
        },
      ]);
    });

    it('drops items that are not addresses', () => {
      expect(map('<n type="subscribed" name="GW" to="msn.example.com"/>')).toStrictEqual([]);
      expect(map('<n type="subscribed" name="nobody"/>')).toStrictEqual([]);
      expect(map('<n type="subscribed" to="@example.com"/>')).toStrictEqual([]);
    });
  });

  describe('mapRosterItem', () => {
    it('maps one item, stripping a resource from the address', () => {
      expect(mapRosterItem(node('<n type="subscribed" name="Bob" groups="A" ask="subscribe" to="bob@example.com/zcs"/>'))).toStrictEqual({
        address: 'bob@example.com',
        name: 'Bob',
        groups: ['A'],
        subscription: 'to',
        pending: true,
      });
    });

    it('never throws on an empty item', () => {
      expect(mapRosterItem(node('<n/>'))).toStrictEqual({ address: '', groups: [], subscription: 'none', pending: false });
    });
  });

  describe('message', () => {
    it('maps a live plain-text message (seq as sent, sentAt from ts)', () => {
      const events = map(`<n type="message" from="bob@example.com" thread="chat-alice%example.com-0" ts="${TS}" seq="3">
        <body html="0">see you at 5</body></n>`);
      expect(events).toStrictEqual([
        {
          type: 'message',
          data: { thread: 'chat-alice%example.com-0', from: 'bob@example.com', seq: 3, sentAt: SENT_AT, text: 'see you at 5' },
        },
      ]);
    });

    it('keeps to on the echo of a sent message', () => {
      const events = map(`<n type="message" from="alice@example.com" to="bob@example.com" thread="chat-alice%example.com-0" ts="${TS}" seq="1"><body html="0">hi</body></n>`);
      expect(events).toStrictEqual([
        {
          type: 'message',
          data: {
            thread: 'chat-alice%example.com-0',
            from: 'alice@example.com',
            to: 'bob@example.com',
            seq: 1,
            sentAt: SENT_AT,
            text: 'hi',
          },
        },
      ]);
    });

    it('gives html="1" bodies both the XHTML and its plain text, entities decoded once', () => {
      const events = map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="2"><body html="1">&lt;b&gt;hi &amp;amp; bye&lt;/b&gt;</body></n>`);
      expect(events).toStrictEqual([
        {
          type: 'message',
          data: { thread: 't1', from: 'bob@example.com', seq: 2, sentAt: SENT_AT, text: 'hi & bye', html: '<b>hi &amp; bye</b>' },
        },
      ]);
    });

    it('accepts html="true" and turns line breaks and blocks into newlines', () => {
      const events = map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="2"><body html="true">&lt;p&gt;one&lt;br/&gt;two&lt;/p&gt;&lt;p&gt;3 &amp;#60; 4&lt;/p&gt;</body></n>`);
      expect(events).toStrictEqual([
        {
          type: 'message',
          data: {
            thread: 't1',
            from: 'bob@example.com',
            seq: 2,
            sentAt: SENT_AT,
            text: 'one\ntwo\n3 < 4',
            html: '<p>one<br/>two</p><p>3 &#60; 4</p>',
          },
        },
      ]);
    });

    it('treats a body without html attribute, or html="0", as plain text even if it looks like markup', () => {
      const plain = { thread: 't1', from: 'bob@example.com', seq: 4, sentAt: SENT_AT, text: '<b>not bold</b> & fine' };
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="4"><body>&lt;b&gt;not bold&lt;/b&gt; &amp; fine</body></n>`)).toStrictEqual([
        { type: 'message', data: plain },
      ]);
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="4"><body html="0">&lt;b&gt;not bold&lt;/b&gt; &amp; fine</body></n>`)).toStrictEqual([
        { type: 'message', data: plain },
      ]);
    });

    it('shifts history-replay seq numbers (from 0) to count from 1', () => {
      const replay = { historyReplay: true };
      const first = map(`<n type="message" from="alice@example.com" to="bob@example.com" thread="t1" ts="${TS}" seq="0"><body html="0">first</body></n>`, replay);
      const fifth = map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="4"><body html="0">fifth</body></n>`, replay);
      expect(first).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'alice@example.com', to: 'bob@example.com', seq: 1, sentAt: SENT_AT, text: 'first' } },
      ]);
      expect(fifth).toStrictEqual([{ type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 5, sentAt: SENT_AT, text: 'fifth' } }]);
    });

    it('keeps SYSTEM messages at seq 0, live or replayed', () => {
      const xml = `<n type="message" from="SYSTEM" thread="t1" ts="${TS}" seq="0"><body html="0">Automatically joining converted multi-user-chat</body></n>`;
      const expected = [
        { type: 'message', data: { thread: 't1', from: 'SYSTEM', seq: 0, sentAt: SENT_AT, text: 'Automatically joining converted multi-user-chat' } },
      ];
      expect(map(xml)).toStrictEqual(expected);
      expect(map(xml, { historyReplay: true })).toStrictEqual(expected);
    });

    it('gives seq 0 to a message without a usable seq', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}"><body>x</body></n>`, { historyReplay: true })).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 0, sentAt: SENT_AT, text: 'x' } },
      ]);
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="-2"><body>x</body></n>`)).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 0, sentAt: SENT_AT, text: 'x' } },
      ]);
    });

    it('uses the clock for sentAt when ts is missing or unusable', () => {
      const expected = [{ type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 1, sentAt: '2024-01-02T03:04:05.006Z', text: 'x' } }];
      expect(map('<n type="message" from="bob@example.com" thread="t1" seq="1"><body>x</body></n>', clock)).toStrictEqual(expected);
      expect(map('<n type="message" from="bob@example.com" thread="t1" ts="yesterday" seq="1"><body>x</body></n>', clock)).toStrictEqual(expected);
      expect(map('<n type="message" from="bob@example.com" thread="t1" ts="99999999999999999" seq="1"><body>x</body></n>', clock)).toStrictEqual(expected);
    });

    it('falls back to the real time without a clock', () => {
      jest.useFakeTimers({ now: NOW });
      try {
        const [event] = map('<n type="message" from="bob@example.com" thread="t1" seq="1"><body>x</body></n>');
        expect(event).toStrictEqual({
          type: 'message',
          data: { thread: 't1', from: 'bob@example.com', seq: 1, sentAt: '2024-01-02T03:04:05.006Z', text: 'x' },
        });
      } finally {
        jest.useRealTimers();
      }
    });

    it('maps a body-less message with <typing/> to typing on', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}"><typing/></n>`)).toStrictEqual([
        { type: 'typing', data: { thread: 't1', from: 'bob@example.com', typing: true } },
      ]);
    });

    it('maps a body-less message without <typing/> to typing off', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}"/>`)).toStrictEqual([
        { type: 'typing', data: { thread: 't1', from: 'bob@example.com', typing: false } },
      ]);
    });

    it('treats an empty body and empty subject as typing-only', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}"><typing/><subject/><body html="0"></body></n>`)).toStrictEqual([
        { type: 'typing', data: { thread: 't1', from: 'bob@example.com', typing: true } },
      ]);
    });

    it('maps a message whose text came with <typing/> to the message only', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="7"><typing/><body html="0">yo</body></n>`)).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 7, sentAt: SENT_AT, text: 'yo' } },
      ]);
    });

    it('maps error= to messageError with the body as detail', () => {
      const events = map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" error="recipient_unavailable"><body html="0">ERROR: &lt;message type="error"/&gt;</body></n>`);
      expect(events).toStrictEqual([
        {
          type: 'messageError',
          data: { thread: 't1', from: 'bob@example.com', condition: 'recipient_unavailable', detail: 'ERROR: <message type="error"/>' },
        },
      ]);
    });

    it('omits detail for an error without body', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" error="service_unavailable"/>`)).toStrictEqual([
        { type: 'messageError', data: { thread: 't1', from: 'bob@example.com', condition: 'service_unavailable' } },
      ]);
    });

    it('decodes the upstream subject bug (<subject><hi/></subject> means "hi")', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="2"><subject><hi/></subject><body html="0">body</body></n>`)).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 2, sentAt: SENT_AT, text: 'body', subject: 'hi' } },
      ]);
    });

    it('accepts a plain-text subject, and a subject without body is a message', () => {
      expect(map(`<n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="2"><subject>Plans for Friday</subject></n>`)).toStrictEqual([
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 2, sentAt: SENT_AT, text: '', subject: 'Plans for Friday' } },
      ]);
    });

    it('drops a message without thread or without from', () => {
      expect(map(`<n type="message" from="bob@example.com" ts="${TS}" seq="1"><body>x</body></n>`)).toStrictEqual([]);
      expect(map(`<n type="message" from="bob@example.com" thread="" ts="${TS}" seq="1"><body>x</body></n>`)).toStrictEqual([]);
      expect(map(`<n type="message" thread="t1" ts="${TS}" seq="1"><body>x</body></n>`)).toStrictEqual([]);
      expect(map(`<n type="message" from="bob@example.com"><typing/></n>`)).toStrictEqual([]);
      expect(map(`<n type="message" from="bob@example.com" error="forbidden"/>`)).toStrictEqual([]);
    });

    it('keeps room nicknames as sent', () => {
      expect(map(`<n type="message" from="bob/away" thread="myroom" ts="${TS}" seq="9"><body html="0">hello room</body></n>`)).toStrictEqual([
        { type: 'message', data: { thread: 'myroom', from: 'bob/away', seq: 9, sentAt: SENT_AT, text: 'hello room' } },
      ]);
    });
  });

  describe('presence', () => {
    it('maps show to lower case and keeps status', () => {
      expect(map('<n type="presence" from="bob@example.com" show="DND" status="in a meeting"/>')).toStrictEqual([
        { type: 'presence', data: { address: 'bob@example.com', show: 'dnd', status: 'in a meeting' } },
      ]);
    });

    it('omits the empty status of a contact going offline', () => {
      expect(map('<n type="presence" from="bob@example.com" show="OFFLINE" status=""/>')).toStrictEqual([
        { type: 'presence', data: { address: 'bob@example.com', show: 'offline' } },
      ]);
    });

    it('defaults a missing show to online and strips a resource', () => {
      expect(map('<n type="presence" from="bob@example.com/laptop"/>')).toStrictEqual([
        { type: 'presence', data: { address: 'bob@example.com', show: 'online' } },
      ]);
    });

    it('drops a presence without from', () => {
      expect(map('<n type="presence" show="AWAY"/>')).toStrictEqual([]);
    });
  });

  describe('subscribe', () => {
    it('maps to subscriptionRequest', () => {
      expect(map('<n type="subscribe" from="carol@example.com"/>')).toStrictEqual([
        { type: 'subscriptionRequest', data: { from: 'carol@example.com' } },
      ]);
    });

    it('drops a request without from', () => {
      expect(map('<n type="subscribe"/>')).toStrictEqual([]);
    });
  });

  describe('enteredchat / chatpresence', () => {
    it('maps the wire-format example to participantJoined', () => {
      const events = map(`
        <n type="enteredchat" thread="myroom" addr="bob" status="OccupantPresence">
          <p addr="bob" fulladdr="bob@example.com/zcs" role="participant" affiliation="member"/>
        </n>`);
      expect(events).toStrictEqual([
        {
          type: 'participantJoined',
          data: {
            thread: 'myroom',
            participant: { address: 'bob', realAddress: 'bob@example.com', role: 'participant', affiliation: 'member', me: false },
            statuses: ['OccupantPresence'],
          },
        },
      ]);
    });

    it('marks the user itself (me="1" or me="true") and splits several statuses', () => {
      const expected = (statuses: string[]) => [
        {
          type: 'participantJoined',
          data: {
            thread: 'myroom',
            participant: { address: 'alice', role: 'moderator', affiliation: 'owner', me: true },
            statuses,
          },
        },
      ];
      expect(map('<n type="enteredchat" thread="myroom" addr="alice" status="NewRoomCreated,OccupantPresence"><p addr="alice" me="1" role="moderator" affiliation="owner"/></n>')).toStrictEqual(
        expected(['NewRoomCreated', 'OccupantPresence']),
      );
      expect(map('<n type="enteredchat" thread="myroom" addr="alice"><p addr="alice" me="true" role="MODERATOR" affiliation="Owner"/></n>')).toStrictEqual(expected([]));
    });

    it('maps chatpresence to participantUpdated', () => {
      expect(map('<n type="chatpresence" thread="myroom" addr="bob"><p addr="bob" role="visitor" affiliation="none"/></n>')).toStrictEqual([
        {
          type: 'participantUpdated',
          data: { thread: 'myroom', participant: { address: 'bob', role: 'visitor', affiliation: 'none', me: false }, statuses: [] },
        },
      ]);
    });

    it("falls back to the notification's own addr without <p>", () => {
      expect(map('<n type="enteredchat" thread="chat-alice%example.com-0" addr="bob@example.com"/>')).toStrictEqual([
        {
          type: 'participantJoined',
          data: { thread: 'chat-alice%example.com-0', participant: { address: 'bob@example.com', me: false }, statuses: [] },
        },
      ]);
    });

    it('drops participants without thread or address', () => {
      expect(map('<n type="enteredchat" addr="bob"><p addr="bob"/></n>')).toStrictEqual([]);
      expect(map('<n type="chatpresence" thread="myroom"><p role="visitor"/></n>')).toStrictEqual([]);
    });
  });

  describe('leftchat', () => {
    it('maps me, statuses and errors', () => {
      expect(map('<n type="leftchat" thread="myroom" addr="alice" me="1" status="KickedFromRoom,OccupantPresence" error="Banned"/>')).toStrictEqual([
        {
          type: 'participantLeft',
          data: { thread: 'myroom', address: 'alice', me: true, statuses: ['KickedFromRoom', 'OccupantPresence'], errors: ['Banned'] },
        },
      ]);
    });

    it('defaults to me false and empty lists', () => {
      expect(map('<n type="leftchat" thread="myroom" addr="bob" me="0"/>')).toStrictEqual([
        { type: 'participantLeft', data: { thread: 'myroom', address: 'bob', me: false, statuses: [], errors: [] } },
      ]);
    });

    it('drops a leftchat without thread or addr', () => {
      expect(map('<n type="leftchat" addr="bob"/>')).toStrictEqual([]);
      expect(map('<n type="leftchat" thread="myroom"/>')).toStrictEqual([]);
    });
  });

  describe('chatclosed', () => {
    it('maps to chatClosed', () => {
      expect(map('<n type="chatclosed" thread="chat-alice%example.com-0"/>')).toStrictEqual([
        { type: 'chatClosed', data: { thread: 'chat-alice%example.com-0' } },
      ]);
    });

    it('drops a chatclosed without thread', () => {
      expect(map('<n type="chatclosed"/>')).toStrictEqual([]);
    });
  });

  describe('invited', () => {
    it('maps the room address and the invitation text', () => {
      expect(map('<n type="invited" thread="myroom" addr="myroom@conference.example.com">Please join my chat</n>')).toStrictEqual([
        { type: 'invitation', data: { thread: 'myroom', room: 'myroom@conference.example.com', message: 'Please join my chat' } },
      ]);
    });

    it('gives an empty message when there is no text, and drops an invitation without room', () => {
      expect(map('<n type="invited" thread="myroom" addr="myroom@conference.example.com"/>')).toStrictEqual([
        { type: 'invitation', data: { thread: 'myroom', room: 'myroom@conference.example.com', message: '' } },
      ]);
      expect(map('<n type="invited" thread="myroom">Please join my chat</n>')).toStrictEqual([]);
    });

    const ROOM = 'myroom@conference.example.com';
    const invitedWith = (text: string) => map(`<n type="invited" thread="myroom" addr="${ROOM}">${text}</n>`)[0]?.data;

    it("keeps the inviter's words and drops the upstream's (/join ROOM) hint", () => {
      expect(invitedWith(`Join us (/join ${ROOM})`)).toStrictEqual({ thread: 'myroom', room: ROOM, message: 'Join us' });
      expect(invitedWith(`Join us: type (/join x) (/join ${ROOM.toUpperCase()})`)).toMatchObject({ message: 'Join us: type (/join x)' });
      // The reason was empty: nothing but the hint.
      expect(invitedWith(` (/join ${ROOM})`)).toMatchObject({ message: '' });
    });

    it('gives an empty message for the text the upstream writes when the inviter gave no reason', () => {
      expect(invitedWith(`bob@example.com/zcs has invited you into a groupchat  (/join ${ROOM})`)).toMatchObject({ message: '' });
    });

    it('leaves a text without the hint for this room as it is (the invitation came with a body)', () => {
      expect(invitedWith('Come in (/join other@conference.example.com)')).toMatchObject({ message: 'Come in (/join other@conference.example.com)' });
      expect(invitedWith('bob has invited you into a groupchat')).toMatchObject({ message: 'bob has invited you into a groupchat' });
    });
  });

  describe('gwStatus / otherLocation', () => {
    it('turns the string timeUntilNextConnect into a number', () => {
      expect(map('<n type="gwStatus" service="yahoo" state="trying_to_connect" timeUntilNextConnect="30000"/>')).toStrictEqual([
        { type: 'gatewayStatus', data: { type: 'yahoo', state: 'trying_to_connect', reconnectInMs: 30000 } },
      ]);
    });

    it('omits reconnectInMs when absent or not a number', () => {
      const expected = [{ type: 'gatewayStatus', data: { type: 'msn', state: 'online' } }];
      expect(map('<n type="gwStatus" service="msn" state="online"/>')).toStrictEqual(expected);
      expect(map('<n type="gwStatus" service="msn" state="online" timeUntilNextConnect="soon"/>')).toStrictEqual(expected);
      expect(map('<n type="gwStatus" service="msn" state="online" timeUntilNextConnect=""/>')).toStrictEqual(expected);
    });

    it('drops a gwStatus without service or state', () => {
      expect(map('<n type="gwStatus" state="online"/>')).toStrictEqual([]);
      expect(map('<n type="gwStatus" service="aol"/>')).toStrictEqual([]);
    });

    it('maps otherLocation', () => {
      expect(map('<n type="otherLocation" service="yahoo" username="alice_y"/>')).toStrictEqual([
        { type: 'gatewayOtherLocation', data: { type: 'yahoo', username: 'alice_y' } },
      ]);
      expect(map('<n type="otherLocation" username="alice_y"/>')).toStrictEqual([]);
    });
  });

  describe('privacy', () => {
    it('sorts items by order and maps partial-blocking items as plain items', () => {
      const events = map(`
        <n type="privacy">
          <list name="blocked">
            <item addr="spam.example" action="deny" order="3"/>
            <item addr="friend@spam.example" action="allow" order="1"/>
            <item addr="noisy@example.com" action="deny" order="2"><message/><presence-in/></item>
          </list>
        </n>`);
      expect(events).toStrictEqual([
        {
          type: 'privacyList',
          data: {
            name: 'blocked',
            items: [
              { order: 1, action: 'allow', address: 'friend@spam.example' },
              { order: 2, action: 'deny', address: 'noisy@example.com' },
              { order: 3, action: 'deny', address: 'spam.example' },
            ],
          },
        },
      ]);
    });

    it('skips unusable items', () => {
      const events = map(`
        <n type="privacy">
          <list name="default">
            <item addr="a@example.com" action="deny" order="x"/>
            <item addr="b@example.com" action="deny" order="0"/>
            <item addr="c@example.com" action="block" order="2"/>
            <item action="deny" order="3"/>
            <item addr="e@example.com" action="DENY" order="10"/>
          </list>
        </n>`);
      expect(events).toStrictEqual([
        { type: 'privacyList', data: { name: 'default', items: [{ order: 10, action: 'deny', address: 'e@example.com' }] } },
      ]);
    });

    it('names a list without name "default" and maps the empty default list', () => {
      expect(map('<n type="privacy"><list><item addr="x.example" action="deny" order="1"/></list></n>')).toStrictEqual([
        { type: 'privacyList', data: { name: 'default', items: [{ order: 1, action: 'deny', address: 'x.example' }] } },
      ]);
      expect(map('<n type="privacy"><list name="default"/></n>')).toStrictEqual([{ type: 'privacyList', data: { name: 'default', items: [] } }]);
      expect(map('<n type="privacy"/>')).toStrictEqual([{ type: 'privacyList', data: { name: 'default', items: [] } }]);
    });
  });

  describe('anything else', () => {
    it('ignores unknown types and notifications without type', () => {
      expect(map('<n type="buddyList" from="bob@example.com"/>')).toStrictEqual([]);
      expect(map('<n from="bob@example.com"/>')).toStrictEqual([]);
    });

    it('never throws on odd input', () => {
      expect(mapNotification(undefined as unknown as XmlNode)).toStrictEqual([]);
      expect(mapNotification(null as unknown as XmlNode)).toStrictEqual([]);
      expect(mapNotification('text' as unknown as XmlNode)).toStrictEqual([]);
      expect(mapNotification({ '@_type': 'message', '@_thread': 't', '@_from': 'b', body: [{ '#text': 42 }] })).toStrictEqual([
        { type: 'typing', data: { thread: 't', from: 'b', typing: false } },
      ]);
      expect(mapNotification({ '@_type': 'roster', n: 'oops' })).toStrictEqual([{ type: 'roster', data: { contacts: [] } }]);
    });

    it('maps every notification of a whole <notify> block in order', () => {
      const doc = parseXml(`
        <context xmlns="urn:zimbra">
          <notify seq="5"><im>
            <n type="presence" from="bob@example.com" show="AWAY" status="lunch"/>
            <n type="unheard-of"/>
            <n type="message" from="bob@example.com" thread="t1" ts="${TS}" seq="1"><body html="0">back</body></n>
          </im></notify>
        </context>`);
      const im = child(children(child(doc, 'context'), 'notify')[0], 'im');
      expect(children(im, 'n').flatMap((n) => mapNotification(n))).toStrictEqual([
        { type: 'presence', data: { address: 'bob@example.com', show: 'away', status: 'lunch' } },
        { type: 'message', data: { thread: 't1', from: 'bob@example.com', seq: 1, sentAt: SENT_AT, text: 'back' } },
      ]);
    });
  });
});

describe('mapShow', () => {
  it.each([
    ['ONLINE', 'online'],
    ['CHAT', 'chat'],
    ['AWAY', 'away'],
    ['XA', 'xa'],
    ['DND', 'dnd'],
    ['OFFLINE', 'offline'],
    ['away', 'away'],
    [' Dnd ', 'dnd'],
    ['', 'online'],
    [undefined, 'online'],
    ['INVISIBLE', 'online'],
  ])('%p → %p', (upstream, show) => {
    expect(mapShow(upstream)).toBe(show);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<b>hi &amp; bye</b>', 'hi & bye'],
    ['a<br/>b<br>c', 'a\nb\nc'],
    ['<div>one</div><div>two</div>', 'one\ntwo'],
    ['<a href="x>y" title=\'q\'>link</a>', 'link'],
    ['x<!-- note -->y', 'xy'],
    ['<span style="color:red">&#60;&#x3e;&quot;</span>', '<>"'],
    ['<style>p { color: red }</style>visible', 'visible'],
    ['<![CDATA[a &amp; b]]>', 'a &amp; b'],
    ['1 < 2 &amp; 3', '1 < 2 & 3'],
    ['ok <b unterminated', 'ok <b unterminated'],
    ['&amp;amp;', '&amp;'],
    ['plain', 'plain'],
  ])('%p → %p', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});
