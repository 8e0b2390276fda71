import { htmlToText } from '../link/mapping/html-text';
import { hasNonXmlChar, isXmlChar, PROCESSING_INSTRUCTION, wellFormednessProblem } from '../soap/xml';
import { BoundedMemo } from '../common/bounded-memo';

/**
 * Message HTML as the upstream handles it (§12.5, §12.6, §13.2). IMSendMessage converts HTML named
 * entities to numeric ones and parses the result as the content of an XHTML `<body>`; when that parse
 * fails it silently blanks the message. So the proxy checks the fragment first (a 400 instead of a lost
 * message) and sends it already converted.
 *
 * Rules for an accepted fragment:
 * - Well-formed XML content: every element closed and properly nested, attribute values quoted, no
 *   duplicate attributes, no `<` in attribute values, no `]]>` outside CDATA.
 * - References (anywhere, CDATA sections and comments included, as the upstream converts them
 *   before parsing): the five XML entities, numeric character references to characters XML can carry,
 *   and the HTML 4 named entities (`&nbsp;`, `&eacute;`, `&euro;` …), which are converted to numeric
 *   references before sending. Any other name is rejected (the upstream's parser would fail on it).
 * - No DTD or entity declarations and no processing instructions. Namespace prefixes must be declared
 *   in the fragment itself (`xml:` excepted).
 * - Not blank: a message with an empty body is no message upstream.
 */

/** HTML 4.01 named entities (the five XML ones are handled as XML). */
const HTML_ENTITIES: Readonly<Record<string, number>> = buildEntityTable();

function buildEntityTable(): Record<string, number> {
  const table: Record<string, number> = {};
  // ISO 8859-1, U+00A0..U+00FF in order.
  const latin1 =
    'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
    'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
    'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
    'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
    'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
    'yacute thorn yuml';
  latin1.split(' ').forEach((name, i) => (table[name] = 0xa0 + i));
  const upperGreek = 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho - Sigma Tau Upsilon Phi Chi Psi Omega';
  upperGreek.split(' ').forEach((name, i) => name !== '-' && (table[name] = 913 + i));
  const lowerGreek = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega';
  lowerGreek.split(' ').forEach((name, i) => (table[name] = 945 + i));
  const others =
    'OElig 338 oelig 339 Scaron 352 scaron 353 Yuml 376 fnof 402 circ 710 tilde 732 thetasym 977 upsih 978 piv 982 ' +
    'ensp 8194 emsp 8195 thinsp 8201 zwnj 8204 zwj 8205 lrm 8206 rlm 8207 ndash 8211 mdash 8212 lsquo 8216 rsquo 8217 ' +
    'sbquo 8218 ldquo 8220 rdquo 8221 bdquo 8222 dagger 8224 Dagger 8225 bull 8226 hellip 8230 permil 8240 prime 8242 ' +
    'Prime 8243 lsaquo 8249 rsaquo 8250 oline 8254 frasl 8260 euro 8364 image 8465 weierp 8472 real 8476 trade 8482 ' +
    'alefsym 8501 larr 8592 uarr 8593 rarr 8594 darr 8595 harr 8596 crarr 8629 lArr 8656 uArr 8657 rArr 8658 dArr 8659 ' +
    'hArr 8660 forall 8704 part 8706 exist 8707 empty 8709 nabla 8711 isin 8712 notin 8713 ni 8715 prod 8719 sum 8721 ' +
    'minus 8722 lowast 8727 radic 8730 prop 8733 infin 8734 ang 8736 and 8743 or 8744 cap 8745 cup 8746 int 8747 ' +
    'there4 8756 sim 8764 cong 8773 asymp 8776 ne 8800 equiv 8801 le 8804 ge 8805 sub 8834 sup 8835 nsub 8836 ' +
    'sube 8838 supe 8839 oplus 8853 otimes 8855 perp 8869 sdot 8901 lceil 8968 rceil 8969 lfloor 8970 rfloor 8971 ' +
    'lang 9001 rang 9002 loz 9674 spades 9824 clubs 9827 hearts 9829 diams 9830';
  const parts = others.split(' ');
  for (let i = 0; i < parts.length; i += 2) table[parts[i]] = Number(parts[i + 1]);
  return table;
}

const XML_ENTITY_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Any `&…`: a well-formed reference (group 1 = name, 2 = decimal, 3 = hex; XML wants a lower-case x) or a lone `&`. */
const AMPERSAND = /&(?:([A-Za-z][A-Za-z0-9]*);|#([0-9]+);|#x([0-9a-fA-F]+);)?/g;

/** The element the fragment is checked inside, as the upstream parses it (§12.5). */
const WRAPPER = 'body';

export type XhtmlCheck = { ok: true; xhtml: string } | { ok: false; problem: string };

/**
 * Checks an XHTML fragment and returns it as it should be sent (named HTML entities made numeric),
 * or the rule it breaks, phrased to follow the field name ("html is not well-formed: …"). Pure.
 */
export function prepareXhtml(html: string): XhtmlCheck {
  const fail = (problem: string): XhtmlCheck => ({ ok: false, problem });
  if (hasNonXmlChar(html)) return fail('must not contain control characters or other characters XML cannot carry');
  if (html.trim() === '') return fail('must not be empty (leave it out for a plain-text message)');
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(html)) return fail('must not contain a DTD or entity declarations');

  // Over the whole fragment, CDATA sections and comments included: so does the upstream's conversion.
  const references = convertReferences(html);
  if (!references.ok) return references;
  const converted = references.xhtml;

  // One pass of the XML parser, over the fragment as the content of a `<body>` as the upstream parses
  // it, settles every markup rule (plain texts that merely contain `<` included). The XHTML namespace
  // changes nothing in that check: leaving it out spares the parser an attribute per body.
  const malformed = wellFormednessProblem(`<${WRAPPER}>${converted}</${WRAPPER}>`);
  if (malformed === undefined) return { ok: true, xhtml: converted };
  return fail(malformed === PROCESSING_INSTRUCTION ? 'must not contain processing instructions' : `is not well-formed: ${reasonInFragment(malformed)}`);
}

/** Checks every `&` and makes named HTML entities numeric. */
function convertReferences(html: string): XhtmlCheck {
  let converted = '';
  let last = 0;
  for (const m of html.matchAll(AMPERSAND)) {
    const [whole, name, dec, hex] = m;
    let replacement = whole;
    if (name !== undefined) {
      if (!XML_ENTITY_NAMES.has(name)) {
        const code = HTML_ENTITIES[name];
        if (code === undefined) return { ok: false, problem: `contains the unknown entity &${name}; (use a numeric character reference)` };
        replacement = `&#${code};`;
      }
    } else if (dec !== undefined || hex !== undefined) {
      const digits = dec ?? hex ?? '';
      const code = digits.length > 7 ? Number.NaN : parseInt(digits, dec !== undefined ? 10 : 16);
      if (!isXmlChar(code)) return { ok: false, problem: 'contains a character reference to a character XML cannot carry' };
    } else {
      return { ok: false, problem: 'is not well-formed: a literal & must be written &amp; (in CDATA sections and comments too)' };
    }
    converted += html.slice(last, m.index) + replacement;
    last = (m.index ?? 0) + whole.length;
  }
  return { ok: true, xhtml: converted + html.slice(last) };
}

/** True when `value` is an acceptable XHTML fragment (see prepareXhtml). */
export function isXhtmlFragment(value: string): boolean {
  return prepareXhtml(value).ok;
}

/** A start (or empty-element) tag of well-formed markup; group 1 = name, 2 = the attributes. */
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
/** One attribute inside START_TAG's group 2; group 1 = name, 2 = quoted value. */
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g;

/** The parser's reason in terms of the fragment: the wrapper element is not the client's. */
function reasonInFragment(reason: string): string {
  const closedBy = /^element <([^>]*)> is closed by <\/([^>]*)>$/.exec(reason);
  if (closedBy?.[2] === WRAPPER) return `element <${closedBy[1]}> is not closed`;
  if (closedBy?.[1] === WRAPPER) return `closing tag </${closedBy[2]}> has no matching start tag`;
  return reason;
}

// ---- reading stored HTML back --------------------------------------------------------------------

const DANGEROUS_ELEMENTS = /<(script|style)\b(?:"[^"]*"|'[^']*'|[^'">])*?\/>|<(script|style)\b(?:"[^"]*"|'[^']*'|[^'">])*>[\s\S]*?<\/\2\s*>/gi;

/**
 * Removes scripts, styles, event-handler attributes and `javascript:` links from well-formed XHTML:
 * what the upstream's sanitizer does to message notifications (§13.2), applied to IMGetChat's raw
 * history (§12.6) so a message reads the same in history as in its event.
 */
export function sanitizeXhtml(xhtml: string): string {
  return xhtml.replace(DANGEROUS_ELEMENTS, '').replace(START_TAG, (tag: string, name: string, attrs: string) => {
    const kept = [...attrs.matchAll(ATTRIBUTE)].filter(([, attrName, value]) => {
      if (/^on/i.test(attrName)) return false;
      return !(/^(href|src|action|formaction|xlink:href)$/i.test(attrName) && /^["']\s*javascript:/i.test(value));
    });
    if (kept.length === [...attrs.matchAll(ATTRIBUTE)].length) return tag;
    const selfClosing = /\/>$/.test(tag);
    return `<${name}${kept.map(([, n, v]) => ` ${n}=${v}`).join('')}${selfClosing ? '/>' : '>'}`;
  });
}

/**
 * IMGetChat's `<body>` has no `html` flag (§12.6): its text is the raw inner XHTML of an HTML message,
 * else the plain text. A body counts as HTML when it holds markup or references (`<` or `&`) and is a
 * well-formed fragment; then `html` is its sanitized XHTML and `text` the plain text of that, exactly
 * as for a `message` event. Anything else is plain text. (A plain-text message whose text is itself
 * well-formed markup, such as a literal `<b>x</b>`, therefore reads as HTML in history.)
 */
export function readStoredBody(raw: string): Readonly<StoredBody> {
  if (!/[<&]/.test(raw)) return { text: raw };
  return storedMarkup.get(raw);
}

export interface StoredBody {
  text: string;
  html?: string;
}

/**
 * Bodies with markup or references, checked and sanitized once: IMGetChat returns the whole history
 * every time (§12.6), so the same bodies come back on every read. The result depends on the body
 * alone. About 1 MB of text at most; results are frozen, as they are shared.
 */
const storedMarkup = new BoundedMemo<Readonly<StoredBody>>(
  (raw) => {
    const check = prepareXhtml(raw);
    if (!check.ok) return Object.freeze({ text: raw });
    const html = sanitizeXhtml(check.xhtml);
    return Object.freeze({ text: htmlToText(html), html });
  },
  (body) => body.text.length + (body.html?.length ?? 0),
  1_000_000,
);
