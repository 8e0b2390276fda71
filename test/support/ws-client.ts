import WebSocket from 'ws';

export interface Frame {
  id?: string;
  type: string;
  at?: string;
  data?: any;
}

/** A real `ws` client that records every frame and lets a test wait for the ones it expects. */
export class EventClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private markers = 0;

  private constructor(readonly ws: WebSocket, record: (frame: Frame) => Frame) {
    ws.on('message', (data, isBinary) => {
      // Every frame of the protocol is a text frame (browsers hand binary ones over as Blobs): a binary
      // frame is recorded as such, so a test waiting for an event fails.
      this.frames.push(isBinary ? { type: 'binary frame' } : record(JSON.parse(data.toString())));
      this.waiters.forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(
    base: string,
    options: {
      token?: string;
      query?: Record<string, string>;
      viaQuery?: boolean;
      path?: string;
      autoPong?: boolean;
      /** What to keep of each frame (e.g. not its bulk, when a test counts its own memory); all of it by default. */
      record?: (frame: Frame) => Frame;
    } = {},
  ): EventClient {
    const url = new URL((options.path ?? '/v1/events'), base.replace(/^http/, 'ws'));
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    if (options.token && options.viaQuery) url.searchParams.set('access_token', options.token);
    const headers = options.token && !options.viaQuery ? { authorization: `Bearer ${options.token}` } : undefined;
    return new EventClient(new WebSocket(url, { headers, autoPong: options.autoPong ?? true }), options.record ?? ((frame) => frame));
  }

  /** Connects and waits for `ready`. */
  static async ready(base: string, options: Parameters<typeof EventClient.connect>[1] = {}): Promise<EventClient> {
    const client = EventClient.connect(base, options);
    await client.waitFor((f) => f.type === 'ready');
    return client;
  }

  /** Events only (frames with an id), optionally of some types. */
  events(...types: string[]): Frame[] {
    return this.frames.filter((f) => f.id !== undefined && f.type !== 'ready' && (types.length === 0 || types.includes(f.type)));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendBinary(data: Buffer): void {
    this.ws.send(data, { binary: true });
  }

  /**
   * Sends a frame, then a marker frame the server rejects by name, and resolves with the control
   * frames (no id) the server sent before rejecting the marker: its answer to the frame, since the
   * server answers a socket's frames in order.
   */
  async answerTo(frame: unknown, timeoutMs = 3_000): Promise<Frame[]> {
    const marker = `marker-${++this.markers}`;
    const isMarkerError = (f: Frame) => f.type === 'error' && String(f.data?.detail).includes(`"${marker}"`);
    const from = this.frames.length;
    if (Buffer.isBuffer(frame)) this.sendBinary(frame);
    else this.send(frame);
    this.send({ op: marker });
    const closed = this.closed.then(({ code, reason }) => {
      throw new Error(`socket closed with ${code} ${reason} instead of answering`);
    });
    await Promise.race([this.waitFor(isMarkerError, timeoutMs), closed]);
    const after = this.frames.slice(from);
    return after.slice(0, after.findIndex(isMarkerError)).filter((f) => f.id === undefined);
  }

  /**
   * Stops reading from the connection, as a client that hangs or is swamped does: the server's sends
   * pile up in its buffers. (ws's own pause, which its receiver will not undo behind the test's back.)
   */
  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    this.ws.resume();
  }

  /** Resolves with the first frame (from the start) matching, or rejects after the timeout. */
  waitFor(match: (f: Frame) => boolean, timeoutMs = 3_000): Promise<Frame> {
    return this.until(() => this.frames.find(match), timeoutMs, 'frame');
  }

  /** Resolves once `count` frames match. */
  waitForCount(match: (f: Frame) => boolean, count: number, timeoutMs = 3_000): Promise<Frame[]> {
    return this.until(() => {
      const found = this.frames.filter(match);
      return found.length >= count ? found : undefined;
    }, timeoutMs, `${count} frames`);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(value);
        return true;
      };
      const waiter = () => void attempt();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      if (!attempt()) this.waiters.push(waiter);
    });
  }
}

/** The sockets a suite opens, closed together (in `afterEach`) so no test leaks one into the next. */
export class OpenSockets {
  private readonly clients: EventClient[] = [];

  constructor(private readonly base: () => string) {}

  /** Connects, waits for `ready`, and keeps the client for closeAll. */
  async ready(options: Parameters<typeof EventClient.connect>[1]): Promise<EventClient> {
    const client = await EventClient.ready(this.base(), options);
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}
