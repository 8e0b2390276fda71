import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { clusterUnavailable, ProblemException } from '../common/problem';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SoapClient } from '../soap/soap-client';
import { UpstreamError } from '../soap/upstream-error';
import { Link, LinkOptions } from './link';

const LONG_POLL_MARGIN_MS = 10_000;
/** Upper bound of an upstream token's life (the upstream default is 2 days); revocations are kept that long. */
const MAX_TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;
const MAX_REVOKED = 100_000;

/** Tokens are only ever held as keys by their hash, so a heap dump or a log line cannot leak them. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** What the cluster adds to the registry: in cluster mode, links are created only by claiming them. */
export interface LinkOwnership {
  /** Logout: the token is refused on every instance before its link ends. */
  revoke(token: string): Promise<void>;
}

/**
 * Owns every link: one per bearer token, created on first use (in cluster mode: when this instance
 * claims the token), ended when idle or on logout.
 */
@Injectable()
export class LinkRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Link');
  private readonly links = new Map<string, Link>();
  /** Tokens ended with DELETE /v1/sessions/current → when the revocation may be forgotten. */
  private readonly revoked = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;
  private ownership?: LinkOwnership;
  private readonly created = new Set<(link: Link, token: string) => void>();

  constructor(
    private readonly soap: SoapClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(config.linkIdleMs / 2, 30_000));
    this.sweeper.unref();
  }

  /** Cluster mode: links come from claims (see `install`), and logout is told to every instance. */
  useOwnership(ownership: LinkOwnership): void {
    this.ownership = ownership;
  }

  /** Told of every link this instance creates (in cluster mode: the links it owns), before it is used. */
  onLinkCreated(handler: (link: Link, token: string) => void): void {
    this.created.add(handler);
  }

  /** The token's link, created on first use. Refuses revoked tokens. */
  acquire(token: string): Link {
    const key = tokenKey(token);
    if (this.isRevoked(key)) throw ProblemException.unauthorized('This session has ended.');
    const existing = this.links.get(key);
    if (existing && !existing.isClosed) return existing;
    // Admission claimed the link before the request got here; it has ended since.
    if (this.ownership) throw clusterUnavailable('The session of this token is changing hands; retry.');
    return this.install(token);
  }

  /** Creates the token's link (with a shared journal, or carrying on a session, in cluster mode). */
  install(token: string, options: Pick<LinkOptions, 'journal' | 'resume'> = {}): Link {
    const key = tokenKey(token);
    if (this.links.size >= this.config.maxLinks) this.evictIdle();
    if (this.links.size >= this.config.maxLinks) {
      throw new UpstreamError('unavailable', 'upstream.UNAVAILABLE', 'too many upstream sessions are open');
    }
    const link = new Link(token, this.soap, {
      ...options,
      longPollWaitMs: this.config.longPollWaitMs,
      longPollMarginMs: LONG_POLL_MARGIN_MS,
      userAgent: this.config.userAgent,
      eventLog: { maxEvents: this.config.eventLogSize, maxAgeMs: this.config.eventLogMaxAgeMs },
      onLog: (level, message) => (level === 'warn' ? this.logger.warn(message) : this.logger.debug(message)),
    });
    link.onClose(() => {
      if (this.links.get(key) === link) this.links.delete(key);
    });
    this.links.set(key, link);
    for (const handler of this.created) handler(link, token);
    return link;
  }

  /** Logout: ends the upstream session, and refuses the token from now on. */
  async end(token: string): Promise<void> {
    await this.ownership?.revoke(token);
    const key = tokenKey(token);
    this.revoked.set(key, Date.now() + MAX_TOKEN_LIFETIME_MS);
    while (this.revoked.size > MAX_REVOKED) this.revoked.delete(this.revoked.keys().next().value as string);
    await this.links.get(key)?.close();
  }

  isRevoked(key: string): boolean {
    const until = this.revoked.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.revoked.delete(key);
    return false;
  }

  get size(): number {
    return this.links.size;
  }

  /** A new token would be refused: every link is taken and none is idle enough to make room. */
  get isFull(): boolean {
    if (this.links.size < this.config.maxLinks) return false;
    for (const link of this.links.values()) if (link.isIdle) return false;
    return true;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.config.linkIdleMs;
    for (const link of this.links.values()) {
      // A held link polls on for offline delivery until its token ends (logout, or refused upstream).
      if (link.isIdle && !link.isHeld && link.lastActivity < cutoff) void link.close();
    }
  }

  /**
   * Makes room for a new token: the idle link active least recently; one held for offline delivery
   * only when none other is idle, and then the one its clients used least recently.
   */
  private evictIdle(): void {
    let oldest: Link | undefined;
    const older = (a: Link, b: Link) => (a.isHeld ? a.lastUsed < b.lastUsed : a.lastActivity < b.lastActivity);
    for (const link of this.links.values()) {
      if (!link.isIdle) continue;
      if (!oldest || (oldest.isHeld && !link.isHeld) || (oldest.isHeld === link.isHeld && older(link, oldest))) oldest = link;
    }
    if (oldest?.isHeld) this.logger.warn('MAX_LINKS reached: a token with no socket stops getting offline deliveries to make room for a new one');
    void oldest?.close();
  }

  /** After the sockets have been told "going away" (their gateway closes them on module destroy). */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    // In cluster mode the sessions live on: another instance carries them on.
    await Promise.all([...this.links.values()].map((link) => link.close(undefined, !this.ownership)));
  }
}
