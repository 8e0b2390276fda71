import { attrOrChild, child, text, type XmlNode } from '../../soap/xml';
import { requiredElement } from '../args';
import type { MessageBody } from '../im/chat';
import type { OutgoingMessage } from '../im/messaging';
import { oldStyleXhtml, parseXhtmlContent } from '../im/xhtml';

/**
 * Reads IMSendMessage's `<message>` (§12.5): new-style `<body><text/><html/></body>` with escaped
 * XHTML, old-style plain `<body>`, `<subject>`, and `<typing/>` as a child of `<message>`.
 */
export function readMessage(message: XmlNode): OutgoingMessage {
  const out: OutgoingMessage = { typing: child(message, 'typing') !== undefined };
  const subject = attrOrChild(message, 'subject');
  if (subject) out.subject = subject;
  const bodyEl = child(message, 'body');
  const body = bodyEl ? readBody(bodyEl) : undefined;
  if (body) out.body = body;
  return out;
}

function readBody(bodyEl: XmlNode): MessageBody | undefined {
  const own = text(bodyEl).trim();
  const htmlEl = child(bodyEl, 'html');
  if (htmlEl) {
    const plain = text(requiredElement(bodyEl, 'text'));
    // Nested elements instead of escaped text read as empty text.
    const html = parseXhtmlContent(text(htmlEl));
    // Quirk: XHTML that does not parse silently replaces the body with <body>'s own (usually empty) text.
    if (!html) return own ? { text: own } : undefined;
    return { text: plain, html };
  }
  const textEl = child(bodyEl, 'text');
  if (textEl) return { text: text(textEl) };
  if (!own) return undefined;
  // Old style: parsed as XHTML, so html="1" unless it holds `<` or `&`.
  const html = oldStyleXhtml(own);
  return html ? { text: own, html } : { text: own };
}
