import { XmlError, buildXml, child, elementNames, type XmlNode } from '../soap/xml';
import { parseXml } from './xml-reader';
import { SoapFault, invalidRequest, parseError } from './faults';
import { scanNamespaces } from './namespaces';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export type SoapVersion = '1.1' | '1.2';

export interface SoapRequest {
  version: SoapVersion;
  /** `<soap:Header><context xmlns="urn:zimbra">`, when sent. */
  context?: XmlNode;
  /** Local name of the first element in the Body. */
  name: string;
  /** Its namespace; undefined when it has none (which no handler accepts). */
  ns?: string;
  node: XmlNode;
}

/** An envelope-level failure, answered bare (no Header) in `version` (§3). */
export class EnvelopeError extends Error {
  constructor(readonly fault: SoapFault, readonly version: SoapVersion) {
    super(fault.message);
  }
}

/** Body bytes → SoapRequest (§1). Only XML is spoken here: the real server's JSON ("SoapJS") is out of scope. */
export function parseEnvelope(raw: string): SoapRequest {
  if (raw.length === 0) throw new EnvelopeError(parseError('empty request payload'), '1.2');
  // First byte decides the format (§1): anything but `<` would go to the JSON parser.
  if (raw[0] !== '<') throw new EnvelopeError(parseError('JSON requests are not supported by this server'), '1.2');
  let doc: XmlNode;
  try {
    doc = parseXml(raw);
  } catch (err) {
    const detail = err instanceof XmlError ? err.message : String(err);
    throw new EnvelopeError(parseError(detail), '1.2');
  }
  const roots = elementNames(doc).filter((k) => !k.startsWith('?'));
  const scanned = scanNamespaces(raw);
  const version = roots.length === 1 && roots[0] === 'Envelope' ? versionOf(scanned.root?.ns) : undefined;
  if (!version) throw new EnvelopeError(invalidRequest('unable to determine SOAP version'), '1.2');
  const envelope = child(doc, 'Envelope');
  const body = child(envelope, 'Body');
  const name = elementNames(body)[0];
  if (!name) throw new EnvelopeError(invalidRequest('no document specified'), version);
  const context = child(child(envelope, 'Header'), 'context');
  const ns = scanned.request?.local === name ? scanned.request.ns : undefined;
  return { version, context, name, ns, node: child(body, name) ?? {} };
}

function versionOf(ns: string | undefined): SoapVersion | undefined {
  if (ns === SOAP12_NS) return '1.2';
  if (ns === SOAP11_NS) return '1.1';
  return undefined;
}

/** Serialises a response: prefix `soap`, no prolog (§1); `header` is the context's content, if any. */
export function buildEnvelope(version: SoapVersion, header: XmlNode | undefined, body: XmlNode): string {
  const envelope: XmlNode = { '@_xmlns:soap': version === '1.2' ? SOAP12_NS : SOAP11_NS };
  if (header) envelope['soap:Header'] = { context: { '@_xmlns': 'urn:zimbra', ...header } };
  envelope['soap:Body'] = body;
  return buildXml({ 'soap:Envelope': envelope });
}
