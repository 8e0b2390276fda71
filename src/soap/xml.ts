import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The one place XML is parsed and built. Parsed documents use fast-xml-parser's object form:
 * attributes under `@_name`, text under `#text`, namespace prefixes removed, every value a string
 * exactly as sent. Use the accessors below rather than poking at that shape directly.
 */
export type XmlNode = { [key: string]: unknown };

/** Elements the upstream may repeat; always parsed as arrays so one and many look alike. */
const REPEATABLE = new Set([
  'notify', 'n', 'p', 'a', 'item', 'list', 'service', 'svc', 'room', 'var', 'value',
  'message', 'chats', 'body', 'subject', 'registration',
]);

/** Deeper than any reply the upstream sends; bounds the parser's work (and its recursion) on hostile input. */
const MAX_DEPTH = 100;
/** An error message quotes the upstream's text at most this far (a parser may quote a whole tag stack). */
const MAX_MESSAGE_LENGTH = 300;

/** Malformed XML. No stack: it says what is wrong with the upstream's text, not where our code is. */
export class XmlError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message);
    Error.stackTraceLimit = limit;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY_REF = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;

/** The five predefined entities and character references, in one pass (so `&amp;#38;` stays `&#38;`). */
function decodeReferences(value: string, forbidden: (reference: string) => string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY_REF, (reference: string, hex?: string, dec?: string, name?: string) => {
    if (name) return ENTITIES[name];
    const code = hex ? parseInt(hex, 16) : parseInt(dec as string, 10);
    return isXmlChar(code) ? String.fromCodePoint(code) : forbidden(reference);
  });
}

/**
 * Lenient decoding for text that was already read from a document (a stored XHTML body): a reference
 * to a character XML cannot carry becomes U+FFFD. Reading a document uses the strict decoding below.
 */
export function decodeEntities(value: string): string {
  return decodeReferences(value, () => '\uFFFD');
}

/** A reference to a character outside XML 1.0's Char production makes the document malformed. */
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

/** Why a document is not well-formed (or holds a DTD), without building it; undefined when it is fine. */
export function wellFormednessProblem(text: string): string | undefined {
  if (/<!DOCTYPE/i.test(text)) return 'DTDs are not accepted';
  const result = XMLValidator.validate(text);
  return result === true ? undefined : `${result.err.msg}:${result.err.line}:${result.err.col}`;
}

/**
 * Parses a document; malformed XML and any DTD are rejected with XmlError, and so is any character
 * XML 1.0 forbids, raw or as a reference: never read as U+FFFD or passed on as a control character.
 */
export function parseXml(text: string): XmlNode {
  if (hasNonXmlChar(text)) throw new XmlError('holds a character XML 1.0 forbids');
  const problem = wellFormednessProblem(text);
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

/**
 * Serialises the object form (same conventions as parseXml: `@_name` attributes, `#text`, arrays as
 * repeated elements, an element with nothing in it self-closed). Every attribute value and text is
 * escaped here, so no input can add markup; names are checked against the XML name rules.
 */
export function buildXml(tree: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(tree)) out += element(name, value);
  return out;
}

const XML_NAME = /^[A-Za-z_][\w.:-]*$/;
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
// In attributes, tab/LF/CR would be normalised to spaces by the reader: write them as references.
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;' };

function escape(value: string, table: Record<string, string>, pattern: RegExp): string {
  if (hasNonXmlChar(value)) throw new XmlError('value holds a character XML 1.0 cannot carry');
  return value.replace(pattern, (c) => table[c]);
}
export const escapeText = (value: string): string => escape(value, TEXT_ESCAPES, /[&<>\r]/g);
export const escapeAttr = (value: string): string => escape(value, ATTR_ESCAPES, /[&<>"'\t\n\r]/g);

function element(name: string, value: unknown): string {
  if (!XML_NAME.test(name)) throw new XmlError(`invalid element name: ${name}`);
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') {
    const body = escapeText(String(value));
    return body ? `<${name}>${body}</${name}>` : `<${name}/>`;
  }
  let attrs = '';
  let inner = '';
  for (const [key, child] of Object.entries(value as XmlNode)) {
    if (child === undefined) continue;
    if (key.startsWith('@_')) {
      const attrName = key.slice(2);
      if (!XML_NAME.test(attrName)) throw new XmlError(`invalid attribute name: ${attrName}`);
      attrs += ` ${attrName}="${escapeAttr(String(child))}"`;
    } else if (key === '#text') {
      inner += escapeText(String(child));
    } else {
      inner += element(key, child);
    }
  }
  return inner ? `<${name}${attrs}>${inner}</${name}>` : `<${name}${attrs}/>`;
}

// ---- accessors over the parsed shape -------------------------------------------------------

/** An element parsed without attributes or children comes back as a bare string; this lifts it. */
function asNode(value: unknown): XmlNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { '#text': value };
  return value as XmlNode;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

export function text(node: XmlNode | string | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const value = node['#text'];
  return typeof value === 'string' ? value : '';
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => asNode(v) as XmlNode);
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  return asNode(Array.isArray(value) ? value[0] : value);
}

/** Zimbra attribute-or-child rule (§10): the attribute, else the text of the first child of that name. */
export function attrOrChild(node: XmlNode | undefined, name: string): string | undefined {
  return attr(node, name) ?? (child(node, name) ? text(child(node, name)) : undefined);
}

/** Element names in document order, skipping attributes and text. */
export function elementNames(node: XmlNode | undefined): string[] {
  return node ? Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text') : [];
}

// ---- XML 1.0 character rules -----------------------------------------------------------------

export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Characters XML 1.0 cannot carry: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const NON_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasNonXmlChar(value: string): boolean {
  return NON_XML_CHAR.test(value);
}
