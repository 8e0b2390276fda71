import fc from 'fast-check';
import { fastify } from 'fastify';
import { excessiveNesting, registerJsonBodyParser } from './json-body';
import { MAX_BODY_DEPTH } from './validation';

const open = (n: number, bracket = '[') => bracket.repeat(n);
const close = (n: number, bracket = ']') => bracket.repeat(n);

/** The real nesting depth of a parsed JSON value (test oracle; values here are shallow). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as object);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map(depthOf)));
}

describe('excessiveNesting', () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(excessiveNesting(open(MAX_BODY_DEPTH) + close(MAX_BODY_DEPTH))).toBeUndefined();
    expect(excessiveNesting(open(MAX_BODY_DEPTH + 1) + close(MAX_BODY_DEPTH + 1))).toEqual({ field: '', message: expect.any(String) });
  });

  it('names the top-level property the deep value sits in', () => {
    const deep = `{"a":1,"b\\"c":"[[[[","de\\u0065p":${open(10_000)}${close(10_000)}}`;
    expect(excessiveNesting(deep)).toEqual({
      field: 'deep',
      message: `deep must not nest arrays and objects more than ${MAX_BODY_DEPTH} levels deep`,
    });
    expect(excessiveNesting(`{"x":{"y":{"z":${open(40, '{"k":')}`)).toMatchObject({ field: 'x' });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '['.repeat(100) + '\\"' + '{'.repeat(100), t: ['"[[[['] });
    expect(excessiveNesting(text)).toBeUndefined();
  });

  it('costs one pass over 10 MB of brackets (no recursion, no stack)', () => {
    expect(excessiveNesting(open(10_000_000))).toMatchObject({ field: '' });
  });

  it('agrees with the real depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 6 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(excessiveNesting(text, max) === undefined).toBe(depthOf(value) <= max);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('registerJsonBodyParser', () => {
  const app = fastify();
  registerJsonBodyParser(app);
  app.post('/echo', async (request) => ({ body: request.body ?? 'none' }));
  afterAll(() => app.close());

  const post = (payload: string) => app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });

  it('takes an empty application/json body as no body (clients send the header on bodiless requests too)', async () => {
    const res = await post('');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: 'none' });
  });

  it('still parses a body, and refuses blanks or malformed JSON', async () => {
    expect((await post('{"a":1}')).json()).toEqual({ body: { a: 1 } });
    expect((await post(' ')).statusCode).toBe(400);
    expect((await post('{"a":')).statusCode).toBe(400);
  });
});
