import { buildEnvelope, NS, readEnvelope, RequestBody, RequestContext, SOAP12_NS } from './envelope';
import { interpret, responseNameFor } from './soap-client';
import { upstreamErrorOf as caught } from './testing/wire';
import { UpstreamError } from './upstream-error';
import { attr, buildXml, child, elementNames, parseXml, text, XmlNode } from './xml';

const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const envelope = (header: string, body: string, ns = S12) =>
  `<soap:Envelope xmlns:soap="${ns}"><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('buildEnvelope', () => {
  it('writes a SOAP 1.2 envelope with the context header: token, session id, ack and user agent', () => {
    const xml = buildEnvelope(
      { authToken: 'tok<&>"', session: '17', notifySeq: 4, userAgent: { name: 'imbridge' } },
      { IMGetRosterRequest: { '@_xmlns': 'urn:zimbraIM' } },
    );
    expect(xml).toBe(
      `<soap:Envelope xmlns:soap="${S12}"><soap:Header><context xmlns="urn:zimbra">` +
        '<authToken>tok&lt;&amp;&gt;"</authToken><session id="17"/><notify seq="4"/><userAgent name="imbridge"/>' +
        '</context></soap:Header><soap:Body><IMGetRosterRequest xmlns="urn:zimbraIM"/></soap:Body></soap:Envelope>',
    );
  });

  it('asks for a new session with a bare <session/> and sends no ack before the first block', () => {
    const xml = buildEnvelope({ session: 'new', notifySeq: 0 }, { NoOpRequest: { '@_xmlns': 'urn:zimbraMail' } });
    expect(xml).toContain('<context xmlns="urn:zimbra"><session/></context>');
    expect(xml).not.toContain('notify');
  });

  it('escapes attribute values so input cannot inject markup', () => {
    const xml = buildEnvelope({}, { IMSubscribeRequest: { '@_addr': 'a"/><evil x="', '@_op': 'add' } });
    expect(xml).toContain('addr="a&quot;/&gt;&lt;evil x=&quot;"');
    const doc = parseXml(xml);
    expect(readEnvelope(doc).bodyName).toBe('IMSubscribeRequest');
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    expect(() => buildEnvelope({}, { X: { '@_a': 'bad\u0001' } })).toThrow(/XML 1.0/);
  });
});

describe('readEnvelope', () => {
  it('reads the session id, refresh and several notify blocks in seq order', () => {
    const xml = envelope(
      '<context xmlns="urn:zimbra"><session id="17">17</session><change token="9"/><refresh><version>7</version></refresh>' +
        '<notify seq="6"><im><n type="presence" from="b@x" show="AWAY"/></im></notify>' +
        '<notify seq="5"><im><n type="subscribe" from="c@x"/><n type="presence" from="c@x" show="DND"/></im></notify></context>',
      '<IMGetRosterResponse xmlns="urn:zimbraIM"><presence show="ONLINE"/><chats/></IMGetRosterResponse>',
    );
    const res = readEnvelope(parseXml(xml));
    expect(res.context?.sessionId).toBe('17');
    expect(res.context?.refresh).toBe(true);
    expect(res.context?.notify.map((b) => b.seq)).toEqual([5, 6]);
    expect(res.context?.notify[0].notifications.map((n) => n['@_type'])).toEqual(['subscribe', 'presence']);
    expect(res.bodyName).toBe('IMGetRosterResponse');
  });

  it('reads a session given only as text, and a notify block with mailbox changes but no <im>', () => {
    const xml = envelope(
      '<context xmlns="urn:zimbra"><session>23</session><notify seq="1"><created><m id="1"/></created></notify></context>',
      '<NoOpResponse xmlns="urn:zimbraMail"/>',
    );
    const res = readEnvelope(parseXml(xml));
    expect(res.context).toEqual({ sessionId: '23', refresh: false, notify: [{ seq: 1, notifications: [] }] });
  });

  it('reads a SOAP 1.2 fault with code, reason, trace, arguments and side, keeping the header', () => {
    const xml = envelope(
      '<context xmlns="urn:zimbra"><session id="3">3</session><notify seq="2"><im><n type="chatclosed" thread="t"/></im></notify></context>',
      '<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>address is invalid: bob</soap:Text></soap:Reason>' +
        '<soap:Detail><Error xmlns="urn:zimbra"><Code>im.INVALID_ADDRESS</Code><Trace>btpool0-7:1290000000000:8e3a5c0b1d2f4a67</Trace><a n="addr" t="STR">bob</a></Error></soap:Detail></soap:Fault>',
    );
    const res = interpret(500, xml, 'IMSubscribeResponse');
    expect(res.context?.notify[0].seq).toBe(2);
    expect(res.fault).toBeInstanceOf(UpstreamError);
    expect(res.fault).toMatchObject({
      kind: 'fault',
      code: 'im.INVALID_ADDRESS',
      message: 'address is invalid: bob',
      details: { trace: 'btpool0-7:1290000000000:8e3a5c0b1d2f4a67', args: [{ name: 'addr', type: 'STR', value: 'bob' }], side: 'sender' },
    });
  });

  it('reads a SOAP 1.1 fault (prefixed faultcode/faultstring, Server → receiver) with no header', () => {
    const xml =
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><soap:Fault><soap:faultcode>soap:Server</soap:faultcode>` +
      '<soap:faultstring>system failure: boom</soap:faultstring><soap:detail><Error xmlns="urn:zimbra"><Code>service.FAILURE</Code>' +
      '<Trace>t:1:abc</Trace></Error></soap:detail></soap:Fault></soap:Body></soap:Envelope>';
    const res = interpret(500, xml, 'IMSubscribeResponse');
    expect(res.context).toBeUndefined();
    expect(res.fault).toMatchObject({ code: 'service.FAILURE', message: 'system failure: boom', details: { side: 'receiver', trace: 't:1:abc' } });
  });

  it('reads a bare fault raised while the envelope was parsed (no header)', () => {
    const xml = `<soap:Envelope xmlns:soap="${S12}"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>` +
      '<soap:Reason><soap:Text>auth credentials have expired</soap:Text></soap:Reason><soap:Detail><Error xmlns="urn:zimbra">' +
      '<Code>service.AUTH_EXPIRED</Code><Trace>x</Trace></Error></soap:Detail></soap:Fault></soap:Body></soap:Envelope>';
    const res = interpret(500, xml, 'IMSubscribeResponse');
    expect(res.context).toBeUndefined();
    expect(res.fault?.code).toBe('service.AUTH_EXPIRED');
  });
});

describe('interpret (HTTP status and body → result or error)', () => {
  const ok = envelope('<context xmlns="urn:zimbra"/>', '<NoOpResponse xmlns="urn:zimbraMail"/>');

  it('accepts a 200 SOAP reply', () => {
    expect(interpret(200, ok, 'NoOpResponse').bodyName).toBe('NoOpResponse');
  });

  it.each([
    ['not XML', 200, 'Service down for maintenance', 'bad_response'],
    ['truncated XML', 200, ok.slice(0, 60), 'bad_response'],
    ['XML that is not SOAP', 200, '<html><body>hi</body></html>', 'bad_response'],
    ['a DTD (entity expansion attempt)', 200, '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', 'bad_response'],
    ['HTTP 500 without a fault', 500, ok, 'bad_response'],
    ['HTTP 404', 404, 'not found', 'bad_response'],
    ['HTTP 502 from a proxy', 502, '<html>bad gateway</html>', 'bad_response'],
    ['HTTP 503', 503, '', 'unavailable'],
  ])('%s → %s', (_name, status, body, kind) => {
    expect(caught(() => interpret(status as number, body as string, 'NoOpResponse')).kind).toBe(kind);
  });

  it.each([
    ['IMListConferenceServicesRequest', '<IMGetRosterResponse xmlns="urn:zimbraIM"/>'],
    ['NoOpRequest', '<IMGetRosterResponse xmlns="urn:zimbraIM"/>'],
    ['NoOpRequest', '<NoOpRequest xmlns="urn:zimbraMail"/>'],
    ['IMGetRosterRequest', '<BatchResponse xmlns="urn:zimbra"><IMGetRosterResponse xmlns="urn:zimbraIM"/></BatchResponse>'],
  ])('refuses a reply to %s whose body is %s: it answers another request', (request, body) => {
    const expected = responseNameFor({ [request]: { '@_xmlns': 'urn:x' } });
    const error = caught(() => interpret(200, envelope('<context xmlns="urn:zimbra"/>', body), expected));
    expect(error).toMatchObject({ kind: 'bad_response', code: 'upstream.BAD_RESPONSE' });
  });

  it('accepts the matching response element, and a fault whatever the request', () => {
    expect(responseNameFor({ IMListConferenceServicesRequest: {} })).toBe('IMListConferenceServicesResponse');
    expect(interpret(200, ok, responseNameFor({ NoOpRequest: {} })).bodyName).toBe('NoOpResponse');
    const fault = envelope('', '<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text>boom</soap:Text></soap:Reason></soap:Fault>');
    expect(interpret(500, fault, 'IMGetRosterResponse').fault?.message).toBe('boom');
  });
});

describe('buildEnvelope is injection-proof (fuzz)', () => {
  // The generic form of the same header: buildEnvelope must write exactly what buildXml writes for it.
  const viaBuildXml = (ctx: RequestContext, body: RequestBody): string => {
    const context: XmlNode = { '@_xmlns': NS.zimbra };
    if (ctx.authToken !== undefined) context.authToken = ctx.authToken;
    if (ctx.session === 'new') context.session = '';
    else if (ctx.session !== undefined) context.session = { '@_id': ctx.session };
    if (ctx.notifySeq !== undefined && ctx.notifySeq > 0) context.notify = { '@_seq': String(ctx.notifySeq) };
    if (ctx.userAgent) context.userAgent = { '@_name': ctx.userAgent.name, ...(ctx.userAgent.version ? { '@_version': ctx.userAgent.version } : {}) };
    return buildXml({ 'soap:Envelope': { '@_xmlns:soap': SOAP12_NS, 'soap:Header': { context }, 'soap:Body': body } });
  };
  let seed = 0x51ed270b;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const ALPHABET = ['<', '>', '&', '"', "'", '/', '=', ' ', '\t', '\n', '\r', ']]>', '<!--', '&amp;', '&#60;', 'a', 'é', '😀', '</context>', '?>'];
  const hostile = () => Array.from({ length: Math.floor(random() * 16) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
  const maybe = <T>(value: () => T): T | undefined => (random() < 0.8 ? value() : undefined);

  it('writes byte for byte what the generic builder writes, and reads back as sent, for 2 000 hostile contexts', () => {
    for (let i = 0; i < 2_000; i++) {
      const ctx: RequestContext = {
        authToken: maybe(hostile),
        session: maybe(() => (random() < 0.2 ? 'new' : hostile())),
        notifySeq: maybe(() => Math.floor(random() * 1_000)),
        userAgent: maybe(() => ({ name: hostile(), version: maybe(hostile) })),
      };
      const body = { IMSendMessageRequest: { '@_xmlns': NS.im, message: { '@_addr': hostile(), body: { text: hostile() } } } };
      const xml = buildEnvelope(ctx, body);
      expect(xml).toBe(viaBuildXml(ctx, body));
      const header = child(child(child(parseXml(xml), 'Envelope'), 'Header'), 'context');
      expect(elementNames(header).every((name) => ['authToken', 'session', 'notify', 'userAgent'].includes(name))).toBe(true);
      if (ctx.authToken !== undefined) expect(text(child(header, 'authToken'))).toBe(ctx.authToken);
      if (ctx.session !== undefined && ctx.session !== 'new') expect(attr(child(header, 'session'), 'id')).toBe(ctx.session);
      if (ctx.userAgent) expect(attr(child(header, 'userAgent'), 'name')).toBe(ctx.userAgent.name);
    }
  });

  it('refuses characters XML cannot carry in any header value', () => {
    expect(() => buildEnvelope({ authToken: 'a\u0001' }, { NoOpRequest: {} })).toThrow();
    expect(() => buildEnvelope({ session: '\uFFFE' }, { NoOpRequest: {} })).toThrow();
    expect(() => buildEnvelope({ userAgent: { name: 'x', version: '\u0000' } }, { NoOpRequest: {} })).toThrow();
  });
});
