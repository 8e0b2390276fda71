import { createHash } from 'node:crypto';
import type { LinkEvent } from '../link/events';

/** What a receiver gets: the events of one token, as its sockets would have had them. */
export interface WebhookPayload {
  type: 'imbridge.events';
  /** The account (bare JID) the events are for. */
  account: string;
  /**
   * Which login of the account (one per bearer token): opaque and stable for the token's life, never
   * the token itself nor anything it can be recovered from.
   */
  session: string;
  /** In the order of the token's stream; each keeps its id (`<epoch>.<n>`, increasing per token). */
  events: LinkEvent[];
}

/** The payload's `session` for a token: a domain-separated SHA-256 of it, cut to 128 bits. */
export function sessionOf(token: string): string {
  return createHash('sha256').update('imbridge webhook session\n').update(token).digest('base64url').slice(0, 22);
}

/**
 * The webhook-id of a batch: its session and its first event's id. The same for every retry of the
 * batch (a batch never changes once formed; one that lost events to a bound has another first event,
 * so another id); unique across tokens, which event ids alone are not (they are per token).
 */
export function webhookId(session: string, events: readonly LinkEvent[]): string {
  return `${session}.${events[0].id}`;
}

export function payloadBody(account: string, session: string, events: readonly LinkEvent[]): string {
  const payload: WebhookPayload = { type: 'imbridge.events', account, session, events: [...events] };
  return JSON.stringify(payload);
}
