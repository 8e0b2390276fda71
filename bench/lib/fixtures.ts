import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The recorded upstream responses (bench/fixtures, written by record-fixtures.ts). */
export function readFixture(name: string): string {
  // Server processes run from a compiled copy; the bench tells them where the fixtures are.
  const dir = process.env.BENCH_FIXTURES ?? join(__dirname, '..', 'fixtures');
  return readFileSync(join(dir, name), 'utf8').trim();
}

/** What the bench needs to know about the recorded chat. */
export interface RecordedChat {
  thread: string;
  me: string;
  partner: string;
}

export function recordedChat(): RecordedChat {
  const echo = readFixture('send-message.xml');
  const n = /<n type="message" from="([^"]+)" to="([^"]+)" thread="([^"]+)"/.exec(echo);
  if (!n) throw new Error('send-message.xml holds no echo notification');
  return { me: n[1], partner: n[2], thread: decodeXmlAttr(n[3]) };
}

function decodeXmlAttr(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] as string);
}

/** The part of a recorded envelope between `<soap:Body>` and `</soap:Body>`. */
export function bodyOf(envelope: string): string {
  const start = envelope.indexOf('<soap:Body>');
  const end = envelope.lastIndexOf('</soap:Body>');
  if (start < 0 || end < 0) throw new Error('not a SOAP envelope');
  return envelope.slice(start + '<soap:Body>'.length, end);
}

/**
 * A recorded string with some values made variable: each slot is a regular expression whose first
 * group marks the recorded value to replace. `render` joins the fixed parts and the new values.
 */
export class Template<K extends string> {
  private readonly parts: string[] = [];
  private readonly keys: K[] = [];

  constructor(source: string, slots: Record<K, RegExp>) {
    const found = (Object.entries(slots) as [K, RegExp][]).map(([key, re]) => {
      const m = re.exec(source);
      if (!m || m[1] === undefined) throw new Error(`template slot ${key} not found`);
      const start = m.index + m[0].indexOf(m[1]);
      return { key, start, end: start + m[1].length };
    });
    found.sort((a, b) => a.start - b.start);
    let at = 0;
    for (const slot of found) {
      this.parts.push(source.slice(at, slot.start));
      this.keys.push(slot.key);
      at = slot.end;
    }
    this.parts.push(source.slice(at));
  }

  render(values: Record<K, string | number>): string {
    let out = this.parts[0];
    for (let i = 0; i < this.keys.length; i++) out += values[this.keys[i]] + this.parts[i + 1];
    return out;
  }
}
