import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the receiver answers one request. */
export type Answer =
  | { status: number; headers?: Record<string, string>; delayMs?: number }
  /** The connection is cut before any answer (a crash mid-request). */
  | { reset: true; delayMs?: number };

/** One request as the receiver saw it, and what it answered. */
export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
  answer: Answer;
}

/**
 * A real HTTP webhook receiver on an ephemeral loopback port. It records every request and answers
 * what `answer` says (200 by default); `stop()`/`restart()` take it down and back on the same port.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Decides each answer; replace it to script the receiver. */
  answer: (request: { headers: Record<string, string>; body: string; index: number }) => Answer = () => ({ status: 200 });
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private waiters: (() => void)[] = [];

  private constructor(private port: number) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(0);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/imbridge`;
  }

  /** Requests answered 2xx. */
  accepted(): Received[] {
    return this.received.filter((r) => 'status' in r.answer && r.answer.status >= 200 && r.answer.status < 300);
  }

  /** Resolves when `check` holds for what was received (checked after each request), or fails after `timeoutMs`. */
  async waitFor(check: (received: Received[]) => boolean, timeoutMs = 5_000, what = 'webhook requests'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${this.received.length}: ${this.received.map((r) => JSON.stringify(r.answer)).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Down: the port refuses connections (and open ones are cut) until `restart()`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restart(): Promise<void> {
    if (!this.server) await this.listen();
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const answer = this.answer({ headers, body, index: this.received.length });
    this.received.push({ at: Date.now(), headers, body, answer });
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if ('reset' in answer) {
      req.socket.destroy();
    } else {
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end('ok');
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
