import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { SimulatorCore } from './core';
import { handleSoap } from './engine';
import { buildEnvelope } from './envelope';
import { faultElement, invalidRequest } from './faults';

/** `/service/soap`, with anything after it ignored (§1: the web client puts the request name there). */
const SOAP_PATH = /^\/service\/soap(?:\/[^?]*)?(?:\?.*)?$/;

/** The node:http front: routing, body cap, client-disconnect detection, common headers (§1). */
export function createSoapServer(core: SimulatorCore): Server {
  return createServer((req, res) => {
    void serve(core, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
    });
  });
}

async function serve(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!SOAP_PATH.test(req.url ?? '')) return plain(res, 404, 'not found');
  if (req.method !== 'POST') return plain(res, 405, 'method not allowed');

  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const raw = await readBody(req, core.options.maxBodyBytes);
  if (raw === undefined) {
    const fault = invalidRequest(`request too large (over ${core.options.maxBodyBytes} bytes)`);
    const xml = buildEnvelope('1.2', undefined, { 'soap:Fault': faultElement(fault, '1.2', core.clock.now()) });
    res.writeHead(500, { ...commonHeaders('text/xml; charset=utf-8'), Connection: 'close' });
    res.end(xml);
    return;
  }

  const reply = await handleSoap(core, raw, { cookie: req.headers.cookie, signal: aborter.signal });
  if (reply.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = commonHeaders(reply.contentType);
  if (reply.cookies.length) headers['Set-Cookie'] = reply.cookies;
  res.writeHead(reply.status, headers);
  if (reply.dripMs !== undefined) return drip(res, reply.body, reply.dripMs, aborter.signal);
  res.end(reply.body);
}

/** Headers at once, then the body one byte at a time, until done or the client goes away. */
async function drip(res: ServerResponse, body: string, everyMs: number, signal: AbortSignal): Promise<void> {
  res.flushHeaders();
  for (const byte of Buffer.from(body)) {
    await delay(everyMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    res.write(Buffer.of(byte));
  }
  res.end();
}

function commonHeaders(contentType: string): Record<string, string> {
  return { 'Content-Type': contentType, 'Cache-Control': 'no-store, no-cache' };
}

/** The body as UTF-8, or undefined once it passes `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
