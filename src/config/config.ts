import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Env, int, url } from './env';
import { WebhookConfig, webhooks } from './webhooks';

/**
 * Typed, validated configuration from the environment. Read once at start-up; a bad value stops the
 * process with a message naming the variable rather than surfacing later as odd behaviour.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** The SOAP endpoint; undefined means "start the embedded simulator". */
  upstreamUrl?: string;
  /** Deadline for a whole ordinary upstream call: sending, the response headers and the whole body. */
  upstreamTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  /** How long the upstream may park our NoOp (it clamps to 30 s .. 20 min); the HTTP wait adds a margin. */
  longPollWaitMs: number;
  /** Waiting for a roster or privacy list that the upstream delivers as a notification. */
  rosterTimeoutMs: number;
  /** A link with no listener, waiter or request for this long ends its upstream session. */
  linkIdleMs: number;
  maxLinks: number;
  /** Events each token keeps for `?after=` resumption: at most this many … */
  eventLogSize: number;
  /** … and none older than this. */
  eventLogMaxAgeMs: number;
  /** A token's last socket closing keeps its link (and log) this long, for a reconnecting client. */
  eventsLingerMs: number;
  /** Server pings; a socket that has not answered the previous ping is dropped. */
  wsPingIntervalMs: number;
  /** A socket whose unsent data passes this is closed with 4008 (the client resumes with ?after=). */
  wsMaxBufferedBytes: number;
  /** Largest client frame accepted. */
  wsMaxPayloadBytes: number;
  /** Per token and per client address, requests per minute; 0 disables. */
  rateLimitPerMinute: number;
  /**
   * Origins (`scheme://host[:port]`) whose pages may call the API and open sockets from a browser;
   * empty = same-origin only (no CORS headers at all, sockets from any origin).
   */
  corsOrigins: string[];
  /** Fastify's trustProxy: which peers' X-Forwarded-For to believe for the client address. */
  trustProxy: TrustProxy;
  maxBodyBytes: number;
  maxUpstreamResponseBytes: number;
  logLevel: string;
  userAgent: string;
  /** How long the answer to an Idempotency-Key is kept for a retry. */
  idempotencyTtlMs: number;
  /** Idempotency keys kept at most (the oldest are forgotten first). */
  idempotencyMaxKeys: number;
  /** Many instances sharing one Redis (see "Running several instances"); undefined = one process, no Redis. */
  cluster?: ClusterConfig;
  /** Serve the browser demo at /demo: on by default with the embedded simulator, off with a real upstream. */
  demo: boolean;
  /** Events of tokens without an open socket POSTed to a receiver ("Offline delivery"); undefined = off. */
  webhooks?: WebhookConfig;
}

export interface ClusterConfig {
  /** `redis://` or `rediss://`. */
  redisUrl: string;
  /** Encrypts the upstream tokens kept in Redis, so a survivor can poll for a user who is not calling. */
  secret: string;
  /** An instance that has not renewed its lease for this long is dead; its links are taken over. */
  leaseMs: number;
  /** How often an instance renews its lease. */
  heartbeatMs: number;
  /** Every key this service writes starts with it. */
  keyPrefix: string;
  /** This instance's name in Redis; new per start unless set. */
  instanceId: string;
}

/** Trust every proxy, the nearest N hops, or peers at these addresses / CIDR ranges; false = none. */
export type TrustProxy = boolean | number | string[];

function rateLimit(env: Env): number {
  const raw = env.RATE_LIMIT;
  if (raw === 'off') return 0;
  return int(env, 'RATE_LIMIT', 600, 1, 1_000_000);
}

/**
 * The origin a browser sends for `raw` (lower-case scheme and host, no default port), or undefined
 * when `raw` is not exactly `scheme://host[:port]`.
 */
export function parseOrigin(raw: string): string | undefined {
  // Nothing after the authority, and no credentials in it: a browser's Origin never has them.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s\\]+$/i.test(raw)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return undefined;
  }
  return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined;
}

function corsOrigins(env: Env): string[] {
  const entries = (env.CORS_ORIGINS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const origins = entries.map((entry) => {
    const origin = parseOrigin(entry);
    if (!origin) {
      throw new Error(`CORS_ORIGINS entries must be origins like https://app.example.com (scheme://host[:port], no path), got "${entry}"`);
    }
    return origin;
  });
  return [...new Set(origins)];
}

/** The named ranges Fastify's trustProxy (proxy-addr) understands besides addresses and CIDRs. */
const TRUST_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function trustProxy(env: Env): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 100);
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !TRUST_PROXY_RANGES.includes(entry) && !isAddressOrCidr(entry));
  if (bad !== undefined) {
    throw new Error(
      `TRUST_PROXY must be true, a hop count (1 to 100) or a comma-separated list of addresses, CIDR ranges or ` +
        `${TRUST_PROXY_RANGES.join('/')}, got "${bad}" in "${raw}"`,
    );
  }
  return entries;
}

const MIN_CLUSTER_SECRET_BYTES = 32;

function cluster(env: Env): ClusterConfig | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const secret = env.CLUSTER_SECRET ?? '';
  if (Buffer.byteLength(secret) < MIN_CLUSTER_SECRET_BYTES) {
    throw new Error(`CLUSTER_SECRET must be set to at least ${MIN_CLUSTER_SECRET_BYTES} bytes when REDIS_URL is set`);
  }
  const leaseMs = int(env, 'CLUSTER_LEASE_MS', 5_000, 500, 600_000);
  const heartbeatMs = int(env, 'CLUSTER_HEARTBEAT_MS', 1_000, 50, 60_000);
  if (heartbeatMs * 2 > leaseMs) throw new Error('CLUSTER_HEARTBEAT_MS must be at most half of CLUSTER_LEASE_MS');
  const keyPrefix = env.REDIS_KEY_PREFIX ?? 'imb:';
  if (!/^[\x21-\x7e]{1,64}$/.test(keyPrefix) || /[{}]/.test(keyPrefix)) {
    throw new Error('REDIS_KEY_PREFIX must be 1 to 64 visible ASCII characters without { or }');
  }
  const instanceId = env.INSTANCE_ID || randomUUID();
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(instanceId)) throw new Error('INSTANCE_ID must be 1 to 64 letters, digits, _ . : -');
  return { redisUrl: raw, secret, leaseMs, heartbeatMs, keyPrefix, instanceId };
}

/** DEMO=on|off; unset: on with the embedded simulator (no UPSTREAM_URL), off in front of a real server. */
function demo(env: Env, upstreamUrl: string | undefined): boolean {
  const raw = env.DEMO?.trim();
  if (!raw) return upstreamUrl === undefined;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new Error(`DEMO must be on or off, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): AppConfig {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const upstreamUrl = url(env, 'UPSTREAM_URL');
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    upstreamUrl,
    upstreamTimeoutMs: int(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 100, 600_000),
    upstreamConnectTimeoutMs: int(env, 'UPSTREAM_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    longPollWaitMs: int(env, 'LONG_POLL_WAIT_MS', 60_000, 1_000, 1_200_000),
    rosterTimeoutMs: int(env, 'ROSTER_TIMEOUT_MS', 5_000, 100, 120_000),
    linkIdleMs: int(env, 'LINK_IDLE_MS', 300_000, 1_000, 86_400_000),
    maxLinks: int(env, 'MAX_LINKS', 10_000, 1, 1_000_000),
    eventLogSize: int(env, 'EVENT_LOG_SIZE', 1_000, 1, 1_000_000),
    eventLogMaxAgeMs: int(env, 'EVENT_LOG_MAX_AGE_MS', 900_000, 1_000, 86_400_000),
    eventsLingerMs: int(env, 'EVENTS_LINGER_MS', 120_000, 0, 86_400_000),
    wsPingIntervalMs: int(env, 'WS_PING_INTERVAL_MS', 30_000, 50, 600_000),
    wsMaxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    wsMaxPayloadBytes: int(env, 'WS_MAX_PAYLOAD_BYTES', 16 * 1024, 256, 1024 * 1024),
    rateLimitPerMinute: rateLimit(env),
    corsOrigins: corsOrigins(env),
    trustProxy: trustProxy(env),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    maxUpstreamResponseBytes: int(env, 'MAX_UPSTREAM_RESPONSE_BYTES', 8 * 1024 * 1024, 4096, 256 * 1024 * 1024),
    logLevel,
    userAgent: 'imbridge',
    idempotencyTtlMs: int(env, 'IDEMPOTENCY_TTL_MS', 24 * 3600_000, 1_000, 7 * 24 * 3600_000),
    idempotencyMaxKeys: int(env, 'IDEMPOTENCY_MAX_KEYS', 100_000, 1, 10_000_000),
    cluster: cluster(env),
    demo: demo(env, upstreamUrl),
    webhooks: webhooks(env),
  };
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
