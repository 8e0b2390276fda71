import { hasNonXmlChar } from '../soap/xml';
import { EVENT_TYPES, EventType } from '../link/events';

/** What a client may send on /v1/events. */
export type ClientFrame =
  | { op: 'ping' }
  | { op: 'subscribe'; types?: EventType[]; threads?: string[] };

export type ParsedFrame = { frame: ClientFrame } | { error: string };

const MAX_THREADS = 200;
const MAX_THREAD_LENGTH = 256;
const KNOWN_TYPES = new Set<string>(EVENT_TYPES);

/** Parses and validates one client frame; never throws. */
export function parseClientFrame(raw: string): ParsedFrame {
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
      return { error: `unknown op ${JSON.stringify(frame.op)}; expected "subscribe" or "ping"` };
  }
}

function parseSubscribe(frame: Record<string, unknown>): ParsedFrame {
  const unknownKey = onlyKeys(frame, ['op', 'types', 'threads']);
  if (unknownKey) return unknownKey;
  const result: { op: 'subscribe'; types?: EventType[]; threads?: string[] } = { op: 'subscribe' };
  if (frame.types !== undefined) {
    if (!Array.isArray(frame.types) || frame.types.length > EVENT_TYPES.length) {
      return { error: `types must be an array of at most ${EVENT_TYPES.length} event types` };
    }
    const unknown = frame.types.find((t) => typeof t !== 'string' || !KNOWN_TYPES.has(t));
    if (unknown !== undefined) return { error: `types: unknown event type ${JSON.stringify(unknown)}` };
    result.types = frame.types as EventType[];
  }
  if (frame.threads !== undefined) {
    if (!Array.isArray(frame.threads) || frame.threads.length > MAX_THREADS) {
      return { error: `threads must be an array of at most ${MAX_THREADS} thread ids` };
    }
    const bad = frame.threads.find(
      (t) => typeof t !== 'string' || t.length === 0 || t.length > MAX_THREAD_LENGTH || hasNonXmlChar(t),
    );
    if (bad !== undefined) return { error: `threads: invalid thread id ${JSON.stringify(bad)}` };
    result.threads = frame.threads as string[];
  }
  return { frame: result };
}

function onlyKeys(frame: Record<string, unknown>, allowed: string[]): { error: string } | undefined {
  const extra = Object.keys(frame).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : { error: `unknown field ${JSON.stringify(extra)}` };
}
