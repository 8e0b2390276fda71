import { EVENT_TYPES, EventType } from '../link/events';
import { Env, int, url } from './env';

/** Offline delivery: events of tokens without an open socket, POSTed in signed batches (README "Offline delivery"). */
export interface WebhookConfig {
  /** The receiver: every batch is a POST to this URL. */
  url: string;
  /**
   * Standard Webhooks secrets (`whsec_<base64>`); every request carries one signature per secret, so
   * a receiver can move to a new secret while the old one is still accepted.
   */
  secrets: string[];
  /** Event types sent; others are left to the socket's resume. */
  types: EventType[];
  /** Events waiting per token (the oldest are dropped first beyond it). */
  maxQueuePerToken: number;
  /** Events waiting in all (the oldest anywhere are dropped first beyond it). */
  maxQueue: number;
  /** A batch is retried for this long after its first attempt, then given up. */
  retryWindowMs: number;
  /** Deadline of one request: connecting, sending, the answer's headers and body. */
  timeoutMs: number;
  /** Events in one request at most. */
  batchMaxEvents: number;
  /** How long a token's first waiting event waits for others to share its request. */
  batchLingerMs: number;
  /** Requests in flight at once (one per token at most, so each token's batches stay in order). */
  concurrency: number;
  /** The first retry's delay; each next one doubles, up to `backoffMaxMs`, with jitter. */
  backoffMs: number;
  backoffMaxMs: number;
}

/** The Standard Webhooks recommendation: 24 to 64 random bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const SECRET_PREFIX = 'whsec_';
export const DEFAULT_WEBHOOK_TYPES: readonly EventType[] = ['message', 'invitation', 'subscriptionRequest'];

/**
 * The key bytes of a `whsec_<base64>` secret, or undefined when it is not one of 24 to 64 bytes.
 * Standard base64 (what Standard Webhooks libraries emit); padding optional.
 */
export function webhookSecretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : undefined;
}

function secrets(env: Env): string[] {
  const entries = (env.WEBHOOK_SECRET ?? '').split(/\s+/).filter(Boolean);
  if (entries.length === 0) throw new Error('WEBHOOK_SECRET must be set when WEBHOOK_URL is set');
  // The message never repeats the value: a secret must not end up in a log.
  entries.forEach((entry, i) => {
    if (!webhookSecretKey(entry)) {
      throw new Error(
        `WEBHOOK_SECRET must be whsec_ followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes ` +
          `(several separated by spaces while rotating); entry ${i + 1} is not`,
      );
    }
  });
  return entries;
}

function types(env: Env): EventType[] {
  const raw = env.WEBHOOK_TYPES;
  if (raw === undefined || raw.trim() === '') return [...DEFAULT_WEBHOOK_TYPES];
  const entries = [...new Set(raw.split(',').map((entry) => entry.trim()).filter(Boolean))];
  const unknown = entries.filter((entry) => !(EVENT_TYPES as readonly string[]).includes(entry));
  if (unknown.length > 0 || entries.length === 0) {
    throw new Error(`WEBHOOK_TYPES must be a comma-separated list of event types (${EVENT_TYPES.join(', ')}), got unknown "${unknown.join(', ')}"`);
  }
  return entries as EventType[];
}

export function webhooks(env: Env): WebhookConfig | undefined {
  const target = url(env, 'WEBHOOK_URL');
  if (!target) return undefined;
  const config: WebhookConfig = {
    url: target,
    secrets: secrets(env),
    types: types(env),
    maxQueuePerToken: int(env, 'WEBHOOK_MAX_QUEUE_PER_TOKEN', 1_000, 1, 1_000_000),
    maxQueue: int(env, 'WEBHOOK_MAX_QUEUE', 100_000, 1, 100_000_000),
    retryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_MS', 3_600_000, 1_000, 7 * 24 * 3_600_000),
    timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    batchMaxEvents: int(env, 'WEBHOOK_BATCH_MAX_EVENTS', 100, 1, 10_000),
    batchLingerMs: int(env, 'WEBHOOK_BATCH_LINGER_MS', 100, 0, 60_000),
    concurrency: int(env, 'WEBHOOK_CONCURRENCY', 16, 1, 1_000),
    backoffMs: int(env, 'WEBHOOK_BACKOFF_MS', 1_000, 10, 600_000),
    backoffMaxMs: int(env, 'WEBHOOK_BACKOFF_MAX_MS', 300_000, 10, 3_600_000),
  };
  if (config.maxQueuePerToken > config.maxQueue) throw new Error('WEBHOOK_MAX_QUEUE_PER_TOKEN must be at most WEBHOOK_MAX_QUEUE');
  if (config.batchMaxEvents > config.maxQueuePerToken) throw new Error('WEBHOOK_BATCH_MAX_EVENTS must be at most WEBHOOK_MAX_QUEUE_PER_TOKEN');
  if (config.backoffMs > config.backoffMaxMs) throw new Error('WEBHOOK_BACKOFF_MS must be at most WEBHOOK_BACKOFF_MAX_MS');
  return config;
}
