import fc from 'fast-check';
import { ELLIPSIS, ExampleIds, lineMatches, matchLines, matchPattern, parsePattern } from './shown-output';

const matches = (shown: string, actual: unknown, ids?: ExampleIds) => matchPattern(parsePattern(shown), actual, ids) === undefined;

/** JSON values the README could show exactly (no `…` in them: that is the wildcard). */
const jsonValue = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).includes(ELLIPSIS));

/** A canonical form: key order does not matter in the comparison. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Every string shown as `…`, every object and array left open: what a lazy README would write. */
function loosened(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(ELLIPSIS);
  if (Array.isArray(value)) return `[${[...value.map(loosened), ELLIPSIS].join(',')}]`;
  if (value && typeof value === 'object') return `{${[...Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${loosened(v)}`), ELLIPSIS].join(',')}}`;
  return JSON.stringify(value);
}

describe('shown JSON', () => {
  it('without `…`, matches exactly the values equal to it (key order free)', () => {
    fc.assert(
      fc.property(jsonValue, jsonValue, (shown, actual) => {
        expect(matches(JSON.stringify(shown), actual)).toBe(canonical(shown) === canonical(actual));
        expect(matches(JSON.stringify(shown), shown)).toBe(true);
      }),
    );
  });

  it('loosened with `…` still matches the value, and anything with more members or elements', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(matches(loosened(value), value)).toBe(true);
        if (Array.isArray(value)) expect(matches(loosened(value), [...value, 'more'])).toBe(true);
        if (value && typeof value === 'object' && !Array.isArray(value)) expect(matches(loosened(value), { ...value, 'not shown': 1 })).toBe(true);
      }),
    );
  });

  it('`…` in a string stands for any characters, the rest is literal', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        fc.pre(![a, b, c].some((s) => s.includes(ELLIPSIS)));
        // Anything between the parts, …
        expect(matches(JSON.stringify(`${a}${ELLIPSIS}${c}`), a + b + c)).toBe(true);
        // … and without `…`, nothing more.
        expect(matches(JSON.stringify(`${a}${b}${c}`), `${a}${b}${c}x`)).toBe(false);
      }),
    );
  });

  it('an object without `…` refuses members it does not show; with `…` it allows them', () => {
    expect(matchPattern(parsePattern('{"a":1}'), { a: 1, b: 2 })).toMatch(/members b are not shown/);
    expect(matches('{"a":1,…}', { a: 1, b: 2 })).toBe(true);
    expect(matches('{…,"a":1}', { a: 1, b: 2 })).toBe(true);
    expect(matchPattern(parsePattern('{"a":1,…}'), { b: 2 })).toMatch(/\$\.a: missing/);
    expect(matches('{"data":{"seq":2,…,"text":"or 1?"}}', { data: { seq: 2, sentAt: 'x', text: 'or 1?' } })).toBe(true);
  });

  it('arrays: exact length unless they end in `…`', () => {
    expect(matches('["a"]', ['a', 'b'])).toBe(false);
    expect(matches('["a",…]', ['a', 'b'])).toBe(true);
    expect(matches('[…]', [])).toBe(true);
    expect(matches('["a",…]', [])).toBe(false);
    expect(() => parsePattern('[…,"a"]')).toThrow(/may only end an array/);
  });

  it('refuses shown JSON it cannot read, saying where', () => {
    expect(() => parsePattern('{"a":1')).toThrow(/column/);
    expect(() => parsePattern('{"a":1} x')).toThrow(/unexpected text/);
    expect(() => parsePattern('{"a":1,"a":2}')).toThrow(/duplicate/);
    expect(() => parsePattern("{'a':1}")).toThrow(/expected a string/);
  });
});

describe('example event ids', () => {
  const frame = (id: string, lastId: string) => ({ id, data: { lastId } });

  it('match any real id, then hold every other example id to the same prefix and offset', () => {
    const ids = new ExampleIds();
    expect(matches('{"id":"mf3k2a.8","data":{"lastId":"mf3k2a.7"}}', frame('zz91.20', 'zz91.19'), ids)).toBe(true);
    expect(ids.real('mf3k2a.9')).toBe('zz91.21');
    expect(matchPattern(parsePattern('{"id":"mf3k2a.10"}'), { id: 'zz91.23' }, ids)).toMatch(/expected zz91.22 \(the README's mf3k2a.10\), got zz91.23/);
    expect(matchPattern(parsePattern('{"id":"mf3k2a.10"}'), { id: 'other.22' }, ids)).toMatch(/expected zz91.22/);
    expect(matchPattern(parsePattern('{"id":"mf3k2a.10"}'), { id: null }, ids)).toMatch(/expected an event id/);
  });

  it('an example id used before any frame bound its prefix is an error', () => {
    expect(() => new ExampleIds().real('mf3k2a.9')).toThrow(/before any frame/);
    expect(() => new ExampleIds().bind('not-an-id', 'zz.1')).toThrow(/not an example event id/);
  });

  it('without example ids (shell output), id members are compared like any string', () => {
    expect(matches('{"id":"mf3k2a.8"}', { id: 'zz91.20' })).toBe(false);
  });
});

describe('shown output lines', () => {
  const output = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"status":"ok","extra":1}';

  it('are found in order, with other lines between them', () => {
    expect(matchLines(['HTTP/1.1 200 OK', '…', '{"status":"ok",…}'], output)).toBeUndefined();
    expect(matchLines(['HTTP/1.1 200 …', 'content-type: …'], output)).toBeUndefined();
    expect(matchLines(['{"status":"ok",…}', 'HTTP/1.1 200 OK'], output)).toMatch(/not found after output line 4/);
    expect(matchLines(['HTTP/1.1 503 Service Unavailable'], output)).toMatch(/not found/);
  });

  it('a JSON line is compared as JSON, any other as text with `…` as a wildcard', () => {
    expect(lineMatches('{"status":"ok"}', '{"status":"ok","extra":1}')).toBe(false);
    expect(lineMatches('{"status":"ok"}', 'not json')).toBe(false);
    expect(lineMatches('imbridge_links …', 'imbridge_links 3')).toBe(true);
    expect(lineMatches('imbridge_links 1', 'imbridge_links 10')).toBe(false);
    expect(lineMatches('a.b', 'aXb')).toBe(false);
    expect(() => matchLines(['{"status":'], output)).toThrow(/shown JSON/);
  });
});
