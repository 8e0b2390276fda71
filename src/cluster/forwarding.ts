import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

/** A REST request as it travels to the instance that owns its token. */
export interface ForwardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as JSON text (it was parsed and checked where it arrived). */
  body?: string;
  /** The client's address, as the receiving instance saw it (logs; the rate limit was counted there). */
  address: string;
}

/** The owner's answer, replayed by the instance the client is connected to. */
export interface ForwardedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the owner needs to run the request as the client sent it; nothing about the connection. */
const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'x-client-id', 'x-request-id', 'idempotency-key'];
/**
 * The answer's own headers. CORS headers are the receiving instance's business (it saw the Origin),
 * and the framing ones are set again when the answer is written.
 */
const DROPPED_RESPONSE_HEADERS = /^(access-control-|vary$|content-length$|connection$|keep-alive$|transfer-encoding$|date$)/;

export function forwardedRequest(request: FastifyRequest): ForwardedRequest {
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // The request id the client sees is the one the owner logs under.
  headers['x-request-id'] = request.id;
  const forwarded: ForwardedRequest = { method: request.method, url: request.url, headers, address: request.ip };
  if (request.body !== undefined) forwarded.body = JSON.stringify(request.body);
  return forwarded;
}

/**
 * Runs a forwarded request through this instance's own routes, exactly as if it had arrived here,
 * marked so that admission does not count or forward it again.
 */
export async function runForwarded(app: FastifyInstance, request: ForwardedRequest, marker: { header: string; value: string }): Promise<ForwardedResponse> {
  const response = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: { ...request.headers, [marker.header]: marker.value },
    payload: request.body,
    remoteAddress: request.address,
  });
  return { status: response.statusCode, headers: responseHeaders(response.headers), body: response.body };
}

export function sendForwarded(reply: FastifyReply, response: ForwardedResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

function responseHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | number | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.test(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}
