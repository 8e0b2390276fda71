import { gatewayListRequest, endSessionRequest, isWaitDisallowed, longPollRequest } from '../im/account';
import { setIdleRequest } from '../im/presence';
import { ProblemException } from '../common/problem';
import type { RequestBody, ResponseContext, SoapResponse } from '../soap/envelope';
import type { CallOptions, SoapClient } from '../soap/soap-client';
import { UpstreamError } from '../soap/upstream-error';
import { attr, XmlNode } from '../soap/xml';
import type { ImEvent, LinkEvent } from './events';
import type { EventJournal } from './event-journal';
import { EventLog, EventLogLimits, Replay } from './event-log';
import { IdleChange, IdleClients } from './idle-clients';
import { LinkState } from './link-state';
import { LongPoll } from './long-poll';
import { NotifyIntake, TakenEvent } from './notify-intake';
import { EventOrigin, isLater, Waiters } from './waiters';

export interface LinkOptions {
  longPollWaitMs: number;
  /** Added to the long-poll wait for the HTTP timeout, so the upstream answers before we give up. */
  longPollMarginMs: number;
  userAgent: string;
  eventLog: EventLogLimits;
  /** Where events are kept before their blocks are acknowledged; the in-memory log when absent. */
  journal?: EventJournal;
  /** An upstream session another process had for this token, to carry on (cluster takeover). */
  resume?: LinkResume;
  onLog?: (level: 'warn' | 'debug', message: string) => void;
}

export interface LinkResume {
  sessionId?: string;
  /** The notify seq committed for that session. */
  seq: number;
}

export interface LinkCallOptions extends CallOptions {
  /**
   * Repeat the call once if the upstream session turned out to be gone (the call then ran on a fresh,
   * unregistered session and its effect is unknown). Only for calls that are safe to repeat.
   */
  repeatOnNewSession?: boolean;
  /**
   * A read whose answer is all in the reply (IMGetChat, IMGetRoster's chats): sent without a session,
   * so it neither creates nor touches one (§4) and pending notifications stay queued for the calls
   * that name the session (§5). A burst of reads then cannot turn one lost session into many.
   */
  sessionless?: boolean;
}

export interface AwaitOptions {
  timeoutMs: number;
  /** The error code when the notification does not come in time. */
  timeoutCode: string;
}

/** A reply's response element, and where in the notify sequence the upstream serialised it. */
interface Exchanged {
  body: XmlNode;
  mark: EventOrigin;
}

/** Notifications a call-then-await keeps while its reply is still out (more would be a runaway upstream). */
const MAX_EARLY_CANDIDATES = 32;

type Listener = (event: LinkEvent) => void;

const AUTH_FAILURES = new Set(['service.AUTH_EXPIRED', 'service.AUTH_REQUIRED', 'account.AUTH_FAILED']);

export function isAuthFailure(err: unknown): boolean {
  return err instanceof UpstreamError && AUTH_FAILURES.has(err.code);
}

/**
 * One upstream session per bearer token. Registers the session as an IM listener before anything
 * else, acknowledges notify blocks and turns them into events exactly once (NotifyIntake), keeps
 * exactly one long-poll running while anyone listens or waits, and re-registers (emitting `resync`)
 * when the upstream session is replaced.
 */
export class Link {
  readonly state = new LinkState();
  private readonly intake = new NotifyIntake(this.state, (n, err) =>
    this.options.onLog?.('warn', `unmappable notification of type ${attr(n, 'type')}: ${err.message}`),
  );
  private sessionId?: string;
  private registration?: Promise<void>;
  private readonly listeners = new Set<Listener>();
  /** Listeners that keep the long-poll running without making the link in use (offline delivery). */
  private readonly backgroundListeners = new Set<Listener>();
  /** Sockets of this token open now, on this instance or (cluster mode) any other. */
  private sockets = 0;
  private readonly socketObservers = new Set<(open: number) => void>();
  private readonly waiters = new Waiters();
  private readonly closeHandlers = new Set<(reason: Error | undefined, endedUpstream: boolean) => void>();
  private readonly poll = new LongPoll({
    wanted: () => this.pollWanted,
    pollOnce: (signal) => this.pollOnce(signal),
    isFatal: isAuthFailure,
    onRetry: (err, backoff) => this.options.onLog?.('warn', `long-poll failed (${err.message}); retrying in ${backoff} ms`),
  });
  private inFlight = 0;
  /** The in-memory log, when no other journal was given. */
  private readonly log?: EventLog;
  private readonly journal: EventJournal;
  /** The newest commit asked of the journal, and the newest one done (its seq is what the upstream is acknowledged). */
  private committing: EventOrigin = { session: undefined, seq: 0 };
  private committed: EventOrigin = this.committing;
  /** Commits that are not done yet, in order; never rejects. */
  private commits: Promise<void> = Promise.resolve();
  /** The session this link was to carry on could not be (nothing acknowledged): the first new session is a replacement. */
  private replacesSession = false;
  private readonly idleClients = new IdleClients();
  /** IMSetIdle calls, in order. */
  private idleUpdates: Promise<unknown> = Promise.resolve();
  private closed = false;
  lastActivity = Date.now();
  /** The last call or socket change: what a client did, not the long-poll (which a held link runs on its own). */
  lastUsed = this.lastActivity;

  constructor(
    private readonly token: string,
    private readonly soap: SoapClient,
    private readonly options: LinkOptions,
  ) {
    if (options.journal) this.journal = options.journal;
    else this.journal = this.log = new EventLog(options.eventLog);
    if (options.resume?.sessionId) this.carryOn(options.resume.sessionId, options.resume.seq);
  }

  /**
   * Takes over a session registered by the process that owned the token before: the upstream resends
   * every block after the committed seq (§5). With nothing acknowledged it cannot: an ack of 0 drops
   * every sent block, so the session is ended and the next one starts with `resync`.
   */
  private carryOn(sessionId: string, seq: number): void {
    if (seq <= 0) {
      this.replacesSession = true;
      void this.endUpstreamSession(sessionId);
      return;
    }
    this.sessionId = sessionId;
    this.intake.restart(seq);
    this.committing = this.committed = { session: sessionId, seq };
    this.registration = Promise.resolve();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Nobody listens, waits or calls: the registry may end this link. */
  get isIdle(): boolean {
    return this.listeners.size === 0 && this.waiters.size === 0 && this.inFlight === 0;
  }

  /**
   * A background listener keeps the link polling while nobody uses it (offline delivery): the idle
   * sweep leaves it alone, but it may still make room when every link is taken.
   */
  get isHeld(): boolean {
    return this.backgroundListeners.size > 0;
  }

  /** Sockets of this token open now (told by clientConnected/clientDisconnected), wherever they are. */
  get openSockets(): number {
    return this.sockets;
  }

  /** Called with the number of open sockets each time it changes. */
  onSocketsChanged(observer: (open: number) => void): void {
    this.socketObservers.add(observer);
  }

  get currentSessionId(): string | undefined {
    return this.sessionId;
  }

  /** Runs one upstream request on this link's registered session and returns the response element. */
  async call(body: RequestBody, options: LinkCallOptions = {}): Promise<XmlNode> {
    if (options.sessionless) return this.callWithoutSession(body, options);
    return (await this.callMarked(body, options)).body;
  }

  /**
   * Runs a call whose answer the upstream delivers later as a notification (IMGetPrivacyList,
   * §12.10), and resolves with the first event `select` maps to a value from a block newer than
   * the call's reply. A matching notification queued before the upstream serialised that reply is
   * stale (it reflects the state before the call): it travels in a block no newer than the reply's
   * newest, in the reply itself or in a concurrent one, possibly processed before the reply. What
   * is posted after the reply lands in a later block (§5).
   */
  async callThenAwait<T>(
    body: RequestBody,
    select: (event: ImEvent) => T | undefined,
    options: AwaitOptions & LinkCallOptions,
  ): Promise<T> {
    const { timeoutMs, timeoutCode, ...callOptions } = options;
    let mark: EventOrigin | undefined;
    // Matches taken before the reply is in: whether they are stale is known only then.
    const early: { value: T; origin: EventOrigin }[] = [];
    const waiting = this.waiters.add<T>(
      (event, origin) => {
        const value = select(event);
        if (value === undefined) return undefined;
        if (mark) return isLater(origin, mark) ? value : undefined;
        if (early.length < MAX_EARLY_CANDIDATES) early.push({ value, origin });
        return undefined;
      },
      timeoutMs,
      timeoutCode,
    );
    try {
      mark = (await this.callMarked(body, callOptions)).mark;
    } catch (err) {
      waiting.cancel();
      throw err;
    }
    const fresh = early.find((candidate) => isLater(candidate.origin, mark!));
    if (fresh) {
      waiting.cancel();
      return fresh.value;
    }
    return waiting.promise;
  }

  private callMarked(body: RequestBody, options: LinkCallOptions): Promise<Exchanged> {
    return this.counted(async () => {
      await this.ensureRegistered();
      const sessionBefore = this.sessionId;
      const result = await this.exchange(body, options);
      this.poll.wake();
      if (options.repeatOnNewSession && this.sessionId !== sessionBefore) {
        await this.ensureRegistered();
        return await this.exchange(body, options);
      }
      return result;
    });
  }

  private callWithoutSession(body: RequestBody, options: CallOptions): Promise<XmlNode> {
    return this.counted(async () =>
      this.replyBody(await this.soap.call({ authToken: this.token, userAgent: { name: this.options.userAgent } }, body, options)),
    );
  }

  /**
   * Runs a call counted as in flight (the link is not idle meanwhile). While calls are in flight a new
   * waiter leaves the long-poll to them (see waitFor): when the last one ends, it starts for the
   * waiters their replies did not satisfy.
   */
  private async counted<T>(call: () => Promise<T>): Promise<T> {
    this.assertOpen();
    this.inFlight++;
    this.lastActivity = this.lastUsed = Date.now();
    try {
      return await call();
    } finally {
      this.inFlight--;
      this.lastActivity = Date.now();
      if (this.inFlight === 0) this.poll.start();
    }
  }

  /** Registers the session now (a socket wants to know the token is good before it says `ready`). */
  async open(): Promise<void> {
    this.assertOpen();
    await this.ensureRegistered();
  }

  /**
   * Subscribes to this link's events; the long-poll runs while at least one listener or waiter exists
   * (a wait already parked when the last one leaves runs out rather than being cut, see LongPoll).
   */
  subscribe(listener: Listener, options: { background?: boolean } = {}): () => void {
    this.assertOpen();
    const set = options.background ? this.backgroundListeners : this.listeners;
    set.add(listener);
    this.poll.start();
    return () => {
      set.delete(listener);
      this.lastActivity = Date.now();
    };
  }

  /** One client reports idle or back; the upstream hears of it only when the combined state changes. */
  setClientIdle(clientId: string, idle: boolean, idleSeconds: number): Promise<void> {
    return this.tellIdle(this.idleClients.report(clientId, idle, idleSeconds));
  }

  /** A socket of `clientId` came or went: an active client keeps the user from being idle. */
  clientConnected(clientId: string): void {
    this.socketsChanged(+1);
    this.tellIdle(this.idleClients.connected(clientId)).catch(() => undefined);
  }

  clientDisconnected(clientId: string): void {
    if (this.sockets > 0) this.socketsChanged(-1);
    if (!this.closed) this.tellIdle(this.idleClients.disconnected(clientId)).catch(() => undefined);
  }

  private socketsChanged(by: number): void {
    this.sockets += by;
    this.lastUsed = Date.now();
    for (const observer of this.socketObservers) observer(this.sockets);
  }

  private tellIdle(change: IdleChange | undefined): Promise<void> {
    if (!change) return Promise.resolve();
    const update = this.idleUpdates.then(() => this.call(setIdleRequest(change.idle, change.idleSeconds), { repeatOnNewSession: true }));
    this.idleUpdates = update.catch((err: Error) => this.options.onLog?.('warn', `IMSetIdle failed: ${err.message}`));
    return update.then(() => undefined);
  }

  /** The events after `afterId` from the in-memory log, or a gap when some of them are gone. */
  replay(afterId: string): Replay {
    return this.memoryLog.since(afterId);
  }

  /** The id of the newest event published (a new client's starting point), or null. */
  get lastEventId(): string | null {
    return this.memoryLog.lastId;
  }

  /** Replays come from the in-memory log; with a shared journal, sockets read the shared log instead. */
  private get memoryLog(): EventLog {
    if (!this.log) throw new Error('this link keeps its events in a shared journal: replay from there');
    return this.log;
  }

  /**
   * Waits for the first event that `select` maps to a value. Register the waiter *before* the call
   * that triggers the notification: it may arrive in that call's own response header.
   */
  waitFor<T>(select: (event: ImEvent) => T | undefined, timeoutMs: number, timeoutCode: string): {
    promise: Promise<T>;
    cancel: () => void;
  } {
    this.assertOpen();
    const waiting = this.waiters.add(select, timeoutMs, timeoutCode);
    // The awaited notification usually comes in the reply to the call the caller makes next: start
    // the long-poll only if that call is not under way, or (see call) still unanswered when it ends.
    setImmediate(() => {
      if (this.inFlight === 0) this.poll.start();
    });
    return waiting;
  }

  /** `endedUpstream`: the upstream session was ended too (nobody can carry it on). */
  onClose(handler: (reason: Error | undefined, endedUpstream: boolean) => void): void {
    this.closeHandlers.add(handler);
  }

  /** Ends the link; with `endUpstream`, also the upstream session (best effort). */
  async close(reason?: Error, endUpstream = true): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poll.stop();
    this.waiters.rejectAll(reason ?? UpstreamError.unavailable('the session ended'));
    this.listeners.clear();
    this.backgroundListeners.clear();
    for (const handler of this.closeHandlers) handler(reason, endUpstream && this.sessionId !== undefined);
    if (endUpstream && this.sessionId) await this.endUpstreamSession(this.sessionId);
  }

  /** Ends an upstream session (best effort): ours on close, or an orphan a lost session left behind. */
  private endUpstreamSession(session: string): Promise<void> {
    return this.soap
      .call({ authToken: this.token, session }, endSessionRequest())
      .then(
        () => undefined,
        (err: Error) => this.options.onLog?.('debug', `EndSession failed: ${err.message}`),
      );
  }

  // ---- the session ----------------------------------------------------------------------------

  private ensureRegistered(): Promise<void> {
    if (!this.registration) {
      this.registration = this.exchange(gatewayListRequest(), {}, true).then(
        () => undefined,
        (err: unknown) => {
          this.registration = undefined;
          throw err;
        },
      );
    }
    return this.registration;
  }

  private async exchange(body: RequestBody, options: CallOptions, registering = false): Promise<Exchanged> {
    const sentSession = this.sessionId;
    // Only what is committed is acknowledged: the upstream resends the rest, to us or to a survivor.
    const sentAck = this.committed.session === sentSession ? this.committed.seq : 0;
    const response = await this.soap.call(
      { authToken: this.token, session: sentSession ?? 'new', notifySeq: sentAck, userAgent: { name: this.options.userAgent } },
      body,
      options,
    );
    if (response.context && !this.closed) {
      const committing = this.absorb(response.context, sentSession, registering);
      if (committing) await committing;
    }
    return { body: this.replyBody(response), mark: replyMark(response.context, sentSession, sentAck) };
  }

  /** The response element, or the fault thrown (a dead token ends the link). */
  private replyBody(response: SoapResponse): XmlNode {
    if (response.fault) {
      if (isAuthFailure(response.fault)) void this.close(response.fault, false);
      throw response.fault;
    }
    if (!response.body) throw UpstreamError.badResponse('upstream reply has no body');
    return response.body;
  }

  /**
   * Takes a response header in: session changes first, then every new notify block in seq order.
   * Returns the commit to wait for when the journal is asynchronous.
   */
  private absorb(context: ResponseContext, sentSession: string | undefined, registering: boolean): Promise<void> | undefined {
    // A reply to a request sent on a session we have already replaced belongs to an orphan: ignore it.
    // If the upstream made a session for that request too (each request on a lost session gets one),
    // end it now: the upstream keeps at most 5 per account, and idle orphans would push out the
    // sessions of the account's other links (least recently used first) until one is evicted.
    if (sentSession !== this.sessionId) {
      if (context.sessionId !== undefined && context.sessionId !== sentSession && context.sessionId !== this.sessionId) {
        void this.endUpstreamSession(context.sessionId);
      }
      return undefined;
    }
    const newSession = context.sessionId !== undefined && context.sessionId !== this.sessionId;
    const lost = (this.sessionId !== undefined || this.replacesSession) && (newSession || context.refresh);
    if (newSession) {
      this.sessionId = context.sessionId;
      this.replacesSession = false;
      this.intake.restart();
    }
    const taken: TakenEvent[] = [];
    if (lost) {
      this.options.onLog?.('warn', 'upstream session replaced; re-registering');
      taken.push(this.intake.admit({ type: 'resync', data: { reason: 'upstream_session' } }));
    }
    for (const event of this.intake.take(context.notify)) taken.push(event);
    const committing = this.commit(taken);
    // The registration call itself ran on the new session; anything else needs it registered again
    // (after the blocks above, so the registration acknowledges them).
    if (lost && !registering) {
      this.registration = undefined;
      void this.ensureRegistered().catch(() => undefined);
    }
    if (lost) this.tellIdle(this.idleClients.sessionReplaced()).catch(() => undefined);
    return committing;
  }

  /**
   * Hands the new events to the journal with the seq they bring the acknowledgement to, then
   * delivers them. A reply that brought nothing new still waits for the commits under way: its caller
   * sees what the blocks it carried meant. A failed commit ends the link without ending the upstream
   * session: nothing after the last commit was acknowledged, so whoever carries the session on gets
   * those blocks again.
   */
  private commit(taken: TakenEvent[]): Promise<void> | undefined {
    const origin: EventOrigin = { session: this.sessionId, seq: this.intake.highestSeq };
    if (taken.length === 0 && origin.session === this.committing.session && origin.seq === this.committing.seq) {
      return this.committed === this.committing ? undefined : this.commits;
    }
    this.committing = origin;
    const fresh = taken.filter((t) => t.isNew).map((t) => t.event);
    const kept = this.journal.commit(fresh, { session: origin.session, seq: origin.seq, state: this.state });
    if (!(kept instanceof Promise)) {
      this.deliver(taken, kept, origin);
      return undefined;
    }
    const done = this.commits.then(() => kept).then((published) => {
      if (!this.closed) this.deliver(taken, published, origin);
    });
    this.commits = done.catch((err: Error) => {
      this.options.onLog?.('warn', `events could not be committed (${err.message}); the link ends, its session stays for whoever carries it on`);
      void this.close(err, false);
    });
    return done;
  }

  /** New events go to the listeners; waiters see repetitions too (an unchanged roster answers a read). */
  private deliver(taken: TakenEvent[], published: readonly LinkEvent[], origin: EventOrigin): void {
    this.committed = origin;
    let next = 0;
    for (const { event, seq, isNew } of taken) {
      if (isNew) {
        const numbered = published[next++];
        for (const listeners of [this.listeners, this.backgroundListeners]) {
          for (const listener of listeners) {
            try {
              listener(numbered);
            } catch (err) {
              this.options.onLog?.('warn', `event listener failed: ${(err as Error).message}`);
            }
          }
        }
      }
      this.waiters.offer(event, { session: origin.session, seq });
    }
  }

  // ---- the long-poll --------------------------------------------------------------------------

  private get pollWanted(): boolean {
    return !this.closed && (this.listeners.size > 0 || this.backgroundListeners.size > 0 || this.waiters.size > 0);
  }

  private async pollOnce(signal: AbortSignal): Promise<boolean> {
    await this.ensureRegistered();
    const { body } = await this.exchange(longPollRequest(this.options.longPollWaitMs), {
      timeoutMs: this.options.longPollWaitMs + this.options.longPollMarginMs,
      signal,
    });
    this.lastActivity = Date.now();
    return isWaitDisallowed(body);
  }

  private assertOpen(): void {
    // Our answer, not the upstream's: the link ended (logout, or the token died).
    if (this.closed) throw ProblemException.unauthorized('This session has ended.');
  }
}

/**
 * Where the upstream serialised a reply in its notify sequence: its newest block (the newest sent
 * batch is always written, §5), or, with none, the ack we sent (nothing newer existed then).
 */
function replyMark(context: ResponseContext | undefined, sentSession: string | undefined, sentAck: number): EventOrigin {
  const blocks = context?.notify ?? [];
  const session = context?.sessionId ?? sentSession;
  if (blocks.length) return { session, seq: blocks[blocks.length - 1].seq };
  return { session, seq: session === sentSession ? sentAck : 0 };
}
