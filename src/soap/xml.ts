import { XMLBuilder, XMLParser } from 'fast-xml-parser';

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

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY_REF = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;

/** Decodes the five predefined entities and character references in one pass (so `&amp;#38;` stays `&#38;`). */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY_REF, (_m, hex?: string, dec?: string, name?: string) => {
    if (name) return ENTITIES[name];
    const code = hex ? parseInt(hex, 16) : parseInt(dec as string, 10);
    return isXmlChar(code) ? String.fromCodePoint(code) : '\uFFFD';
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
  // Entity handling is ours (decodeEntities): predefined entities and character references only,
  // never DOCTYPE-declared ones.
  processEntities: false,
  htmlEntities: false,
  tagValueProcessor: (_name, value) => decodeEntities(value),
  attributeValueProcessor: (_name, value) => decodeEntities(value),
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATABLE.has(name),
});

/** Parses a document; malformed XML and any DTD are rejected with XmlError. */
export function parseXml(text: string): XmlNode {
  if (/<!DOCTYPE/i.test(text)) throw new XmlError('DTDs are not accepted');
  try {
    const doc = parser.parse(text, true) as XmlNode;
    if (!doc || typeof doc !== 'object' || Object.keys(doc).length === 0) throw new XmlError('empty document');
    return doc;
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(typeof err === 'object' && err && 'message' in err ? String(err.message) : String(err));
  }
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  suppressEmptyNode: true,
  // The default would write an attribute whose value is "true" as a bare (invalid XML) name.
  suppressBooleanAttributes: false,
  processEntities: true,
});

/** Serialises the object form (same conventions as parseXml) with every text and attribute escaped. */
export function buildXml(tree: XmlNode): string {
  assertXmlSafe(tree);
  return builder.build(tree) as string;
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

/** Last line of defence: validation should have caught these, but XML is never built with them. */
function assertXmlSafe(value: unknown): void {
  if (typeof value === 'string') {
    if (hasNonXmlChar(value)) throw new XmlError('value holds a character XML 1.0 cannot carry');
  } else if (Array.isArray(value)) {
    value.forEach(assertXmlSafe);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (!key.startsWith('@_') && key !== '#text' && !/^[A-Za-z_][\w.:-]*$/.test(key)) {
        throw new XmlError(`invalid element name: ${key}`);
      }
      assertXmlSafe(v);
    }
  }
}
