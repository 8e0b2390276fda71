import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { attr, attrOrChild, buildXml, child, children, decodeEntities, elementNames, hasNonXmlChar, parseXml, PROCESSING_INSTRUCTION, text, wellFormednessProblem, XmlError, XmlNode } from './xml';

describe('parseXml', () => {
  it('keeps values as strings exactly as sent and decodes entities once', () => {
    const doc = parseXml('<r n="007" b="true"><v>  1.50 </v><t>&lt;b&gt;a &amp;amp; b&lt;/b&gt; &#233;&#x41;</t></r>');
    const r = child(doc, 'r');
    expect(r?.['@_n']).toBe('007');
    expect(r?.['@_b']).toBe('true');
    expect(text(child(r, 'v'))).toBe('  1.50 ');
    expect(text(child(r, 't'))).toBe('<b>a &amp; b</b> éA');
  });

  it('parses repeatable elements as arrays even when there is one', () => {
    const doc = parseXml('<im><n type="presence"/></im>');
    expect(Array.isArray(child(doc, 'im')?.n)).toBe(true);
    expect(children(child(doc, 'im'), 'n')).toHaveLength(1);
  });

  it('rejects malformed XML and DTDs', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>')).toThrow(XmlError);
    expect(() => parseXml('')).toThrow(XmlError);
  });

  it('refuses entities that are not declared (no DTD declares any), never expanding them', () => {
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(XmlError);
    expect(() => parseXml('<a v="&x;"/>')).toThrow(XmlError);
  });

  it('falls back from attribute to child element text (Zimbra §10)', () => {
    const doc = parseXml('<r a="1"><b>2</b></r>');
    expect(attrOrChild(child(doc, 'r'), 'a')).toBe('1');
    expect(attrOrChild(child(doc, 'r'), 'b')).toBe('2');
    expect(attrOrChild(child(doc, 'r'), 'c')).toBeUndefined();
  });
});

describe('parseXml is strict', () => {
  it.each([
    ['two roots', '<a/><b/>'],
    ['two roots of one name', '<n>1</n><n>2</n>'],
    ['text after the root', '<a/>junk'],
    ['a reference after the root', '<a/>&amp;'],
    ['text before the root', 'x<a/>'],
    ['a `<` in an attribute value', '<a v="<"/>'],
    ['an unquoted attribute value', '<a v=1/>'],
    ['a duplicate attribute', '<a v="1" v="2"/>'],
    ['`]]>` in text', '<a>]]></a>'],
    ['a name with two colons', '<a:b:c/>'],
    ['a name with an empty prefix', '<:a/>'],
    ['an XML declaration that is not first', ' <?xml version="1.0"?><a/>'],
    ['an element named __proto__', '<a><__proto__/></a>'],
    ['an element named constructor', '<a><constructor>1</constructor></a>'],
    ['a lowercase doctype', '<!doctype a><a/>'],
    ['a reference to a control character in a document declared XML 1.1', '<?xml version="1.1"?><a>&#x1;</a>'],
    ['a raw control character in a document declared XML 1.1', '<?xml version="1.1"?><a>\u0085\u0001</a>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });

  it('leaves out the XML declaration, comments and processing instructions', () => {
    expect(parseXml('<?xml version="1.0"?>\n<!-- c --><r><?pi x?>a<!-- b -->c</r>\n<!-- d -->')).toEqual({ r: 'ac' });
  });

  it('removes namespace prefixes and declarations, from elements and attributes', () => {
    const doc = parseXml('<soap:Envelope xmlns:soap="urn:s" xmlns="urn:d"><soap:Body soap:x="1" xml:lang="en"><b xmlns=""/></soap:Body></soap:Envelope>');
    expect(doc).toEqual({ Envelope: { Body: { '@_x': '1', '@_lang': 'en', b: '' } } });
  });

  it('reads an element named like an Object.prototype member as any other', () => {
    const doc = parseXml('<r><toString>1</toString><toString>2</toString><hasOwnProperty/></r>');
    expect(children(child(doc, 'r'), 'toString').map(text)).toEqual(['1', '2']);
    expect(Object.keys(child(doc, 'r') ?? {})).toEqual(['toString', 'hasOwnProperty']);
  });

  it('keeps mixed content as one text, in order, with the children beside it', () => {
    expect(parseXml('<r v="1">a<b/>b<![CDATA[&lt;]]>c<b>x</b>\n</r>')).toEqual({ r: { '@_v': '1', '#text': 'ab&lt;c\n', b: ['', 'x'] } });
  });

  it('allows 100 levels of nesting and refuses 101', () => {
    const deep = (n: number) => '<x>'.repeat(n) + '</x>'.repeat(n);
    expect(() => parseXml(deep(100))).not.toThrow();
    expect(() => parseXml(deep(101))).toThrow(/nested deeper than 100/);
  });

  it('reads any number of distinct names alike (names are remembered only up to a bound)', () => {
    for (let round = 0; round < 2; round++) {
      const names = Array.from({ length: 1_500 }, (_, i) => `e${i}`);
      const doc = child(parseXml(`<r>${names.map((n) => `<p:${n} p:${n}="${n}"/>`).join('')}</r>`), 'r');
      expect(elementNames(doc)).toEqual(names);
      expect(names.every((n) => attr(child(doc, n), n) === n)).toBe(true);
    }
    expect(() => parseXml('<r><x:__proto__/></r>')).toThrow(XmlError);
  });

  it('reads the next document correctly after refusing one half-way', () => {
    for (const bad of ['<a><b>', '<a><b v="<"/></a>', '<a>&bogus;</a>', '<x>'.repeat(200)]) {
      expect(() => parseXml(bad)).toThrow(XmlError);
      expect(parseXml('<r><n k="1"/></r>')).toEqual({ r: { n: [{ '@_k': '1' }] } });
    }
  });
});

describe('wellFormednessProblem', () => {
  it.each([
    ['<a><b>x</a>', 'element <b> is closed by </a>'],
    ['<a/></b>', 'closing tag </b> has no matching start tag'],
    ['<a><b>', 'element <b> is not closed'],
    ['<a t="x<y"/>', 'an attribute value must not contain <'],
    ['<a>]]></a>', ']]> may only end a CDATA section'],
    ['<a><p:b/></a>', 'the namespace prefix of p:b is not declared'],
    ['<a p:v="1"/>', 'the namespace prefix of p:v is not declared'],
    ['<a><?php x?></a>', PROCESSING_INSTRUCTION],
    ['<!DOCTYPE a><a/>', 'DTDs are not accepted'],
    ['<a>\uD800</a>', 'holds a character XML 1.0 forbids (a lone surrogate)'],
  ])('%j: %s', (xml, problem) => {
    expect(wellFormednessProblem(xml)).toBe(problem);
  });

  it('refuses a reference to a control character whatever XML version is declared', () => {
    expect(wellFormednessProblem('<?xml version="1.1"?><a v="&#x1;"/>')).toBe('malformed character entity');
  });

  it.each(['<a/>', '<a xmlns:p="u"><p:b p:v="1" xml:lang="en"/></a>', '<a><![CDATA[<?x]]><!-- <?y --></a>'])('accepts %j', (xml) => {
    expect(wellFormednessProblem(xml)).toBeUndefined();
  });

  it('forgets a prefix declared by an element once it is closed, and checks the next document afresh', () => {
    expect(wellFormednessProblem('<a><b xmlns:p="u"/><p:c/></a>')).toBe('the namespace prefix of p:c is not declared');
    expect(wellFormednessProblem('<a><b>')).toBe('element <b> is not closed');
    expect(wellFormednessProblem('<a xmlns:p="u"><p:c/></a>')).toBeUndefined();
  });
});

describe('the proxy reads XML with saxes only', () => {
  /** Every .ts file under `dir`. */
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  const src = join(__dirname, '..');
  const importsFastXmlParser = (file: string) => /(?:from\s+|require\(\s*|import\(\s*)['"]fast-xml-parser['"]/.test(readFileSync(file, 'utf8'));

  it('fast-xml-parser is imported only by the simulator (its reader of our requests)', () => {
    const importers = sources(src).filter(importsFastXmlParser).map((file) => relative(src, file).split('\\').join('/'));
    expect(importers).toEqual(['simulator/xml-reader.ts']);
  });
});

describe('buildXml', () => {
  it('writes attributes whose value is "true" with their value (well-formed XML)', () => {
    const xml = buildXml({ r: { '@_authorized': 'true', '@_add': 'false' } });
    expect(xml).toBe('<r authorized="true" add="false"/>');
    expect(child(parseXml(xml), 'r')?.['@_authorized']).toBe('true');
  });
});

describe('decodeEntities', () => {
  it('is a single pass', () => {
    expect(decodeEntities('&amp;lt; &amp;#38;')).toBe('&lt; &#38;');
  });

  it('is lenient for text already read from a document: a forbidden reference becomes U+FFFD', () => {
    expect(decodeEntities('a&#0;b&#x41;')).toBe('a\uFFFDbA');
  });
});

describe('parseXml refuses what XML 1.0 forbids, never reading it as U+FFFD', () => {
  it.each([
    ['&#0;', '<a>x&#0;y</a>'],
    ['&#x1; in an attribute', '<a v="&#x1;"/>'],
    ['&#xFFFE;', '<a>&#xFFFE;</a>'],
    ['&#65535;', '<a>&#65535;</a>'],
    ['a surrogate reference', '<a>&#xD83D;&#xDE00;</a>'],
    ['a reference past U+10FFFF', '<a>&#x110000;</a>'],
    ['a reference with too many digits', '<a>&#99999999999999999999;</a>'],
    ['a raw U+0001 in text', '<a>x\u0001y</a>'],
    ['a raw U+0000 in an attribute', '<a v="\u0000"/>'],
    ['a raw U+FFFF in a comment', '<a><!--\uFFFF--></a>'],
    ['a lone surrogate in CDATA', '<a><![CDATA[\uD800]]></a>'],
  ])('%s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });

  it('reads allowed references, leading zeros included', () => {
    expect(text(child(parseXml('<a>&#x1F600;&#0000000065;&#9;&#xD7FF;</a>'), 'a'))).toBe('😀A\t\uD7FF');
  });

  it('keeps CDATA content exactly, references in it included', () => {
    const doc = parseXml('<a>&amp;<![CDATA[&amp; &#0; <b>]]>&lt;<!-- <![CDATA[ --></a>');
    expect(text(child(doc, 'a'))).toBe('&&amp; &#0; <b><');
  });

  it('bounds nesting, and the length of what an error quotes', () => {
    const deep = (n: number) => '<x>'.repeat(n) + '</x>'.repeat(n);
    let node: XmlNode | undefined = parseXml(deep(50));
    for (let level = 0; level < 50; level++) node = child(node, 'x');
    expect(node).toEqual({ '#text': '' });
    expect(() => parseXml(deep(100_000))).toThrow(XmlError);
    let message = '';
    try {
      parseXml('<x>'.repeat(100_000));
    } catch (err) {
      message = (err as XmlError).message;
    }
    expect(message.length).toBeGreaterThan(0);
    expect(message.length).toBeLessThan(400);
  });
});

describe('hasNonXmlChar and buildXml', () => {
  it.each(['\u0000', '\u0001', '\u001f', '\uFFFE', '\uD800', 'a\uDC00'])('rejects %j', (value) => {
    expect(hasNonXmlChar(value)).toBe(true);
    expect(() => buildXml({ a: value })).toThrow(XmlError);
  });

  it.each(['tab\tnl\ncr\r', 'é ü 漢字', '😀'])('accepts %j and round-trips it in text and attributes', (value) => {
    expect(hasNonXmlChar(value)).toBe(false);
    const a = child(parseXml(buildXml({ a: { '@_v': value, '#text': value } })), 'a');
    expect(text(a)).toBe(value);
    expect(a?.['@_v']).toBe(value);
  });
});

describe('buildXml is injection-proof (fuzz)', () => {
  // A deterministic generator, so a failure can be replayed.
  let seed = 0x2545f491;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const ALPHABET = ['<', '>', '&', '"', "'", '/', '=', ' ', '\t', '\n', '\r', ']]>', '<!--', '&amp;', '&#60;', 'a', 'é', '😀', '<x/>', '?>'];
  const randomString = () => Array.from({ length: Math.floor(random() * 24) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');

  it('round-trips 2 000 hostile strings through attributes and text without adding markup', () => {
    for (let i = 0; i < 2_000; i++) {
      const attribute = randomString();
      const body = randomString();
      const xml = buildXml({ m: { '@_v': attribute, '#text': body, c: { '@_w': body } } });
      const doc = parseXml(xml);
      expect(Object.keys(doc)).toEqual(['m']);
      const m = child(doc, 'm');
      expect(m?.['@_v']).toBe(attribute);
      expect(text(m)).toBe(body);
      expect(Object.keys(m ?? {}).filter((k) => !k.startsWith('@_') && k !== '#text')).toEqual(['c']);
      expect(child(m, 'c')?.['@_w']).toBe(body);
    }
  });

  it('refuses element and attribute names that are not XML names', () => {
    expect(() => buildXml({ 'a b': '' })).toThrow(XmlError);
    expect(() => buildXml({ a: { '@_x="1" y': 'v' } })).toThrow(XmlError);
  });
});
