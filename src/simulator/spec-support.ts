/** Helpers for the simulator's own specs: hand-written SOAP over real HTTP, and response readers. */
import { request } from 'undici';
import { attr, child, children, elementNames, parseXml, text, type XmlNode } from '../soap/xml';
import type { ImSimulator } from './index';

export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

export function envelope(body: string, context = '', version: '1.1' | '1.2' = '1.2'): string {
  const header = context ? `<soap:Header><context xmlns="urn:zimbra">${context}</context></soap:Header>` : '';
  return `<soap:Envelope xmlns:soap="${version === '1.2' ? SOAP12 : SOAP11}">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export class Reply {
  readonly doc?: XmlNode;

  constructor(readonly status: number, readonly headers: Record<string, string | string[] | undefined>, readonly raw: string) {
    try {
      this.doc = parseXml(raw);
    } catch {
      this.doc = undefined;
    }
  }

  get envelope(): XmlNode | undefined {
    return child(this.doc, 'Envelope');
  }

  get context(): XmlNode | undefined {
    return child(child(this.envelope, 'Header'), 'context');
  }

  get bodyName(): string | undefined {
    return elementNames(child(this.envelope, 'Body'))[0];
  }

  get body(): XmlNode {
    const name = this.bodyName;
    return (name && child(child(this.envelope, 'Body'), name)) || {};
  }

  get sessionId(): string | undefined {
    const s = child(this.context, 'session');
    return s ? attr(s, 'id') : undefined;
  }

  get seqs(): number[] {
    return children(this.context, 'notify').map((n) => Number(attr(n, 'seq')));
  }

  /** Every top-level `<n>` across the notify blocks, in order. */
  get notifications(): XmlNode[] {
    return children(this.context, 'notify').flatMap((b) => children(child(b, 'im'), 'n'));
  }

  ofType(type: string): XmlNode[] {
    return this.notifications.filter((n) => attr(n, 'type') === type);
  }

  /** Fault code/reason whichever SOAP version answered. */
  get fault(): { code: string; reason: string; value: string; error: XmlNode } | undefined {
    const f = child(child(this.envelope, 'Body'), 'Fault');
    if (!f) return undefined;
    const detail = child(f, 'Detail') ?? child(f, 'detail');
    const error = child(detail, 'Error') ?? {};
    const reason = text(child(child(f, 'Reason'), 'Text')) || text(child(f, 'faultstring'));
    const value = text(child(child(f, 'Code'), 'Value')) || text(child(f, 'faultcode'));
    return { code: text(child(error, 'Code')), reason, value, error };
  }
}

export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/soap+xml', ...headers } });
  return new Reply(res.statusCode, res.headers as Record<string, string | string[] | undefined>, await res.body.text());
}

/** A client that tracks token, session id and the highest seq like a well-behaved proxy. */
export class TestClient {
  token?: string;
  sessionId?: string;
  highestSeq = 0;

  constructor(readonly url: string, readonly address: string, readonly password = `${address.split('@')[0]}-pass`) {}

  async login(): Promise<Reply> {
    const body = `<AuthRequest xmlns="urn:zimbraAccount"><account by="name">${this.address}</account><password>${this.password}</password></AuthRequest>`;
    const reply = await post(this.url, envelope(body, '<session/>'));
    this.token = text(child(reply.body, 'authToken'));
    this.track(reply);
    return reply;
  }

  /** Sends a request with token, session and ack (unless turned off). */
  async call(body: string, opts: { session?: boolean; ack?: boolean; extraContext?: string } = {}): Promise<Reply> {
    let ctx = this.token ? `<authToken>${this.token}</authToken>` : '';
    if (opts.session !== false) ctx += this.sessionId ? `<session id="${this.sessionId}"/>` : '<session/>';
    if (opts.ack !== false && this.highestSeq > 0) ctx += `<notify seq="${this.highestSeq}"/>`;
    const reply = await post(this.url, envelope(body, ctx + (opts.extraContext ?? '')));
    this.track(reply);
    return reply;
  }

  im(name: string, attrs = '', inner = ''): Promise<Reply> {
    return this.call(`<${name} xmlns="urn:zimbraIM" ${attrs}>${inner}</${name}>`);
  }

  /** IMGatewayList: makes this session a listener. */
  register(): Promise<Reply> {
    return this.im('IMGatewayListRequest');
  }

  noop(attrs = 'wait="1"'): Promise<Reply> {
    return this.call(`<NoOpRequest xmlns="urn:zimbraMail" ${attrs}/>`);
  }

  private track(reply: Reply): void {
    const id = reply.sessionId;
    if (id && id !== this.sessionId) {
      this.sessionId = id;
      this.highestSeq = 0;
    }
    for (const seq of reply.seqs) this.highestSeq = Math.max(this.highestSeq, seq);
  }
}

/**
 * A client logged in and registered as a listener. With `drained`, the connect-time roster and privacy
 * notifications are also delivered and taken, so the replies that follow hold only new notifications.
 */
export async function online(sim: ImSimulator, address: string, options: { drained?: boolean } = {}): Promise<TestClient> {
  const c = new TestClient(sim.url, address);
  await c.login();
  await c.register();
  if (options.drained) {
    sim.flushRosters();
    sim.flushPrivacy();
    await c.noop('');
  }
  return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
