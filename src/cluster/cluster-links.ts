import { Logger } from '@nestjs/common';
import { clusterUnavailable } from '../common/problem';
import type { Link } from '../link/link';
import type { LinkRegistry } from '../link/link-registry.service';
import { ClusterJournal, JournalPosition } from './cluster-journal';
import type { RedisEventStore } from './event-store';
import { ClusterKeys } from './keys';
import type { LinkDirectory, LinkRecord } from './link-directory';
import type { ClusterMetrics } from '../metrics/metrics.service';
import type { Membership } from './membership';
import type { RedisConnection } from './redis';

/** A link this instance owns, and the fence and log position it writes under. */
interface Owned {
  link: Link;
  journal: ClusterJournal;
  position: JournalPosition;
}

/** The sockets one instance holds for a token: the owner's link polls while any instance has some. */
interface Watch {
  clients: Map<string, number>;
  stopListening: () => void;
  linger?: NodeJS.Timeout;
}

/** Tries at going where a new token's link was claimed when two instances reached it at once. */
export const MAX_CLAIM_ATTEMPTS = 3;

/** Another instance claimed the token first (two instances reached a new token at once): go to that one. */
export class OwnedElsewhere extends Error {
  constructor() {
    super('another instance holds the session of this token');
  }
}

export interface ClusterLinksOptions {
  instanceId: string;
  /** How long an instance's interest outlives its last socket (EVENTS_LINGER_MS). */
  lingerMs: number;
}

/**
 * The links this instance owns in cluster mode. A link is created only by claiming the token in
 * Redis (the first instance a token reaches owns it; a dead owner's tokens go to a survivor), and
 * carries on the session and log position the record holds. Sockets anywhere keep the owner's link
 * polling by watching it (`watch`); their instance tells the owner when they come and go.
 */
export class ClusterLinks {
  private readonly logger = new Logger('Cluster');
  private readonly owned = new Map<string, Owned>();
  private readonly claims = new Map<string, Promise<Link>>();
  /** tag → instance → its sockets' clients. Kept across link objects, so a rebuilt link is watched again. */
  private readonly watches = new Map<string, Map<string, Watch>>();

  constructor(
    private readonly registry: LinkRegistry,
    private readonly directory: LinkDirectory,
    private readonly membership: Membership,
    private readonly store: RedisEventStore,
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly metrics: ClusterMetrics,
    private readonly options: ClusterLinksOptions,
  ) {}

  get ownedCount(): number {
    return this.owned.size;
  }

  /** The token's link, held here: claimed (or carried on) when this instance does not hold it yet. */
  async ensureLocal(token: string, tag = ClusterKeys.tagOf(token)): Promise<Link> {
    const held = this.owned.get(tag);
    if (held && !held.link.isClosed) return held.link;
    let claim = this.claims.get(tag);
    if (!claim) {
      claim = this.claim(token, tag).finally(() => this.claims.delete(tag));
      this.claims.set(tag, claim);
    }
    return claim;
  }

  private async claim(token: string, tag: string): Promise<Link> {
    if (!this.membership.holdsLease) throw clusterUnavailable('This instance is not in touch with the cluster right now.');
    let record: LinkRecord | null;
    try {
      // A dead owner's token may be taken by whoever needs it, but only by an instance that has been
      // a member for a whole lease (after a Redis outage every lease looks expired for a moment).
      record = await this.directory.claim(tag, token, this.membership.eligibleForTakeover ? 'takeover' : 'free');
    } catch (err) {
      throw clusterUnavailable(`The cluster state cannot be read: ${(err as Error).message}`);
    }
    if (!record) throw new OwnedElsewhere();
    if (record.takenFrom) this.metrics.tookOver(1); // a caller got here before the survivors' scan
    return this.adopt(token, tag, record);
  }

  /** Builds the link from a claimed record: same upstream session, acknowledged seq, log position and chats. */
  async adopt(token: string, tag: string, record: LinkRecord): Promise<Link> {
    const chats = await this.store.chats(tag).catch((err: Error) => {
      throw clusterUnavailable(`The cluster state cannot be read: ${err.message}`);
    });
    const position: JournalPosition = {
      owner: this.options.instanceId,
      gen: record.gen,
      epoch: record.epoch,
      n: record.n,
      session: record.sid,
      seq: record.seq,
    };
    const reinstate = async (lost: JournalPosition): Promise<number | null> => {
      const fields = { gen: lost.gen, epoch: lost.epoch, n: lost.n, seq: lost.seq, sid: lost.session };
      return (await this.directory.reinstate(tag, token, fields)) ? lost.gen + 1 : null;
    };
    const journal = new ClusterJournal(this.store, tag, position, reinstate, () => this.membership.holdsLease, (seconds) => this.metrics.committed(seconds));
    const link = this.registry.install(token, { journal, resume: { sessionId: record.sid, seq: record.seq } });
    for (const [thread, [seq, address]] of chats) link.state.restoreChat(thread, seq, address);
    const owned: Owned = { link, journal, position };
    this.owned.set(tag, owned);
    link.onClose((_reason, endedUpstream) => this.dropped(tag, owned, endedUpstream));
    // Sockets that watched the token's previous link here watch this one.
    for (const watch of this.watches.get(tag)?.values() ?? []) {
      watch.stopListening();
      watch.stopListening = link.subscribe(noop);
      for (const [clientId, sockets] of watch.clients) for (let i = 0; i < sockets; i++) link.clientConnected(clientId);
    }
    void this.redis.publish(this.keys.events(tag), JSON.stringify({ note: 'owner', owner: this.options.instanceId })).catch(() => undefined);
    return link;
  }

  /** A link ended (idle, logout, failed commit): ownership is given back, fenced, so a later claim carries its session on. */
  private dropped(tag: string, owned: Owned, sessionEnded: boolean): void {
    if (this.owned.get(tag) !== owned) return;
    this.owned.delete(tag);
    void this.directory.release(tag, owned.position.gen, sessionEnded).catch(() => undefined);
  }

  // ---- watchers -------------------------------------------------------------------------------

  /** A socket of `clientId` on `instance` follows the token: the link polls, and the client counts as active. */
  watch(tag: string, link: Link, instance: string, clientId: string): void {
    let byInstance = this.watches.get(tag);
    if (!byInstance) this.watches.set(tag, (byInstance = new Map()));
    let watch = byInstance.get(instance);
    if (!watch) byInstance.set(instance, (watch = { clients: new Map(), stopListening: link.subscribe(noop) }));
    clearTimeout(watch.linger);
    watch.linger = undefined;
    watch.clients.set(clientId, (watch.clients.get(clientId) ?? 0) + 1);
    link.clientConnected(clientId);
  }

  /** That socket left; the instance's interest lingers a while after its last one, for a reconnecting client. */
  unwatch(tag: string, instance: string, clientId: string): void {
    const watch = this.watches.get(tag)?.get(instance);
    const count = watch?.clients.get(clientId);
    if (!watch || count === undefined) return;
    if (count > 1) watch.clients.set(clientId, count - 1);
    else watch.clients.delete(clientId);
    this.owned.get(tag)?.link.clientDisconnected(clientId);
    if (watch.clients.size > 0) return;
    watch.linger = setTimeout(() => this.forget(tag, instance), this.options.lingerMs);
    watch.linger.unref();
  }

  /** An instance died: its sockets are gone. */
  dropInstance(instance: string): void {
    for (const tag of [...this.watches.keys()]) this.forget(tag, instance);
  }

  private forget(tag: string, instance: string): void {
    const byInstance = this.watches.get(tag);
    const watch = byInstance?.get(instance);
    if (!byInstance || !watch) return;
    clearTimeout(watch.linger);
    watch.stopListening();
    // A dead instance's sockets are gone: the link counts them no more (idle state, offline delivery).
    const link = this.owned.get(tag)?.link;
    for (const [clientId, sockets] of watch.clients) for (let i = 0; i < sockets; i++) link?.clientDisconnected(clientId);
    byInstance.delete(instance);
    if (byInstance.size === 0) this.watches.delete(tag);
  }

  /** Redis is back: each owned link checks its record is still there (else it starts a new epoch with `resync`). */
  verifyAll(): void {
    for (const { link, journal } of this.owned.values()) journal.verify(link.state).catch(() => undefined);
  }

  // ---- takeover and fencing -------------------------------------------------------------------

  /** Survivors carry on a dead instance's links at once: their sockets re-attach when told of the new owner. */
  async takeOver(dead: string): Promise<number> {
    const taken = await this.directory.takeOver(dead);
    await Promise.all(
      taken.map(async ({ record, token }) => {
        try {
          const link = await this.adopt(token, record.tag, record);
          // Polls at once (the upstream resends what the dead owner did not acknowledge), and for a
          // linger's while, for the sockets that are about to attach.
          const stop = link.subscribe(noop);
          setTimeout(stop, this.options.lingerMs).unref();
        } catch (err) {
          this.logger.warn(`taking over a link of ${dead} failed: ${(err as Error).message}`);
        }
      }),
    );
    return taken.length;
  }

  /** This instance lost its lease: it is no owner any more. Links end without ending their sessions (a survivor has them). */
  fenced(): void {
    const owned = [...this.owned.values()];
    this.owned.clear();
    this.watches.clear();
    for (const { link } of owned) void link.close(clusterUnavailable('This instance lost its lease.'), false);
  }
}

function noop(): void {}
