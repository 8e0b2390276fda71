/** A change the upstream must be told about (IMSetIdle). */
export interface IdleChange {
  idle: boolean;
  idleSeconds: number;
}

/**
 * Which clients of a token are idle. The upstream shows the user away only when all of its listener
 * sessions are idle, and all of a token's clients share one session, so the proxy does the "all"
 * itself: the upstream hears `isIdle=1` only once every client is idle, and `0` as soon as one is back.
 * A client is a socket (its `clientId`, or one of its own) or a REST caller (its `X-Client-Id`).
 */
export class IdleClients {
  private readonly clients = new Map<string, { idle: boolean; idleSeconds: number; sockets: number }>();
  private upstreamIdle = false;

  report(clientId: string, idle: boolean, idleSeconds: number): IdleChange | undefined {
    const client = this.clients.get(clientId) ?? { idle, idleSeconds, sockets: 0 };
    client.idle = idle;
    client.idleSeconds = idleSeconds;
    this.clients.set(clientId, client);
    return this.settle();
  }

  connected(clientId: string): IdleChange | undefined {
    const client = this.clients.get(clientId);
    if (client) client.sockets++;
    else this.clients.set(clientId, { idle: false, idleSeconds: 0, sockets: 1 });
    return this.settle();
  }

  disconnected(clientId: string): IdleChange | undefined {
    const client = this.clients.get(clientId);
    if (!client) return undefined;
    if (--client.sockets <= 0) this.clients.delete(clientId);
    return this.settle();
  }

  /** A new upstream session starts active; tell it again if every client is idle. */
  sessionReplaced(): IdleChange | undefined {
    this.upstreamIdle = false;
    return this.settle();
  }

  private settle(): IdleChange | undefined {
    const all = [...this.clients.values()];
    const idle = all.length > 0 && all.every((c) => c.idle);
    if (idle === this.upstreamIdle) return undefined;
    this.upstreamIdle = idle;
    return { idle, idleSeconds: idle ? Math.max(...all.map((c) => c.idleSeconds)) : 0 };
  }
}
