/**
 * How the README shows output, and how the README test compares it with the real output.
 *
 * - `…` stands for anything: inside a string (`"sentAt":"…"`, `"chat-…"`), as a value (`"data":…`),
 *   as the last element of an array (`["a",…]`: more may follow; `[…]`: any array), or as a member of
 *   an object (`{"seq":2,…}`: the object may have other members). An object without `…` must have
 *   exactly the members shown; an array without `…` exactly the elements shown. Key order is free.
 * - Shown output lines are found in the real output in the order shown; output lines between them
 *   (headers, metrics not shown) are allowed, so a line that is just `…` is only a hint for the reader.
 *   A shown line starting with `{` or `[` is compared as JSON with the rules above; any other line
 *   as text, where `…` matches any characters.
 * - In socket frames, the values of `id` and `lastId` (and `after=` in a socket URL) are example
 *   event ids like `mf3k2a.8`: they match any real id, but consistently — all example ids share one
 *   real prefix and one offset, so `mf3k2a.10` must be exactly the event after `mf3k2a.9`.
 */

export const ELLIPSIS = '…';

export type Pattern =
  | { kind: 'any' }
  | { kind: 'literal'; value: null | boolean | number }
  /** One part: exact; several: the parts in order with anything between them. */
  | { kind: 'string'; parts: string[] }
  | { kind: 'object'; members: [string, Pattern][]; open: boolean }
  | { kind: 'array'; items: Pattern[]; open: boolean };

/** Parses JSON in which `…` may stand for values, trailing array elements and further object members. */
export function parsePattern(text: string): Pattern {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at column ${pos + 1} of shown JSON: ${text}`);
  };
  const space = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const ellipsis = () => {
    space();
    if (text.startsWith(ELLIPSIS, pos)) {
      pos += ELLIPSIS.length;
      return true;
    }
    return false;
  };
  const expect = (char: string) => {
    space();
    if (text[pos] !== char) fail(`expected ${JSON.stringify(char)}`);
    pos++;
  };
  const string = (): string => {
    space();
    if (text[pos] !== '"') fail('expected a string');
    const start = pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (): Pattern => {
    if (ellipsis()) return { kind: 'any' };
    space();
    const char = text[pos];
    if (char === '{') {
      pos++;
      const members: [string, Pattern][] = [];
      let open = false;
      space();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', members, open };
      }
      for (;;) {
        if (ellipsis()) open = true;
        else {
          const key = string();
          if (members.some(([k]) => k === key)) fail(`duplicate member ${JSON.stringify(key)}`);
          expect(':');
          members.push([key, value()]);
        }
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', members, open };
        } else fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      pos++;
      const items: Pattern[] = [];
      space();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items, open: false };
      }
      for (;;) {
        if (ellipsis()) {
          space();
          if (text[pos] !== ']') fail('"…" may only end an array');
          pos++;
          return { kind: 'array', items, open: true };
        }
        items.push(value());
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items, open: false };
        } else fail('expected "," or "]"');
      }
    }
    if (char === '"') return { kind: 'string', parts: string().split(ELLIPSIS) };
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos));
    if (!literal) return fail('expected a JSON value or "…"');
    pos += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as null | boolean | number };
  };
  const pattern = value();
  space();
  if (pos !== text.length) fail('unexpected text after the value');
  return pattern;
}

const EXAMPLE_ID = /^([0-9a-z]+)\.(\d+)$/;

/** The README's example event ids, bound to real ones as they are first met. */
export class ExampleIds {
  private readonly prefixes = new Map<string, { prefix: string; offset: number }>();

  /** Binds `example` to `real`, or checks that `real` is what the earlier bindings make of it; an error message if not. */
  bind(example: string, real: unknown): string | undefined {
    const shown = EXAMPLE_ID.exec(example);
    if (!shown) throw new Error(`"${example}" is not an example event id like mf3k2a.8`);
    const actual = typeof real === 'string' ? EXAMPLE_ID.exec(real) : null;
    if (!actual) return `expected an event id for ${example}, got ${JSON.stringify(real)}`;
    const [, prefix, n] = actual;
    const bound = this.prefixes.get(shown[1]);
    if (!bound) {
      this.prefixes.set(shown[1], { prefix, offset: Number(n) - Number(shown[2]) });
      return undefined;
    }
    const expected = this.real(example);
    return real === expected ? undefined : `expected ${expected} (the README's ${example}), got ${real}`;
  }

  /** The real id an example id stands for; its prefix must already be bound. */
  real(example: string): string {
    const shown = EXAMPLE_ID.exec(example);
    if (!shown) throw new Error(`"${example}" is not an example event id like mf3k2a.8`);
    const bound = this.prefixes.get(shown[1]);
    if (!bound) throw new Error(`example id ${example} is used before any frame showed an id with prefix ${shown[1]}`);
    return `${bound.prefix}.${Number(shown[2]) + bound.offset}`;
  }
}

/** Members whose string values are example event ids (in socket frames). */
const ID_KEYS = new Set(['id', 'lastId']);

/** Matches a value against a pattern; undefined when it matches, else where and why not. */
export function matchPattern(pattern: Pattern, actual: unknown, ids?: ExampleIds, path = '$'): string | undefined {
  const mismatch = (what: string) => `${path}: expected ${what}, got ${JSON.stringify(actual)}`;
  switch (pattern.kind) {
    case 'any':
      return undefined;
    case 'literal':
      return actual === pattern.value ? undefined : mismatch(JSON.stringify(pattern.value));
    case 'string':
      if (typeof actual !== 'string') return mismatch(`a string like ${JSON.stringify(pattern.parts.join(ELLIPSIS))}`);
      return textMatches(pattern.parts, actual) ? undefined : mismatch(JSON.stringify(pattern.parts.join(ELLIPSIS)));
    case 'array': {
      if (!Array.isArray(actual)) return mismatch('an array');
      const lengthOk = pattern.open ? actual.length >= pattern.items.length : actual.length === pattern.items.length;
      if (!lengthOk) return mismatch(`${pattern.open ? 'at least ' : ''}${pattern.items.length} elements`);
      for (let i = 0; i < pattern.items.length; i++) {
        const error = matchPattern(pattern.items[i], actual[i], ids, `${path}[${i}]`);
        if (error) return error;
      }
      return undefined;
    }
    case 'object': {
      if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return mismatch('an object');
      const record = actual as Record<string, unknown>;
      for (const [key, member] of pattern.members) {
        const at = `${path}.${key}`;
        if (!Object.prototype.hasOwnProperty.call(record, key)) return `${at}: missing in ${JSON.stringify(actual)}`;
        const error =
          ids && ID_KEYS.has(key) && member.kind === 'string' && member.parts.length === 1
            ? prefixed(at, ids.bind(member.parts[0], record[key]))
            : matchPattern(member, record[key], ids, at);
        if (error) return error;
      }
      if (!pattern.open) {
        const extra = Object.keys(record).filter((key) => !pattern.members.some(([k]) => k === key));
        if (extra.length > 0) return `${path}: members ${extra.join(', ')} are not shown (add them, or "…") in ${JSON.stringify(actual)}`;
      }
      return undefined;
    }
  }
}

function prefixed(path: string, error: string | undefined): string | undefined {
  return error && `${path}: ${error}`;
}

/** Does `text` consist of the parts in order, anything between them (the parts split on `…`)? */
function textMatches(parts: string[], text: string): boolean {
  const escaped = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*')}$`).test(text);
}

/** One shown output line against one real output line. */
export function lineMatches(shown: string, actual: string): boolean {
  if (/^[[{]/.test(shown)) {
    let value: unknown;
    try {
      value = JSON.parse(actual);
    } catch {
      return false;
    }
    return matchPattern(parsePattern(shown), value) === undefined;
  }
  return textMatches(shown.split(ELLIPSIS), actual);
}

/** Finds the shown lines in the output, in order (other lines may lie between); undefined, or what is missing. */
export function matchLines(shown: string[], output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.replace(/\r$/, ''));
  let from = 0;
  for (const line of shown) {
    if (line.trim() === ELLIPSIS) continue;
    // A shown JSON line that does not parse is the README's fault: say so rather than "not found".
    if (/^[[{]/.test(line)) parsePattern(line);
    const at = lines.findIndex((candidate, i) => i >= from && lineMatches(line, candidate));
    if (at < 0) {
      return `shown output line not found${from > 0 ? ` after output line ${from}` : ''}:\n  ${line}\nreal output:\n${lines.map((l) => `  ${l}`).join('\n')}`;
    }
    from = at + 1;
  }
  return undefined;
}
