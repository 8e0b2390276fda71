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

  it.each(['tab\tnl\ncr\r', 'é ü 漢字', '😀'])('accepts %j', (value) => {
    expect(hasNonXmlChar(value)).toBe(false);
    expect(text(child(parseXml(buildXml({ a: value })), 'a'))).toBe(value.replace(/\r/g, '\n'));
  });
});
