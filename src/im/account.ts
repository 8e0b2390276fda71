import { NS, RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import { child, text, XmlNode } from '../soap/xml';

/** AuthRequest (wire format §7): account by name + password. */
export function authRequest(account: string, password: string): RequestBody {
  return {
    AuthRequest: {
      '@_xmlns': NS.account,
      account: { '@_by': 'name', '#text': account },
      password,
    },
  };
}

/** The token-validation form of AuthRequest (§7): answers with the token, or faults if it is not valid. */
export function validateTokenRequest(token: string): RequestBody {
  return { AuthRequest: { '@_xmlns': NS.account, authToken: token } };
}

export interface AuthResult {
  token: string;
  lifetimeMs: number;
}

export function readAuthResponse(body: XmlNode): AuthResult {
  const token = text(child(body, 'authToken'));
  const lifetimeMs = Number(text(child(body, 'lifetime')));
  if (!token || !Number.isFinite(lifetimeMs)) throw UpstreamError.badResponse('AuthResponse lacks authToken or lifetime');
  return { token, lifetimeMs };
}

/** EndSessionRequest: ends the session named in the context header. */
export function endSessionRequest(): RequestBody {
  return { EndSessionRequest: { '@_xmlns': NS.account } };
}

/** NoOpRequest as a long-poll (§6). No limitToOneBlocked: it would cancel other clients' polls on the account. */
export function longPollRequest(waitMs: number): RequestBody {
  return { NoOpRequest: { '@_xmlns': NS.mail, '@_wait': '1', '@_timeout': String(waitMs) } };
}

/** The upstream cancelled our poll because another one replaced it. */
export function isWaitDisallowed(body: XmlNode | undefined): boolean {
  const value = body?.['@_waitDisallowed'];
  return value === '1' || value === 'true';
}

/** IMGatewayListRequest: the only request that registers the session as an IM listener (§4). */
export function gatewayListRequest(): RequestBody {
  return { IMGatewayListRequest: { '@_xmlns': NS.im } };
}

/**
 * GetInfoRequest (urn:zimbraAccount), only the mailbox section: the request every Zimbra client makes
 * first. Read here for the account's primary name, which nothing else the proxy calls returns.
 */
export function getInfoRequest(): RequestBody {
  return { GetInfoRequest: { '@_xmlns': NS.account, '@_sections': 'mbox' } };
}

/** The account's primary name (lower-case `local@domain`) from a GetInfoResponse. */
export function readAccountName(body: XmlNode): string {
  const name = text(child(body, 'name')).trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(name)) throw UpstreamError.badResponse('GetInfoResponse lacks the account name');
  return name;
}
