import { attr, attrOrChild, child, text, type XmlNode } from '../../soap/xml';
import type { Account } from '../accounts';
import { authExpired, authFailed, authRequired, invalidRequest } from '../faults';
import { NS, type HandlerContext, type HandlerTable } from './registry';

/** AuthRequest (§7), EndSessionRequest (§4) and GetInfoRequest, all urn:zimbraAccount. */
export const authHandlers: HandlerTable = {
  AuthRequest: { ns: NS.account, auth: false, handle: authenticate },
  // The real response carries much more (version, quota, preferences, attributes by `sections`):
  // only what the proxy reads is simulated — the account's id and primary name.
  GetInfoRequest: { ns: NS.account, auth: true, handle: (ctx) => ({ id: ctx.account!.id, name: ctx.account!.name }) },
  EndSessionRequest: {
    ns: NS.account,
    auth: true,
    handle: (ctx) => {
      if (ctx.session) ctx.core.sessions.end(ctx.session, 'ended');
      ctx.session = undefined;
      return {};
    },
  },
};

function authenticate(ctx: HandlerContext): XmlNode {
  const { core, node } = ctx;
  const now = core.clock.now();
  const tokenEl = child(node, 'authToken');
  let account: Account;
  let token: string;
  let expires: number;
  if (tokenEl && !child(node, 'account')) {
    // Token validation form: re-validate and return the same token.
    token = text(tokenEl).trim();
    const check = core.tokens.check(token, now);
    if (check.status === 'expired') throw authExpired();
    const found = check.status === 'valid' ? core.accounts.byId(check.accountId) : undefined;
    if (check.status !== 'valid' || !found) throw authRequired();
    account = found;
    expires = check.expires;
  } else {
    const accountEl = child(node, 'account');
    if (!accountEl) throw invalidRequest('missing required element: account');
    const by = attr(accountEl, 'by') ?? 'name';
    const name = text(accountEl).trim();
    if (!['name', 'id', 'foreignPrincipal'].includes(by)) throw invalidRequest(`unknown key: ${by}`);
    const password = attrOrChild(node, 'password');
    if (password === undefined && !child(node, 'preauth')) throw invalidRequest('must specify password');
    const found = by === 'name' ? core.accounts.byName(name) : by === 'id' ? core.accounts.byId(name) : undefined;
    // Preauth is not simulated: a request using it fails like a bad password.
    if (!found || password === undefined || found.password !== password) throw authFailed(name);
    account = found;
    ({ token, expires } = core.tokens.issue(account.id, now));
  }
  ctx.account = account;
  ctx.cookies.push(`ZM_AUTH_TOKEN=${token}; Path=/; HttpOnly`);

  const response: XmlNode = { authToken: token, lifetime: String(Math.max(0, expires - now)) };
  // `<session>` only when the context asked for one (§7); it then also shows in the header.
  if (ctx.context.session && !ctx.context.noSession) {
    let session = core.sessions.find(ctx.context.session.id, account);
    if (!session) {
      session = core.sessions.create(account);
      ctx.sessionCreated = true;
    }
    core.sessions.touch(session);
    ctx.session = session;
    response.session = { '@_id': session.id, '#text': session.id };
  }
  response.skin = 'beach';
  return response;
}
