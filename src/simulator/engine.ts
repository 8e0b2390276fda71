import { setTimeout as delay } from 'node:timers/promises';
import { attr, type XmlNode } from '../soap/xml';
import type { Account } from './accounts';
import { chaosBeforeHandler, chaosBeforeHeader, chaosDeliver, chaosOrderBlocks, chaosProbeLongPoll } from './chaos-hooks';
import { cookieToken, parseContext, type RequestContext } from './context';
import type { SimulatorCore } from './core';
import { EnvelopeError, buildEnvelope, parseEnvelope, type SoapRequest, type SoapVersion } from './envelope';
import {
  SoapFault, asSoapFault, authExpired, authRequired, faultElement, invalidRequest, permDenied, unknownDocument,
} from './faults';
import { HANDLERS } from './handlers';
import { buildHeader } from './header';
import type { HandlerContext } from './handlers/registry';

export interface HttpReply {
  kind: 'reply';
  status: number;
  body: string;
  contentType: string;
  cookies: string[];
  /** Send the body one byte every this many ms (an injected drip). */
  dripMs?: number;
}

export type SoapReply = HttpReply | { kind: 'reset' };

const XML_TYPE = 'text/xml; charset=utf-8';

/** One POST body in, one HTTP answer out: the SoapEngine pipeline of §1–§5. */
export async function handleSoap(
  core: SimulatorCore, raw: string, meta: { cookie?: string; signal: AbortSignal },
): Promise<SoapReply> {
  let request: SoapRequest;
  let context: RequestContext;
  let account: Account | undefined;
  try {
    request = parseEnvelope(raw);
  } catch (err) {
    if (err instanceof EnvelopeError) return bareFault(core, err.fault, err.version);
    throw err;
  }
  try {
    context = parseContext(request.context, cookieToken(meta.cookie));
    account = authenticate(core, context);
  } catch (err) {
    // Context parsing faults (bad seq, expired token, delegation) carry no header (§3).
    return bareFault(core, asSoapFault(err), request.version);
  }
  const entry = core.log.record({ name: request.name, account: account?.name, sessionId: context.session?.id, at: core.clock.now() });

  const injected = core.faults.take(request.name, account?.name) ?? chaosBeforeHandler(core, request.name, context, account);
  if (injected?.kind === 'reset') return { kind: 'reset' };
  if (injected?.kind === 'http') return reply(injected.status, injected.body ?? '', 'text/plain; charset=utf-8');
  if (injected?.kind === 'garbage') return reply(200, injected.body, XML_TYPE);
  if (injected?.kind === 'stall') await delay(injected.ms, undefined, { signal: meta.signal }).catch(() => undefined);

  const ctx: HandlerContext = {
    core, node: request.node, context, account, sessionCreated: false, signal: meta.signal, cookies: [],
  };
  let body: XmlNode;
  let fault: SoapFault | undefined;
  let releaseProbe: (() => void) | undefined;
  try {
    if (injected?.kind === 'fault') throw new SoapFault(injected.code, injected.message, injected.side ?? 'sender');
    const handler = HANDLERS[request.name];
    if (!handler || handler.ns !== request.ns) throw unknownDocument(`${request.ns ?? ''}:${request.name}`);
    if (handler.auth && !account) throw authRequired();
    if (handler.auth) openSession(ctx);
    entry.sessionId = ctx.session?.id ?? entry.sessionId;
    releaseProbe = chaosProbeLongPoll(core, request.name, request.node, ctx);
    body = responseElement(request, await handler.handle(ctx));
  } catch (err) {
    fault = asSoapFault(err);
    body = { 'soap:Fault': faultElement(fault, request.version, core.clock.now()) };
  } finally {
    releaseProbe?.();
  }
  if (meta.signal.aborted) return { kind: 'reset' };
  chaosBeforeHeader(core, request.name, ctx);
  const header = buildHeader(ctx);
  if (injected?.kind === 'lostReply') return { kind: 'reset' };
  chaosOrderBlocks(core, request.name, ctx, header);
  try {
    const xml = buildEnvelope(request.version, header, body);
    const drip = injected?.kind === 'drip' ? { dripMs: injected.everyMs } : {};
    return await chaosDeliver(core, request.name, ctx, { ...reply(fault ? 500 : 200, xml, XML_TYPE), cookies: ctx.cookies, ...drip }, meta.signal);
  } catch (err) {
    // Like the real server, a response that cannot be serialised becomes a bare FAILURE.
    return bareFault(core, asSoapFault(err), request.version);
  }
}

/** §2 token rules: forged → ignored; expired → AUTH_EXPIRED unless voidOnExpired; delegation → PERM_DENIED. */
function authenticate(core: SimulatorCore, context: RequestContext): Account | undefined {
  let account: Account | undefined;
  if (context.authToken) {
    const check = core.tokens.check(context.authToken, core.clock.now());
    if (check.status === 'expired' && !context.voidOnExpired) throw authExpired();
    if (check.status === 'valid') {
      account = core.accounts.byId(check.accountId);
      // A token for an account that is gone counts as expired (§8 AUTH_EXPIRED).
      if (!account) throw authExpired();
    }
  }
  if (context.account) {
    const { by, value } = context.account;
    if (by !== 'name' && by !== 'id') throw invalidRequest(`unknown key: ${by}`);
    const target = by === 'name' ? core.accounts.byName(value) : core.accounts.byId(value);
    // Delegation is not granted to anyone here; an unknown account looks the same (§2).
    if (account && target?.id !== account.id) throw permDenied(`can not access account ${value}`);
  }
  return account;
}

/** Find or create the session before the handler runs, then ack (§4, §5 step 1). */
function openSession(ctx: HandlerContext): void {
  const { core, context, account } = ctx;
  if (!account || !context.session || context.noSession) return;
  let session = core.sessions.find(context.session.id, account);
  if (!session) {
    session = core.sessions.create(account);
    ctx.sessionCreated = true;
  }
  core.sessions.touch(session);
  session.queue.ack(context.ack);
  ctx.session = session;
}

function responseElement(request: SoapRequest, content: XmlNode): XmlNode {
  const element: XmlNode = { '@_xmlns': request.ns };
  const requestId = attr(request.node, 'requestId');
  if (requestId !== undefined) element['@_requestId'] = requestId;
  return { [request.name.replace(/Request$/, 'Response')]: { ...element, ...content } };
}

function bareFault(core: SimulatorCore, fault: SoapFault, version: SoapVersion): HttpReply {
  const xml = buildEnvelope(version, undefined, { 'soap:Fault': faultElement(fault, version, core.clock.now()) });
  return reply(500, xml, XML_TYPE);
}

function reply(status: number, body: string, contentType: string): HttpReply {
  return { kind: 'reply', status, body, contentType, cookies: [] };
}
