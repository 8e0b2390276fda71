import { SaxesParser, type SaxesAttributePlain, type SaxesTagPlain } from 'saxes';

/**
 * The one place the proxy parses and builds XML. Parsed documents have this object form: attributes
 * under `@_name`, text under `#text`, namespace prefixes removed, every value a string exactly as
 * sent (references decoded, CDATA verbatim). An element with neither attributes nor children is its
 * text alone, a string. Use the accessors below rather than poking at that shape directly.
 */
export type XmlNode = { [key: string]: unknown };

/** Elements the upstream may repeat; always parsed as arrays so one and many look alike. */
export const REPEATABLE: ReadonlySet<string> = new Set([
  'notify', 'n', 'p', 'a', 'item', 'list', 'service', 'svc', 'room', 'var', 'value',
  'message', 'chats', 'body', 'subject', 'registration',
]);

/** Deeper than any reply the upstream sends; bounds the work (and the size of the stack kept) on hostile input. */
export const MAX_DEPTH = 100;
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

/**
 * The five predefined entities and character references, in one pass (so `&amp;#38;` stays `&#38;`);
 * `forbidden` says what a reference to a character XML cannot carry becomes (or throws).
 */
export function decodeReferences(value: string, forbidden: (reference: string) => string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY_REF, (reference: string, hex?: string, dec?: string, name?: string) => {
    if (name) return ENTITIES[name];
    const code = hex ? parseInt(hex, 16) : parseInt(dec as string, 10);
    return isXmlChar(code) ? String.fromCodePoint(code) : forbidden(reference);
  });
}

/**
 * Lenient decoding for text that was already read from a document (a stored XHTML body): a reference
 * to a character XML cannot carry becomes U+FFFD. Reading a document is strict (parseXml).
 */
export function decodeEntities(value: string): string {
  return decodeReferences(value, () => '\uFFFD');
}

// ---- reading: saxes and a small tree builder -------------------------------------------------

/**
 * saxes checks well-formedness itself and never reads a DTD's entities, but there is no reason to
 * let it walk one: a DTD is refused before parsing, with one cheap scan.
 */
const DOCTYPE = /<!DOCTYPE/i;

/** Names that would reach the prototype machinery of the objects built; refused as fast-xml-parser refuses them. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The builder's state. Parsing is synchronous and the handlers never parse, so one document is read
 * at a time; the open elements are kept in arrays indexed by depth (no recursion, no frame objects).
 */
let doc: XmlNode = {};
let depth = 0;
/** Local names of the open elements. */
const names: string[] = [];
/** The object form of each open element, once it has an attribute or a child; until then its text is all it is. */
const nodes: (XmlNode | undefined)[] = [];
const texts: string[] = [];

/** The attributes of the start tag being read (saxes reports each before the tag); undefined while there are none. */
let attributes: XmlNode | undefined;

/**
 * Names as sent → their key in the object form (`@_local` for attributes, null for a namespace
 * declaration; the local name for elements). Replies repeat a few names many times, and a lookup is
 * cheaper than slicing and joining strings for each. Bounded, whatever names the upstream makes up.
 */
const attributeKeys = new Map<string, string | null>();
const elementKeys = new Map<string, string>();
const MAX_KEYS = 1_000;

/** Taken one by one as saxes reads them: cheaper than walking its attribute map afterwards. */
function onAttribute(attribute: SaxesAttributePlain): void {
  const name = attribute.name;
  let key = attributeKeys.get(name);
  if (key === undefined) {
    key = isNamespaceDeclaration(name) ? null : `@_${localName(name)}`;
    if (attributeKeys.size < MAX_KEYS) attributeKeys.set(name, key);
  }
  if (key !== null) (attributes ??= {})[key] = attribute.value;
}

function onOpenTag(tag: SaxesTagPlain): void {
  if (depth >= MAX_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_DEPTH} levels`);
  let name = elementKeys.get(tag.name);
  if (name === undefined) {
    name = localName(tag.name);
    if (RESERVED_NAMES.has(name)) throw new XmlError(`element name ${name} is not accepted`);
    if (elementKeys.size < MAX_KEYS) elementKeys.set(tag.name, name);
  }
  if (depth > 0 && nodes[depth - 1] === undefined) nodes[depth - 1] = {};
  names[depth] = name;
  nodes[depth] = attributes;
  texts[depth] = '';
  attributes = undefined;
  depth++;
}

/** Text and CDATA alike (CDATA content comes verbatim); text outside the root is whitespace, which saxes checked. */
function onText(value: string): void {
  if (depth > 0) texts[depth - 1] += value;
}

function onCloseTag(): void {
  depth--;
  const node = nodes[depth];
  const text = texts[depth];
  nodes[depth] = undefined;
  texts[depth] = '';
  let value: XmlNode | string = text;
  if (node !== undefined) {
    if (text !== '') node['#text'] = text;
    value = node;
  }
  const parent = depth === 0 ? doc : (nodes[depth - 1] as XmlNode);
  const name = names[depth];
  const existing = Object.hasOwn(parent, name) ? parent[name] : undefined;
  if (existing === undefined) parent[name] = REPEATABLE.has(name) ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else parent[name] = [existing, value];
}

/** saxes reports a problem and carries on guessing; the first problem is final here. */
function onError(err: Error): never {
  throw new XmlError(err.message);
}

/** `xmlns` and `xmlns:p` attributes are declarations, not data (prefixes are removed anyway). */
function isNamespaceDeclaration(name: string): boolean {
  return name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 0x3a);
}

/** `p:local` → `local`; a name with an empty prefix or local part, or two colons, is not a namespace-well-formed name. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  if (colon < 0) return name;
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) throw new XmlError(`malformed name: ${name}`);
  return name.slice(colon + 1);
}

/**
 * Without namespace processing (prefixes are removed, not resolved): 1.3–1.6× faster than with it
 * (bench/xml-parse.ts). Without positions: no faster measurably (saxes counts lines anyway), but
 * messages then say what is wrong without a position no one reads. Always XML 1.0, whatever the
 * declaration says: `version="1.1"` would let references to control characters through.
 */
type FastOptions = { xmlns: false; position: false; defaultXMLVersion: '1.0'; forceXMLVersion: true };
const FAST_OPTIONS: FastOptions = { xmlns: false, position: false, defaultXMLVersion: '1.0', forceXMLVersion: true };

function newReader(): SaxesParser<FastOptions> {
  const reader = new SaxesParser<FastOptions>(FAST_OPTIONS);
  reader.on('attribute', onAttribute);
  reader.on('opentag', onOpenTag);
  reader.on('text', onText);
  reader.on('cdata', onText);
  reader.on('closetag', onCloseTag);
  reader.on('error', onError);
  return reader;
}

let reader = newReader();

/** False when the text holds a lone surrogate (saxes reads a high one followed by anything as a pair). */
function isWellFormedUtf16(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Parses a document. Rejected with XmlError: anything not well-formed (two roots, text after the
 * root, `<` in an attribute value, an unknown entity …), any DTD, any character XML 1.0 forbids, raw
 * or as a reference (never read as U+FFFD or passed on as a control character), nesting deeper than
 * MAX_DEPTH. The XML declaration, comments and processing instructions are not part of the result.
 */
export function parseXml(text: string): XmlNode {
  if (DOCTYPE.test(text)) throw new XmlError('DTDs are not accepted');
  if (!isWellFormedUtf16(text)) throw new XmlError('holds a character XML 1.0 forbids (a lone surrogate)');
  const result: XmlNode = (doc = {});
  let finished = false;
  try {
    reader.write(text).close();
    finished = true;
  } finally {
    doc = {};
    if (!finished) {
      // A parser stopped half-way is not reusable; neither is what the builder held.
      reader = newReader();
      depth = 0;
      attributes = undefined;
      names.length = nodes.length = texts.length = 0;
    }
  }
  return result;
}

// ---- checking without building ----------------------------------------------------------------

/** What wellFormednessProblem says of a processing instruction, which is well-formed but not accepted. */
export const PROCESSING_INSTRUCTION = 'processing instructions are not accepted';

/** Thrown by the checker's handlers to stop saxes at the first problem; never leaves this module. */
const STOP = Symbol('stop');

let problem: string | undefined;
let checked = '';
/** Namespace prefixes declared by the open elements, and how many there were when each one opened. */
const prefixes: string[] = [];
const prefixMarks: number[] = [];
/** Of the start tag being read: how many prefixes it declares, and its prefixed attribute names. */
let declaredHere = 0;
const prefixedHere: string[] = [];
let lastClosed = '';

function stop(reason: string): never {
  problem = reason;
  throw STOP;
}

function checkAttribute({ name }: SaxesAttributePlain): void {
  if (name.startsWith('xmlns:')) {
    prefixes.push(name.slice(6));
    declaredHere++;
  } else if (name.includes(':')) {
    prefixedHere.push(name);
  }
}

/** Prefixes declared on a tag count for its own name and attributes, wherever they stand in it. */
function checkOpenTag(tag: SaxesTagPlain): void {
  prefixMarks.push(prefixes.length - declaredHere);
  declaredHere = 0;
  checkPrefix(tag.name);
  for (const name of prefixedHere) checkPrefix(name);
  prefixedHere.length = 0;
}

function checkPrefix(name: string): void {
  const colon = name.indexOf(':');
  if (colon < 0) return;
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) stop(`malformed name ${name}`);
  const prefix = name.slice(0, colon);
  if (prefix !== 'xml' && prefix !== 'xmlns' && !prefixes.includes(prefix)) stop(`the namespace prefix of ${name} is not declared`);
}

function checkCloseTag(tag: SaxesTagPlain): void {
  prefixes.length = prefixMarks.pop() ?? 0;
  lastClosed = tag.name;
}

/** saxes's own words, made readable where they name no element or sound like its internals. */
function checkError(err: Error): never {
  const message = err.message.replace(/\.$/, '');
  const at = checker.position;
  if (message === 'unexpected close tag') {
    // saxes has just read the `>` of the closing tag that does not match `lastClosed`.
    const start = checked.lastIndexOf('</', at - 1);
    stop(`element <${lastClosed}> is closed by </${checked.slice(start + 2, at - 1).trim()}>`);
  }
  if (message.startsWith('unmatched closing tag: ')) stop(`closing tag </${message.slice(23)}> has no matching start tag`);
  if (message.startsWith('unclosed tag: ')) stop(`element <${message.slice(14)}> is not closed`);
  if (message === 'disallowed character' && checked[at - 1] === '<') stop('an attribute value must not contain <');
  if (message.includes(']]>')) stop(']]> may only end a CDATA section');
  stop(message);
}

/** No text handler: saxes then does not even collect text. */
function newChecker(): SaxesParser<FastOptions> {
  const parser = new SaxesParser<FastOptions>(FAST_OPTIONS);
  parser.on('attribute', checkAttribute);
  parser.on('opentag', checkOpenTag);
  parser.on('closetag', checkCloseTag);
  parser.on('processinginstruction', () => stop(PROCESSING_INSTRUCTION));
  parser.on('error', checkError);
  return parser;
}

let checker = newChecker();

/**
 * Why a document is not well-formed, or not namespace-well-formed (a prefix not declared), or holds
 * a DTD or a processing instruction; undefined when it is fine. One pass of saxes, nothing built.
 */
export function wellFormednessProblem(text: string): string | undefined {
  if (DOCTYPE.test(text)) return 'DTDs are not accepted';
  if (!isWellFormedUtf16(text)) return 'holds a character XML 1.0 forbids (a lone surrogate)';
  problem = undefined;
  checked = text;
  // saxes makes an Error for the problem it reports; capturing its stack would cost more than the
  // whole check of a short text (plain texts that merely contain `<` are checked all the time).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    checker.write(text).close();
  } catch (err) {
    if (err !== STOP) throw err;
    checker = newChecker();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    checked = '';
    prefixes.length = prefixMarks.length = prefixedHere.length = declaredHere = 0;
  }
  return problem;
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
