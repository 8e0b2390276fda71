import type { XmlNode } from '../../soap/xml';
import type { Account } from '../accounts';
import type { SimClock } from '../clock';
import type { ImService } from './im-service';

/** Interop gateways the simulated server offers (§12.11). */
export const GATEWAY_TYPES = ['aim', 'icq', 'msn', 'yahoo'] as const;
export type GatewayType = (typeof GATEWAY_TYPES)[number];

export const isGatewayType = (value: string): value is GatewayType => (GATEWAY_TYPES as readonly string[]).includes(value);

/** §12.11 states; `start` exists but is never reported (§13.10). */
export type GatewayState = 'bad_auth' | 'intentionally_offline' | 'disabled' | 'online' | 'shutdown' | 'start' | 'trying_to_connect';

export interface GatewayRegistration {
  type: GatewayType;
  name: string;
  password: string;
  /** As last reported in a gwStatus notification. */
  state: GatewayState;
  /** Simulated time of the next connect attempt, when one is pending. */
  dueAt?: number;
  /** The pending attempt is a scheduled reconnect (shown as timeUntilNextConnect). */
  retry: boolean;
  timer?: NodeJS.Timeout;
}

/** §13.10. The delay is a string attribute here (a number in IMGatewayList, §9). */
export function gwStatusN(type: GatewayType, state: GatewayState, timeUntilNextConnect?: number): XmlNode {
  const n: XmlNode = { '@_type': 'gwStatus', '@_service': type, '@_state': state };
  if (timeUntilNextConnect !== undefined) n['@_timeUntilNextConnect'] = String(timeUntilNextConnect);
  return n;
}

export function otherLocationN(type: GatewayType, username: string): XmlNode {
  return { '@_type': 'otherLocation', '@_service': type, '@_username': username };
}

/**
 * Gateway registrations per account and their connection state machine (§12.12, §13.10):
 * reg → trying_to_connect → online | bad_auth; scripted disconnects schedule a reconnect on the
 * simulator clock; "logged in elsewhere" disables until op=reconnect. Registrations live on the
 * server, not the connection, so they survive the persona going offline; notifications only
 * reach current listeners.
 */
export class GatewayService {
  private readonly regs = new Map<string, Map<GatewayType, GatewayRegistration>>();
  private readonly owners = new Map<string, Account>();
  /** The "remote network's" passwords, `type:name` → password; unset means anything but `wrong`. */
  private readonly remotePasswords = new Map<string, string>();
  private readonly stopAdvanceHook: () => void;

  constructor(private readonly im: ImService, private readonly clock: SimClock, private readonly connectDelayMs: number) {
    this.stopAdvanceHook = clock.onAdvance(() => this.runDue());
  }

  list(account: Account): GatewayRegistration[] {
    return [...(this.regs.get(account.id)?.values() ?? [])];
  }

  get(account: Account, type: GatewayType): GatewayRegistration | undefined {
    return this.regs.get(account.id)?.get(type);
  }

  /** op=reg: replaces any registration of that type and starts connecting. */
  register(account: Account, type: GatewayType, name: string, password: string): void {
    this.unregister(account, type);
    let own = this.regs.get(account.id);
    if (!own) this.regs.set(account.id, (own = new Map()));
    this.owners.set(account.id, account);
    const reg: GatewayRegistration = { type, name, password, state: 'trying_to_connect', retry: false };
    own.set(type, reg);
    this.connectSoon(account, reg);
  }

  /** Any op other than reg/reconnect. No notification: the registration just disappears. */
  unregister(account: Account, type: GatewayType): void {
    const reg = this.get(account, type);
    if (!reg) return;
    this.cancel(reg);
    this.regs.get(account.id)?.delete(type);
  }

  /** op=reconnect: retries now, re-enabling a disabled registration. Nothing without a registration. */
  reconnect(account: Account, type: GatewayType): void {
    const reg = this.get(account, type);
    if (reg) this.connectSoon(account, reg);
  }

  setRemotePassword(type: GatewayType, name: string, password: string): void {
    this.remotePasswords.set(`${type}:${name}`, password);
  }

  /** The remote network dropped the link; a reconnect is scheduled `retryInMs` ahead on the simulator clock. */
  disconnect(account: Account, type: GatewayType, retryInMs: number): void {
    const reg = this.required(account, type);
    this.cancel(reg);
    this.schedule(account, reg, retryInMs, true);
    this.report(account, reg, 'trying_to_connect', retryInMs);
  }

  /** The remote account logged in somewhere else: otherLocation, then the registration is disabled. */
  loggedInElsewhere(account: Account, type: GatewayType): void {
    const reg = this.required(account, type);
    this.cancel(reg);
    this.im.persona(account).postToListeners(otherLocationN(type, reg.name));
    this.report(account, reg, 'disabled');
  }

  /** Runs every connect attempt whose time has come (the clock was advanced). */
  runDue(): void {
    const now = this.clock.now();
    for (const [accountId, own] of this.regs) {
      for (const reg of own.values()) {
        if (reg.dueAt !== undefined && reg.dueAt <= now) this.attempt(this.owners.get(accountId)!, reg);
      }
    }
  }

  stop(): void {
    this.stopAdvanceHook();
    for (const own of this.regs.values()) for (const reg of own.values()) this.cancel(reg);
  }

  private required(account: Account, type: GatewayType): GatewayRegistration {
    const reg = this.get(account, type);
    if (!reg) throw new Error(`${account.name} has no ${type} gateway registration`);
    return reg;
  }

  private connectSoon(account: Account, reg: GatewayRegistration): void {
    this.cancel(reg);
    this.schedule(account, reg, this.connectDelayMs, false);
    this.report(account, reg, 'trying_to_connect');
  }

  private schedule(account: Account, reg: GatewayRegistration, inMs: number, retry: boolean): void {
    reg.dueAt = this.clock.now() + inMs;
    reg.retry = retry;
    reg.timer = setTimeout(() => this.attempt(account, reg), inMs);
    reg.timer.unref();
  }

  private cancel(reg: GatewayRegistration): void {
    clearTimeout(reg.timer);
    reg.timer = undefined;
    reg.dueAt = undefined;
    reg.retry = false;
  }

  private attempt(account: Account, reg: GatewayRegistration): void {
    // Unregistered or replaced meanwhile.
    if (this.get(account, reg.type) !== reg) return;
    this.cancel(reg);
    const expected = this.remotePasswords.get(`${reg.type}:${reg.name}`);
    const ok = expected === undefined ? reg.password !== 'wrong' : reg.password === expected;
    this.report(account, reg, ok ? 'online' : 'bad_auth');
  }

  private report(account: Account, reg: GatewayRegistration, state: GatewayState, timeUntilNextConnect?: number): void {
    reg.state = state;
    this.im.persona(account).postToListeners(gwStatusN(reg.type, state, timeUntilNextConnect));
  }
}
