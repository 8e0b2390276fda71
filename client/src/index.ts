import { EventsClient, type EventsClientOptions } from './events-client';
import { newKey } from './keys';
import { ImbridgeError } from './problem';
import { createRestClient, type FetchLike, type RestClient } from './rest';

export { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff';
export {
  EventsClient, MAX_COMMANDS_IN_FLIGHT,
  type ChatListItem, type ConnectionState, type EventsClientOptions, type Listener, type ListenerData, type Resync,
  type ResyncNotice, type Roster, type SentMessage, type WebSocketConstructor,
} from './events-client';
export { EVENT_TYPES, type Contact, type EventData, type EventType, type Participant, type PrivacyItem, type Show, type StreamEvent } from './events';
export type { components, paths } from './generated/openapi';
export { newKey } from './keys';
export { ImbridgeError, type Problem } from './problem';
export { createRestClient, retryingFetch, takesIdempotencyKey, type FetchLike, type RestClient, type RestOptions } from './rest';

export interface ImbridgeOptions extends Omit<EventsClientOptions, 'token' | 'rest'> {
  /** Retries of REST calls that are safe to repeat (2 by default). */
  retries?: number;
  fetch?: FetchLike;
}

/** A token and, when it came from `login`, its account and expiry. */
export interface Session {
  token: string;
  account?: string;
  expiresAt?: string;
}

/**
 * One signed-in token: `rest`, the typed REST client, and `events`, its event stream (connected by
 * `events.connect()`), sharing one client id. `new Imbridge({ token }, options)` takes up a token kept
 * from before; `login()` makes a new one.
 */
export class Imbridge {
  readonly rest: RestClient;
  readonly events: EventsClient;

  constructor(
    readonly session: Session,
    options: ImbridgeOptions,
  ) {
    const clientId = options.clientId ?? `sdk-${newKey()}`;
    const { token } = session;
    this.rest = createRestClient({ baseUrl: options.baseUrl, token, clientId, retries: options.retries, backoff: options.reconnect, fetch: options.fetch });
    this.events = new EventsClient({ ...options, token, clientId, rest: this.rest });
  }

  /** Ends the upstream session (every socket of the token closes) and closes the event stream. */
  async logout(): Promise<void> {
    const { error, response } = await this.rest.DELETE('/v1/sessions/current');
    this.events.close();
    if (error && response.status !== 401) throw new ImbridgeError(error);
  }
}

/** Signs in (`POST /v1/sessions`); throws `ImbridgeError` (401 `account.AUTH_FAILED` for bad credentials). */
export async function login(options: ImbridgeOptions & { account: string; password: string }): Promise<Imbridge> {
  const { account, password, ...rest } = options;
  const { data, error } = await createRestClient({ baseUrl: rest.baseUrl, fetch: rest.fetch, retries: 0 }).POST('/v1/sessions', { body: { account, password } });
  if (error) throw new ImbridgeError(error);
  return new Imbridge(data, rest);
}
