import { Pool } from 'undici';
import type { AttemptResult } from './retry-policy';
import type { WebhookHeaders } from './signature';

export interface SenderOptions {
  /** One deadline for the whole request: connecting, sending, the answer's headers and its body. */
  timeoutMs: number;
  /** Connections kept to the receiver (requests in flight at most). */
  connections: number;
  userAgent: string;
}

/** A receiver's answer body is not read beyond this (it is only drained, so the connection can be reused). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** POSTs batches to the receiver over one keep-alive pool. Never throws: every outcome is an AttemptResult. */
export class WebhookSender {
  private readonly pool: Pool;
  private readonly path: string;
  /** Cuts the requests in flight at shutdown. */
  private readonly closing = new AbortController();

  constructor(url: string, private readonly options: SenderOptions) {
    const target = new URL(url);
    this.path = `${target.pathname}${target.search}`;
    this.pool = new Pool(target.origin, {
      connections: options.connections,
      connectTimeout: options.timeoutMs,
      // undici's own timers watch only the gaps between reads; the request's deadline covers it all.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
    });
  }

  async post(body: string, headers: WebhookHeaders): Promise<AttemptResult> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([deadline, this.closing.signal]);
    try {
      const answer = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': this.options.userAgent, ...headers },
        body,
        signal,
      });
      const retryAfter = answer.headers['retry-after'];
      // The status is the answer; the body is only drained (within the same deadline).
      await answer.body.dump({ limit: MAX_ANSWER_BYTES, signal }).catch(() => undefined);
      return { status: answer.statusCode, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
    } catch (err) {
      return { failure: deadline.aborted || isTimeout(err) ? 'timeout' : 'connection' };
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.pool.destroy().catch(() => undefined);
  }
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (err as Error).name === 'TimeoutError';
}
