import { optionalBool, optionalLong } from '../args';
import { invalidRequest } from '../faults';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** NoOpRequest (urn:zimbraMail), the long poll of §6. */
export const noopHandlers: HandlerTable = {
  NoOpRequest: { ns: NS.mail, auth: true, handle: noop },
};

async function noop(ctx: HandlerContext) {
  const { core, node, session } = ctx;
  const wait = optionalBool(node, 'wait', false);
  const limitToOne = optionalBool(node, 'limitToOneBlocked', false);
  const requested = optionalLong(node, 'timeout');
  if (!wait) return {};
  if (!session) throw invalidRequest('cannot wait without a session');
  // A brand-new session answers at once so the client gets its <refresh> (§6).
  if (ctx.sessionCreated) return {};
  if (session.queue.hasContentFor(ctx.context.ack)) return {};
  const [min, max] = core.options.noopTimeoutClampMs;
  const timeout = Math.min(max, Math.max(min, requested ?? core.options.noopDefaultTimeoutMs));
  const outcome = await core.waits.park(session, limitToOne, timeout, ctx.signal);
  if (!session.ended) core.sessions.touch(session);
  return outcome === 'cancelled' ? { '@_waitDisallowed': '1' } : {};
}
