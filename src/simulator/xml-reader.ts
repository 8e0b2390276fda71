import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeReferences, hasNonXmlChar, MAX_DEPTH, REPEATABLE, XmlError, type XmlNode } from '../soap/xml';

/**
 * The simulator's XML reader, for the requests it is sent: fast-xml-parser with its validator, giving
 * the same object form as the proxy's reader in src/soap/xml.ts (`@_name` attributes, `#text`,
 * prefixes removed, REPEATABLE elements as arrays). It is a different parser on purpose: the
 * stand-in for the upstream reads our requests with one parser while the proxy reads its replies
 * with another, so the two sides cannot share one bug and let it pass unnoticed.
 */

/** Strict decoding: a reference to a character outside XML 1.0's Char production makes the document malformed. */
function decodeStrictly(value: string): string {
  return decodeReferences(value, (reference) => {
    throw new XmlError(`character reference ${reference} is to a character XML 1.0 forbids`);
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entity handling is ours (decodeStrictly): predefined entities and character references only,
  // never DOCTYPE-declared ones.
  processEntities: false,
  htmlEntities: false,
  tagValueProcessor: (_name, value) => decodeStrictly(value),
  attributeValueProcessor: (_name, value) => decodeStrictly(value),
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATABLE.has(name),
  // isArray needs only the name: no path strings built for every element.
  jPath: false,
  maxNestedTags: MAX_DEPTH,
});

/** What the validator says is wrong with a document (or that it holds a DTD); undefined when it is fine. */
export function validatorProblem(text: string): string | undefined {
  if (/<!DOCTYPE/i.test(text)) return 'DTDs are not accepted';
  const result = XMLValidator.validate(text);
  return result === true ? undefined : `${result.err.msg}:${result.err.line}:${result.err.col}`;
}

/**
 * Parses a document; malformed XML and any DTD are rejected with XmlError, and so is any character
 * XML 1.0 forbids, raw or as a reference. Unknown entities are left as written.
 */
export function parseXml(text: string): XmlNode {
  if (hasNonXmlChar(text)) throw new XmlError('holds a character XML 1.0 forbids');
  const problem = validatorProblem(text);
  if (problem !== undefined) throw new XmlError(problem);
  try {
    const doc = parser.parse(protectCdata(text)) as XmlNode;
    if (!doc || typeof doc !== 'object' || Object.keys(doc).length === 0) throw new XmlError('empty document');
    return doc;
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(typeof err === 'object' && err && 'message' in err ? String(err.message) : String(err));
  }
}

/**
 * The parser hands CDATA content to the same value processor as text, which decodes references:
 * `<![CDATA[&amp;]]>` would read back as `&`. Each `&` inside CDATA is escaped first, so that the
 * decoding gives the content back exactly. Skips markup the way the parser does (comments,
 * processing instructions, quoted attribute values); only documents with CDATA pay for the scan.
 */
function protectCdata(text: string): string {
  if (!text.includes('<![CDATA[')) return text;
  let out = '';
  let copied = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    let end: number;
    if (text.startsWith('<![CDATA[', at)) {
      end = text.indexOf(']]>', at);
      if (end < 0) break;
      out += text.slice(copied, at) + text.slice(at, end).replaceAll('&', '&amp;');
      copied = end;
    } else {
      end = markupEnd(text, at);
      if (end < 0) break;
    }
    at = text.indexOf('<', end);
  }
  return out + text.slice(copied);
}

/** Index just past the comment, processing instruction or tag starting at `start`; -1 when it never ends. */
function markupEnd(text: string, start: number): number {
  const [opener, closer] = text.startsWith('<!--', start) ? ['<!--', '-->'] : text.startsWith('<?', start) ? ['<?', '?>'] : [];
  if (opener && closer) {
    const end = text.indexOf(closer, start + opener.length);
    return end < 0 ? -1 : end + closer.length;
  }
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = text.indexOf(c, i + 1);
      if (i < 0) return -1;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return -1;
}
