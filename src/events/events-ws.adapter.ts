import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { createServer, IncomingMessage, Server as HttpServer, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server, WebSocket } from 'ws';
import { buildProblem, PROBLEM_CONTENT_TYPE, ProblemCode } from '../common/problem';
import { CLOSE } from './event-socket';

/**
 * Nest's ws adapter, with the edges made proper: an upgrade to a path no gateway serves gets an HTTP
 * 404 problem instead of a silently dropped connection, client frames are handled by the gateway
 * itself (our protocol is `{op}`, not Nest's `{event, data}`), frames are capped at `maxPayload`,
 * closing the server says 1001 "going away" before it cuts the sockets, and, when `allowedOrigins` is
 * not empty, a browser page from any other origin is refused (CORS does not cover WebSockets).
 */
export class EventsWsAdapter extends WsAdapter {
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    app: INestApplicationContext,
    private readonly maxPayload: number,
    allowedOrigins: readonly string[] = [],
  ) {
    super(app);
    this.allowedOrigins = new Set(allowedOrigins);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): Server {
    return super.create(port, { ...options, maxPayload: this.maxPayload });
  }

  override bindMessageHandlers(): void {
    // The gateway reads frames itself.
  }

  protected override ensureHttpServerExists(port: number, httpServer = createServer()): HttpServer | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.allowsOrigin(req.headers.origin)) {
        return refuse(socket, 403, ProblemCode.FORBIDDEN, `WebSocket connections from origin ${req.headers.origin} are not allowed.`);
      }
      let pathname: string;
      try {
        pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        return refuse(socket, 400, 'request.INVALID', 'The request URL is malformed.');
      }
      const wsServer = (this.wsServersRegistry.get(port) ?? []).find((s) => s.path === pathname);
      if (!wsServer) return refuse(socket, 404, 'route.NOT_FOUND', `No WebSocket endpoint at ${pathname}.`);
      wsServer.handleUpgrade(req, socket, head, (ws: WebSocket) => wsServer.emit('connection', ws, req));
    });
    return httpServer;
  }

  /** Any origin when none are configured; otherwise a listed one, or none at all (native clients send no Origin). */
  private allowsOrigin(origin: string | undefined): boolean {
    return this.allowedOrigins.size === 0 || origin === undefined || this.allowedOrigins.has(origin);
  }

  override async close(server: Server): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const sockets = [...server.clients] as WebSocket[];
    for (const ws of sockets) ws.close(CLOSE.GOING_AWAY, 'server shutting down');
    await Promise.race([
      Promise.all(sockets.map((ws) => new Promise((r) => (ws.readyState === 3 ? r(undefined) : ws.once('close', r))))),
      new Promise((r) => setTimeout(r, 1_000).unref()),
    ]);
    for (const ws of sockets) ws.terminate();
    await closed;
  }
}

/** Answers an upgrade we will not accept with a plain HTTP problem response. */
function refuse(socket: Duplex, status: number, code: string, detail: string): void {
  const body = JSON.stringify(buildProblem(status, code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
