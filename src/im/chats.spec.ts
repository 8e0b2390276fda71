import { UpstreamError } from '../soap/upstream-error';
import { onTheWire as wire, replyElement as response } from '../soap/testing/wire';
import { child, parseXml } from '../soap/xml';
import {
  addUserRequest, closeChatRequest, getChatRequest, readGetChatResponse,
  readModifyChatResponse, sendMessageRequest, typingRequest,
} from './chats';

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
const now = () => NOW;

describe('IMSendMessage builders', () => {
  it('a plain message: addr, thread and <body><text/></body>, no subject', () => {
    expect(wire(sendMessageRequest({ address: 'bob@example.com', thread: 'chat-alice%example.com-0', text: 'hello & welcome' }))).toBe(
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com" thread="chat-alice%example.com-0">' +
        '<body><text>hello &amp; welcome</text></body></message></IMSendMessageRequest>',
    );
  });

  it('a new chat has no thread attribute', () => {
    expect(wire(sendMessageRequest({ address: 'bob@example.com', text: 'hi' }))).toBe(
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com"><body><text>hi</text></body></message></IMSendMessageRequest>',
    );
  });

  it('HTML goes as escaped XHTML in <html> beside <text> (the wire-format example)', () => {
    const xml = wire(sendMessageRequest({ address: 'bob@example.com', thread: 't', text: 'hello & welcome', html: '<b>hello</b> &amp; welcome' }));
    expect(xml).toContain('<body><text>hello &amp; welcome</text><html>&lt;b&gt;hello&lt;/b&gt; &amp;amp; welcome</html></body>');
    // Read back, the <html> text is the fragment itself.
    const message = child(child(parseXml(xml), 'IMSendMessageRequest'), 'message');
    expect(child(child(message, 'body'), 'html')?.['#text']).toBe('<b>hello</b> &amp; welcome');
  });

  it('attribute values cannot break out of their quotes', () => {
    expect(wire(sendMessageRequest({ address: 'a"b@example.com', thread: 'x"><evil/>', text: 'x' }))).toContain(
      '<message addr="a&quot;b@example.com" thread="x&quot;&gt;&lt;evil/&gt;">',
    );
  });

  it('typing: <typing/> as a child of <message>, no body; stopping is the empty message', () => {
    expect(wire(typingRequest('bob@example.com', 't-1', true))).toBe(
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com" thread="t-1"><typing/></message></IMSendMessageRequest>',
    );
    expect(wire(typingRequest('bob@example.com', 't-1', false))).toBe(
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com" thread="t-1"/></IMSendMessageRequest>',
    );
  });
});

describe('IMGetChat', () => {
  it('builds the request with the thread only (seq is ignored upstream)', () => {
    expect(wire(getChatRequest('chat-alice%example.com-0'))).toBe('<IMGetChatRequest xmlns="urn:zimbraIM" thread="chat-alice%example.com-0"/>');
  });

  it('reads the wire-format example: seq from 1, sentAt ISO, HTML bodies recognised, partner found', () => {
    const chat = readGetChatResponse(
      response(`
        <IMGetChatResponse xmlns="urn:zimbraIM" thread="chat-alice%example.com-0">
          <chat thread="chat-alice%example.com-0">
            <pcps><p addr="bob@example.com"/></pcps>
            <messages>
              <message seq="0" ts="1290000000000" from="alice@example.com"><body>hello</body></message>
              <message seq="1" ts="1290000005000" from="bob@example.com"><body>&lt;b&gt;hi&lt;/b&gt;</body></message>
            </messages>
          </chat>
        </IMGetChatResponse>`),
      'chat-alice%example.com-0',
      now,
    );
    expect(chat).toEqual({
      thread: 'chat-alice%example.com-0',
      participants: [{ address: 'bob@example.com', me: false }],
      messages: [
        { seq: 1, from: 'alice@example.com', sentAt: '2010-11-17T13:20:00.000Z', text: 'hello' },
        { seq: 2, from: 'bob@example.com', sentAt: '2010-11-17T13:20:05.000Z', text: 'hi', html: '<b>hi</b>' },
      ],
      partner: 'bob@example.com',
    });
  });

  it('room participants: nicknames, realAddress from fulladdr, lower-case role/affiliation, me; no partner', () => {
    const chat = readGetChatResponse(
      response(`
        <IMGetChatResponse thread="myroom">
          <chat thread="myroom">
            <pcps>
              <p addr="alice" me="1" fulladdr="alice@example.com/zcs" role="MODERATOR" affiliation="Owner"/>
              <p addr="bob/phone" fulladdr="bob@example.com" role="participant" affiliation="none"/>
              <p addr="eve" role="visitor"/>
              <p role="none"/>
            </pcps>
            <messages>
              <message seq="0" ts="1290000000000" from="alice@example.com"><subject>Plans</subject><body>Tom &amp;amp; Jerry</body></message>
              <message seq="0" ts="1290000001000" from="SYSTEM"><body>Automatically joining</body></message>
              <message seq="1" ts="bogus" from="bob/phone"><body/></message>
              <message seq="2" ts="1290000002000"><body>no sender: dropped</body></message>
            </messages>
          </chat>
        </IMGetChatResponse>`),
      'myroom',
      now,
    );
    expect(chat.partner).toBeUndefined();
    expect(chat.participants).toEqual([
      { address: 'alice', realAddress: 'alice@example.com', role: 'moderator', affiliation: 'owner', me: true },
      { address: 'bob/phone', realAddress: 'bob@example.com', role: 'participant', affiliation: 'none', me: false },
      { address: 'eve', role: 'visitor', me: false },
    ]);
    expect(chat.messages).toEqual([
      { seq: 1, from: 'alice@example.com', sentAt: '2010-11-17T13:20:00.000Z', text: 'Tom & Jerry', html: 'Tom &amp; Jerry', subject: 'Plans' },
      { seq: 0, from: 'SYSTEM', sentAt: '2010-11-17T13:20:01.000Z', text: 'Automatically joining' },
      { seq: 2, from: 'bob/phone', sentAt: new Date(NOW).toISOString(), text: '' },
    ]);
  });

  it('numbers messages by position when seq is missing; an empty chat has empty lists', () => {
    const chat = readGetChatResponse(
      response(`<IMGetChatResponse><chat thread="t"><pcps/><messages>
        <message ts="1" from="a@x.org"><body>one</body></message><message ts="2" from="a@x.org"><body>two</body></message>
      </messages></chat></IMGetChatResponse>`),
      't',
      now,
    );
    expect(chat.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(chat.participants).toEqual([]);
    expect(readGetChatResponse(response('<IMGetChatResponse><chat thread="t"/></IMGetChatResponse>'), 't')).toEqual({
      thread: 't', participants: [], messages: [],
    });
  });

  it('error="not_found" is UpstreamError not_found (404), not a bad response', () => {
    const read = () => readGetChatResponse(response('<IMGetChatResponse error="not_found" thread="gone"/>'), 'gone');
    expect(read).toThrow(UpstreamError);
    try {
      read();
    } catch (err) {
      expect(err).toMatchObject({ kind: 'result', code: 'not_found' });
    }
  });

  it('a reply without <chat> is a bad response', () => {
    expect(() => readGetChatResponse(response('<IMGetChatResponse thread="t"/>'), 't')).toThrow(
      expect.objectContaining({ kind: 'bad_response' }),
    );
  });
});

describe('IMModifyChat', () => {
  it('close', () => {
    expect(wire(closeChatRequest('t-1'))).toBe('<IMModifyChatRequest xmlns="urn:zimbraIM" thread="t-1" op="close"/>');
  });

  it('adduser carries the invitation as the element text, escaped; none when absent or blank', () => {
    expect(wire(addUserRequest('t-1', 'carol@example.com', 'Join <us> & talk'))).toBe(
      '<IMModifyChatRequest xmlns="urn:zimbraIM" thread="t-1" op="adduser" addr="carol@example.com">Join &lt;us&gt; &amp; talk</IMModifyChatRequest>',
    );
    expect(wire(addUserRequest('t-1', 'carol@example.com'))).toBe(
      '<IMModifyChatRequest xmlns="urn:zimbraIM" thread="t-1" op="adduser" addr="carol@example.com"/>',
    );
    expect(wire(addUserRequest('t-1', 'carol@example.com', '  '))).not.toContain('>  <');
  });

  it('reads not_found as a 404 error and a plain reply as success', () => {
    expect(() => readModifyChatResponse(response('<IMModifyChatResponse thread="t" error="not_found"/>'), 't')).toThrow(
      expect.objectContaining({ kind: 'result', code: 'not_found' }),
    );
    expect(() => readModifyChatResponse(response('<IMModifyChatResponse thread="t"/>'), 't')).not.toThrow();
  });
});
