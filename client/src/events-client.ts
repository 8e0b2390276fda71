import { backoffDelay, DEFAULT_BACKOFF, sleep, type Backoff } from './backoff';
import type { ControlFrame, EventData, EventType, Show, StreamEvent } from './events';
import type { components } from './generated/openapi';
import { newKey } from './keys';
import { clientError, ImbridgeError, type Problem } from './problem';
import type { RestClient } from './rest';

type Schemas = components['schemas'];
export type SentMessage = Schemas['SentMessageDto'];
export type ChatListItem = Schemas['ChatListItemDto'];
export type Roster = Schemas['RosterDto'];

/**
 * What a `resync` listener gets: why events could not be delivered without a gap, and the state
 * re-read over REST (the chat list with each chat's last message and unread count, and the roster),
 * or the error that re-reading met. Events after the resync are delivered after this listener ran.
 */
export interface Resync {
  reason: 'gap' | 'upstream_session';
  chats?: ChatListItem[];
  roster?: Roster;
  error?: unknown;
}

/** Listener data: an event's `data`, except that a resync comes with what was re-read. */
export type ListenerData = Omit<EventData, 'resync'> & { resync: Resync };
export type Listener<T extends EventType> = (data: ListenerData[T], event: StreamEvent<T> | ResyncNotice) => void;
/** A resync sent to this connection alone (its resume point could not be replayed): no id. */
export type ResyncNotice = { id?: undefined; type: 'resync'; at: string; data: EventData['resync'] };

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A WebSocket class: the browser's, Node 22's global one, or the `ws` package's. */
export type WebSocketConstructor = new (url: string) => unknown;

/** What the client uses of a WebSocket: the part browsers and `ws` share. */
interface Socket {
  readonly readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
const OPEN = 1;

export interface EventsClientOptions {
  /** The service, e.g. `https://im.example.com`. */
  baseUrl: string;
  token: string;
  /** For re-reading on `resync` (see `Resync`); without one, a resync carries no state. */
  rest?: RestClient;
  /** The WebSocket class; the global one by default (browsers, Node ≥ 22); on Node 20 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** This client's id (`?clientId=`): idle state and command ids are per client. A random one by default. */
  clientId?: string;
  /** Resume after this event id (one kept from an earlier run); from now on by default. */
  after?: string;
  /** Waits between reconnection attempts. */
  reconnect?: Backoff;
  /** How often to ping the service (25 s): a connection that stays silent after a ping is dropped. */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered (10 s) before the connection counts as dead. */
  pongTimeoutMs?: number;
  /** How long a connection may take to say `ready` (15 s). */
  readyTimeoutMs?: number;
  /** How long a command may wait for its answer across reconnects (60 s) before it fails with `client.TIMEOUT`. */
  commandTimeoutMs?: number;
  /** Where a listener's exception and a malformed-frame `error` go; console.error by default. */
  onError?: (error: unknown) => void;
}

/** Commands a socket may have unanswered at once (the service's bound); more wait here. */
export const MAX_COMMANDS_IN_FLIGHT = 8;
/** Event ids remembered to drop a repeat, however it came (newest kept). */
const REMEMBERED_IDS = 1024;
/** Close codes after which reconnecting cannot help. */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_POLICY = 1008;

type CommandBody =
  | { op: 'send'; thread?: string; to?: string; text: string; html?: string }
  | { op: 'typing'; thread: string; typing: boolean }
  | { op: 'presence'; show: Show; status?: string }
  | { op: 'idle'; idle: boolean; idleSeconds: number };

interface PendingCommand {
  frame: string;
  resolve(data: unknown): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

/**
 * The event stream of one token: connects, reconnects with backoff and jitter, resumes after the
 * last event it delivered, delivers each event once and in order, re-reads the state on `resync`,
 * pings, and runs commands (send, typing, presence, idle) whose promises settle with their answers.
 * A command unanswered when a connection drops is sent again under the same id: the service answers
 * a repeated send id with the first answer, so a message is never sent twice.
 */
export class EventsClient {
  readonly clientId: string;
  private readonly WebSocketClass: WebSocketConstructor;
  private readonly reconnectBackoff: Backoff;
  private readonly listeners = new Map<EventType, Set<Listener<EventType>>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private currentState: ConnectionState = 'idle';
  private socket?: Socket;
  /** The newest event id accepted for delivery: the resume point. */
  private resumeAfter?: string;
  /** A connection was ready while the stream had no event yet: a fresh start later may have missed some. */
  private readyWithoutId = false;
  private readonly recentIds = new Set<string>();
  /** Deliveries in order; a resync's re-read holds the events after it. */
  private delivery: Promise<void> = Promise.resolve();
  private readonly commands = new Map<string, PendingCommand>();
  private inFlight = 0;
  /** Sent on this connection and given up on (timed out): the service may still be running them. */
  private readonly abandoned = new Set<string>();
  private filter?: string;
  private attempt = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private pingTimer?: ReturnType<typeof setInterval>;
  private pongTimer?: ReturnType<typeof setTimeout>;
  private readyTimer?: ReturnType<typeof setTimeout>;
  private lastFrameAt = 0;
  private firstReady?: { promise: Promise<void>; resolve(): void; reject(error: unknown): void };

  constructor(private readonly options: EventsClientOptions) {
    const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass) throw new TypeError('no WebSocket class: pass one as options.WebSocket (e.g. the ws package\'s on Node 20)');
    this.WebSocketClass = WebSocketClass;
    this.clientId = options.clientId ?? `sdk-${newKey()}`;
    this.resumeAfter = options.after;
    this.reconnectBackoff = options.reconnect ?? DEFAULT_BACKOFF;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The id of the newest event delivered (or being delivered): keep it to resume in a later run. */
  get lastId(): string | undefined {
    return this.resumeAfter;
  }

  /** Listens to one event type; returns a function that stops listening. */
  on<T extends EventType>(type: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as unknown as Listener<EventType>);
    return () => set.delete(listener as unknown as Listener<EventType>);
  }

  /** Listens to connection state changes; returns a function that stops listening. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Connects, and keeps connecting after every drop until `close()`. Resolves once the stream is
   * ready the first time; rejects if the token is refused (4401) or the client is closed first.
   */
  connect(): Promise<void> {
    if (!this.firstReady) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection
      this.firstReady = { promise, resolve, reject };
      if (this.currentState === 'idle') this.open();
      else if (this.currentState === 'closed') reject(clientError('client.CLOSED', 'the events client was closed'));
    }
    return this.firstReady.promise;
  }

  /** Closes for good: no reconnection; commands not answered yet fail with `client.CLOSED`. */
  close(): void {
    this.shutDown(clientError('client.CLOSED', 'the events client was closed'));
  }

  /** Only these event types and/or threads from now on, across reconnects (resync always passes); none = all. */
  subscribe(filter: { types?: EventType[]; threads?: string[] }): void {
    this.filter = JSON.stringify({ op: 'subscribe', ...filter });
    if (this.isReady) this.socket!.send(this.filter);
  }

  /**
   * Sends a message into `thread`, or to `to` (a new or the open chat). `id` makes a retry safe
   * across runs of the app (a fresh one by default): the same id is answered once.
   */
  send(message: { thread?: string; to?: string; text: string; html?: string; id?: string }): Promise<SentMessage> {
    const { id, ...fields } = message;
    return this.command({ op: 'send', ...fields }, id) as Promise<SentMessage>;
  }

  /** Tells the chat this user is typing, or stopped. */
  async typing(thread: string, typing: boolean): Promise<void> {
    await this.command({ op: 'typing', thread, typing });
  }

  /** Sets this user's presence. */
  async presence(show: Show, status?: string): Promise<void> {
    await this.command(status === undefined ? { op: 'presence', show } : { op: 'presence', show, status });
  }

  /** Marks this client idle (or back); the user shows away while all of the token's clients are idle. */
  async idle(idle: boolean, idleSeconds = 0): Promise<void> {
    await this.command({ op: 'idle', idle, idleSeconds });
  }

  // ---- connection ----

  private get isReady(): boolean {
    return this.currentState === 'open' && this.socket?.readyState === OPEN;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.stateListeners) this.guarded(() => listener(state));
  }

  private open(): void {
    this.setState(this.attempt === 0 && this.currentState === 'idle' ? 'connecting' : 'reconnecting');
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/v1/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('clientId', this.clientId);
    url.searchParams.set('access_token', this.options.token);
    if (this.resumeAfter !== undefined) url.searchParams.set('after', this.resumeAfter);
    const socket = new this.WebSocketClass(url.toString()) as Socket;
    this.socket = socket;
    let ready = false;
    this.lastFrameAt = Date.now();
    this.readyTimer = setTimeout(() => this.drop(socket), this.options.readyTimeoutMs ?? 15_000);
    socket.onmessage = ({ data }) => {
      this.lastFrameAt = Date.now();
      let frame: StreamEvent | ResyncNotice | ControlFrame;
      try {
        frame = JSON.parse(typeof data === 'string' ? data : String(data));
      } catch (error) {
        return this.report(error);
      }
      if (!ready) {
        if (frame.type !== 'ready') return;
        ready = true;
        return this.onReady(frame.data);
      }
      this.onFrame(frame);
    };
    socket.onclose = ({ code }) => this.onClosed(socket, code);
    socket.onerror = () => undefined; // a close follows
  }

  private onReady(ready: { resumed: boolean; lastId: string | null }): void {
    clearTimeout(this.readyTimer);
    this.attempt = 0;
    // Started afresh (no resume point) after a connection that had seen no event: whatever the
    // stream numbered since could not be replayed to us.
    if (this.resumeAfter === undefined && this.readyWithoutId && ready.lastId !== null) {
      this.accept({ type: 'resync', at: new Date().toISOString(), data: { reason: 'gap' } });
    }
    if (this.resumeAfter === undefined || !ready.resumed) {
      // Not resumed: the service sends a resync for the gap first (if we asked to resume); the stream goes on from its newest event.
      this.resumeAfter = ready.lastId ?? undefined;
    }
    this.readyWithoutId = this.resumeAfter === undefined;
    this.setState('open');
    if (this.filter) this.socket!.send(this.filter);
    this.startPinging();
    for (const command of this.commands.values()) command.sent = false;
    this.inFlight = 0;
    this.abandoned.clear();
    this.pump();
    this.firstReady?.resolve();
  }

  private onFrame(frame: StreamEvent | ResyncNotice | ControlFrame): void {
    switch (frame.type) {
      case 'pong':
      case 'ready':
        return;
      case 'ack':
        return this.answered(frame.id, undefined, frame.data);
      case 'error':
        if (frame.id !== undefined) return this.answered(frame.id, new ImbridgeError(frame.data as Problem));
        return this.report(new ImbridgeError(frame.data as Problem));
      default:
        this.accept(frame);
    }
  }

  private onClosed(socket: Socket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.stopTimers();
    if (code === CLOSE_UNAUTHORIZED) return this.shutDown(new ImbridgeError({ code: 'auth.REQUIRED', status: 401, detail: 'the token was refused or has ended' }));
    if (code === CLOSE_POLICY) return this.shutDown(new ImbridgeError({ code: 'request.INVALID', status: 400, detail: 'the service refused the connection request' }));
    this.setState('reconnecting');
    this.reconnectTimer = setTimeout(() => this.open(), backoffDelay(this.attempt++, this.reconnectBackoff));
  }

  /** Gives up on a connection that went silent: it may never say so itself. */
  private drop(socket: Socket): void {
    if (socket !== this.socket) return;
    socket.onmessage = socket.onclose = null;
    try {
      socket.close();
    } catch {
      // closing a socket that never opened may throw; it is abandoned either way
    }
    this.onClosed(socket, 1006);
  }

  /** A ping every interval; a connection that sends nothing within the patience after one is dead. */
  private startPinging(): void {
    const patience = this.options.pongTimeoutMs ?? 10_000;
    const socket = this.socket!;
    this.pingTimer = setInterval(() => {
      const sentAt = Date.now();
      socket.send('{"op":"ping"}');
      if (this.pongTimer !== undefined) return; // an earlier ping's deadline still runs, and covers this one
      this.pongTimer = setTimeout(() => {
        this.pongTimer = undefined;
        if (this.lastFrameAt < sentAt) this.drop(socket);
      }, patience);
    }, this.options.pingIntervalMs ?? 25_000);
  }

  private stopTimers(): void {
    clearTimeout(this.readyTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    clearTimeout(this.reconnectTimer);
  }

  private shutDown(reason: ImbridgeError): void {
    if (this.currentState === 'closed') return;
    this.stopTimers();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      socket.close(1000);
    }
    for (const [id, command] of this.commands) {
      clearTimeout(command.timer);
      this.commands.delete(id);
      command.reject(reason);
    }
    this.firstReady?.reject(reason);
    this.setState('closed');
  }

  // ---- events ----

  /** Queues an event for delivery unless it was delivered already. */
  private accept(event: StreamEvent | ResyncNotice): void {
    if (event.id !== undefined) {
      if (this.recentIds.has(event.id)) return;
      this.recentIds.add(event.id);
      if (this.recentIds.size > REMEMBERED_IDS) this.recentIds.delete(this.recentIds.values().next().value as string);
      this.resumeAfter = event.id;
      this.readyWithoutId = false;
    }
    this.delivery = this.delivery.then(() => (event.type === 'resync' ? this.resync(event) : this.emit(event.type, event.data, event)));
  }

  private async resync(event: StreamEvent<'resync'> | ResyncNotice): Promise<void> {
    const listening = (this.listeners.get('resync')?.size ?? 0) > 0;
    const resync: Resync = { ...event.data, ...(listening && this.options.rest ? await this.reread(this.options.rest) : {}) };
    this.emit('resync', resync, event);
  }

  /** The state a client holds, read again: the chat list and the roster (retried while the service is unavailable). */
  private async reread(rest: RestClient): Promise<Pick<Resync, 'chats' | 'roster' | 'error'>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const [chats, roster] = await Promise.all([rest.GET('/v1/chats'), rest.GET('/v1/roster')]);
        if (chats.data && roster.data) return { chats: chats.data, roster: roster.data };
        const problem = (chats.error ?? roster.error) as Problem;
        if (attempt >= 4 || (problem.status ?? 0) < 500) return { error: new ImbridgeError(problem) };
      } catch (error) {
        if (attempt >= 4) return { error };
      }
      if (this.currentState === 'closed') return { error: clientError('client.CLOSED', 'the events client was closed') };
      await sleep(backoffDelay(attempt, this.reconnectBackoff));
    }
  }

  private emit(type: EventType, data: unknown, event: StreamEvent | ResyncNotice): void {
    for (const listener of this.listeners.get(type) ?? []) this.guarded(() => listener(data as never, event as never));
  }

  private guarded(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    (this.options.onError ?? console.error)(error);
  }

  // ---- commands ----

  private command(body: CommandBody, id = newKey()): Promise<unknown> {
    if (this.currentState === 'closed') return Promise.reject(clientError('client.CLOSED', 'the events client was closed'));
    if (this.commands.has(id)) return Promise.reject(new ImbridgeError({ code: 'request.INVALID', detail: `command id ${id} is already waiting for its answer` }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.answered(id, clientError('client.TIMEOUT', `no answer to command ${id} within ${this.options.commandTimeoutMs ?? 60_000} ms`), undefined, true);
      }, this.options.commandTimeoutMs ?? 60_000);
      this.commands.set(id, { frame: JSON.stringify({ ...body, id }), resolve, reject, timer, sent: false });
      this.pump();
    });
  }

  /** Sends waiting commands, oldest first, while fewer than the service's bound are unanswered. */
  private pump(): void {
    if (!this.isReady) return;
    for (const command of this.commands.values()) {
      if (this.inFlight >= MAX_COMMANDS_IN_FLIGHT) return;
      if (command.sent) continue;
      command.sent = true;
      this.inFlight++;
      this.socket!.send(command.frame);
    }
  }

  private answered(id: string, error: unknown, data?: unknown, timedOut = false): void {
    const command = this.commands.get(id);
    if (!command) {
      // The late answer to a command given up on: only now is its place free.
      if (this.abandoned.delete(id)) {
        this.inFlight--;
        this.pump();
      }
      return;
    }
    this.commands.delete(id);
    clearTimeout(command.timer);
    if (command.sent && timedOut) this.abandoned.add(id);
    else if (command.sent) this.inFlight--;
    if (error === undefined) command.resolve(data);
    else command.reject(error);
    this.pump();
  }
}
