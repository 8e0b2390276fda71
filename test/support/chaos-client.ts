import WebSocket from 'ws';
import type { Frame } from './ws-client';

/** How a connection picked its `?after=`: none, the last id seen, an older one, garbage, or one not issued yet. */
export type ResumeKind = 'fresh' | 'exact' | 'stale' | 'bogus' | 'future';

/** One WebSocket connection of a logical client, as it happened. */
export interface Connection {
  kind: ResumeKind;
  after?: string;
  ready?: { resumed: boolean; lastId: string | null };
  /** Every frame after `ready`, in arrival order. */
  frames: Frame[];
  /** Set when the server closed the socket (not when we terminated it). */
  closedByServer?: { code: number; reason: string };
}

/**
 * One client application of a token (a browser tab, a phone) across its reconnects: records every
 * connection's frames so the checks can follow ids and messages across resumes.
 */
export class ChaosClient {
  readonly connections: Connection[] = [];
  private ws?: WebSocket;
  private wantConnected = false;

  constructor(
    readonly name: string,
    readonly account: string,
    readonly token: string,
    private readonly base: string,
    /** Called for every `resync` frame (the client must re-read over REST). */
    private readonly onResync: (client: ChaosClient) => void,
  ) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.current?.ready !== undefined;
  }

  get current(): Connection | undefined {
    return this.connections[this.connections.length - 1];
  }

  /** Ids of every event received so far, in arrival order (repeats of a stale replay included). */
  seenIds(): string[] {
    return this.connections.flatMap((c) => c.frames.filter((f) => f.id !== undefined).map((f) => f.id as string));
  }

  /** Connects with the given `?after=` and resolves once `ready` arrived, or rejects if the server refused. */
  connect(kind: ResumeKind, after?: string): Promise<void> {
    this.wantConnected = true;
    const url = new URL('/v1/events', this.base.replace(/^http/, 'ws'));
    if (after !== undefined) url.searchParams.set('after', after);
    url.searchParams.set('clientId', this.name);
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` } });
    this.ws = ws;
    const connection: Connection = { kind, after, frames: [] };
    return new Promise((resolve, reject) => {
      ws.on('message', (data, isBinary) => {
        const frame: Frame = isBinary ? { type: 'binary frame' } : JSON.parse(data.toString());
        if (!connection.ready && frame.type === 'ready' && frame.id === undefined) {
          connection.ready = frame.data;
          this.connections.push(connection);
          resolve();
          return;
        }
        if (!connection.ready) return; // nothing may come before ready; the checks see it as missing
        connection.frames.push(frame);
        if (frame.type === 'resync') this.onResync(this);
      });
      ws.on('close', (code, reason) => {
        if (this.ws === ws && this.wantConnected) connection.closedByServer = { code, reason: reason.toString() };
        if (!connection.ready) reject(new Error(`${this.name}: socket closed before ready (${code} ${reason.toString()})`));
      });
      ws.on('error', () => undefined); // a close follows
    });
  }

  /** Stops reading for a while, like a client too busy or too slow to keep up. */
  stall(ms: number): void {
    const ws = this.ws;
    ws?.pause();
    setTimeout(() => ws?.resume(), ms).unref();
  }

  /** Drops the connection without a close handshake, like a phone losing its network. */
  terminate(): void {
    this.wantConnected = false;
    this.ws?.terminate();
  }

  /** Closes politely at the end of a run. */
  close(): Promise<void> {
    this.wantConnected = false;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }
}
