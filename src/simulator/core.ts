import { AccountDirectory } from './accounts';
import { Chaos } from './chaos';
import { SimClock } from './clock';
import { FaultInjector } from './fault-injection';
import { Conversations } from './im/conversations';
import { GatewayService } from './im/gateways';
import { ImService } from './im/im-service';
import { PrivacyService } from './im/privacy-service';
import { NoopWaits } from './noop-waits';
import type { ResolvedOptions } from './options';
import { RequestLog } from './request-log';
import { SessionManager } from './sessions';
import { TokenService } from './tokens';

/** All simulator state, wired together; shared by the engine, the handlers and the control API. */
export class SimulatorCore {
  readonly clock = new SimClock();
  readonly accounts: AccountDirectory;
  readonly tokens: TokenService;
  readonly im: ImService;
  readonly privacy: PrivacyService;
  readonly gateways: GatewayService;
  readonly conversations: Conversations;
  readonly sessions: SessionManager;
  readonly waits: NoopWaits;
  readonly log = new RequestLog();
  readonly faults = new FaultInjector();
  readonly chaos?: Chaos;
  private readonly sweeper: NodeJS.Timeout;
  private readonly stopAdvanceHook: () => void;

  constructor(readonly options: ResolvedOptions) {
    this.accounts = new AccountDirectory(options.defaultDomain);
    if (options.chaos) this.chaos = new Chaos(options.chaos);
    for (const a of options.accounts) this.accounts.add(a.address, a.password);
    this.tokens = new TokenService(options.tokenLifetimeMs);
    this.im = new ImService(this.accounts, options.rosterDelayMs);
    this.privacy = new PrivacyService(options.privacyDelayMs);
    this.gateways = new GatewayService(this.im, this.clock, options.gatewayConnectDelayMs);
    // Connecting asks for the privacy lists right after the roster (§4).
    this.im.onRosterArrived = (persona) => this.privacy.fetch(persona);
    this.conversations = new Conversations(this.im, this.accounts, this.clock, {
      flushMs: options.chatFlushMs,
      closeMs: options.chatCloseMs,
    });
    // A session's end is the only way a listener goes away (§4).
    this.sessions = new SessionManager(
      this.clock,
      { idleMs: options.sessionIdleMs, maxPerAccount: options.maxSessionsPerAccount },
      (session) => this.im.unregisterListener(session),
    );
    this.waits = new NoopWaits(options.maxParkedNoops);
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs);
    this.sweeper.unref();
    this.stopAdvanceHook = this.clock.onAdvance(() => this.sweep());
  }

  /** Session idle expiry, then chat auto-close (§4, §11). */
  private sweep(): void {
    this.sessions.sweep();
    this.conversations.sweep();
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.stopAdvanceHook();
    this.waits.releaseAll();
    this.im.stop();
    this.privacy.stop();
    this.gateways.stop();
  }
}
