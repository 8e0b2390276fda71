import type { XmlNode } from '../../soap/xml';
import type { Account } from '../accounts';
import type { RequestContext } from '../context';
import type { SimulatorCore } from '../core';
import type { SoapSession } from '../sessions';

export const NS = {
  account: 'urn:zimbraAccount',
  mail: 'urn:zimbraMail',
  im: 'urn:zimbraIM',
} as const;

/** Everything a handler sees and may change for one request. */
export interface HandlerContext {
  core: SimulatorCore;
  /** The request element. */
  node: XmlNode;
  context: RequestContext;
  /** The authenticated account; AuthRequest sets it. */
  account?: Account;
  /** The session in use; AuthRequest and EndSession change it. */
  session?: SoapSession;
  /** The session was created by this request (→ `<refresh>`, NoOp does not block). */
  sessionCreated: boolean;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Response cookies (AuthRequest sets ZM_AUTH_TOKEN). */
  cookies: string[];
}

export interface Handler {
  /** Namespace of the request QName (§1: the QName picks the handler). */
  ns: string;
  /** Unauthenticated requests get AUTH_REQUIRED before the handler runs. */
  auth: boolean;
  /** Returns the response element's attributes and children. */
  handle(ctx: HandlerContext): XmlNode | Promise<XmlNode>;
}

/** Handlers keyed by request local name; new features add a file exporting one of these. */
export type HandlerTable = Record<string, Handler>;
