import { type Dispatcher, Pool } from 'undici';
import { buildEnvelope, readEnvelope, RequestBody, RequestContext, SoapResponse } from './envelope';
import { UpstreamError } from './upstream-error';
import { elementNames, parseXml, XmlError } from './xml';

export interface SoapClientOptions {
  url: string;
  /** Default deadline for a whole call: sending, the response headers and the whole body. */
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
}

/** How an upstream call ended, as far as the transport and the envelope tell (a fault is an answer). */
export type CallOutcome = 'ok' | 'fault' | 'timeout' | 'unavailable' | 'bad_response';

/** Told about every call once it has ended: its request element's name, outcome and duration. */
export type CallObserver = (requestName: string, outcome: CallOutcome, seconds: number) => void;

export interface CallOptions {
  /** Overrides the default deadline (the long-poll waits longer than ordinary calls). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Failures to connect: the request never reached the upstream, so nothing it asked for happened. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Speaks SOAP 1.2 over one keep-alive pool to the upstream. Returns the parsed context and body (or
 * fault) and throws UpstreamError only for transport trouble, so that notifications travelling with
 * a fault are never dropped by the caller.
 */
export class SoapClient {
  private readonly pool: Pool;
  private readonly path: string;
  private observer?: CallObserver;

  constructor(private readonly options: SoapClientOptions) {
    const url = new URL(options.url);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connectTimeout: options.connectTimeoutMs,
      // Off: undici's timers watch only the gaps between reads, so a reply dripping in byte by byte
      // would never end. Each call has one deadline for the whole exchange instead (Deadline below).
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
    });
  }

  /** Every call from now on is reported to `observer` (metrics). */
  observeCalls(observer: CallObserver): void {
    this.observer = observer;
  }

  async call(context: RequestContext, body: RequestBody, options: CallOptions = {}): Promise<SoapResponse> {
    const started = performance.now();
    let outcome: CallOutcome = 'unavailable';
    try {
      const response = await this.exchange(context, body, options);
      outcome = response.fault ? 'fault' : 'ok';
      return response;
    } catch (err) {
      if (err instanceof UpstreamError && err.kind !== 'fault' && err.kind !== 'result') outcome = err.kind;
      throw err;
    } finally {
      this.observer?.(requestNameOf(body), outcome, (performance.now() - started) / 1000);
    }
  }

  private async exchange(context: RequestContext, body: RequestBody, options: CallOptions): Promise<SoapResponse> {
    const { statusCode, text } = await new Promise<RawReply>((resolve, reject) => {
      const exchange = new Exchange(options.timeoutMs ?? this.options.timeoutMs, this.options.maxResponseBytes, options.signal, resolve, reject);
      this.pool.dispatch(
        { path: this.path, method: 'POST', headers: SOAP_HEADERS, body: buildEnvelope(context, body) },
        exchange,
      );
    });
    return interpret(statusCode, text, responseNameFor(body));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The request element's local name, e.g. `IMGetRosterRequest`. */
export function requestNameOf(body: RequestBody): string {
  const name = elementNames(body)[0] ?? '';
  return name.slice(name.indexOf(':') + 1);
}

/** `XRequest` → `XResponse`: the only body element (besides a fault) that answers the request. */
export function responseNameFor(body: RequestBody): string {
  return `${requestNameOf(body).replace(/Request$/, '')}Response`;
}

/**
 * HTTP status + body → SoapResponse, per api.md's status table (exported for unit tests). A reply
 * whose body element is not `expectedResponse` answers some other request: it is refused, not read
 * as an empty answer to this one.
 */
export function interpret(statusCode: number, text: string, expectedResponse: string): SoapResponse {
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
  if (!response.fault && response.bodyName !== expectedResponse) {
    throw UpstreamError.badResponse(`upstream answered ${response.bodyName} where ${expectedResponse} was due`, statusCode);
  }
  return response;
}

const SOAP_HEADERS = { 'content-type': 'application/soap+xml; charset=utf-8' };

interface RawReply {
  statusCode: number;
  text: string;
}

/** Bytes that are not UTF-8 make the reply malformed: refused, never read as U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One call as an undici dispatch handler: the reply's bytes as they come, with no stream, async
 * iterator or AbortController per call (the busiest path of the proxy: every REST call and every
 * long-poll). One deadline for the whole exchange (connecting, sending, headers and the whole body,
 * so a reply dripping in byte by byte still ends), and the caller's signal, both abort through
 * undici's controller. Settles once: with the reply, or with an UpstreamError.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  /** Why the call was ended before undici handed over its controller (it is aborted as soon as it does). */
  private endedEarly?: Error;
  private readonly timer: NodeJS.Timeout;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private statusCode = 0;
  private settled = false;
  private readonly onCallerAbort = () => this.fail(UpstreamError.unavailable('upstream call aborted'));

  constructor(
    timeoutMs: number,
    private readonly maxBytes: number,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (reply: RawReply) => void,
    private readonly reject: (err: UpstreamError) => void,
  ) {
    this.timer = setTimeout(() => this.fail(UpstreamError.timeout('upstream did not answer in time')), timeoutMs);
    if (signal?.aborted) this.onCallerAbort();
    else signal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.endedEarly) controller.abort(this.endedEarly);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.statusCode = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) this.fail(UpstreamError.badResponse(`upstream reply is larger than ${this.maxBytes} bytes`));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    let text: string;
    try {
      text = UTF8.decode(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size));
    } catch {
      return this.fail(UpstreamError.badResponse('upstream reply is not valid UTF-8'));
    }
    this.settle();
    this.resolve({ statusCode: this.statusCode, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.fail(transportError(err));
  }

  /** Ends the call with `err`: the first reason wins, and undici stops the request. */
  private fail(err: UpstreamError): void {
    if (this.settled) return;
    this.settle();
    this.reject(err);
    if (this.controller) {
      if (!this.controller.aborted) this.controller.abort(err);
    } else {
      this.endedEarly = err;
    }
  }

  private settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onCallerAbort);
    this.chunks.length = 0;
  }
}

/** What undici reports; our own aborts (deadline, caller, size) already carry their UpstreamError as the reason. */
function transportError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (NOT_CONNECTED_CODES.has(code)) return UpstreamError.unavailable(`upstream unreachable (${code})`);
  // A reset or closed connection may have carried the request first: what it asked for may have happened.
  return UpstreamError.unavailable(`upstream connection lost${code ? ` (${code})` : ''}`, true);
}
