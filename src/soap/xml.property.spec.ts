import fc from 'fast-check';
import { readEnvelope } from './envelope';
import { interpret } from './soap-client';
import { orderedShape } from './testing/tree-shape';
import { UpstreamError } from './upstream-error';
import { parseXml as simulatorParseXml } from '../simulator/xml-reader';
import { attr, buildXml, child, children, elementNames, parseXml, text, XmlError, XmlNode } from './xml';

/**
 * Properties of the XML reader, written against the public functions only (parseXml, the accessors,
 * readEnvelope, interpret) so that they hold whatever parser sits underneath. The last ones compare
 * it with the simulator's reader (another parser), which must read the same documents the same way.
 */
const run = <T>(property: fc.IPropertyWithHooks<T>, numRuns: number) => fc.assert(property, { seed: 42, numRuns });

/** Calls `fn`; a thrown XmlError is fine, anything else thrown fails the property. */
function valueOrXmlError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
  }
}

// ---- generators ------------------------------------------------------------------------------

/** Pieces of text XML can carry, biased towards what needs escaping or looks like markup. */
const textPiece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ']]>', ']', '\t', '\n', '\r', '\r\n', ' ', '&amp;', '&#60;', '<![CDATA[', '-->', '?>', '<x/>') },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\uD7FF', '\uE000', '\uFFFD', '\u{10000}', '\u{10FFFF}', '😀') },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCodePoint(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const xmlText = fc.array(textPiece, { maxLength: 8 }).map((pieces) => pieces.join(''));

interface Element {
  name: string;
  attributes: [string, string][];
  /** Text and child elements in document order. */
  content: (string | Element)[];
}

const elementName = fc.constantFrom('x', 'y', 'item', 'n', 'a', 'body', 'Body', 'list-1', 'a.b', '_z', 'Envelope');
const attributeName = fc.constantFrom('v', 'w', 'id', 'x-y', 'a.b', '_c', 'type');

const { element } = fc.letrec<{ element: Element }>((tie) => ({
  element: fc.record({
    name: elementName,
    attributes: fc.uniqueArray(fc.tuple(attributeName, xmlText), { selector: ([name]) => name, maxLength: 3 }),
    content: fc.array(fc.oneof({ depthSize: 'small' }, xmlText, tie('element')), { maxLength: 4 }),
  }),
}));

/** How each character of a value is written: as itself where allowed, an entity, or a decimal or hex reference. */
const spelling = fc.constantFrom('raw', 'entity', 'decimal', 'hex', 'padded');
/** A writer's random choices, consumed one at a time. */
type Choices = { next(): string };

function reference(codePoint: number, how: string): string {
  if (how === 'hex') return `&#x${codePoint.toString(16).toUpperCase()};`;
  if (how === 'padded') return `&#x000${codePoint.toString(16)};`;
  return `&#${codePoint};`;
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Writes `value` for text content (quote undefined) or an attribute in `quote`, spelling each character by choice. */
function writeValue(value: string, choices: Choices, quote?: string): string {
  let out = '';
  for (const c of value) {
    const codePoint = c.codePointAt(0) as number;
    let how = choices.next();
    // What may not appear as itself: markup characters; CR (read as LF); in attributes, the quote and
    // whitespace (read as spaces); `]]>` in text.
    const mustEscape =
      c === '&' || c === '<' || c === '\r' || c === quote ||
      (quote !== undefined && (c === '\t' || c === '\n')) ||
      (quote === undefined && c === '>' && out.endsWith(']]'));
    if (how === 'raw' && mustEscape) how = 'decimal';
    if (how === 'entity' && !TEXT_ENTITIES[c]) how = 'raw';
    if (how === 'raw' && mustEscape) how = 'hex';
    out += how === 'raw' ? c : how === 'entity' ? TEXT_ENTITIES[c] : reference(codePoint, how);
  }
  return out;
}

/** Text as one or more CDATA sections (`]]>` split across two), or undefined when it holds a CR. */
function cdata(value: string): string | undefined {
  if (value.includes('\r')) return undefined;
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** A document being written by hand, and where values start in it. */
interface Written {
  xml: string;
  /** Offsets where a character reference would be read as part of a text or attribute value. */
  slots: number[];
  /** The offsets of `slots` that are inside an attribute value. */
  attributeSlots: number[];
}

/** Serialises by hand: random quotes, spellings, CDATA and comments. */
function writeElement(e: Element, choices: Choices, out: Written): void {
  out.xml += `<${e.name}`;
  for (const [name, value] of e.attributes) {
    const quote = choices.next() === 'raw' ? "'" : '"';
    out.xml += ` ${name}=${quote}`;
    out.slots.push(out.xml.length);
    out.attributeSlots.push(out.xml.length);
    out.xml += `${writeValue(value, choices, quote)}${quote}`;
  }
  if (e.content.length === 0 && choices.next() !== 'raw') {
    out.xml += '/>';
    return;
  }
  out.xml += '>';
  for (const part of e.content) {
    if (typeof part !== 'string') {
      writeElement(part, choices, out);
      continue;
    }
    const how = choices.next();
    if (how === 'entity') out.xml += '<!-- a comment - with <tags> & ]]> -->';
    const section = how === 'padded' ? cdata(part) : undefined;
    if (section !== undefined) {
      out.xml += section;
    } else {
      out.slots.push(out.xml.length);
      out.xml += writeValue(part, choices);
    }
  }
  out.xml += `</${e.name}>`;
}

/** Documents written by hand from generated trees, with or without a prolog (declaration, comment). */
const writtenBy = (tree: fc.Arbitrary<Element>, prologs: fc.Arbitrary<boolean> = fc.boolean()) =>
  fc.tuple(tree, fc.infiniteStream(spelling), prologs).map(([root, stream, prolog]) => {
    const iterator = stream[Symbol.iterator]();
    const choices = { next: () => iterator.next().value as string };
    const out: Written = { xml: prolog ? '<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->' : '', slots: [], attributeSlots: [] };
    writeElement(root, choices, out);
    if (prolog) out.xml += '\n';
    return { root, ...out };
  });

const handWritten = writtenBy(element);

/** The object form buildXml takes (text first, children grouped by name). */
function objectForm(e: Element): XmlNode {
  const node: XmlNode = {};
  for (const [name, value] of e.attributes) node[`@_${name}`] = value;
  const body = e.content.filter((p): p is string => typeof p === 'string').join('');
  if (body) node['#text'] = body;
  for (const part of e.content) {
    if (typeof part === 'string') continue;
    node[part.name] = [...((node[part.name] as XmlNode[] | undefined) ?? []), objectForm(part)];
  }
  return node;
}

/** Asserts that `read` (what the parser gave for an element) holds exactly what `written` holds. */
function expectSameElement(read: XmlNode | undefined, written: Element, path: string): void {
  if (read === undefined) throw new Error(`${path}: missing`);
  const attributes = Object.keys(read).filter((k) => k.startsWith('@_'));
  expect(attributes.sort()).toEqual(written.attributes.map(([name]) => `@_${name}`).sort());
  for (const [name, value] of written.attributes) expect([path, name, attr(read, name)]).toEqual([path, name, value]);
  const body = written.content.filter((p): p is string => typeof p === 'string').join('');
  expect([path, text(read)]).toEqual([path, body]);
  const byName = new Map<string, Element[]>();
  for (const part of written.content) if (typeof part !== 'string') byName.set(part.name, [...(byName.get(part.name) ?? []), part]);
  expect(elementNames(read).sort()).toEqual([...byName.keys()].sort());
  for (const [name, writtenChildren] of byName) {
    const readChildren = children(read, name);
    expect(readChildren).toHaveLength(writtenChildren.length);
    writtenChildren.forEach((w, i) => expectSameElement(readChildren[i], w, `${path}/${name}[${i}]`));
  }
}

/** Characters XML 1.0 forbids, raw: C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates. */
const forbiddenChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x9 && c !== 0xa && c !== 0xd).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\uFFFE', '\uFFFF'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
/** References to such characters, or past U+10FFFF, in decimal or hex with optional leading zeros. */
const forbiddenReference = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x9 && c !== 0xa && c !== 0xd),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.constantFrom(0xfffe, 0xffff, 0x110000, 0x7fffffff),
    ),
    fc.constantFrom('decimal', 'hex', 'HEX', 'padded'),
  )
  .map(([code, how]) =>
    how === 'decimal' ? `&#${code};` : how === 'hex' ? `&#x${code.toString(16)};` : how === 'HEX' ? `&#x${code.toString(16).toUpperCase()};` : `&#000${code};`,
  );

// ---- properties ------------------------------------------------------------------------------

describe('parseXml on any input', () => {
  const markupPiece = fc.constantFrom('<', '>', '</', '/>', '<a>', '</a>', '<a b="c">', '="', '"', "'", '&', ';', '&#', '&#x', '&amp;', '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', '<!DOCTYPE', ' ', 'a', ':');
  const xmlish = fc.array(fc.oneof(markupPiece, textPiece, fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 30 }).map((p) => p.join(''));

  it('returns a value or throws XmlError, for arbitrary strings', () => {
    run(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), xmlish), (input) => valueOrXmlError(() => parseXml(input))), 3_000);
  });

  it('returns a value or throws XmlError for nested documents of any depth, closed or not', () => {
    const nested = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('a', 'n', 'x'), fc.boolean(), fc.boolean()).map(([depth, name, closed, attributes]) => {
      const open = attributes ? `<${name} v="1">` : `<${name}>`;
      return open.repeat(depth) + (closed ? `</${name}>`.repeat(depth) : '');
    });
    run(
      fc.property(nested, (doc) => {
        valueOrXmlError(() => {
          let node: XmlNode | undefined = parseXml(doc);
          // The accessors walk it without recursing either.
          while (node && elementNames(node).length) node = child(node, elementNames(node)[0]);
        });
      }),
      200,
    );
  });

  it('refuses 100 000 levels of nesting with XmlError, quickly and with a short message', () => {
    for (const doc of ['<a>'.repeat(100_000) + '</a>'.repeat(100_000), '<a><n>'.repeat(50_000), '<x v="1">'.repeat(100_000)]) {
      let error: unknown;
      try {
        parseXml(doc);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(XmlError);
      expect((error as Error).message.length).toBeLessThan(400);
    }
  });
});

describe('parseXml gives back exactly what was written', () => {
  it('for hand-written documents: any quoting, entities, references, CDATA, comments, non-BMP characters', () => {
    run(
      fc.property(handWritten, ({ root, xml }) => {
        expectSameElement(child(parseXml(xml), root.name), root, root.name);
      }),
      300,
    );
  });

  it('for documents written by buildXml', () => {
    run(
      fc.property(element, (root) => {
        expectSameElement(child(parseXml(buildXml({ [root.name]: objectForm(root) })), root.name), root, root.name);
      }),
      300,
    );
  });
});

describe('parseXml refuses a forbidden character anywhere, raw or as a reference', () => {
  it('a raw forbidden character at any position → XmlError', () => {
    run(
      fc.property(handWritten, forbiddenChar, fc.nat(), ({ xml }, bad, at) => {
        const position = at % (xml.length + 1);
        expect(() => parseXml(xml.slice(0, position) + bad + xml.slice(position))).toThrow(XmlError);
      }),
      400,
    );
  });

  it('a reference to a forbidden character in any text or attribute value → XmlError', () => {
    run(
      fc.property(handWritten.filter(({ slots }) => slots.length > 0), forbiddenReference, fc.nat(), ({ xml, slots }, bad, pick) => {
        const position = slots[pick % slots.length];
        expect(() => parseXml(xml.slice(0, position) + bad + xml.slice(position))).toThrow(XmlError);
      }),
      400,
    );
  });
});

describe('reading a reply never fails with anything but a bad response', () => {
  const soap = (header: string, body: string) =>
    `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
  const serialized = handWritten.map(({ xml }) => xml);
  const faultPart = fc.constantFrom(
    '<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>', '<soap:Code/>', '<soap:Code><soap:Value/></soap:Code>',
    '<soap:Reason><soap:Text>r</soap:Text></soap:Reason>', '<soap:Reason>plain</soap:Reason>', '<faultcode>Client</faultcode>',
    '<soap:Detail><Error><Code>im.X</Code><Trace>t</Trace><a n="x" t="STR">v</a><a/></Error></soap:Detail>',
    '<detail><Error>text only</Error></detail>', '<soap:Detail><Error><Code/><a n="1"><a/></a></Error><Error/></soap:Detail>',
  );
  const contextPart = fc.constantFrom(
    '<session id="3"/>', '<session>7</session>', '<session/>', '<refresh/>', '<notify seq="2"><im><n type="x"/></im></notify>',
    '<notify seq="-1"/>', '<notify seq="abc"><im/></notify>', '<notify>text</notify>', '<notify seq="1"><im>t</im></notify>',
    '<notify seq="99999999999999999999"/>', '<change token="1"/>',
  );
  const reply = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    serialized,
    fc.tuple(fc.array(contextPart, { maxLength: 4 }), fc.boolean(), fc.oneof(serialized, fc.constant(''))).map(([parts, withHeader, body]) =>
      soap(withHeader ? `<soap:Header><context xmlns="urn:zimbra">${parts.join('')}</context></soap:Header>` : '', body),
    ),
    fc.tuple(fc.array(faultPart, { maxLength: 4 }), serialized).map(([parts, extra]) => soap('', `<soap:Fault>${parts.join('')}${extra}</soap:Fault>`)),
    fc.tuple(fc.array(contextPart, { maxLength: 3 }), serialized).map(([parts, extra]) =>
      soap(`<soap:Header>${extra}<context>${parts.join('')}${extra}</context></soap:Header>`, `<IMGetRosterResponse>${extra}</IMGetRosterResponse>`),
    ),
  );

  it('interpret: a SoapResponse, or an UpstreamError that is a bad response (502)', () => {
    run(
      fc.property(fc.constantFrom(200, 500), reply, fc.constantFrom('IMGetRosterResponse', 'NoOpResponse', 'xResponse'), (status, body, expected) => {
        try {
          interpret(status, body, expected);
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          expect([err.kind, err.code]).toEqual(['bad_response', 'upstream.BAD_RESPONSE']);
        }
      }),
      1_000,
    );
  });

  it('readEnvelope on any parsed document: a SoapResponse, or a bad response', () => {
    run(
      fc.property(reply, (body) => {
        let doc: XmlNode;
        try {
          doc = parseXml(body);
        } catch {
          return; // not a document: covered above
        }
        try {
          readEnvelope(doc);
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          expect(err.kind).toBe('bad_response');
        }
      }),
      1_000,
    );
  });
});

describe('parseXml is strict where a lenient reader would guess', () => {
  const bare = writtenBy(element, fc.constant(false));
  /** What may stand between or after elements outside the root without being content. */
  const misc = fc.constantFrom('', ' ', '\n', '<!-- c -->', '<?pi x?>', ' <!-- c --> ');

  it('two roots, whatever stands between them → XmlError', () => {
    run(
      fc.property(bare, bare, misc, (first, second, between) => {
        expect(() => parseXml(first.xml + between)).not.toThrow();
        expect(() => parseXml(first.xml + between + second.xml)).toThrow(XmlError);
      }),
      300,
    );
  });

  it('text after the root → XmlError (only whitespace, comments and processing instructions may follow it)', () => {
    const junk = fc.tuple(fc.constantFrom('x', '0', 'é', '>', ']', '&amp;', '&#65;', '😀', '/'), xmlText).map(([first, rest]) => first + rest);
    run(
      fc.property(handWritten, misc, junk, ({ xml }, after, extra) => {
        expect(() => parseXml(xml + after)).not.toThrow();
        expect(() => parseXml(xml + after + extra)).toThrow(XmlError);
      }),
      300,
    );
  });

  it('a raw `<` in any attribute value → XmlError', () => {
    run(
      fc.property(handWritten.filter(({ attributeSlots }) => attributeSlots.length > 0), fc.nat(), ({ xml, attributeSlots }, pick) => {
        const position = attributeSlots[pick % attributeSlots.length];
        expect(() => parseXml(xml.slice(0, position) + '<' + xml.slice(position))).toThrow(XmlError);
      }),
      300,
    );
  });

  it('an entity no DTD declared, in any text or attribute value → XmlError (never left as written)', () => {
    const undeclared = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._-]{0,7}$/).filter((name) => !['amp', 'lt', 'gt', 'quot', 'apos'].includes(name));
    run(
      fc.property(handWritten.filter(({ slots }) => slots.length > 0), undeclared, fc.nat(), ({ xml, slots }, name, pick) => {
        const position = slots[pick % slots.length];
        expect(() => parseXml(`${xml.slice(0, position)}&${name};${xml.slice(position)}`)).toThrow(XmlError);
      }),
      300,
    );
  });

  it('CDATA content comes back verbatim: references and markup in it are not decoded', () => {
    const content = xmlText.map((value) => value.replaceAll('\r', ''));
    run(
      fc.property(content, content, fc.boolean(), (before, inside, withChild) => {
        const section = cdata(inside) as string;
        const xml = `<a v="1">${writeValue(before, { next: () => 'entity' })}${withChild ? '<b/>' : ''}${section}</a>`;
        expect(text(child(parseXml(xml), 'a'))).toBe(before + inside);
      }),
      300,
    );
  });
});

describe('the proxy reader and the simulator reader (another parser) read the same documents alike', () => {
  const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
  /** Prefixed names and namespace declarations, as SOAP replies have them. */
  const qualifiedName = fc.tuple(fc.constantFrom('', '', 'soap:', 'zm:'), elementName).map(([prefix, name]) => prefix + name);
  const declarations = fc.subarray<[string, string]>([['xmlns', 'urn:zimbra'], ['xmlns:soap', SOAP], ['xmlns:zm', 'urn:zimbraMail']]);
  const qualifiedAttribute = fc.constantFrom('v', 'w', 'id', 'x-y', 'type', 'xml:lang', 'soap:encodingStyle');
  const { namespaced } = fc.letrec<{ namespaced: Element }>((tie) => ({
    namespaced: fc.record({
      name: qualifiedName,
      attributes: fc
        .tuple(declarations, fc.uniqueArray(fc.tuple(qualifiedAttribute, xmlText), { selector: ([name]) => name, maxLength: 3 }))
        .map(([declared, others]) => [...declared, ...others]),
      content: fc.array(fc.oneof({ depthSize: 'small' }, xmlText, tie('namespaced')), { maxLength: 4 }),
    }),
  }));
  const tree = fc.oneof(element, namespaced);

  /** fast-xml-parser keeps the XML declaration as a `?xml` member; the proxy's reader leaves it out. */
  const withoutDeclaration = (doc: XmlNode): XmlNode => Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('?')));

  it('for hand-written documents: prefixes, declarations, entities, references, CDATA, comments, a prolog', () => {
    run(
      fc.property(writtenBy(tree), ({ xml }) => {
        expect(orderedShape(parseXml(xml))).toEqual(orderedShape(withoutDeclaration(simulatorParseXml(xml))));
      }),
      400,
    );
  });

  it('for documents written by buildXml', () => {
    run(
      fc.property(tree, (root) => {
        const xml = buildXml({ [root.name]: objectForm(root) });
        expect(orderedShape(parseXml(xml))).toEqual(orderedShape(simulatorParseXml(xml)));
      }),
      300,
    );
  });
});
