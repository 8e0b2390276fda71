import { parseXml } from '../xml-reader';

/**
 * The XHTML handling of IMSendMessage (§12.5): HTML named entities become numeric ones, the result
 * is parsed as the content of an XHTML body, and what is sent on is a sanitized copy.
 */

const HTML_ENTITIES: Record<string, number> = {
  nbsp: 160, iexcl: 161, cent: 162, pound: 163, yen: 165, sect: 167, copy: 169, laquo: 171, reg: 174, deg: 176,
  plusmn: 177, middot: 183, raquo: 187, frac12: 189, times: 215, divide: 247, eacute: 233, egrave: 232,
  auml: 228, ouml: 246, uuml: 252, szlig: 223, ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217,
  ldquo: 8220, rdquo: 8221, bull: 8226, hellip: 8230, euro: 8364, trade: 8482, larr: 8592, rarr: 8594,
};
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

export interface XhtmlBody {
  /** Inner XHTML as the client sent it (after entity conversion): what IMGetChat returns (§12.6). */
  raw: string;
  /** What notifications carry with html="1" (§13.2). */
  sanitized: string;
}

/** Converts known HTML entities to numeric references; an unknown name stays and fails the parse. */
function numericEntities(html: string): string {
  return html.replace(/&([A-Za-z][A-Za-z0-9]*);/g, (m, name: string) =>
    XML_ENTITIES.has(name) || HTML_ENTITIES[name] === undefined ? m : `&#${HTML_ENTITIES[name]};`);
}

/** Parses escaped XHTML content; undefined when it is not well-formed (the caller then blanks the body). */
export function parseXhtmlContent(html: string): XhtmlBody | undefined {
  const converted = numericEntities(html);
  // Every `&` must start a predefined entity or a character reference.
  if (/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(converted)) return undefined;
  try {
    parseXml(`<body xmlns="http://www.w3.org/1999/xhtml">${converted}</body>`);
  } catch {
    return undefined;
  }
  return { raw: converted, sanitized: sanitize(converted) };
}

/** Drops scripts, styles, event-handler attributes and javascript: links from well-formed XHTML. */
export function sanitize(xhtml: string): string {
  return xhtml
    .replace(/<(script|style)\b[^>]*\/>/gi, '')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '')
    .replace(/\s+(href|src)\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*')/gi, '');
}

/** Old-style plain `<body>` text parsed as XHTML: fails (→ plain) as soon as it holds `<` or `&` (§12.5). */
export function oldStyleXhtml(textBody: string): XhtmlBody | undefined {
  if (/[<&]/.test(textBody)) return undefined;
  const escaped = textBody.replace(/>/g, '&gt;');
  return { raw: escaped, sanitized: escaped };
}
