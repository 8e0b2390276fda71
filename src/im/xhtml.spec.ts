import { prepareXhtml, readStoredBody, sanitizeXhtml } from './xhtml';

const ok = (html: string) => {
  const check = prepareXhtml(html);
  if (!check.ok) throw new Error(`rejected: ${check.problem}`);
  return check.xhtml;
};
const problem = (html: string) => {
  const check = prepareXhtml(html);
  if (check.ok) throw new Error(`accepted: ${html}`);
  return check.problem;
};

describe('prepareXhtml', () => {
  it.each([
    'plain words',
    '<b>bold</b> and <i>italic</i>',
    'a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;',
    '&#9786; &#x263A; &#x263a;',
    '<br/><hr />',
    '<a href="http://x/?a=1&amp;b=2" title=\'q "x"\'>link</a>',
    '<p>one</p><p>two</p>',
    '<!-- a comment --><![CDATA[ <raw> &amp; ]]>',
    '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>',
    '<span xml:lang="en">hi</span>',
    'a > b',
  ])('accepts %s unchanged', (html) => {
    expect(ok(html)).toBe(html);
  });

  it('converts HTML named entities to numeric references, leaving the XML ones', () => {
    expect(ok('&nbsp;&eacute;&Eacute;&euro;&hellip;&amp;&lt;&mdash;&yuml;&Omega;&sigmaf;&diams;')).toBe(
      '&#160;&#233;&#201;&#8364;&#8230;&amp;&lt;&#8212;&#255;&#937;&#962;&#9830;',
    );
  });

  it.each<[string, RegExp]>([
    ['<b>unclosed', /not well-formed: element <b> is not closed/],
    ['<b>x</i>', /not well-formed: element <b> is closed by <\/i>/],
    ['</b>', /not well-formed: closing tag <\/b> has no matching start tag/],
    ['<p><b>x</p></b>', /not well-formed/],
    ['<a href=x>y</a>', /not well-formed/],
    ['<a b>y</a>', /not well-formed/],
    ['<a x="1" x="2"/>', /not well-formed/],
    ['a < b', /not well-formed/],
    ['<1a/>', /not well-formed/],
    ['Tom & Jerry', /a literal & must be written &amp;/],
    ['&amp', /a literal & must be written &amp;/],
    ['&bogus;', /unknown entity &bogus;/],
    ['&NBSP;', /unknown entity &NBSP;/],
    ['&#X263a;', /a literal & must be written &amp;/],
    ['&#0;', /character XML cannot carry/],
    ['&#xD800;', /character XML cannot carry/],
    ['&#99999999;', /character XML cannot carry/],
    ['<a title="x<y">z</a>', /attribute value must not contain </],
    ['<x>]]></x>', /]]> may only end a CDATA section/],
    ['a ]]> b', /]]> may only end a CDATA section/],
    ['<a title="x" title="y"/>', /duplicate attribute/],
    ['a</body><body>b', /not well-formed/],
    ['<p><?x y?></p>', /processing instructions/],
    ['<?php echo 1 ?>', /processing instructions/],
    ['<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', /DTD/],
    ['<svg:svg/>', /namespace prefix of svg:svg is not declared/],
    ['<a foo:bar="1"/>', /namespace prefix of foo:bar is not declared/],
    ['', /must not be empty/],
    ['  \n ', /must not be empty/],
    ['a\u0001b', /control characters/],
  ])('rejects %j', (html, message) => {
    expect(problem(html)).toMatch(message);
  });

  it('checks and converts references inside CDATA sections and comments too (the upstream does)', () => {
    expect(ok('<![CDATA[&nbsp;<]]>&nbsp;<!-- &eacute; -->')).toBe('<![CDATA[&#160;<]]>&#160;<!-- &#233; -->');
    expect(problem('<![CDATA[ & ]]>')).toMatch(/literal &/);
    expect(problem('<!-- &bogus; -->')).toMatch(/unknown entity/);
  });

  it('never leaks positions that count from the wrapper element', () => {
    expect(problem('<b>unclosed')).not.toMatch(/\d+:\d+|body/);
  });
});

describe('sanitizeXhtml', () => {
  it('drops scripts, styles, event handlers and javascript: links, keeping the rest', () => {
    expect(
      sanitizeXhtml(
        '<p onclick="x()" class="c">a<script>alert(1)</script><style>p{}</style><script src="x"/>' +
          '<a href=" javascript:alert(1)" title="t">b</a><a href="http://x">c</a><img src="y.png" onerror=\'z\'/></p>',
      ),
    ).toBe('<p class="c">a<a title="t">b</a><a href="http://x">c</a><img src="y.png"/></p>');
  });

  it('leaves clean markup byte for byte', () => {
    const html = '<p><b>Tom</b> &amp; <i class="x">Jerry</i>&#160;<br/></p>';
    expect(sanitizeXhtml(html)).toBe(html);
  });
});

describe('readStoredBody (IMGetChat bodies have no html flag)', () => {
  it('reads text without markup or references as plain text', () => {
    expect(readStoredBody('see you at 5')).toEqual({ text: 'see you at 5' });
    expect(readStoredBody('')).toEqual({ text: '' });
  });

  it('reads text that is not well-formed markup as plain text', () => {
    expect(readStoredBody('Tom & Jerry')).toEqual({ text: 'Tom & Jerry' });
    expect(readStoredBody('a < b')).toEqual({ text: 'a < b' });
    expect(readStoredBody('<3')).toEqual({ text: '<3' });
  });

  it('reads a well-formed fragment as HTML: sanitized html and its plain text, as in events', () => {
    expect(readStoredBody('<b>hi</b> &amp; <i>bye</i>&#160;now<script>x</script>')).toEqual({
      text: 'hi & bye\u00a0now',
      html: '<b>hi</b> &amp; <i>bye</i>&#160;now',
    });
  });
});
