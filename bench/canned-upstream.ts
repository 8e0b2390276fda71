/**
 * The canned upstream: answers every SOAP request at once with a recorded response (bench/fixtures),
 * so the upstream's own cost does not hide the proxy's. It keeps just enough state to be a faithful
 * peer: sessions (created on `<session/>` or an unknown id), notify seq per session, message seq per
 * chat, echo notifications in IMSendMessage replies, and parked long-polls (NoOp wait=1) that the
 * bench releases with message notifications carrying the release time.
 *
 * Request parsing is string search over the few things it needs, nothing more: it must stay far
 * cheaper than anything it measures.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportReady, serveIpc } from './lib/child';
import { bodyOf, readFixture, Template } from './lib/fixtures';
import { processStatsCommands } from './lib/process-stats';

const ENVELOPE_START = '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header><context xmlns="urn:zimbra">';
const HEADER_END = '</context></soap:Header><soap:Body>';
const ENVELOPE_END = '</soap:Body></soap:Envelope>';
const HEADERS = { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store, no-cache' };

const recordedAuth = readFixture('auth.xml');
const recordedToken = /<authToken>([^<]+)<\/authToken>/.exec(recordedAuth)![1];
const authBody = new Template(bodyOf(recordedAuth), { token: /<authToken>([^<]+)<\/authToken>/ });
const gatewayList = readFixture('gateway-list.xml');
const REFRESH = /<refresh>.*<\/refresh>/.exec(gatewayList)![0];
const gatewayListBody = bodyOf(gatewayList);
const getChatBody = bodyOf(readFixture('get-chat.xml'));
const sendMessage = readFixture('send-message.xml');
const sendMessageBody = bodyOf(sendMessage);
const MESSAGE_SLOTS = { ts: / ts="(\d+)"/, seq: / seq="(\d+)"/, text: /<body[^>]*>([^<]*)<\/body>/ };
const echoTemplate = new Template(/<n type="message".*?<\/n>/.exec(sendMessage)![0], MESSAGE_SLOTS);
const noopMessage = readFixture('noop-message.xml');
const incomingTemplate = new Template(/<n type="message".*?<\/n>/.exec(noopMessage)![0], MESSAGE_SLOTS);
const noopBody = bodyOf(noopMessage);
const NOOP_DISALLOWED = noopBody.replace('/>', ' waitDisallowed="1"/>');
/** The recorded history numbers messages from 0; new ones continue after it. */
const FIRST_LIVE_SEQ = (getChatBody.match(/<message /g) ?? []).length;

interface Parked {
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

interface Session {
  id: string;
  token: string;
  notifySeq: number;
  msgSeq: number;
  /** `<n>` elements waiting for the next reply on this session (the server's "current batch"). */
  pending: string[];
  /** Blocks sent but not yet acknowledged: written again in every reply until acked (§5). */
  sent: { seq: number; xml: string }[];
  parked?: Parked;
  /** Has long-polled at least once: a target for released notifications. */
  listening: boolean;
}

const sessions = new Map<string, Session>();
let nextSession = 11;
let nextToken = 1;
const requestCounts: Record<string, number> = {};
/** Long-polls in progress per token (parked or being answered), and the most ever seen at once. */
const pollsByToken = new Map<string, number>();
let maxPollsPerToken = 0;
let released = 0;
/** While saturating: the sessions whose every long-poll is answered at once with a new notification. */
let saturating: Set<Session> | undefined;

function between(raw: string, open: string, close: string): string | undefined {
  const start = raw.indexOf(open);
  if (start < 0) return undefined;
  const end = raw.indexOf(close, start + open.length);
  return end < 0 ? undefined : raw.slice(start + open.length, end);
}

/** The request element's local name and namespace. */
function requestOf(raw: string): { name: string; ns: string } {
  const body = raw.indexOf('Body>');
  const lt = raw.indexOf('<', body);
  let end = lt + 1;
  while (end < raw.length && raw[end] !== ' ' && raw[end] !== '/' && raw[end] !== '>') end++;
  const qname = raw.slice(lt + 1, end);
  const name = qname.slice(qname.indexOf(':') + 1);
  const ns = /^[^>]*?xmlns="([^"]*)"/.exec(raw.slice(end, end + 200))?.[1] ?? 'urn:zimbraIM';
  return { name, ns };
}

/** The session the request names, or a new one when it asks for one or names one we do not know. */
function sessionOf(raw: string, token: string): { session?: Session; created: boolean } {
  const at = raw.indexOf('<session');
  if (at < 0) return { created: false };
  const id = raw.startsWith('<session id="', at) ? raw.slice(at + 13, raw.indexOf('"', at + 13)) : undefined;
  const known = id !== undefined ? sessions.get(id) : undefined;
  if (known) return { session: known, created: false };
  const session: Session = { id: String(nextSession++), token, notifySeq: 0, msgSeq: FIRST_LIVE_SEQ, pending: [], sent: [], listening: false };
  sessions.set(session.id, session);
  return { session, created: true };
}

function header(session: Session | undefined, created: boolean, notify = ''): string {
  const id = session ? `<session id="${session.id}">${session.id}</session>` : '';
  return `${ENVELOPE_START}${id}<change token="1"/>${created ? REFRESH : ''}${notify}${HEADER_END}`;
}

/** The request's `<notify seq=K>`: K ≤ 0 or none discards every sent block, else those up to K (§5). */
function acknowledge(session: Session, raw: string): void {
  const at = raw.indexOf('<notify seq="');
  const k = at < 0 ? 0 : Number(raw.slice(at + 13, raw.indexOf('"', at + 13)));
  if (session.sent.length === 0) return;
  session.sent = k > 0 ? session.sent.filter((b) => b.seq > k) : [];
}

/** Moves what is pending into a new block, and writes every unacknowledged block (more than 20 are dropped, as upstream). */
function takeBlock(session: Session, extra?: string): string {
  if (extra) session.pending.push(extra);
  if (session.pending.length > 0) {
    const seq = ++session.notifySeq;
    session.sent.push({ seq, xml: `<notify seq="${seq}"><im>${session.pending.join('')}</im></notify>` });
    session.pending = [];
    if (session.sent.length > 20) session.sent = [];
  }
  if (session.sent.length === 0) return '';
  if (session.sent.length === 1) return session.sent[0].xml;
  return session.sent.map((b) => b.xml).join('');
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, HEADERS);
  res.end(xml);
}

function answerPoll(session: Session, body: string): void {
  const parked = session.parked;
  if (!parked) return;
  session.parked = undefined;
  clearTimeout(parked.timer);
  send(parked.res, 200, header(session, false, takeBlock(session)) + body + ENVELOPE_END);
}

/** A message notification from the partner, stamped with the release time (monotonic ns, same clock in every process). */
function release(session: Session): void {
  released++;
  session.pending.push(incomingTemplate.render({ ts: Date.now(), seq: ++session.msgSeq, text: `t=${process.hrtime.bigint()}` }));
  if (session.parked) answerPoll(session, noopBody);
}

function longPoll(raw: string, res: ServerResponse, session: Session, created: boolean): void {
  const token = session.token;
  const polls = (pollsByToken.get(token) ?? 0) + 1;
  pollsByToken.set(token, polls);
  if (polls > maxPollsPerToken) maxPollsPerToken = polls;
  let done = false;
  const finished = () => {
    if (done) return;
    done = true;
    pollsByToken.set(token, (pollsByToken.get(token) ?? 1) - 1);
    if (session.parked?.res === res) {
      clearTimeout(session.parked.timer);
      session.parked = undefined;
    }
  };
  res.on('finish', finished);
  res.on('close', finished);
  session.listening = true;
  // A second wait on the session cancels the first (§6).
  if (session.parked) answerPoll(session, NOOP_DISALLOWED);
  if (saturating?.has(session)) release(session);
  if (created || session.pending.length > 0 || session.sent.length > 0) {
    send(res, 200, header(session, created, takeBlock(session)) + noopBody + ENVELOPE_END);
    return;
  }
  const timeout = Math.min(Math.max(Number(/timeout="(\d+)"/.exec(raw)?.[1] ?? 300_000), 30_000), 1_200_000);
  session.parked = { res, timer: setTimeout(() => answerPoll(session, noopBody), timeout) };
}

function handle(raw: string, res: ServerResponse): void {
  const { name, ns } = requestOf(raw);
  requestCounts[name] = (requestCounts[name] ?? 0) + 1;
  if (name === 'AuthRequest') {
    const token = recordedToken.slice(0, 2) + (nextToken++).toString(16).padStart(40, '0') + recordedToken.slice(42);
    send(res, 200, header(undefined, false) + authBody.render({ token }) + ENVELOPE_END);
    return;
  }
  const token = between(raw, '<authToken>', '</authToken>') ?? '';
  const { session, created } = sessionOf(raw, token);
  if (session) acknowledge(session, raw);
  switch (name) {
    case 'NoOpRequest':
      if (session && raw.includes('wait="1"')) return longPoll(raw, res, session, created);
      break;
    case 'IMGatewayListRequest':
      return send(res, 200, header(session, created, session && takeBlock(session)) + gatewayListBody + ENVELOPE_END);
    case 'IMGetChatRequest':
      return send(res, 200, header(session, created, session && takeBlock(session)) + getChatBody + ENVELOPE_END);
    case 'IMSendMessageRequest': {
      const text = between(raw, '<text>', '</text>') ?? '';
      const echo = session ? echoTemplate.render({ ts: Date.now(), seq: ++session.msgSeq, text }) : undefined;
      return send(res, 200, header(session, created, session && takeBlock(session, echo)) + sendMessageBody + ENVELOPE_END);
    }
    case 'EndSessionRequest':
      if (session) {
        answerPoll(session, noopBody);
        sessions.delete(session.id);
      }
      break;
  }
  const element = `<${name.replace(/Request$/, 'Response')} xmlns="${ns}"/>`;
  send(res, 200, header(session, created, session && takeBlock(session)) + element + ENVELOPE_END);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (raw += chunk));
  req.on('end', () => handle(raw, res));
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 0;

/** Releases notifications: `rate` spreads `perSecond` over the listening sessions; `saturate` answers every long-poll at once with one. */
async function runEvents(args: { mode: 'rate' | 'saturate'; perSecond?: number; durationMs: number; tokens: string[] }): Promise<{ released: number }> {
  const before = released;
  const start = performance.now();
  const tokens = new Set(args.tokens);
  const targets = [...sessions.values()].filter((s) => s.listening && tokens.has(s.token));
  saturating = args.mode === 'saturate' ? new Set(targets) : undefined;
  if (args.mode === 'saturate') {
    for (const s of targets) if (s.parked) release(s);
    await new Promise((r) => setTimeout(r, args.durationMs));
  } else {
    const perSecond = args.perSecond ?? 1_000;
    let next = 0;
    let sent = 0;
    while (performance.now() - start < args.durationMs) {
      const due = Math.floor(((performance.now() - start) * perSecond) / 1_000);
      for (; sent < due && targets.length > 0; sent++) release(targets[next++ % targets.length]);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  saturating = undefined;
  return { released: released - before };
}

server.listen(0, '127.0.0.1', () => {
  serveIpc({
    ...processStatsCommands(),
    upstream: () => ({
      requests: requestCounts,
      sessions: sessions.size,
      parked: [...sessions.values()].filter((s) => s.parked).length,
      maxPollsPerToken,
      released,
    }),
    events: runEvents,
    /** Starts a new observation window for the long-polls-per-token maximum; returns the old maximum. */
    resetPollMaximum: () => {
      const old = maxPollsPerToken;
      maxPollsPerToken = Math.max(0, ...pollsByToken.values());
      return old;
    },
  });
  reportReady((server.address() as AddressInfo).port);
});
