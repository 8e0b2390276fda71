import { hasNonXmlChar } from '../soap/xml';
import { EVENT_TYPES, EventType } from '../link/events';
import { excessiveNesting } from '../common/json-body';

/**
 * A command: what a REST route does, sent over the socket. `id` is the client's (echoed in its `ack`
 * or `error`, and the send's Idempotency-Key); the REST route checks the rest as it checks a body.
 */
export interface CommandFrame {
  op: CommandOp;
  id: string;
  /** The route it runs as. */
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

/** What a client may send on /v1/events. */
export type ClientFrame =
  | { op: 'ping' }
  | { op: 'subscribe'; types?: EventType[]; threads?: string[] }
  | CommandFrame;

export type CommandOp = 'send' | 'typing' | 'presence' | 'idle';

/** Per command: its fields besides op and id, and the route it runs as. */
const COMMANDS: Record<CommandOp, { fields: string[]; route(frame: Record<string, unknown>): Pick<CommandFrame, 'method' | 'path'> }> = {
  send: {
    fields: ['thread', 'to', 'text', 'html'],
    route: (f) => (f.thread === undefined ? { method: 'POST', path: '/v1/chats' } : { method: 'POST', path: `/v1/chats/${encodeURIComponent(f.thread as string)}/messages` }),
  },
  typing: { fields: ['thread', 'typing'], route: (f) => ({ method: 'PUT', path: `/v1/chats/${encodeURIComponent(f.thread as string)}/typing` }) },
  presence: { fields: ['show', 'status'], route: () => ({ method: 'PUT', path: '/v1/presence' }) },
  idle: { fields: ['idle', 'idleSeconds'], route: () => ({ method: 'PUT', path: '/v1/presence/idle' }) },
};

/** The ops that are commands (answered `ack` or `error` under their id). */
export const COMMAND_OPS = Object.keys(COMMANDS) as CommandOp[];

/** With the client id before it (up to 128), a command id still makes an Idempotency-Key (up to 255). */
const COMMAND_ID = /^[\x21-\x7e]{1,120}$/;

export type ParsedFrame = { frame: ClientFrame } | { error: string };

const MAX_THREADS = 200;
const MAX_THREAD_LENGTH = 256;
/** A valid frame nests two levels (the frame, a list in it); a little slack keeps errors specific. */
export const MAX_FRAME_DEPTH = 4;
/** Client text quoted back in an error message is cut to this many characters. */
const MAX_QUOTED = 64;
const KNOWN_TYPES = new Set<string>(EVENT_TYPES);

/**
 * Parses and validates one client frame; never throws. The nesting depth is bounded before parsing,
 * and an error names the offending field, index and kind of value, never a serialisation of
 * whatever the client sent.
 */
export function parseClientFrame(raw: string): ParsedFrame {
  if (excessiveNesting(raw, MAX_FRAME_DEPTH)) return { error: `frame nests deeper than ${MAX_FRAME_DEPTH} levels` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'frame is not valid JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'frame must be a JSON object' };
  const frame = value as Record<string, unknown>;
  switch (frame.op) {
    case 'ping':
      return onlyKeys(frame, ['op']) ?? { frame: { op: 'ping' } };
    case 'subscribe':
      return parseSubscribe(frame);
    case 'send':
    case 'typing':
    case 'presence':
    case 'idle':
      return parseCommand(frame.op, frame);
    case undefined:
      return { error: 'op is required' };
    default:
      return typeof frame.op === 'string'
        ? { error: `unknown op ${quote(frame.op)}; expected one of "subscribe", "ping", ${Object.keys(COMMANDS).map((op) => `"${op}"`).join(', ')}` }
        : { error: `op must be a string, got ${kindOf(frame.op)}` };
  }
}

function parseSubscribe(frame: Record<string, unknown>): ParsedFrame {
  const unknownKey = onlyKeys(frame, ['op', 'types', 'threads']);
  if (unknownKey) return unknownKey;
  const result: { op: 'subscribe'; types?: EventType[]; threads?: string[] } = { op: 'subscribe' };
  if (frame.types !== undefined) {
    const types = frame.types;
    if (!Array.isArray(types) || types.length > EVENT_TYPES.length) {
      return { error: `types must be an array of at most ${EVENT_TYPES.length} event types` };
    }
    const i = types.findIndex((t) => typeof t !== 'string' || !KNOWN_TYPES.has(t));
    if (i >= 0) {
      const t: unknown = types[i];
      return typeof t === 'string'
        ? { error: `types[${i}]: unknown event type ${quote(t)}` }
        : { error: `types[${i}] must be an event type name, got ${kindOf(t)}` };
    }
    result.types = types as EventType[];
  }
  if (frame.threads !== undefined) {
    const threads = frame.threads;
    if (!Array.isArray(threads) || threads.length > MAX_THREADS) {
      return { error: `threads must be an array of at most ${MAX_THREADS} thread ids` };
    }
    const i = threads.findIndex(
      (t) => typeof t !== 'string' || t.length === 0 || t.length > MAX_THREAD_LENGTH || hasNonXmlChar(t),
    );
    if (i >= 0) {
      const t: unknown = threads[i];
      return typeof t === 'string'
        ? { error: `threads[${i}]: invalid thread id ${quote(t)} (1 to ${MAX_THREAD_LENGTH} characters XML can carry)` }
        : { error: `threads[${i}] must be a thread id string, got ${kindOf(t)}` };
    }
    result.threads = threads as string[];
  }
  return { frame: result };
}

function parseCommand(op: CommandOp, frame: Record<string, unknown>): ParsedFrame {
  const { fields, route } = COMMANDS[op];
  const unknownKey = onlyKeys(frame, ['op', 'id', ...fields]);
  if (unknownKey) return unknownKey;
  if (frame.id === undefined) return { error: 'id is required: commands are answered with ack or error under it' };
  if (typeof frame.id !== 'string' || !COMMAND_ID.test(frame.id)) return { error: 'id must be 1 to 120 visible ASCII characters' };
  // The thread is part of the path: checked here; everything else the route checks as a body.
  const needsThread = op === 'typing';
  if ((needsThread || frame.thread !== undefined) && (typeof frame.thread !== 'string' || frame.thread.length === 0 || frame.thread.length > MAX_THREAD_LENGTH)) {
    return { error: `thread must be a thread id of 1 to ${MAX_THREAD_LENGTH} characters` };
  }
  const body: Record<string, unknown> = {};
  for (const field of fields) if (field !== 'thread' && frame[field] !== undefined) body[field] = frame[field];
  return { frame: { op, id: frame.id, ...route(frame), body } };
}

function onlyKeys(frame: Record<string, unknown>, allowed: string[]): { error: string } | undefined {
  const extra = Object.keys(frame).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : { error: `unknown field ${quote(extra)}` };
}

/** A client string as a short JSON string literal (a string, so stringifying it cannot recurse). */
function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
