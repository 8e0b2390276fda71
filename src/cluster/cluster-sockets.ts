import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { CLOSE, EventSocket, resyncNotice } from '../events/event-socket';
import type { ClusterSockets } from '../events/events.gateway';
import { EventSource, Fanout } from '../events/fanout';
import type { LinkEvent } from '../link/events';
import { isAuthFailure } from '../link/link';
import type { MetricsService } from '../metrics/metrics.service';
import { ProblemException } from '../common/problem';
import type { Admission } from './admission';
import { ClusterLinks, MAX_CLAIM_ATTEMPTS, OwnedElsewhere } from './cluster-links';
import { TokenFeed } from './event-feed';
import type { RedisEventStore } from './event-store';
import { Inbox, InboxRemoteError } from './inbox';
import { ClusterKeys } from './keys';
import type { LinkDirectory } from './link-directory';
import type { RedisConnection } from './redis';

/** What an owner answers to `attach`: the socket may follow the token, or why not. */
export type AttachAnswer = { ok: true } | { ok: false; unauthorized: boolean; claimedElsewhere?: boolean; detail: string };

/**
 * A token followed by sockets of this instance: the source of its fan-out, fed by its shared-log
 * feed; its clients, and the instance they are announced to (the owner when they were).
 */
class Followed implements EventSource {
  /** Client ids of the sockets joined here, with their counts. */
  readonly clients = new Map<string, number>();
  announcedTo?: string;
  feed!: TokenFeed;
  fanout!: Fanout;
  started!: Promise<void>;
  private readonly listeners = new Set<(event: LinkEvent) => void>();

  constructor(readonly token: string) {}

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const ATTACH_TIMEOUT_MS = 5_000;
/** Events a feed keeps to replay a joining socket without reading Redis. */
const FEED_RING_SIZE = 1_000;

/**
 * Sockets in cluster mode. Every socket follows its token's shared log through one feed per token
 * per instance (subscribe, then read, then merge: nothing lost, nothing twice), wherever the link
 * lives; its instance announces it to the owner (`attach`), so the owner's link polls and counts the
 * client as active. When the owner changes (takeover), the feed hears it and the clients are
 * announced to the new one; logout anywhere closes the token's sockets here with 4401.
 */
export class ClusterSocketsService implements ClusterSockets {
  private readonly logger = new Logger('Cluster');
  private readonly followed = new Map<string, Followed>();

  constructor(
    private readonly links: ClusterLinks,
    private readonly directory: LinkDirectory,
    private readonly admission: Admission,
    private readonly inbox: Inbox,
    private readonly store: RedisEventStore,
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly instanceId: string,
    reannounceDelayMs: number,
  ) {
    inbox.handle('attach', (payload, from) => this.attached(payload as { token: string; clientId: string }, from));
    inbox.handle('detach', (payload, from) => {
      const { tag, clientId } = payload as { tag: string; clientId: string };
      this.links.unwatch(tag, from, clientId);
    });
    redis.onReconnect(() => {
      // The owner may have changed or dropped the link meanwhile: announce every client again. A
      // record Redis lost is written again by its owner at its next commit: give it a lease to do
      // so before claiming the token anew (which would start a new upstream session).
      for (const [tag, followed] of this.followed) void this.announce(tag, followed, reannounceDelayMs).catch(() => undefined);
    });
  }

  async join(socket: EventSocket, token: string, clientId: string, after: string | undefined): Promise<(() => void) | undefined> {
    const tag = ClusterKeys.tagOf(token);
    try {
      if (await this.admission.isRevoked(tag)) return refuse(socket, CLOSE.UNAUTHORIZED, 'invalid or ended token');
      const answer = await this.attach(tag, token, clientId);
      if (!answer.ok) return refuse(socket, answer.unauthorized ? CLOSE.UNAUTHORIZED : CLOSE.TRY_AGAIN_LATER, answer.unauthorized ? 'invalid or ended token' : 'upstream unavailable, retry later');
    } catch (err) {
      this.logger.warn(`socket refused: ${(err as Error).message}`);
      return refuse(socket, CLOSE.TRY_AGAIN_LATER, 'service unavailable, retry later');
    }
    const followed = this.follow(tag, token);
    const leave = (): void => this.leave(tag, followed, socket, clientId);
    followed.clients.set(clientId, (followed.clients.get(clientId) ?? 0) + 1);
    try {
      await followed.started;
      const replay = after === undefined ? undefined : await followed.feed.replay(after);
      if (!socket.isOpen) {
        leave();
        return undefined;
      }
      const gap = replay !== undefined && 'gap' in replay;
      if (gap) this.metrics.resync('gap');
      // Replay and joining the fan-out in one turn: the feed delivers nothing in between.
      socket.start({ resumed: replay !== undefined && !gap, lastId: replay?.lastId ?? followed.feed.lastId }, replay && !gap ? replay.events : [], gap);
      followed.fanout.add(socket);
      return leave;
    } catch (err) {
      leave();
      this.logger.warn(`socket setup failed: ${(err as Error).message}`);
      return refuse(socket, CLOSE.TRY_AGAIN_LATER, 'service unavailable, retry later');
    }
  }

  /** This instance lost its lease: its feeds may have missed events, so every socket reconnects (elsewhere). */
  dropAll(): void {
    for (const [tag, followed] of [...this.followed]) {
      this.closeAll(followed, CLOSE.TRY_AGAIN_LATER, 'this instance lost touch with the cluster, reconnect');
      this.unfollow(tag, followed);
    }
  }

  // ---- announcing clients to the owner --------------------------------------------------------

  /** Announces one client to the token's owner, claiming the token when nobody owns it. */
  private async attach(tag: string, token: string, clientId: string): Promise<AttachAnswer> {
    for (let attempt = 1; ; attempt++) {
      const owner = await this.directory.lookup(tag);
      if (owner?.alive && owner.owner && owner.owner !== this.instanceId) {
        try {
          return await this.inbox.request<AttachAnswer>(owner.owner, 'attach', { token, clientId }, ATTACH_TIMEOUT_MS);
        } catch (err) {
          return { ok: false, unauthorized: false, detail: err instanceof InboxRemoteError ? err.message : `the owner did not answer: ${(err as Error).message}` };
        }
      }
      const answer = await this.attached({ token, clientId }, this.instanceId);
      // Two instances reached a new token at once and the other won: announce the client there.
      if (answer.ok || !answer.claimedElsewhere || attempt === MAX_CLAIM_ATTEMPTS) return answer;
    }
  }

  /** On the owner (or the instance about to be): the link is claimed and open, and the client watches it. */
  private async attached({ token, clientId }: { token: string; clientId: string }, from: string): Promise<AttachAnswer> {
    const tag = ClusterKeys.tagOf(token);
    try {
      const link = await this.links.ensureLocal(token, tag);
      await link.open(); // proves the token before the socket is told `ready`
      this.links.watch(tag, link, from, clientId);
      return { ok: true };
    } catch (err) {
      const unauthorized = isAuthFailure(err) || (err instanceof ProblemException && err.getStatus() === 401);
      return { ok: false, unauthorized, claimedElsewhere: err instanceof OwnedElsewhere, detail: (err as Error).message };
    }
  }

  /** Announces every client of a followed token to its current owner (after a takeover or a reconnect). */
  private async announce(tag: string, followed: Followed, unknownOwnerDelayMs = 0): Promise<void> {
    if (unknownOwnerDelayMs > 0 && !(await this.directory.lookup(tag))) await new Promise((resolve) => setTimeout(resolve, unknownOwnerDelayMs));
    for (const [clientId, count] of followed.clients) {
      for (let i = 0; i < count; i++) {
        const answer = await this.attach(tag, followed.token, clientId);
        if (!answer.ok && answer.unauthorized) return this.closeAll(followed, CLOSE.UNAUTHORIZED, 'session ended');
      }
    }
    const owner = await this.directory.lookup(tag);
    followed.announcedTo = owner?.owner ?? undefined;
  }

  private leave(tag: string, followed: Followed, socket: EventSocket, clientId: string): void {
    followed.fanout.remove(socket);
    const count = followed.clients.get(clientId) ?? 0;
    if (count > 1) followed.clients.set(clientId, count - 1);
    else followed.clients.delete(clientId);
    const owner = followed.announcedTo;
    if (owner === undefined || owner === this.instanceId) this.links.unwatch(tag, this.instanceId, clientId);
    else void this.inbox.notify(owner, 'detach', { tag, clientId }).catch(() => undefined);
  }

  // ---- following the shared log ---------------------------------------------------------------

  private follow(tag: string, token: string): Followed {
    const existing = this.followed.get(tag);
    if (existing) return existing;
    const followed = new Followed(token);
    followed.feed = new TokenFeed(this.redis, this.keys, this.store, tag, {
      event: (event) => followed.emit(event),
      resync: () => {
        this.metrics.resync('gap');
        followed.emit(resyncNotice());
      },
      note: (note) => {
        if (note.note === 'revoked') this.closeAll(followed, CLOSE.UNAUTHORIZED, 'session ended');
        else if (note.note === 'owner' && note.owner !== followed.announcedTo) void this.announce(tag, followed).catch(() => undefined);
      },
    }, { ringSize: FEED_RING_SIZE });
    followed.fanout = new Fanout(followed, this.config.eventsLingerMs, () => this.unfollow(tag, followed), this.metrics);
    followed.started = followed.feed.start();
    void this.directory.lookup(tag).then((owner) => (followed.announcedTo ??= owner?.owner ?? undefined), () => undefined);
    followed.started.catch(() => this.unfollow(tag, followed));
    this.followed.set(tag, followed);
    return followed;
  }

  private unfollow(tag: string, followed: Followed): void {
    if (this.followed.get(tag) !== followed) return;
    this.followed.delete(tag);
    void followed.feed.stop().catch(() => undefined);
  }

  private closeAll(followed: Followed, code: number, reason: string): void {
    for (const socket of [...followed.fanout.sockets]) socket.close(code, reason);
  }
}

function refuse(socket: EventSocket, code: number, reason: string): undefined {
  socket.close(code, reason);
  return undefined;
}
