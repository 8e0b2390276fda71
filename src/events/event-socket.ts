import { Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { LinkEvent } from '../link/events';
import { CommandFrame, parseClientFrame } from './client-frames';

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
/** Commands a socket may have running at once; more are answered `rate.LIMITED` at once. */
export const MAX_COMMANDS_IN_FLIGHT = 8;

/** What a command is answered with: `ack` and the route's answer, or `error` and its problem document. */
export type CommandAnswer = { type: 'ack'; data: unknown } | { type: 'error'; data: unknown };
export type CommandRunner = (frame: CommandFrame) => Promise<CommandAnswer>;
const TOO_SLOW_REASON = 'too slow: resume with ?after=';
/** Frames a client may send before its socket is authenticated; more are a protocol abuse. */
const MAX_EARLY_FRAMES = 16;

const logger = new Logger('Events');

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

/** The epoch part of an event id with its dot (`<epoch>.`), or '' for none. */
function epochPrefixOf(id: string | null): string {
  return id === null ? '' : id.slice(0, id.lastIndexOf('.') + 1);
}

/** A socket's own notice that it missed events (no id: it is no event of the token's stream). */
export function resyncNotice(): LinkEvent {
  return { type: 'resync', at: new Date().toISOString(), data: { reason: 'gap' } } as LinkEvent;
}

/**
 * The TCP socket under a ws WebSocket. ws has no 'drain' of its own; its `bufferedAmount` is this
 * stream's unsent bytes, and the stream says when they have gone out.
 */
function transportOf(ws: WebSocket): Writable | undefined {
  return (ws as unknown as { _socket?: Writable | null })._socket ?? undefined;
}

/**
 * One client socket on /v1/events: its subscription filter, its client frames, and sending with a
 * bound on unsent data. Events are numbered; a socket never receives an event twice or out of order,
 * even where replay and live delivery meet.
 *
 * A replay is written as fast as the client reads it (on 'drain'), and live events that arrive
 * meanwhile queue behind it. A client that stops reading is not sent anything more once its unsent
 * data passes the bound: when it has read what is already on its way it gets 4008 and resumes with
 * ?after=; if it never reads again, it misses its pings and the heartbeat terminates it.
 */
export class EventSocket {
  private types?: Set<string>;
  private threads?: Set<string>;
  /** The newest event number sent or queued for this socket; an event at or below it is a duplicate. */
  private lastDelivered = 0;
  /**
   * The log the numbers count in (`<epoch>.`): a new epoch (a log written anew, cluster mode) numbers
   * afresh. Compared with startsWith on every delivery: no string is cut per event and socket.
   */
  private epochPrefix = '';
  private early: (string | null)[] | undefined = [];
  /** Frames waiting behind a replay, oldest first: `replayLeft` replay frames, then live ones. */
  private backlog?: Buffer[];
  private replayLeft = 0;
  /** Bytes of the live frames in the backlog. */
  private liveBytes = 0;
  /** The live frames in the backlog were over the bound at the previous heartbeat. */
  private backlogOverBound = false;
  /** Over the bound: nothing more is sent; 4008 goes out once the transport has drained. */
  private tooSlow = false;
  private awaitingDrain = false;
  alive = true;
  /** Runs this socket's commands, once it is authenticated (see EventsGateway). */
  commands?: CommandRunner;
  private commandsInFlight = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {
    ws.on('message', (data, isBinary) => {
      try {
        this.onFrame(isBinary ? null : data.toString());
      } catch (err) {
        this.fail('handling a client frame', err);
      }
    });
    ws.on('pong', () => (this.alive = true));
  }

  get isOpen(): boolean {
    return this.ws.readyState === OPEN;
  }

  /** Sends `ready` and the replay, then handles the frames that arrived while authenticating. */
  start(ready: { resumed: boolean; lastId: string | null }, replay: LinkEvent[], gap: boolean): void {
    this.send(JSON.stringify({ type: 'ready', data: ready }));
    // This socket's own notice, not an event of the token's stream: it has no id, so it cannot be
    // mistaken for (and de-duplicated as) the event whose id the client last saw.
    if (gap) this.send(JSON.stringify(resyncNotice()));
    this.lastDelivered = eventNumber(ready.lastId);
    this.epochPrefix = epochPrefixOf(ready.lastId);
    if (replay.length > 0) {
      this.backlog = replay.map(frameOf);
      this.replayLeft = replay.length;
      this.writeBacklog();
    }
    const early = this.early ?? [];
    this.early = undefined;
    for (const frame of early) this.handleFrame(frame);
  }

  /** Delivers one event if the filter wants it and the socket has not had it yet; true when it went (or is queued to go) out. */
  deliver(event: LinkEvent): boolean {
    if (event.id === undefined) return this.backlog ? this.enqueue(frameOf(event)) : this.send(frameOf(event)); // a notice
    if (this.epochPrefix === '' || !event.id.startsWith(this.epochPrefix)) {
      this.epochPrefix = epochPrefixOf(event.id);
      this.lastDelivered = 0;
    }
    const n = eventNumber(event.id);
    if (n <= this.lastDelivered) return false;
    this.lastDelivered = n;
    if (!this.wants(event)) return false;
    return this.backlog ? this.enqueue(frameOf(event)) : this.send(frameOf(event));
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
    this.checkBacklog();
    if (this.isOpen) this.ws.ping();
  }

  private wants(event: LinkEvent): boolean {
    if (event.type === 'resync') return true; // never filtered: the client must re-read
    if (this.types && !this.types.has(event.type)) return false;
    const thread = (event.data as { thread?: unknown }).thread;
    return !(this.threads && typeof thread === 'string' && !this.threads.has(thread));
  }

  /**
   * Sends a text frame (a Buffer holds UTF-8 JSON encoded once for all sockets). Answers to client
   * frames go out this way too, ahead of a backlog: they are not events and have no place in its order.
   */
  private send(frame: string | Buffer): boolean {
    if (this.tooSlow || !this.isOpen) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.fallBehind();
      return false;
    }
    this.ws.send(frame, { binary: false });
    return true;
  }

  /** Queues a live frame behind the replay (see checkBacklog for its bound). */
  private enqueue(frame: Buffer): boolean {
    if (this.tooSlow) return false;
    this.backlog!.push(frame);
    this.liveBytes += frame.length;
    return true;
  }

  /**
   * The replay is held by the event log anyway and does not count against the bound; the live frames
   * queued behind it do, once they have stayed over it from one heartbeat to the next: a client reading
   * at full speed catches up sooner, one that does not read misses its ping meanwhile and is dropped.
   */
  private checkBacklog(): void {
    const over = this.backlog !== undefined && this.ws.bufferedAmount + this.liveBytes > this.maxBufferedBytes;
    if (over && this.backlogOverBound) this.fallBehind();
    this.backlogOverBound = over;
  }

  /** Writes backlog frames while the transport takes them without buffering; the rest follows on 'drain'. */
  private writeBacklog(): void {
    const backlog = this.backlog;
    const transport = transportOf(this.ws);
    while (backlog && backlog.length > 0) {
      if (this.tooSlow || !this.isOpen) break;
      if (transport?.writableNeedDrain) return this.onceDrained();
      const frame = backlog.shift()!;
      if (this.replayLeft > 0) this.replayLeft--;
      else this.liveBytes -= frame.length;
      this.ws.send(frame, { binary: false });
    }
    this.backlog = undefined;
    this.liveBytes = 0;
  }

  /** The client does not keep up: nothing more is queued for it. */
  private fallBehind(): void {
    this.tooSlow = true;
    this.backlog = undefined;
    this.liveBytes = 0;
    // Written now, the close frame would wait behind everything unsent; written once the client has
    // read that, it is the next thing the client sees.
    if (transportOf(this.ws)?.writableNeedDrain) this.onceDrained();
    else this.close(CLOSE.TOO_SLOW, TOO_SLOW_REASON);
  }

  /** Continues once the transport has sent what it holds: with the backlog, or with the 4008. */
  private onceDrained(): void {
    const transport = transportOf(this.ws);
    if (this.awaitingDrain || !transport) return;
    this.awaitingDrain = true;
    transport.once('drain', () => {
      this.awaitingDrain = false;
      try {
        if (this.tooSlow) this.close(CLOSE.TOO_SLOW, TOO_SLOW_REASON);
        else this.writeBacklog();
      } catch (err) {
        this.fail('sending the backlog', err);
      }
    });
  }

  private onFrame(raw: string | null): void {
    if (this.early) {
      if (this.early.length >= MAX_EARLY_FRAMES) return this.close(CLOSE.POLICY, 'too many frames before ready');
      this.early.push(raw);
      return;
    }
    this.handleFrame(raw);
  }

  private handleFrame(raw: string | null): void {
    const parsed = raw === null ? { error: 'binary frames are not accepted' } : parseClientFrame(raw);
    if ('error' in parsed) {
      this.send(JSON.stringify({ type: 'error', data: { code: 'request.INVALID', detail: parsed.error } }));
      return;
    }
    const { frame } = parsed;
    if (frame.op === 'ping') {
      this.send(JSON.stringify({ type: 'pong' }));
    } else if (frame.op === 'subscribe') {
      this.types = frame.types ? new Set(frame.types) : undefined;
      this.threads = frame.threads ? new Set(frame.threads) : undefined;
    } else {
      this.command(frame);
    }
  }

  /** Runs a command (see CommandRunner) and answers `ack` or `error` under its id; a few at a time per socket. */
  private command(frame: CommandFrame): void {
    if (!this.commands || this.commandsInFlight >= MAX_COMMANDS_IN_FLIGHT) {
      const detail = this.commands ? `at most ${MAX_COMMANDS_IN_FLIGHT} commands at a time: wait for an answer` : 'commands are not accepted on this socket';
      this.send(JSON.stringify({ type: 'error', id: frame.id, data: { code: this.commands ? 'rate.LIMITED' : 'request.INVALID', detail } }));
      return;
    }
    this.commandsInFlight++;
    this.commands(frame).then(
      (answer) => {
        this.commandsInFlight--;
        this.send(JSON.stringify({ ...answer, id: frame.id }));
      },
      (err: unknown) => {
        this.commandsInFlight--;
        this.fail('running a command', err);
      },
    );
  }

  /** A failure on one socket is reported and ends that socket (the client resumes), never the process. */
  private fail(what: string, err: unknown): void {
    logger.warn(`socket closed after an error while ${what}: ${err instanceof Error ? err.message : String(err)}`);
    this.close(CLOSE.INTERNAL, 'internal error, reconnect');
  }
}
