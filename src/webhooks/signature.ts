import { createHmac } from 'node:crypto';
import { webhookSecretKey } from '../config/webhooks';

/** The headers of one attempt, after the Standard Webhooks specification. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`: the Standard Webhooks symmetric signature. */
export function sign(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * Signs with every configured secret (space-separated in the header, as the specification allows),
 * so a receiver accepts the requests throughout a change of secret.
 */
export class Signer {
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map((secret) => {
      const key = webhookSecretKey(secret);
      if (!key) throw new Error('WEBHOOK_SECRET is not a whsec_ secret of 24 to 64 bytes');
      return key;
    });
  }

  /** Headers for one attempt at `now`: the timestamp (and so the signature) is the attempt's own. */
  headers(id: string, body: string, now = Date.now()): WebhookHeaders {
    const timestamp = Math.floor(now / 1000);
    return {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': this.keys.map((key) => sign(key, id, timestamp, body)).join(' '),
    };
  }
}
