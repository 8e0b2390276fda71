import type { WebSocket } from 'ws';
import type { LinkEvent } from '../link/events';
import { parseClientFrame } from './client-frames';

export const CLOSE = {
  /** Server going away (shutdown). */
  GOING_AWAY: 1001,
  /** Something unexpected on our side; the client reconnects (with ?after=). */
  INTERNAL: 1011,
  /** Upstream trouble while connecting; the client should retry later. */
  TRY_AGAIN_LATER: 1013,
  /** A malformed connection request (e.g. a bad clientId). */
  POLICY: 1008,
  /** Missing, invalid or ended token. */
  UNAUTHORIZED: 4401,
  /** The client did not keep up; it resumes with ?after=. */
  TOO_SLOW: 4008,
} as const;

const OPEN = 1;
/** Frames a client may send before its socket is authenticated; more are a protocol abuse. */
const MAX_EARLY_FRAMES = 16;

/** Serialised and encoded once per event, whatever the number of sockets it goes to. */
const serialized = new WeakMap<LinkEvent, Buffer>();
function frameOf(event: LinkEvent): Buffer {
  let frame = serialized.get(event);
  if (frame === undefined) {
    frame = Buffer.from(JSON.stringify(event));
    serialized.set(event, frame);
  }
  return frame;
}

/** The numeric part of an event id (`<epoch>.<n>`). */
export function eventNumber(id: string | null): number {
  return id === null ? 0 : Number(id.slice(id.lastIndexOf('.') + 1)) || 0;
}

/**
 * One client socket on /v1/events: its subscription filter, its client frames, and sending with a
 * bound on unsent data. Events are numbered; a socket never receives an event twice or out of order,
 * even where replay and live delivery meet.
 */
export class EventSocket {
  private types?: Set<string>;
  private threads?: Set<string>;
  private lastDelivered = 0;
  private early: string[] | undefined = [];
  alive = true;

  constructor(
    readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {
    ws.on('message', (data, isBinary) => this.onFrame(isBinary ? null : data.toString()));
    ws.on('pong', () => (this.alive = true));
  }

  get isOpen(): boolean {
    return this.ws.readyState === OPEN;
  }

  /** Sends `ready` and the replay, then handles the frames that arrived while authenticating. */
  start(ready: { resumed: boolean; lastId: string | null }, replay: LinkEvent[], gap: boolean): void {
    this.sendRaw(JSON.stringify({ type: 'ready', data: ready }));
    if (gap) {
      const resync = { ...(ready.lastId ? { id: ready.lastId } : {}), type: 'resync', at: new Date().toISOString(), data: { reason: 'gap' } };
      this.sendRaw(JSON.stringify(resync));
    }
    for (const event of replay) this.deliver(event);
    this.lastDelivered = Math.max(this.lastDelivered, eventNumber(ready.lastId));
    const early = this.early ?? [];
    this.early = undefined;
    for (const frame of early) this.handleFrame(frame);
  }

  /** Delivers one event if the filter wants it and the socket has not had it yet. */
  deliver(event: LinkEvent): void {
    const n = eventNumber(event.id);
    if (n <= this.lastDelivered) return;
    this.lastDelivered = n;
    if (!this.wants(event)) return;
    this.sendRaw(frameOf(event));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === OPEN || this.ws.readyState === 0) this.ws.close(code, reason);
  }

  /** Heartbeat: a socket that did not answer the previous ping is dropped. */
  ping(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    if (this.isOpen) this.ws.ping();
  }

  private wants(event: LinkEvent): boolean {
    if (event.type === 'resync') return true; // never filtered: the client must re-read
    if (this.types && !this.types.has(event.type)) return false;
    const thread = (event.data as { thread?: unknown }).thread;
    return !(this.threads && typeof thread === 'string' && !this.threads.has(thread));
  }

  /** Sends a text frame (a Buffer holds UTF-8 JSON encoded once for all sockets). */
  private sendRaw(frame: string | Buffer): void {
    if (!this.isOpen) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      // A client that stops reading must not grow our memory: cut it loose; it resumes with ?after=.
      this.ws.close(CLOSE.TOO_SLOW, 'too slow: resume with ?after=');
      setTimeout(() => this.ws.terminate(), 1_000).unref();
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  private onFrame(raw: string | null): void {
    if (this.early) {
      if (this.early.length >= MAX_EARLY_FRAMES) return this.close(CLOSE.POLICY, 'too many frames before ready');
      this.early.push(raw ?? '');
      return;
    }
    this.handleFrame(raw);
  }

  private handleFrame(raw: string | null): void {
    const parsed = raw === null ? { error: 'binary frames are not accepted' } : parseClientFrame(raw);
    if ('error' in parsed) {
      this.sendRaw(JSON.stringify({ type: 'error', data: { code: 'request.INVALID', detail: parsed.error } }));
      return;
    }
    const { frame } = parsed;
    if (frame.op === 'ping') {
      this.sendRaw(JSON.stringify({ type: 'pong' }));
    } else {
      this.types = frame.types ? new Set(frame.types) : undefined;
      this.threads = frame.threads ? new Set(frame.threads) : undefined;
    }
  }
}
