import { attr, child, text, type XmlNode } from '../soap/xml';
import { optionalBool, toLong } from './args';

/** What the request's `<context xmlns="urn:zimbra">` asks for (§2). */
export interface RequestContext {
  /** From `<authToken>`, else the ZM_AUTH_TOKEN cookie. */
  authToken?: string;
  voidOnExpired: boolean;
  /** Present when `<session>` was sent; `id` is the session it names, if any. */
  session?: { id?: string };
  /** `<nosession/>` or `<nonotify/>`: no session for this request, whatever else was sent. */
  noSession: boolean;
  /** K of §5: `<session seq>`, else `<notify seq>`, else -1. */
  ack: number;
  /** Delegation target (`<account by>`). */
  account?: { by: string; value: string };
}

export function parseContext(ctx: XmlNode | undefined, tokenFromCookie?: string): RequestContext {
  const tokenEl = child(ctx, 'authToken');
  const tokenText = tokenEl ? text(tokenEl).trim() : '';
  const sessionEl = child(ctx, 'session');
  const notifyEl = child(ctx, 'notify');
  // The id is read from the text first and from the id attribute if the text is empty (§2).
  const sessionId = sessionEl ? text(sessionEl).trim() || attr(sessionEl, 'id')?.trim() || undefined : undefined;
  const seq = attr(sessionEl, 'seq') ?? attr(notifyEl, 'seq');
  const accountEl = child(ctx, 'account');
  return {
    authToken: tokenText || tokenFromCookie || undefined,
    voidOnExpired: optionalBool(child(ctx, 'authTokenControl'), 'voidOnExpired', false),
    session: sessionEl ? { id: sessionId } : undefined,
    noSession: child(ctx, 'nosession') !== undefined || child(ctx, 'nonotify') !== undefined,
    ack: seq === undefined ? -1 : toLong(seq, 'seq'),
    account: accountEl ? { by: attr(accountEl, 'by') ?? 'name', value: text(accountEl).trim() } : undefined,
  };
}

/** The ZM_AUTH_TOKEN cookie, if the request carries one (§2). */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'ZM_AUTH_TOKEN') return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
