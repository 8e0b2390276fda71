/**
 * The raw event relay: the least any proxy must do on this machine to carry upstream notifications
 * to WebSocket clients — the events counterpart of relay.ts. Per token one long-poll loop (NoOp
 * wait=1 over an undici pool, each block acknowledged by seq and taken once); the message texts of a
 * reply are cut out by string search, framed once as JSON and written to every socket of the token.
 * No XML parser, no event log, no resume, no framework.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { WebSocket, WebSocketServer } from 'ws';
import { gatewayListRequest, longPollRequest } from '../src/im/account';
import { buildEnvelope } from '../src/soap/envelope';
import { reportReady, serveIpc } from './lib/child';
import { processStatsCommands } from './lib/process-stats';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? '');
const pool = new Pool(upstream.origin, { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
const SOAP_HEADERS = { 'content-type': 'application/soap+xml; charset=utf-8' };
const BLOCK = /<notify seq="(\d+)">([\s\S]*?)<\/notify>/g;
const TEXT = /<body[^>]*>([^<]*)<\/body>/g;
const POLL = longPollRequest(300_000);

async function post(envelope: string): Promise<string> {
  const { body } = await pool.request({ path: upstream.pathname, method: 'POST', headers: SOAP_HEADERS, body: envelope });
  return body.text();
}

/** Registers a listener session for the token, then long-polls while the token has sockets. */
async function relay(token: string, sockets: Set<WebSocket>): Promise<void> {
  const registered = await post(buildEnvelope({ authToken: token, session: 'new' }, gatewayListRequest()));
  const session = /<session id="([^"]+)"/.exec(registered)?.[1];
  let acked = 0;
  while (sockets.size > 0) {
    const reply = await post(buildEnvelope({ authToken: token, session, notifySeq: acked }, POLL));
    for (const [, seq, block] of reply.matchAll(BLOCK)) {
      if (Number(seq) <= acked) continue;
      acked = Number(seq);
      for (const [, text] of block.matchAll(TEXT)) {
        const frame = Buffer.from(JSON.stringify({ type: 'message', data: { text } }));
        for (const ws of sockets) ws.send(frame, { binary: false });
      }
    }
  }
}

const byToken = new Map<string, Set<WebSocket>>();
const server = createServer();
const wss = new WebSocketServer({ server, path: '/v1/events', perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  let sockets = byToken.get(token);
  const first = !sockets;
  if (!sockets) byToken.set(token, (sockets = new Set()));
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.send(JSON.stringify({ type: 'ready', data: { resumed: false, lastId: null } }));
  if (first) relay(token, sockets).catch((err) => console.error(`relay for a token stopped: ${err}`));
});

server.listen(0, '127.0.0.1', () => {
  serveIpc(processStatsCommands());
  reportReady((server.address() as AddressInfo).port);
});
