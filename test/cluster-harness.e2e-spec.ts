import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, Socket } from 'node:net';
import { join } from 'node:path';
import { ImSimulator } from '../src/simulator';
import { ensureBuilt, ProxyProcess, TcpRelay } from './support/cluster';
import { RedisServer } from './support/redis-server';
import { Api, eventually, TEST_ACCOUNTS } from './support/stack';

/** Running, as opposed to gone or a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A GET that gives up after `timeoutMs`: the status, or 'no answer'. */
async function statusOf(url: string, timeoutMs = 1_000, token?: string): Promise<number | 'no answer'> {
  try {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'no answer';
  }
}

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection through which RESP commands can be sent one at a time. */
function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** PING over `socket`: '+PONG', or how it failed (the connection closed or reset, or silence). */
function ping(socket: Socket, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const done = (outcome: string): void => {
      clearTimeout(timer);
      socket.off('data', onData).off('close', onClose).off('error', onError);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => done(chunk.toString().trim());
    const onClose = (): void => done('closed');
    const onError = (err: NodeJS.ErrnoException): void => done(err.code ?? 'error');
    const timer = setTimeout(() => done('silence'), timeoutMs);
    socket.on('data', onData).on('close', onClose).on('error', onError);
    if (socket.destroyed) done('closed');
    else socket.write('*1\r\n$4\r\nPING\r\n');
  });
}

/** PING on a new connection: '+PONG' or how it failed. */
async function pingNew(port: number): Promise<string> {
  let socket: Socket;
  try {
    socket = await connect(port);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error';
  }
  const outcome = await ping(socket);
  socket.destroy();
  return outcome;
}

describe('the cluster test harness: instances as child processes, and a relay to cut one off', () => {
  let sim: ImSimulator;
  let east: ProxyProcess;
  let west: ProxyProcess;

  beforeAll(async () => {
    await ensureBuilt();
    sim = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: TEST_ACCOUNTS, rosterDelayMs: 20 });
    const env = { UPSTREAM_URL: sim.url, RATE_LIMIT: 'off' };
    [east, west] = await Promise.all([ProxyProcess.start({ name: 'east', env }), ProxyProcess.start({ name: 'west', env })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([east?.stop(), west?.stop()]);
    await sim?.stop();
  });

  it('runs each instance as a process of its own, serving the API on its own port', async () => {
    expect(east.pid).not.toBe(process.pid);
    expect(new Set([east.pid, west.pid, process.pid]).size).toBe(3);
    expect(east.port).not.toBe(west.port);
    expect([east.port, west.port]).not.toContain(6379);
    expect(east.url).toBe(`http://127.0.0.1:${east.port}`);
    expect(east.isRunning).toBe(true);

    const token = await new Api(east.url).login('alice');
    const roster = await new Api(west.url).get('/v1/roster', token);
    expect(roster.status).toBe(200);
    expect(roster.body).toMatchObject({ contacts: expect.any(Array), requests: expect.any(Array) });
  });

  it('pauses an instance (nothing answers) and resumes it (it answers again)', async () => {
    expect(await statusOf(`${west.url}/health/live`)).toBe(200);
    west.pause();
    try {
      expect(await statusOf(`${west.url}/health/live`, 500)).toBe('no answer');
    } finally {
      west.resume();
    }
    expect(await statusOf(`${west.url}/health/live`, 5_000)).toBe(200);
    expect(west.isRunning).toBe(true);
  });

  it('kills an instance with SIGKILL while the other keeps serving', async () => {
    const token = await new Api(west.url).login('bob');
    await expect(east.kill()).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    await expect(east.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    expect(east.isRunning).toBe(false);
    expect(await statusOf(`${east.url}/health/live`)).toBe('no answer');
    expect(await statusOf(`${west.url}/v1/roster`, 5_000, token)).toBe(200);
  });

  it('stops an instance with SIGTERM, which it obeys even while paused', async () => {
    const deployed = await ProxyProcess.start({ name: 'deployed', env: { UPSTREAM_URL: sim.url } });
    deployed.pause();
    const started = Date.now();
    // Nest closes the app on SIGTERM, then dies of the signal it caught; a SIGKILL would mean it never acted on it.
    await expect(deployed.stop()).resolves.toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(deployed.isRunning).toBe(false);
  });

  it('rejects with the instance\'s own output when it exits before answering', async () => {
    const failed = await ProxyProcess.start({ name: 'misconfigured', env: { UPSTREAM_URL: 'ftp://nowhere' } }).catch((err: Error) => err);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/misconfigured .* exited \(code 1\) before \/health\/live answered/);
    expect((failed as Error).message).toContain('UPSTREAM_URL must be an http(s) URL');
  });

  it('ends an instance whose test process died without stopping it (the lifeline)', async () => {
    // A stand-in for a test process: starts a child on the lifeline as ProxyProcess does, tells its pid, and is then killed.
    const lifeline = join(__dirname, 'support', 'exit-with-parent.js');
    const starter = spawn(
      process.execPath,
      [
        '-e',
        `const child = require('node:child_process').spawn(process.execPath, ['--require', ${JSON.stringify(lifeline)}, '-e', 'setInterval(() => {}, 1000)'],` +
          ` { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] }); console.log(child.pid);`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const orphan = Number(await new Promise<string>((resolve) => starter.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    await sleepMs(300);
    expect(isRunning(orphan)).toBe(true); // the lifeline alone does not end it
    starter.kill('SIGKILL');
    await eventually(() => (isRunning(orphan) ? undefined : true), 5_000, 'the orphan to end');
  });

  describe('TcpRelay in front of a redis-server of the test\'s own', () => {
    let redis: RedisServer;
    let relay: TcpRelay;

    beforeAll(async () => {
      redis = await RedisServer.start();
      relay = await TcpRelay.start(redis.port);
    });
    afterAll(async () => {
      await relay?.close();
      await redis?.stop();
    });

    it('relays, cuts open and new connections, and relays again once healed', async () => {
      expect(relay.port).not.toBe(redis.port);
      const open = await connect(relay.port);
      expect(await ping(open)).toBe('+PONG');
      expect(relay.connections).toBe(1);

      relay.cut();
      expect(await ping(open)).not.toBe('+PONG');
      expect(await pingNew(relay.port)).not.toBe('+PONG');
      expect(relay.connections).toBe(0);

      relay.heal();
      expect(await pingNew(relay.port)).toBe('+PONG');
      open.destroy();
    });

    it('passes large replies through whole', async () => {
      const value = 'x'.repeat(4 * 1024 * 1024);
      const expected = `+OK\r\n$${value.length}\r\n${value}\r\n`;
      const socket = await connect(relay.port);
      const reply = await new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        let length = 0;
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length >= expected.length) resolve(Buffer.concat(chunks));
        });
        socket.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${value.length}\r\n${value}\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`);
      });
      expect(reply.toString() === expected).toBe(true); // not toBe(expected): a 4 MiB diff is no help
      socket.destroy();
    });
  });
});
