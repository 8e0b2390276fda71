import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { RunningService, startService } from '../src/app.setup';
import { loadConfig } from '../src/config/config';
import { BashSession } from './support/bash-session';
import { readmeFences } from './support/readme-blocks';
import { runBlock } from './support/readme-runner';
import { ExampleIds } from './support/shown-output';
import { Api } from './support/stack';

/**
 * The README runs. The service starts as `npm start` starts it (startService, UPSTREAM_URL unset: the
 * embedded simulator with the demo accounts) on an ephemeral port; every ```sh block of the README
 * then runs in order in one bash session, as a reader would type it, with only `localhost:3000`
 * replaced by the real address. wscat lines are played with a real WebSocket client while the shell
 * commands around them run. Which blocks run and how lines are read: support/readme-blocks.ts; how
 * shown output is matched: support/shown-output.ts.
 */
const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const fences = readmeFences(README);

describe('README', () => {
  let service: RunningService;
  let bash: BashSession;
  const ids = new ExampleIds();
  let failed: string | undefined;

  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
    bash = await BashSession.start();
  });
  afterAll(async () => {
    await bash?.close();
    await service?.close();
  });

  it('marks the blocks it does not run, and runs every other sh block', () => {
    const skipped = fences.filter((f) => f.lang === 'sh' && f.skip).map((f) => f.section);
    expect(skipped).toEqual(['Set-up', 'Running several instances', 'Chaos and fuzz']);
    const run = fences.filter((f) => f.lang === 'sh' && !f.skip).map((f) => f.section);
    const stream = 'The event stream (WebSocket `/v1/events`)';
    expect(run).toEqual(['Walkthrough with curl (embedded simulator)', stream, stream, 'Operations', 'Operations', 'Errors']);
  });

  for (const fence of fences.filter((f) => f.lang === 'sh' && !f.skip)) {
    it(`runs the block at README line ${fence.line} (${fence.section}) as written`, async () => {
      // The blocks build on each other (tokens, event ids): after a failure the rest cannot mean much.
      if (failed) throw new Error(`not run: the block at README line ${failed} failed`);
      try {
        await runBlock(fence, { bash, ids, host: new URL(service.url).host });
      } catch (err) {
        failed = String(fence.line);
        throw err;
      }
    }, 60_000);
  }

  describe('what the README says beside its examples', () => {
    const socket = (query: string) => new WebSocket(`${service.url.replace(/^http/, 'ws')}/v1/events?${query}`);
    const closeOf = (ws: WebSocket) =>
      new Promise<{ code: number; reason: string; frames: string[] }>((resolve) => {
        const frames: string[] = [];
        ws.on('message', (data) => frames.push(data.toString()));
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), frames }));
      });

    it('close code 1008: a bad clientId', async () => {
      const token = await new Api(service.url).login('carol');
      const closed = await closeOf(socket(`access_token=${token}&clientId=${encodeURIComponent('not an id!')}`));
      expect(closed).toMatchObject({ code: 1008, frames: [] });
      expect(closed.reason).toContain('clientId');
    });

    it('close code 1008: more than 16 frames before ready', async () => {
      // A new token's socket waits for its upstream session before `ready`: held here for a second.
      const token = await new Api(service.url).login('dave');
      service.simulator!.injectFault({ account: 'dave@example.com', kind: 'stall', ms: 1_000 });
      const ws = socket(`access_token=${token}`);
      const closed = closeOf(ws);
      ws.on('open', () => {
        for (let i = 0; i < 17; i++) ws.send('{"op":"ping"}');
      });
      expect(await closed).toMatchObject({ code: 1008, reason: 'too many frames before ready' });
    });

    it('route.NOT_FOUND: a WebSocket upgrade to a path other than /v1/events', async () => {
      const ws = new WebSocket(`${service.url.replace(/^http/, 'ws')}/v1/event`);
      const answer = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
        ws.on('open', () => reject(new Error('the upgrade was accepted')));
        ws.on('error', () => undefined); // ws reports the refusal as an error too, after unexpected-response
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
        });
      });
      expect(answer).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
      expect(JSON.parse(answer.body)).toMatchObject({ status: 404, code: 'route.NOT_FOUND' });
    });

    it('/docs/openapi.json serves the checked-in openapi/openapi.json', async () => {
      const res = await fetch(`${service.url}/docs/openapi.json`);
      expect(res.status).toBe(200);
      const checkedIn = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
      expect(await res.json()).toEqual(checkedIn);
    });

    it('/demo serves the browser demo (DEMO is on with the embedded simulator), and the README opens with its picture', async () => {
      const res = await fetch(`${service.url}/demo`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('<title>imbridge demo</title>');
      expect(README).toMatch(/^# imbridge\n\n!\[[^\]\n]+\]\(docs\/demo\.png\)\n/);
      const png = readFileSync(join(__dirname, '..', 'docs', 'demo.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width: 1200, height: 750 });
      expect(README).toMatch(/\| `DEMO` \|[^\n]*`\/demo`/);
    });

    it('the README documents these facts where the test checks them', () => {
      expect(README).toMatch(/`1008`[^\n]*`clientId`[^\n]*16 frames/);
      expect(README).toContain('`route.NOT_FOUND`');
      expect(README).toMatch(/\| 415 \|[^\n]*`request.UNSUPPORTED_MEDIA_TYPE`/);
      expect(README).toContain('`/docs/openapi.json`');
    });
  });
});
