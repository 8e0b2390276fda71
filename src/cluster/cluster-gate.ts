import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerFromHeader } from '../auth/bearer-token.decorator';
import { clusterUnavailable, ProblemCode, ProblemException } from '../common/problem';
import { problemFromException, sendProblem } from '../common/problem.filter';
import type { ClusterMetrics, MetricsService } from '../metrics/metrics.service';
import { UpstreamError } from '../soap/upstream-error';
import type { Admission } from './admission';
import { ClusterLinks, MAX_CLAIM_ATTEMPTS, OwnedElsewhere } from './cluster-links';
import { ForwardedRequest, ForwardedResponse, forwardedRequest, runForwarded, sendForwarded } from './forwarding';
import { Inbox, InboxTimeout, InboxUnreachable } from './inbox';
import { ClusterKeys } from './keys';
import type { LinkDirectory } from './link-directory';

/** A read whose owner is gone looks again this often … */
const OWNER_GONE_PAUSE_MS = 250;
/** … until the owner's lease has passed and a survivor has had a heartbeat or so to take over. */
const OWNER_GONE_MARGIN_MS = 2_000;


/** Marks a request an owner runs for another instance: admitted there, so neither counted nor forwarded again. */
export interface ForwardMarker {
  header: string;
  /** Random per process: only the process itself can mark a request. */
  value: string;
}

export interface ClusterGateOptions {
  instanceId: string;
  marker: ForwardMarker;
  /** A forwarded request not answered by then is a 504. */
  forwardTimeoutMs: number;
  /** Retry-After when the owner is unreachable: its lease runs out by then and the token can be claimed. */
  leaseSeconds: number;
}

/**
 * Admission for every `/v1/` request in cluster mode, before any route runs: one script counts the
 * rate limits (cluster-wide), refuses a logged-out token, and says who owns the token's link. A live
 * other owner gets the request forwarded through its inbox and runs it (so a call that waits for a
 * notification runs where the notification arrives); otherwise this instance claims the token and
 * runs the request itself.
 */
export function installClusterGate(
  fastify: FastifyInstance,
  deps: { admission: Admission; links: ClusterLinks; directory: LinkDirectory; inbox: Inbox; metrics: MetricsService; clusterMetrics: ClusterMetrics },
  options: ClusterGateOptions,
): void {
  const { admission, links, directory, inbox, metrics, clusterMetrics } = deps;

  inbox.handle('http', (payload) => runForwarded(fastify, payload as ForwardedRequest, options.marker));

  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith('/v1/') || request.headers[options.marker.header] === options.marker.value) return;
    try {
      const token = bearerFromHeader(request.headers.authorization);
      const tag = token === undefined ? undefined : ClusterKeys.tagOf(token);
      const admitted = await admission.admit(request.ip, tag).catch((err: Error) => {
        throw clusterUnavailable(`The cluster state cannot be read: ${err.message}`);
      });
      if (admitted.retryAfterSeconds > 0) {
        metrics.rateLimitedRequest();
        throw new ProblemException(429, ProblemCode.RATE_LIMITED, `Too many requests; retry in ${admitted.retryAfterSeconds} s.`, undefined, {
          headers: { 'Retry-After': String(admitted.retryAfterSeconds) },
        });
      }
      if (token === undefined || tag === undefined) return;
      if (admitted.revoked) throw ProblemException.unauthorized('This session has ended.');
      let owner = admitted.owner;
      // A read is safe to repeat: when its owner is gone it waits (a lease at most) for the link to
      // change hands, and goes where it went. Other requests are answered 503 at once.
      const waitUntil = request.method === 'GET' ? Date.now() + options.leaseSeconds * 1000 + OWNER_GONE_MARGIN_MS : 0;
      for (let claims = 0; ; ) {
        if (owner?.alive && owner.instance !== options.instanceId) {
          const answer = await forward(inbox, owner.instance, request, options, clusterMetrics, Date.now() < waitUntil);
          if (answer) return sendForwarded(reply, answer);
          await new Promise((resolve) => setTimeout(resolve, OWNER_GONE_PAUSE_MS));
        } else {
          try {
            await links.ensureLocal(token, tag);
            return;
          } catch (err) {
            // Two instances reached a new token at once and the other won: the request goes there.
            if (!(err instanceof OwnedElsewhere) || ++claims === MAX_CLAIM_ATTEMPTS) throw err;
          }
        }
        const found = await directory.lookup(tag);
        owner = found?.owner ? { instance: found.owner, gen: found.gen, alive: found.alive } : null;
      }
    } catch (err) {
      sendProblem(reply, problemFromException(err, request));
      return reply;
    }
  });
}

/** The owner's answer; undefined when the owner is gone and the caller may wait for its successor. */
async function forward(
  inbox: Inbox,
  owner: string,
  request: FastifyRequest,
  options: ClusterGateOptions,
  metrics: ClusterMetrics,
  mayWait: boolean,
): Promise<ForwardedResponse | undefined> {
  try {
    const answer = await inbox.request<ForwardedResponse>(owner, 'http', forwardedRequest(request), options.forwardTimeoutMs);
    metrics.forwarded('answered');
    return answer;
  } catch (err) {
    if (err instanceof InboxTimeout) {
      metrics.forwarded('timeout');
      throw UpstreamError.timeout('the instance that holds this session did not answer in time');
    }
    if (err instanceof InboxUnreachable) {
      metrics.forwarded('unreachable');
      if (mayWait) return undefined;
      throw clusterUnavailable('The instance that holds this session is gone; retry.', options.leaseSeconds);
    }
    metrics.forwarded('failed');
    throw clusterUnavailable(`The instance that holds this session failed: ${(err as Error).message}`);
  }
}
