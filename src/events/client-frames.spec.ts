import { parseClientFrame } from './client-frames';

describe('parseClientFrame', () => {
  it.each([
    ['{"op":"ping"}', { frame: { op: 'ping' } }],
    ['{"op":"subscribe"}', { frame: { op: 'subscribe' } }],
    ['{"op":"subscribe","types":["message","typing"],"threads":["chat-a%x-0"]}', { frame: { op: 'subscribe', types: ['message', 'typing'], threads: ['chat-a%x-0'] } }],
    ['{"op":"subscribe","types":[]}', { frame: { op: 'subscribe', types: [] } }],
  ])('accepts %s', (raw, expected) => {
    expect(parseClientFrame(raw)).toEqual(expected);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[1,2]', 'JSON object'],
    ['null', 'JSON object'],
    ['{}', 'op is required'],
    ['{"op":"shout"}', 'unknown op "shout"'],
    ['{"op":"ping","x":1}', 'unknown field "x"'],
    ['{"op":"subscribe","types":"message"}', 'types must be an array'],
    ['{"op":"subscribe","types":["mesage"]}', 'unknown event type "mesage"'],
    ['{"op":"subscribe","types":[1]}', 'unknown event type 1'],
    ['{"op":"subscribe","threads":[""]}', 'invalid thread id ""'],
    ['{"op":"subscribe","threads":["a\\u0001"]}', 'invalid thread id'],
    [`{"op":"subscribe","threads":${JSON.stringify(Array(201).fill('t'))}}`, 'at most 200'],
  ])('rejects %s', (raw, message) => {
    const parsed = parseClientFrame(raw);
    expect('error' in parsed && parsed.error).toContain(message);
  });
});
