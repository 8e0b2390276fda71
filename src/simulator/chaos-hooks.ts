/**
 * Where the SOAP pipeline (engine.ts) consults the seeded chaos of chaos.ts. Chaos touches only
 * requests that reference a session: that is the traffic whose notifications §5 promises to resend.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { attr, type XmlNode } from '../soap/xml';
import type { Account } from './accounts';
import type { Chaos } from './chaos';
import type { RequestContext } from './context';
import type { SimulatorCore } from './core';
import type { InjectedBehaviour } from './fault-injection';
import type { HandlerContext } from './handlers/registry';

export type ChaosReply<R> = R | { kind: 'reset' };

function chaosFor(core: SimulatorCore, context: RequestContext, account: Account | undefined): Chaos | undefined {
  return core.chaos && account && context.session && !context.noSession ? core.chaos : undefined;
}

/**
 * Before the handler: a fault or a 503 in its place (nothing processed), or the referenced session
 * ended first, as idle expiry would (the request then silently gets a new one, §4).
 */
export function chaosBeforeHandler(
  core: SimulatorCore, request: string, context: RequestContext, account: Account | undefined,
): InjectedBehaviour | undefined {
  const chaos = chaosFor(core, context, account);
  if (!chaos || !account) return undefined;
  const sessionId = context.session?.id;
  if (chaos.roll('fault', request, sessionId)) {
    return { kind: 'fault', code: 'service.FAILURE', message: 'system failure: injected by chaos', side: 'receiver' };
  }
  if (chaos.roll('unavailable', request, sessionId)) return { kind: 'http', status: 503, body: 'Service Unavailable' };
  const session = core.sessions.find(sessionId, account);
  if (session && chaos.roll('dropSession', request, sessionId)) core.sessions.end(session, 'timeout');
  return undefined;
}

/** Counts a blocking NoOp while its handler runs; returns the release, or undefined when not probed. */
export function chaosProbeLongPoll(core: SimulatorCore, request: string, node: XmlNode, ctx: HandlerContext): (() => void) | undefined {
  if (!core.chaos || request !== 'NoOpRequest' || !ctx.session) return undefined;
  const wait = attr(node, 'wait');
  return wait === '1' || wait === 'true' ? core.chaos.noopStarted(ctx.session.id) : undefined;
}

/** After the handler, before the header is built: the >20 discard, or a resend of the last acked block. */
export function chaosBeforeHeader(core: SimulatorCore, request: string, ctx: HandlerContext): void {
  const chaos = chaosFor(core, ctx.context, ctx.account);
  const session = ctx.session && !ctx.session.ended ? ctx.session : undefined;
  if (!chaos || !session) return;
  const { queue } = session;
  if (queue.unacked > 0 && chaos.roll('overflow', request, session.id, `${queue.unacked} unacked`)) queue.discardUnacked();
  if (queue.hasAcked && chaos.roll('resend', request, session.id)) queue.repeatLastAcked();
}

/** The header's notify blocks in the order chaos writes them. */
export function chaosOrderBlocks(core: SimulatorCore, request: string, ctx: HandlerContext, header: XmlNode): void {
  const chaos = chaosFor(core, ctx.context, ctx.account);
  if (chaos && Array.isArray(header.notify)) header.notify = chaos.order(header.notify as XmlNode[], request, ctx.session?.id);
}

/**
 * The reply as chaos delivers it: on time, late, or never (reset at once or after holding it until
 * the client gives up). The request was processed either way: its notifications are in "sent".
 */
export async function chaosDeliver<R>(
  core: SimulatorCore, request: string, ctx: HandlerContext, reply: R, signal: AbortSignal,
): Promise<ChaosReply<R>> {
  const chaos = chaosFor(core, ctx.context, ctx.account);
  if (!chaos) return reply;
  const fate = chaos.replyFate(request, ctx.session?.id);
  const holdMs = fate.kind === 'reset' ? fate.holdMs : fate.delayMs;
  if (holdMs > 0) await delay(holdMs, undefined, { signal }).catch(() => undefined);
  return fate.kind === 'reset' || signal.aborted ? { kind: 'reset' } : reply;
}
