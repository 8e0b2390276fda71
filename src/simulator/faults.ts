import { randomBytes } from 'node:crypto';
import type { XmlNode } from '../soap/xml';

export type FaultSide = 'sender' | 'receiver';

export interface FaultArg {
  name: string;
  type: 'IID' | 'ACCTID' | 'STR' | 'NUM';
  value: string;
}

/** A Zimbra ServiceException on its way to the wire (§8). */
export class SoapFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly side: FaultSide = 'sender',
    readonly args: FaultArg[] = [],
    /** AUTH_REQUIRED/AUTH_EXPIRED traces end in `:<File><line>` (§8). */
    readonly traceSuffix = '',
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

// ---- the codes the simulator raises, with the real message prefixes (§8 table) ----

export const invalidRequest = (detail: string) => new SoapFault('service.INVALID_REQUEST', `invalid request: ${detail}`);
export const failure = (detail: string) => new SoapFault('service.FAILURE', `system failure: ${detail}`, 'receiver');
export const parseError = (detail: string) => new SoapFault('service.PARSE_ERROR', `parse error: ${detail}`);
export const unknownDocument = (qname: string) => new SoapFault('service.UNKNOWN_DOCUMENT', `unknown document: ${qname}`);
export const permDenied = (detail: string) => new SoapFault('service.PERM_DENIED', `permission denied: ${detail}`);
export const authRequired = () =>
  new SoapFault('service.AUTH_REQUIRED', 'no valid authtoken present', 'sender', [], ':SoapEngine199');
export const authExpired = () =>
  new SoapFault('service.AUTH_EXPIRED', 'auth credentials have expired', 'sender', [], ':ZimbraSoapContext231');
export const authFailed = (name: string) => new SoapFault('account.AUTH_FAILED', `authentication failed for [${name}]`);
export const invalidAddress = (addr: string) =>
  new SoapFault('im.INVALID_ADDRESS', `address is invalid: ${addr}`, 'sender', [{ name: 'addr', type: 'STR', value: addr }]);
/** An uncaught Java runtime exception in a handler (§8 last bullet). */
export const illegalArgument = (detail: string) => failure(`java.lang.IllegalArgumentException: ${detail}`);

let threadCounter = 0;

/** `<thread-name>:<epoch-ms>:<16 hex>` (§8). */
function traceId(fault: SoapFault, nowMs: number): string {
  threadCounter = (threadCounter + 1) % 100;
  return `btpool0-${threadCounter}:${nowMs}:${randomBytes(8).toString('hex')}${fault.traceSuffix}`;
}

function errorDetail(fault: SoapFault, nowMs: number): XmlNode {
  const error: XmlNode = { '@_xmlns': 'urn:zimbra', Code: fault.code, Trace: traceId(fault, nowMs) };
  if (fault.args.length) error.a = fault.args.map((a) => ({ '@_n': a.name, '@_t': a.type, '#text': a.value }));
  return error;
}

/** The `soap:Fault` element for SOAP 1.2 or 1.1 (§8). */
export function faultElement(fault: SoapFault, version: '1.1' | '1.2', nowMs: number): XmlNode {
  if (version === '1.2') {
    return {
      'soap:Code': { 'soap:Value': fault.side === 'sender' ? 'soap:Sender' : 'soap:Receiver' },
      'soap:Reason': { 'soap:Text': fault.message },
      'soap:Detail': { Error: errorDetail(fault, nowMs) },
    };
  }
  return {
    'soap:faultcode': fault.side === 'sender' ? 'soap:Client' : 'soap:Server',
    'soap:faultstring': fault.message,
    'soap:detail': { Error: errorDetail(fault, nowMs) },
  };
}

/** Anything thrown by a handler that is not a SoapFault is a server bug: report it like Java would. */
export function asSoapFault(err: unknown): SoapFault {
  if (err instanceof SoapFault) return err;
  const message = err instanceof Error ? err.message : String(err);
  return failure(`java.lang.RuntimeException: ${message}`);
}
