import { decodeEntities } from '../../soap/xml';

/** Elements whose end (or, for `br`/`hr`, the element itself) is a line break in plain text. */
const LINE_BREAK_ELEMENTS = new Set([
  'br', 'hr', 'p', 'div', 'li', 'tr', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table',
]);
/** Elements whose content is never text. The upstream sanitizes these away; this is only a second line. */
const SKIPPED_CONTENT = new Set(['script', 'style']);

/**
 * Plain text of an XHTML fragment (a message body sent with `html="1"`): tags and comments removed,
 * a line break for `<br/>`/`<hr/>` and at the end of block elements, entities and character references
 * decoded, CDATA kept verbatim, trailing line breaks dropped. Other whitespace is kept as sent.
 *
 * Runs in linear time on any input. Not well-formed input degrades to text: a `<` that does not start
 * markup is kept as a character, and markup that never ends turns the rest of the input into text.
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += decodeEntities(html.slice(i));
      break;
    }
    out += decodeEntities(html.slice(i, lt));
    const markup = readMarkup(html, lt);
    if (markup === 'text') {
      out += '<';
      i = lt + 1;
      continue;
    }
    if (markup === 'unterminated') {
      out += decodeEntities(html.slice(lt));
      break;
    }
    if (markup.cdata !== undefined) out += markup.cdata;
    const name = markup.name;
    if (name && LINE_BREAK_ELEMENTS.has(name) && (markup.closing || name === 'br' || name === 'hr')) out += '\n';
    i = markup.end;
    if (name && !markup.closing && !markup.selfClosing && SKIPPED_CONTENT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      const closeMarkup = close < 0 ? 'unterminated' : readMarkup(html, close);
      if (typeof closeMarkup === 'string') break;
      i = closeMarkup.end;
    }
  }
  return out.replace(/\n+$/, '');
}

interface Markup {
  /** Lower-case local element name; '' for comments, CDATA, processing instructions and declarations. */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** The text of a CDATA section. */
  cdata?: string;
  /** Index just past the markup. */
  end: number;
}

/** Reads the markup starting at `start` (a `<`): 'text' when it is not markup, 'unterminated' when it never ends. */
function readMarkup(s: string, start: number): Markup | 'text' | 'unterminated' {
  if (s.startsWith('<!--', start)) {
    const end = s.indexOf('-->', start + 4);
    return end < 0 ? 'unterminated' : { name: '', closing: false, selfClosing: true, end: end + 3 };
  }
  if (s.startsWith('<![CDATA[', start)) {
    const end = s.indexOf(']]>', start + 9);
    if (end < 0) return 'unterminated';
    return { name: '', closing: false, selfClosing: true, cdata: s.slice(start + 9, end), end: end + 3 };
  }
  const next = s.charAt(start + 1);
  if (next === '!' || next === '?') {
    const end = s.indexOf('>', start + 2);
    return end < 0 ? 'unterminated' : { name: '', closing: false, selfClosing: true, end: end + 1 };
  }
  const closing = next === '/';
  const nameStart = start + (closing ? 2 : 1);
  const nameMatch = /^[A-Za-z_][\w.:-]*/.exec(s.slice(nameStart, nameStart + 64));
  if (!nameMatch) return 'text';
  // Scan to the closing ">" outside quoted attribute values.
  let quote = '';
  for (let j = nameStart + nameMatch[0].length; j < s.length; j++) {
    const c = s.charAt(j);
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      const name = nameMatch[0].toLowerCase().replace(/^.*:/, '');
      return { name, closing, selfClosing: s.charAt(j - 1) === '/', end: j + 1 };
    }
  }
  return 'unterminated';
}
