import createClient, { type Client } from 'openapi-fetch';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type Backoff } from './backoff';
import type { paths } from './generated/openapi';
import { newKey } from './keys';

/** The typed REST client: openapi-fetch over the service's OpenAPI document (`GET`, `POST`, … by path). */
export type RestClient = Client<paths>;

export type FetchLike = (request: Request) => Promise<Response>;

export interface RestOptions {
  /** The service, e.g. `https://im.example.com` (routes are under its `/v1`). */
  baseUrl: string;
  /** The bearer token, or a function that reads the current one; none for `POST /v1/sessions`. */
  token?: string | (() => string | undefined);
  /** Sent as `X-Client-Id` (the id an events client gives as `?clientId=`: idle state is per client). */
  clientId?: string;
  /** Retries of a request that is safe to repeat (see `retryingFetch`); 2 by default, 0 for none. */
  retries?: number;
  backoff?: Backoff;
  fetch?: FetchLike;
}

/** The routes that take an `Idempotency-Key` (the service's OpenAPI document names the same four). */
const KEYED_POSTS = [/\/v1\/chats$/, /\/v1\/chats\/[^/]+\/(messages|invitations)$/, /\/v1\/rooms\/[^/]+\/join$/];

/** True for a POST that the service de-duplicates by `Idempotency-Key`. */
export function takesIdempotencyKey(method: string, pathname: string): boolean {
  return method === 'POST' && KEYED_POSTS.some((route) => route.test(pathname));
}

/**
 * A typed REST client with the token on every call, a fresh `Idempotency-Key` on every send that
 * has none (a retry of that request then reuses it), and retries of what is safe to repeat.
 */
export function createRestClient(options: RestOptions): RestClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch(options.fetch ?? ((request) => fetch(request)), options.retries ?? 2, options.backoff ?? DEFAULT_BACKOFF),
  });
  client.use({
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      if (options.clientId && !request.headers.has('x-client-id')) request.headers.set('x-client-id', options.clientId);
      if (takesIdempotencyKey(request.method, new URL(request.url).pathname) && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', newKey());
      }
      return request;
    },
  });
  return client;
}

/** Upstream trouble that a later try may not meet: unavailable, timed out, rate limited. */
const RETRIED_STATUSES = new Set([429, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Retries a request that is safe to repeat (an idempotent method, or a POST with an Idempotency-Key,
 * which the service answers once) when it got no answer or a 429/503/504: after `Retry-After` when
 * the answer has one, else after a jittered backoff. Anything else is returned as it is.
 */
export function retryingFetch(fetchOnce: FetchLike, retries: number, backoff: Backoff): FetchLike {
  return async (request) => {
    const repeatable = SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 0; ; attempt++) {
      const last = !repeatable || attempt >= retries;
      try {
        const response = await fetchOnce(last ? request : request.clone());
        if (last || !RETRIED_STATUSES.has(response.status)) return response;
        await response.body?.cancel();
        await sleep(retryAfterMs(response) ?? backoffDelay(attempt, backoff));
      } catch (error) {
        if (last || request.signal.aborted) throw error;
        await sleep(backoffDelay(attempt, backoff));
      }
    }
  };
}

/** `Retry-After` in seconds (the service sends no dates), capped at a minute; undefined if absent. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after') ?? NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}
