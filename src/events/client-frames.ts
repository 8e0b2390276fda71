import { hasNonXmlChar } from '../soap/xml';
import { EVENT_TYPES, EventType } from '../link/events';
import { excessiveNesting } from '../common/json-body';

/** What a client may send on /v1/events. */
export type ClientFrame =
  | { op: 'ping' }
  | { op: 'subscribe'; types?: EventType[]; threads?: string[] };

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
    case undefined:
      return { error: 'op is required' };
    default:
      return typeof frame.op === 'string'
        ? { error: `unknown op ${quote(frame.op)}; expected "subscribe" or "ping"` }
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
