import { buildEnvelope } from '../envelope';
import { UpstreamError } from '../upstream-error';
import { child, parseXml, XmlNode } from '../xml';

/** For specs: a request element exactly as it goes on the wire (inside soap:Body), via the real builder. */
export function onTheWire(request: XmlNode): string {
  const envelope = buildEnvelope({ authToken: 'tok', session: '7' }, request);
  return envelope.slice(envelope.indexOf('<soap:Body>') + '<soap:Body>'.length, envelope.indexOf('</soap:Body>'));
}

/** For specs: the element of a hand-written upstream reply (`<IMGetChatResponse …>`), parsed. */
export function replyElement(xml: string): XmlNode {
  const doc = parseXml(xml);
  return child(doc, Object.keys(doc)[0]) as XmlNode;
}

/** For specs: the UpstreamError `fn` throws; fails the test when it throws nothing or something else. */
export function upstreamErrorOf(fn: () => unknown): UpstreamError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}
