/**
 * The raw relay: the least any HTTP proxy in front of the upstream must do on this machine. It takes
 * a POST, forwards its bytes unchanged over a keep-alive undici pool (the proxy's own client), and
 * returns the upstream's status, content type and bytes. No parsing, no logging, no framework.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { reportReady, serveIpc } from './lib/child';
import { processStatsCommands } from './lib/process-stats';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? '');
const path = upstream.pathname;
const pool = new Pool(upstream.origin, { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    pool
      .request({ path, method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/soap+xml' }, body: Buffer.concat(chunks) })
      .then(async ({ statusCode, headers, body }) => {
        const parts: Buffer[] = [];
        for await (const chunk of body) parts.push(chunk as Buffer);
        res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'text/xml') });
        res.end(Buffer.concat(parts));
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
});
server.keepAliveTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  serveIpc(processStatsCommands());
  reportReady((server.address() as AddressInfo).port);
});
