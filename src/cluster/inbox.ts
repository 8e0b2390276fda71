import { randomUUID } from 'node:crypto';
import type { ClusterKeys } from './keys';
import type { RedisConnection } from './redis';
import type { Sealer } from './sealed';

/** What a handler is given: the sender's payload and the sender's instance id. */
export type InboxHandler = (payload: unknown, from: string) => Promise<unknown> | unknown;

export interface InboxOptions {
  /** Requests awaiting a reply; one more is refused at once (InboxBusy) rather than piling up. */
  maxPending?: number;
  /**
   * A request or note older than this (by the sender's clock), or dated this far ahead, is dropped;
   * ids seen within it are remembered so a copied message cannot be played again. It must cover
   * the clock skew between instances.
   */
  replayWindowMs?: number;
}

/** The fields of an error thrown by a remote handler, as they travelled. */
export interface RemoteErrorFields {
  name: string;
  message: string;
  /** Any other own field of the error that survives JSON (e.g. `status`, `code`, `response`). */
  [field: string]: unknown;
}

/** Every rejection of `request` that comes from the inbox itself (Redis errors pass through as they are). */
export class InboxError extends Error {
  constructor(
    message: string,
    readonly to: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Nobody listens on the target's inbox: that instance is gone (or never was). */
export class InboxUnreachable extends InboxError {
  constructor(to: string, kind: string) {
    super(`no instance listens on the inbox of ${to} (${kind})`, to, kind);
  }
}

/** The target received the request but no reply came in time. */
export class InboxTimeout extends InboxError {
  constructor(
    to: string,
    kind: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply from ${to} to ${kind} within ${timeoutMs} ms`, to, kind);
  }
}

/** The target's handler failed (or it has none for the kind); `remote` holds what it threw. */
export class InboxRemoteError extends InboxError {
  constructor(
    to: string,
    kind: string,
    readonly remote: RemoteErrorFields,
  ) {
    super(`${to} failed ${kind}: ${remote.name}: ${remote.message}`, to, kind);
  }
}

/** Too many requests await replies (maxPending). */
export class InboxBusy extends InboxError {
  constructor(to: string, kind: string, maxPending: number) {
    super(`${maxPending} requests already await replies; ${kind} to ${to} refused`, to, kind);
  }
}

/** The inbox is not started, or was stopped while the request waited. */
export class InboxStopped extends InboxError {
  constructor(to: string, kind: string) {
    super(`the inbox is stopped; ${kind} to ${to} abandoned`, to, kind);
  }
}

/** The name a target's handler-less reply carries. */
export const NO_HANDLER = 'InboxNoHandler';

const DEFAULT_MAX_PENDING = 10_000;
const DEFAULT_REPLAY_WINDOW_MS = 30_000;
/** Remembered ids are bounded too: past this the oldest go first (a flood cannot grow memory). */
const MAX_REMEMBERED_IDS = 200_000;

/** A request, or a note (`oneWay`: nobody waits for a reply). */
interface Envelope {
  id: string;
  oneWay?: true;
  kind: string;
  from: string;
  to: string;
  /** The sender's Date.now(): old copies are refused. */
  at: number;
  payload?: unknown;
}

type Reply = { re: string; ok: true; value?: unknown } | { re: string; ok: false; error: RemoteErrorFields };

interface Pending {
  to: string;
  kind: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply and one-way notes between instances over Redis pub/sub: each instance listens on its
 * own channel (keys.inbox(id)), every message is sealed with CLUSTER_SECRET, and a reply goes to the
 * requester's channel carrying the request id. Pub/sub is at most once, so a request lost in transit
 * (Redis reconnecting) ends as InboxTimeout; PUBLISH counting 0 receivers means the target is gone.
 */
export class Inbox {
  private readonly handlers = new Map<string, InboxHandler>();
  private readonly pending = new Map<string, Pending>();
  /** id → when it stops mattering; insertion order is arrival order, so expiry trims from the front. */
  private readonly seenIds = new Map<string, number>();
  private readonly channel: string;
  private readonly maxPending: number;
  private readonly replayWindowMs: number;
  private started = false;
  private droppedCount = 0;
  private lateCount = 0;
  private readonly listener = (message: string): void => this.receive(message);

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly sealer: Sealer,
    readonly instanceId: string,
    options: InboxOptions = {},
  ) {
    this.channel = keys.inbox(instanceId);
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.replayWindowMs = options.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS;
  }

  /** Messages refused: not sealed with our key, malformed, addressed elsewhere, stale or replayed. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Replies that came after their request had timed out (or was abandoned): ignored. */
  get lateReplies(): number {
    return this.lateCount;
  }

  /** Requests awaiting a reply. */
  get pendingCount(): number {
    return this.pending.size;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.redis.subscribe(this.channel, this.listener);
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(new InboxStopped(waiting.to, waiting.kind));
    }
    try {
      await this.redis.unsubscribe(this.channel, this.listener);
    } catch {
      // Redis unreachable: the subscription ends with the connection anyway.
    }
  }

  handle(kind: string, handler: InboxHandler): void {
    if (this.handlers.has(kind)) throw new Error(`the inbox already has a handler for ${kind}`);
    this.handlers.set(kind, handler);
  }

  request<T>(to: string, kind: string, payload: unknown, timeoutMs: number): Promise<T> {
    if (!this.started) return Promise.reject(new InboxStopped(to, kind));
    if (this.pending.size >= this.maxPending) return Promise.reject(new InboxBusy(to, kind, this.maxPending));
    const id = randomUUID();
    let sealed: string;
    try {
      sealed = this.seal({ id, kind, from: this.instanceId, to, at: Date.now(), payload });
    } catch (err) {
      return Promise.reject(err); // a payload JSON cannot carry (BigInt, a cycle)
    }
    return new Promise<T>((resolve, reject) => {
      // Registered before publishing: the reply may arrive before PUBLISH's own answer does.
      const timer = setTimeout(() => this.settle(id, (w) => w.reject(new InboxTimeout(to, kind, timeoutMs))), timeoutMs);
      this.pending.set(id, { to, kind, resolve: resolve as (value: unknown) => void, reject, timer });
      this.redis.publish(this.keys.inbox(to), sealed).then(
        (receivers) => {
          if (receivers === 0) this.settle(id, (w) => w.reject(new InboxUnreachable(to, kind)));
        },
        (err: Error) => this.settle(id, (w) => w.reject(err)),
      );
    });
  }

  /** A one-way note; true when some instance listens on `to`'s inbox (not that a handler ran). */
  async notify(to: string, kind: string, payload: unknown): Promise<boolean> {
    const sealed = this.seal({ id: randomUUID(), oneWay: true, kind, from: this.instanceId, to, at: Date.now(), payload });
    return (await this.redis.publish(this.keys.inbox(to), sealed)) > 0;
  }

  private seal(message: Envelope | Reply): string {
    return this.sealer.seal(JSON.stringify(message));
  }

  /** Ends a pending request once, whichever of reply, timeout, unreachable or stop comes first. */
  private settle(id: string, end: (waiting: Pending) => void): boolean {
    const waiting = this.pending.get(id);
    if (!waiting) return false;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    end(waiting);
    return true;
  }

  private receive(sealed: string): void {
    if (!this.started) return;
    const message = this.decode(sealed);
    if (message === undefined) {
      this.droppedCount++;
    } else if ('re' in message) {
      const answered = this.settle(message.re, (w) =>
        message.ok ? w.resolve(message.value) : w.reject(new InboxRemoteError(w.to, w.kind, message.error)),
      );
      if (!answered) this.lateCount++;
    } else if (message.to !== this.instanceId || !this.isFresh(message)) {
      this.droppedCount++;
    } else {
      void this.dispatch(message);
    }
  }

  /** The message when it opens with our key and has a request's, note's or reply's shape. */
  private decode(sealed: string): Envelope | Reply | undefined {
    const plain = this.sealer.open(sealed);
    if (plain === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(plain);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const m = value as Record<string, unknown>;
    if (typeof m.re === 'string') {
      if (m.ok === true) return m as Reply;
      const error = m.error as Record<string, unknown> | null | undefined;
      if (m.ok === false && typeof error === 'object' && error !== null && typeof error.name === 'string' && typeof error.message === 'string') {
        return m as Reply;
      }
      return undefined;
    }
    const wellFormed =
      typeof m.kind === 'string' &&
      typeof m.from === 'string' &&
      typeof m.to === 'string' &&
      typeof m.at === 'number' &&
      typeof m.id === 'string' &&
      (m.oneWay === undefined || m.oneWay === true);
    return wellFormed ? (m as unknown as Envelope) : undefined;
  }

  /** Recent by the sender's clock and its id not seen before. */
  private isFresh(message: Envelope): boolean {
    const now = Date.now();
    if (Math.abs(now - message.at) > this.replayWindowMs) return false;
    for (const [id, expires] of this.seenIds) {
      if (expires > now && this.seenIds.size < MAX_REMEMBERED_IDS) break;
      this.seenIds.delete(id);
    }
    const id = message.id;
    if (this.seenIds.has(id)) return false;
    this.seenIds.set(id, now + this.replayWindowMs);
    return true;
  }

  private async dispatch(message: Envelope): Promise<void> {
    const handler = this.handlers.get(message.kind);
    let reply: Reply;
    if (!handler) {
      reply = { re: message.id, ok: false, error: { name: NO_HANDLER, message: `no handler for ${message.kind}` } };
    } else {
      try {
        reply = { re: message.id, ok: true, value: await handler(message.payload, message.from) };
      } catch (err) {
        reply = { re: message.id, ok: false, error: errorFields(err) };
      }
    }
    if (message.oneWay) return; // nobody waits for an answer
    let sealed: string;
    try {
      sealed = this.seal(reply);
    } catch (err) {
      sealed = this.seal({ re: message.id, ok: false, error: errorFields(err) }); // a value JSON cannot carry
    }
    try {
      await this.redis.publish(this.keys.inbox(message.from), sealed);
    } catch {
      // Redis unreachable: the requester times out.
    }
  }
}

/** name, message and every other own field of `err` that survives JSON (e.g. a ProblemException's status and response). */
export function errorFields(err: unknown): RemoteErrorFields {
  if (!(err instanceof Error)) return { name: 'Error', message: typeof err === 'string' ? err : safeJson(err) ?? String(err) };
  const fields: RemoteErrorFields = { name: err.name, message: err.message };
  for (const [field, value] of Object.entries(err)) {
    if (field === 'name' || field === 'message' || field === 'stack' || value instanceof Error) continue;
    const json = safeJson(value);
    if (json !== undefined) fields[field] = JSON.parse(json);
  }
  return fields;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
