import { UpstreamError } from './upstream-error';
import { attr, buildXml, child, children, elementNames, escapeAttr, escapeText, text, XmlNode } from './xml';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const NS = {
  zimbra: 'urn:zimbra',
  account: 'urn:zimbraAccount',
  mail: 'urn:zimbraMail',
  im: 'urn:zimbraIM',
} as const;

/** What goes into the request's `<context xmlns="urn:zimbra">` header (wire format §2). */
export interface RequestContext {
  authToken?: string;
  /** `'new'` asks for a session without naming one; an id references (or silently recreates) it. */
  session?: 'new' | string;
  /** Highest notify seq processed; acknowledges every block up to it (§5). */
  notifySeq?: number;
  userAgent?: { name: string; version?: string };
}

/** One `<notify seq>` block, with its IM notifications (`<n>` elements) in posting order. */
export interface NotifyBlock {
  seq: number;
  notifications: XmlNode[];
}

/** What the response's context header says (§3). */
export interface ResponseContext {
  sessionId?: string;
  /** A `<refresh>` block: the session was just created, or the server's queue overflowed. */
  refresh: boolean;
  /** Ascending by seq. */
  notify: NotifyBlock[];
}

export interface SoapResponse {
  /** Absent for faults raised while the server parsed the envelope (they carry no header). */
  context?: ResponseContext;
  /** The body's first element (`IMGetRosterResponse` …), absent when the body is a fault. */
  body?: XmlNode;
  bodyName?: string;
  /** Set when the body is a SOAP fault; the caller handles `context` first so notifications are not lost. */
  fault?: UpstreamError;
}

/** A request body element: `{ IMGetRosterRequest: { '@_xmlns': 'urn:zimbraIM', … } }`. */
export type RequestBody = XmlNode;

const ENVELOPE_START = `<soap:Envelope xmlns:soap="${SOAP12_NS}"><soap:Header><context xmlns="${NS.zimbra}">`;
const BODY_START = '</context></soap:Header><soap:Body>';
const ENVELOPE_END = '</soap:Body></soap:Envelope>';

/**
 * Builds a SOAP 1.2 envelope. The context header has a fixed shape and is written directly, every
 * value through the escaping of src/soap/xml.ts; the body goes through buildXml, which escapes too.
 */
export function buildEnvelope(ctx: RequestContext, body: RequestBody): string {
  let out = ENVELOPE_START;
  if (ctx.authToken !== undefined) out += ctx.authToken === '' ? '<authToken/>' : `<authToken>${escapeText(ctx.authToken)}</authToken>`;
  if (ctx.session === 'new') out += '<session/>';
  else if (ctx.session !== undefined) out += `<session id="${escapeAttr(ctx.session)}"/>`;
  if (ctx.notifySeq !== undefined && ctx.notifySeq > 0) out += `<notify seq="${escapeAttr(String(ctx.notifySeq))}"/>`;
  if (ctx.userAgent) {
    out += `<userAgent name="${escapeAttr(ctx.userAgent.name)}"`;
    if (ctx.userAgent.version) out += ` version="${escapeAttr(ctx.userAgent.version)}"`;
    out += '/>';
  }
  return out + BODY_START + buildXml(body) + ENVELOPE_END;
}

/** Reads a parsed SOAP 1.1 or 1.2 envelope into context, body and fault. Throws on anything that is not SOAP. */
export function readEnvelope(doc: XmlNode): SoapResponse {
  const envelope = child(doc, 'Envelope');
  const body = child(envelope, 'Body');
  if (!envelope || !body) throw UpstreamError.badResponse('upstream reply is not a SOAP envelope');
  const header = child(envelope, 'Header');
  const context = header && child(header, 'context') ? readContext(child(header, 'context') as XmlNode) : undefined;
  const fault = child(body, 'Fault');
  if (fault) return { context, fault: readFault(fault) };
  const bodyName = elementNames(body)[0];
  if (!bodyName) throw UpstreamError.badResponse('upstream reply has an empty SOAP body');
  return { context, body: child(body, bodyName), bodyName };
}

function readContext(context: XmlNode): ResponseContext {
  const session = child(context, 'session');
  const sessionId = session ? (attr(session, 'id') ?? text(session)) || undefined : undefined;
  const notify: NotifyBlock[] = [];
  for (const block of children(context, 'notify')) {
    const seq = Number(attr(block, 'seq'));
    if (!Number.isSafeInteger(seq) || seq <= 0) continue; // a block we cannot order is one we cannot ack
    notify.push({ seq, notifications: children(child(block, 'im'), 'n') });
  }
  notify.sort((a, b) => a.seq - b.seq);
  return { sessionId, refresh: child(context, 'refresh') !== undefined, notify };
}

/** SOAP 1.2 (Code/Value, Reason/Text, Detail) and 1.1 (faultcode, faultstring, detail) faults (§8). */
function readFault(fault: XmlNode): UpstreamError {
  const is12 = child(fault, 'Code') !== undefined || child(fault, 'Reason') !== undefined;
  const rawSide = is12 ? text(child(child(fault, 'Code'), 'Value')) : text(child(fault, 'faultcode'));
  const localSide = rawSide.slice(rawSide.indexOf(':') + 1);
  const side = localSide === 'Sender' || localSide === 'Client' ? 'sender' : localSide ? 'receiver' : undefined;
  const reason = is12 ? text(child(child(fault, 'Reason'), 'Text')) : text(child(fault, 'faultstring'));
  const error = child(child(fault, is12 ? 'Detail' : 'detail'), 'Error');
  const code = text(child(error, 'Code')).trim() || 'service.FAILURE';
  const trace = text(child(error, 'Trace')) || undefined;
  const args = children(error, 'a').map((a) => ({ name: attr(a, 'n') ?? '', type: attr(a, 't') ?? '', value: text(a) }));
  return new UpstreamError('fault', code, reason || code, { trace, args, side });
}
