import type { ChaosOptions } from './chaos';

/** Start-up options of the simulator, with the real server's defaults where the spec gives one. */
export interface SimulatorAccount {
  address: string;
  password: string;
}

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  accounts?: SimulatorAccount[];
  /** Domain a bare local part resolves through (§11); defaults to the first account's domain. */
  defaultDomain?: string;
  /** Delay between a persona going online and its XMPP roster "arriving" (§4, §12.1). */
  rosterDelayMs?: number;
  /** Delay of an XMPP privacy-list round trip before its `privacy` notification (§12.10). */
  privacyDelayMs?: number;
  /** Delay between a gateway's trying_to_connect and the outcome of the attempt (§12.12). */
  gatewayConnectDelayMs?: number;
  /** Session idle expiry; the real server uses 600 s (§4). */
  sessionIdleMs?: number;
  /** How often the session sweeper runs on real time; the real server runs it once a minute. */
  sweepIntervalMs?: number;
  /** Max SOAP sessions per account before LRU eviction (§4). */
  maxSessionsPerAccount?: number;
  /** Auth token lifetime; zimbraAuthTokenLifetime defaults to 2 days (§7). */
  tokenLifetimeMs?: number;
  /** NoOp timeout clamp [min, max] in ms; the real server uses [30 000, 1 200 000] (§6). */
  noopTimeoutClampMs?: [number, number];
  /** NoOp timeout when the request sends none (§6). */
  noopDefaultTimeoutMs?: number;
  /** Upper bound on NoOps parked at once; beyond it a wait returns at once. */
  maxParkedNoops?: number;
  /** Request body cap in bytes. */
  maxBodyBytes?: number;
  /** zimbra_im_chat_flush_time: a chat is saved this long after a stored message (§11; 300 s, floor 1 s). */
  chatFlushMs?: number;
  /** zimbra_im_chat_close_time: then auto-closed this much later, emitting chatclosed (§11; 3600 s, floor 60 s). */
  chatCloseMs?: number;
  /** Seeded misbehaviour within what the upstream or its network can do (chaos.ts); off when absent. */
  chaos?: ChaosOptions;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'accounts' | 'defaultDomain' | 'port' | 'host' | 'chaos'>> & {
  port: number;
  host: string;
  accounts: SimulatorAccount[];
  defaultDomain?: string;
  chaos?: ChaosOptions;
};

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const clamp = options.noopTimeoutClampMs ?? [30_000, 1_200_000];
  if (clamp[0] > clamp[1]) throw new RangeError('noopTimeoutClampMs must be [min, max]');
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    accounts: options.accounts ?? [],
    defaultDomain: options.defaultDomain,
    rosterDelayMs: options.rosterDelayMs ?? 200,
    privacyDelayMs: options.privacyDelayMs ?? 20,
    gatewayConnectDelayMs: options.gatewayConnectDelayMs ?? 30,
    sessionIdleMs: options.sessionIdleMs ?? 600_000,
    sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
    maxSessionsPerAccount: options.maxSessionsPerAccount ?? 5,
    tokenLifetimeMs: options.tokenLifetimeMs ?? 2 * 24 * 3600_000,
    noopTimeoutClampMs: clamp,
    noopDefaultTimeoutMs: options.noopDefaultTimeoutMs ?? 300_000,
    maxParkedNoops: options.maxParkedNoops ?? 1000,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    chatFlushMs: options.chatFlushMs ?? 300_000,
    chatCloseMs: options.chatCloseMs ?? 3_600_000,
    chaos: options.chaos,
  };
}
