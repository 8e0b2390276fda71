import WebSocket from 'ws';
import { Samples } from './stats';

/**
 * Every message the cluster bench sends, and what became of it. A message's text is
 * `m<seq> <sent at>`; the socket of its token counts each arrival, so a message that never
 * arrives (lost) or arrives twice (duplicated) shows, and its latency is receive − send on this
 * process's clock (performance.now()).
 */
export interface SentMessage {
  seq: number;
  /** Global id of the token it was sent to. */
  token: number;
  sentAt: number;
  arrivals: number;
  firstArrivalAt: number;
  /** Its latency goes into the bucket of the socket it arrives at. */
  measured: boolean;
}

export class Ledger {
  private readonly messages = new Map<number, SentMessage>();
  private nextSeq = 1;
  /** Latency samples by socket bucket (e.g. `single`, `owner`, `other`). */
  readonly latencies = new Map<string, Samples>();
  /** Arrivals at a socket of another token, or of a text the bench never sent. */
  misrouted = 0;
  unknown = 0;
  resyncs = 0;

  /** Registers a message to `token` and returns its text. */
  next(token: number, measured: boolean): { text: string; message: SentMessage } {
    const sentAt = performance.now();
    const message: SentMessage = { seq: this.nextSeq++, token, sentAt, arrivals: 0, firstArrivalAt: Number.NaN, measured };
    this.messages.set(message.seq, message);
    return { text: `m${message.seq} ${sentAt.toFixed(3)}`, message };
  }

  /** The upstream dropped it (it said so at once): it is not expected anywhere. */
  forget(message: SentMessage): void {
    this.messages.delete(message.seq);
  }

  arrived(token: number, bucket: string, text: string, now: number): void {
    if (text[0] !== 'm') return void this.unknown++;
    const message = this.messages.get(Number(text.slice(1, text.indexOf(' '))));
    if (!message) return void this.unknown++;
    if (message.token !== token) return void this.misrouted++;
    message.arrivals++;
    if (message.arrivals > 1) return;
    message.firstArrivalAt = now;
    if (!message.measured) return;
    let samples = this.latencies.get(bucket);
    if (!samples) this.latencies.set(bucket, (samples = new Samples()));
    samples.push(now - message.sentAt);
  }

  /** Messages with seq in [from, to). */
  range(from: number, to: number): SentMessage[] {
    const out: SentMessage[] = [];
    for (let seq = from; seq < to; seq++) {
      const message = this.messages.get(seq);
      if (message) out.push(message);
    }
    return out;
  }

  get seq(): number {
    return this.nextSeq;
  }

  resetLatencies(): void {
    this.latencies.clear();
  }
}

/**
 * One `/v1/events` socket of one token. It parses every frame (the bench's rates are modest) and
 * reports message texts to the ledger. Closed by the server unexpectedly, it reconnects to the same
 * instance with `?after=` its last event id, as a client would, and counts that.
 */
export class LedgerSocket {
  private ws?: WebSocket;
  private closing = false;
  lastId?: string;
  reconnects = 0;
  closeCodes: number[] = [];

  constructor(
    private readonly ledger: Ledger,
    readonly token: number,
    private readonly bearer: string,
    private readonly base: string,
    readonly bucket: string,
    private readonly canReconnect: () => boolean = () => true,
  ) {}

  /** Connects and resolves on `ready`. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const url = new URL('/v1/events', this.base.replace(/^http/, 'ws'));
      if (this.lastId) url.searchParams.set('after', this.lastId);
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.bearer}` }, perMessageDeflate: false });
      this.ws = ws;
      let ready = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`socket of token ${this.token} not ready within 30 s`));
      }, 30_000);
      ws.on('message', (data: Buffer) => {
        const now = performance.now();
        const frame = JSON.parse(data.toString()) as { id?: string; type: string; data?: { text?: string } };
        if (frame.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        if (frame.id) this.lastId = frame.id;
        if (frame.type === 'resync') this.ledger.resyncs++;
        else if (frame.type === 'message' && typeof frame.data?.text === 'string') this.ledger.arrived(this.token, this.bucket, frame.data.text, now);
      });
      ws.on('error', (err) => {
        if (!ready) {
          clearTimeout(timer);
          reject(err);
        }
      });
      ws.on('close', (code) => {
        if (!ready || this.closing) return;
        this.closeCodes.push(code);
        if (!this.canReconnect()) return;
        this.reconnects++;
        const retry = (): void => void this.open().catch(() => setTimeout(retry, 500));
        setTimeout(retry, 100);
      });
    });
  }

  close(): Promise<void> {
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2_000).unref();
    });
  }
}
