import { errors as undiciErrors, Pool } from 'undici';
import { buildEnvelope, readEnvelope, RequestBody, RequestContext, SoapResponse } from './envelope';
import { UpstreamError } from './upstream-error';
import { parseXml, XmlError } from './xml';

export interface SoapClientOptions {
  url: string;
  /** Default per-call wait for response headers and, separately, for the body. */
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
}

export interface CallOptions {
  /** Overrides the default wait (the long-poll waits longer than ordinary calls). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Transport-level failures that mean "could not reach the upstream" rather than "it did not answer". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Speaks SOAP 1.2 over one keep-alive pool to the upstream. Returns the parsed context and body (or
 * fault) and throws UpstreamError only for transport trouble, so that notifications travelling with
 * a fault are never dropped by the caller.
 */
export class SoapClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: SoapClientOptions) {
    const url = new URL(options.url);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
    });
  }

  async call(context: RequestContext, body: RequestBody, options: CallOptions = {}): Promise<SoapResponse> {
    const payload = buildEnvelope(context, body);
    const timeout = options.timeoutMs ?? this.options.timeoutMs;
    let statusCode: number;
    let text: string;
    try {
      const res = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
        body: payload,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: options.signal,
      });
      statusCode = res.statusCode;
      text = await readLimited(res.body, this.options.maxResponseBytes);
    } catch (err) {
      throw transportError(err);
    }
    return interpret(statusCode, text);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** HTTP status + body → SoapResponse, per api.md's status table (exported for unit tests). */
export function interpret(statusCode: number, text: string): SoapResponse {
  if (statusCode === 503) throw UpstreamError.unavailable('upstream answered HTTP 503');
  if (statusCode !== 200 && statusCode !== 500) {
    throw UpstreamError.badResponse(`upstream answered HTTP ${statusCode} without a SOAP fault`, statusCode);
  }
  let response: SoapResponse;
  try {
    response = readEnvelope(parseXml(text));
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    const reason = err instanceof XmlError ? err.message : 'unreadable';
    throw UpstreamError.badResponse(`upstream reply (HTTP ${statusCode}) is not valid XML: ${reason}`, statusCode);
  }
  if (statusCode === 500 && !response.fault) {
    throw UpstreamError.badResponse('upstream answered HTTP 500 without a SOAP fault', statusCode);
  }
  return response;
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy?: () => void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy?.();
      throw UpstreamError.badResponse(`upstream reply is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function transportError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (err instanceof undiciErrors.RequestAbortedError || (err as Error)?.name === 'AbortError') {
    return UpstreamError.unavailable('upstream call aborted');
  }
  if (TIMEOUT_CODES.has(code)) return UpstreamError.timeout('upstream did not answer in time');
  if (UNREACHABLE_CODES.has(code)) return UpstreamError.unavailable(`upstream unreachable (${code})`);
  return UpstreamError.unavailable(`upstream call failed${code ? ` (${code})` : ''}`);
}
