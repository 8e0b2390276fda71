import { createHash } from 'node:crypto';

/**
 * Every key and channel the cluster uses. A token's keys share the hash tag `{t}` (a hash of the
 * token, never the token itself), so a token's keys stay together and scripts may touch them at once.
 */
export class ClusterKeys {
  constructor(private readonly prefix: string) {}

  /** The tag of a token: 22 base64url characters of its SHA-256 (132 bits). */
  static tagOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url').slice(0, 22);
  }

  /** Hash: owner, gen (fence), epoch, n (last event number), seq (acknowledged notify seq), sid, tok. */
  link(tag: string): string {
    return `${this.prefix}{${tag}}:link`;
  }

  /** Stream: entry `<n>-0` holds event n of the token's log. */
  log(tag: string): string {
    return `${this.prefix}{${tag}}:log`;
  }

  /** Hash: thread → the last message seq and the address its messages go to. */
  chats(tag: string): string {
    return `${this.prefix}{${tag}}:chats`;
  }

  /** Channel: committed events and notes about the token. */
  events(tag: string): string {
    return `${this.prefix}{${tag}}:ev`;
  }

  /** String: set when the token was logged out. */
  revoked(tag: string): string {
    return `${this.prefix}{${tag}}:rv`;
  }

  /** String: the token's request count in the current rate window. */
  tokenRate(tag: string): string {
    return `${this.prefix}{${tag}}:rl`;
  }

  /** Hash: thread → the seq up to which the token's reader has read it. */
  readMarkers(tag: string): string {
    return `${this.prefix}{${tag}}:read`;
  }

  /** String: an Idempotency-Key of the token, with its request's fingerprint and answer. */
  idempotency(tag: string, key: string): string {
    return `${this.prefix}{${tag}}:idem:${key}`;
  }

  /** String: a client address's request count in the current rate window. */
  addressRate(address: string): string {
    return `${this.prefix}ip:${address}:rl`;
  }

  /** Sorted set: instance → lease deadline (ms, Redis clock). */
  get instances(): string {
    return `${this.prefix}instances`;
  }

  /** Set: the tags of the tokens an instance owns. */
  ownedBy(instance: string): string {
    return `${this.prefix}inst:{${instance}}:links`;
  }

  /** Channel: an instance's inbox (forwarded requests, replies, notes). */
  inbox(instance: string): string {
    return `${this.prefix}inst:{${instance}}`;
  }
}
