import fc from 'fast-check';
import { MAX_FRAME_DEPTH, parseClientFrame } from './client-frames';

const nested = (open: string, close: string, levels: number, inner = '0') => open.repeat(levels) + inner + close.repeat(levels);

describe('parseClientFrame', () => {
  it.each([
    ['{"op":"ping"}', { frame: { op: 'ping' } }],
    ['{"op":"subscribe"}', { frame: { op: 'subscribe' } }],
    ['{"op":"subscribe","types":["message","typing"],"threads":["chat-a%x-0"]}', { frame: { op: 'subscribe', types: ['message', 'typing'], threads: ['chat-a%x-0'] } }],
    ['{"op":"subscribe","types":[]}', { frame: { op: 'subscribe', types: [] } }],
    ['{"op":"subscribe","threads":["[[[[[{{{{{"]}', { frame: { op: 'subscribe', threads: ['[[[[[{{{{{'] } }],
  ])('accepts %s', (raw, expected) => {
    expect(parseClientFrame(raw)).toEqual(expected);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[1,2]', 'JSON object'],
    ['null', 'JSON object'],
    ['{}', 'op is required'],
    ['{"op":"shout"}', 'unknown op "shout"'],
    ['{"op":["ping"]}', 'op must be a string, got an array'],
    ['{"op":"ping","x":1}', 'unknown field "x"'],
    ['{"op":"subscribe","types":"message"}', 'types must be an array'],
    ['{"op":"subscribe","types":["mesage"]}', 'types[0]: unknown event type "mesage"'],
    ['{"op":"subscribe","types":["message",1]}', 'types[1] must be an event type name, got a number'],
    ['{"op":"subscribe","types":[{"a":[1]}]}', 'types[0] must be an event type name, got an object'],
    ['{"op":"subscribe","threads":[""]}', 'threads[0]: invalid thread id ""'],
    ['{"op":"subscribe","threads":["a\\u0001"]}', 'threads[0]: invalid thread id'],
    ['{"op":"subscribe","threads":[null]}', 'threads[0] must be a thread id string, got null'],
    [`{"op":"subscribe","threads":${JSON.stringify(Array(201).fill('t'))}}`, 'at most 200'],
  ])('rejects %s', (raw, message) => {
    const parsed = parseClientFrame(raw);
    expect('error' in parsed && parsed.error).toContain(message);
  });

  it('refuses deep nesting in every position without recursing over it (5 000 levels, any kind)', () => {
    const deep = (levels: number) => [nested('[', ']', levels), nested('{"a":', '}', levels)];
    for (const value of deep(5_000)) {
      for (const raw of [
        value,
        `{"op":${value}}`,
        `{"op":"subscribe","types":${value}}`,
        `{"op":"subscribe","threads":${value}}`,
        `{"op":"ping","extra":${value}}`,
        `{${JSON.stringify('k')}:${value},"op":"ping"}`,
      ]) {
        expect(parseClientFrame(raw)).toEqual({ error: `frame nests deeper than ${MAX_FRAME_DEPTH} levels` });
      }
    }
  });

  it('quotes at most a short prefix of a client string', () => {
    const parsed = parseClientFrame(JSON.stringify({ op: 'x'.repeat(10_000) }));
    expect('error' in parsed && parsed.error.length).toBeLessThan(200);
  });

  it('never throws, and answers any JSON value or any text with a frame or an error', () => {
    const anyText = fc.oneof(fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v)), fc.string({ unit: 'binary' }), fc.json());
    fc.assert(
      fc.property(anyText, (raw) => {
        const parsed = parseClientFrame(raw);
        expect(Object.keys(parsed)).toHaveLength(1);
        expect('frame' in parsed || typeof parsed.error === 'string').toBe(true);
      }),
      { seed: 42, numRuns: 2_000 },
    );
  });
});
