import { attrOrChild, buildXml, child, children, decodeEntities, hasNonXmlChar, parseXml, text, XmlError } from './xml';

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
