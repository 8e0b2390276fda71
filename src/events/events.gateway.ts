import { Inject, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { bearerFromHeader } from '../auth/bearer-token.decorator';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { Link } from '../link/link';
import { isAuthFailure } from '../link/link';
import { LinkRegistry } from '../link/link-registry.service';
import { MetricsService } from '../metrics/metrics.service';
import { checkClientId, CLIENT_ID_HEADER } from '../common/client-id.decorator';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotent';
import type { CommandFrame } from './client-frames';
import { CLOSE, CommandAnswer, EventSocket } from './event-socket';
import { Fanout } from './fanout';
import { Heartbeat } from './heartbeat';

interface SocketEntry {
  socket: EventSocket;
  /** Set once the socket is authenticated and follows its token's events: undoes that. */
  leave?: () => void;
}

/**
 * Cluster mode: sockets follow the token's shared log wherever its link lives. Resolves with what
 * undoes the join, or undefined when the socket was refused (and closed).
 */
export interface ClusterSockets {
  join(socket: EventSocket, token: string, clientId: string, after: string | undefined): Promise<(() => void) | undefined>;
}

export const CLUSTER_SOCKETS = Symbol('CLUSTER_SOCKETS');

/**
 * `GET /v1/events`: authenticates each socket in the connection handler (guards do not run there),
 * answers `ready`, replays what a resuming client missed, then streams the token's events. All
 * sockets of a token share its link and single long-poll.
 */
@WebSocketGateway({ path: '/v1/events' })
export class EventsGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('Events');
  private readonly fanouts = new Map<Link, Fanout>();
  /** Links whose close we already watch. */
  private readonly hooked = new WeakSet<Link>();
  private readonly sockets = new Map<WebSocket, SocketEntry>();
  private readonly heartbeat: Heartbeat<EventSocket>;

  constructor(
    private readonly links: LinkRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(CLUSTER_SOCKETS) private readonly cluster?: ClusterSockets,
  ) {
    this.heartbeat = new Heartbeat(config.wsPingIntervalMs);
  }

  async handleConnection(ws: WebSocket, request: IncomingMessage): Promise<void> {
    const socket = new EventSocket(ws, this.config.wsMaxBufferedBytes);
    const entry: SocketEntry = { socket };
    this.sockets.set(ws, entry);
    this.heartbeat.add(socket);
    try {
      await this.connect(socket, entry, request);
    } catch (err) {
      // E.g. the link ended between authentication and joining: never leave a socket half set up.
      this.logger.warn(`socket setup failed: ${(err as Error).message}`);
      socket.close(CLOSE.INTERNAL, 'internal error, reconnect');
    }
  }

  private async connect(socket: EventSocket, entry: SocketEntry, request: IncomingMessage): Promise<void> {
    const ws = socket.ws;
    const url = new URL(request.url ?? '/', 'http://localhost');
    let clientId: string;
    try {
      clientId = checkClientId(url.searchParams.get('clientId'), 'clientId') ?? `socket-${randomUUID()}`;
    } catch {
      return socket.close(CLOSE.POLICY, 'clientId must be 1 to 128 letters, digits, _ . : -');
    }
    const token = bearerFromHeader(request.headers.authorization) ?? (url.searchParams.get('access_token') || undefined);
    if (!token) return socket.close(CLOSE.UNAUTHORIZED, 'a bearer token is required');
    const after = url.searchParams.get('after') ?? undefined;
    socket.commands = (frame) => this.runCommand(frame, token, clientId, request);
    if (this.cluster) {
      const leave = await this.cluster.join(socket, token, clientId, after);
      if (!leave) return;
      if (!this.sockets.has(ws)) return leave(); // the client left while joining
      entry.leave = leave;
      this.metrics.socketOpened();
      return;
    }

    let link: Link;
    try {
      link = this.links.acquire(token);
      await link.open(); // registers the upstream session: proves the token before anything is sent
    } catch (err) {
      if (err instanceof ProblemException || isAuthFailure(err)) return socket.close(CLOSE.UNAUTHORIZED, 'invalid or ended token');
      this.logger.warn(`socket refused: ${(err as Error).message}`);
      return socket.close(CLOSE.TRY_AGAIN_LATER, 'upstream unavailable, retry later');
    }
    if (!socket.isOpen || !this.sockets.has(ws)) return; // the client left while we authenticated

    const fanout = this.fanoutFor(link);
    const replay = after === undefined ? undefined : link.replay(after);
    const gap = replay !== undefined && 'gap' in replay;
    if (gap) this.metrics.resync('gap'); // this socket's own notice (see EventSocket.start)
    // Replay and joining the fan-out happen in one turn: nothing falls between them.
    socket.start({ resumed: replay !== undefined && !gap, lastId: link.lastEventId }, replay && !gap ? replay.events : [], gap);
    fanout.add(socket);
    entry.leave = () => {
      fanout.remove(socket);
      link.clientDisconnected(clientId);
    };
    this.metrics.socketOpened();
    link.clientConnected(clientId);
  }

  /**
   * A command runs as the REST request it stands for, through this instance's own routes: the same
   * validation, rate limit, idempotency (the client's command id is the key, per client) and, in
   * cluster mode, forwarding to the token's owner.
   */
  private async runCommand(frame: CommandFrame, token: string, clientId: string, upgrade: IncomingMessage): Promise<CommandAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      [CLIENT_ID_HEADER]: clientId,
      [IDEMPOTENCY_KEY_HEADER]: `${clientId}:${frame.id}`,
    };
    const forwardedFor = upgrade.headers['x-forwarded-for'];
    if (typeof forwardedFor === 'string') headers['x-forwarded-for'] = forwardedFor;
    const response = await this.adapterHost.httpAdapter.getInstance<FastifyInstance>().inject({
      method: frame.method,
      url: frame.path,
      headers,
      payload: JSON.stringify(frame.body),
      remoteAddress: upgrade.socket.remoteAddress,
    });
    const data: unknown = response.body ? JSON.parse(response.body) : {};
    return response.statusCode < 300 ? { type: 'ack', data } : { type: 'error', data };
  }

  /** Bytes written to the sockets and not yet sent: what clients that do not read cost us. */
  get unsentBytes(): number {
    let bytes = 0;
    for (const ws of this.sockets.keys()) bytes += ws.bufferedAmount;
    return bytes;
  }

  handleDisconnect(ws: WebSocket): void {
    const entry = this.sockets.get(ws);
    this.sockets.delete(ws);
    if (entry) this.heartbeat.remove(entry.socket);
    if (!entry?.leave) return;
    this.metrics.socketClosed();
    entry.leave();
  }

  onModuleDestroy(): void {
    this.heartbeat.stop();
    for (const { socket } of this.sockets.values()) socket.close(CLOSE.GOING_AWAY, 'server shutting down');
  }

  private fanoutFor(link: Link): Fanout {
    let fanout = this.fanouts.get(link);
    if (!fanout) {
      fanout = new Fanout(link, this.config.eventsLingerMs, (ended) => {
        if (this.fanouts.get(link) === ended) this.fanouts.delete(link);
      }, this.metrics);
      this.fanouts.set(link, fanout);
    }
    if (!this.hooked.has(link)) {
      this.hooked.add(link);
      // Logout or a dead token ends the link: its sockets are told why.
      link.onClose(() => {
        const current = this.fanouts.get(link);
        if (!current) return;
        for (const socket of current.sockets) socket.close(CLOSE.UNAUTHORIZED, 'session ended');
        current.end();
      });
    }
    return fanout;
  }
}
