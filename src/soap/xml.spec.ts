import { attrOrChild, buildXml, child, children, decodeEntities, hasNonXmlChar, parseXml, text, XmlError, XmlNode } from './xml';

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

  it('does not expand unknown entities', () => {
    expect(text(child(parseXml('<a>&nbsp;&x;</a>'), 'a'))).toBe('&nbsp;&x;');
  });

  it('falls back from attribute to child element text (Zimbra §10)', () => {
    const doc = parseXml('<r a="1"><b>2</b></r>');
    expect(attrOrChild(child(doc, 'r'), 'a')).toBe('1');
    expect(attrOrChild(child(doc, 'r'), 'b')).toBe('2');
    expect(attrOrChild(child(doc, 'r'), 'c')).toBeUndefined();
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
