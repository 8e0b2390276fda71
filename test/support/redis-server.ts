import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's package; scripts/ensure-system-packages.sh installs it when it is missing. */
export const REDIS_SERVER = '/usr/bin/redis-server';
/** A Redis that may already run on the machine: never used, never stopped. */
const SHARED_PORT = 6379;

export interface RedisServerOptions {
  /** Append-only file on (for the restart case: what was written survives a restart). Off by default. */
  appendOnly?: boolean;
}

/**
 * A redis-server of the test's own: started on a free port with nothing saved to disk (or with an
 * append-only file in a directory of its own), stopped by its pid. It never touches a Redis that was
 * already running, and a missing redis-server fails the test rather than skipping it.
 */
export class RedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    /** Its working directory (the append-only file, if any). */
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'imbridge-redis-')), options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Stops the server (SIGTERM, then SIGKILL) and starts it again on the same port and directory. */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Stops the server (SIGTERM, then SIGKILL), keeping its port and directory for `up`: Redis unreachable meanwhile. */
  async down(): Promise<void> {
    await this.halt();
  }

  /** Starts the server again after `down`, on the same port and directory. */
  async up(): Promise<void> {
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const persistence = this.options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir, '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${REDIS_SERVER}: ${err.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering: ${output.trim()}`)));
    });
    this.process = child;
    await Promise.race([exited, untilAnswers(this.port, 10_000)]);
  }

  private async halt(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A port the system hands out as free; never the shared 6379. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port: given } = probe.address() as { port: number };
        probe.close(() => resolve(given));
      });
    });
    if (port !== SHARED_PORT) return port;
  }
}

/** One RESP command over a fresh connection, e.g. `['GET', 'k']`; resolves with the raw reply (simple or bulk). */
export function redisCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (isComplete(reply)) {
        socket.end();
        resolve(reply);
      }
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** A whole simple reply (`+OK`, `-ERR …`, `:1`) or bulk string (`$3\r\nabc\r\n`, `$-1`); no arrays. */
function isComplete(reply: string): boolean {
  const lineEnd = reply.indexOf('\r\n');
  if (lineEnd < 0) return false;
  if (reply[0] !== '$') return true;
  const length = Number(reply.slice(1, lineEnd));
  return length < 0 || Buffer.byteLength(reply) >= lineEnd + 2 + length + 2;
}

async function untilAnswers(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await redisCommand(port, ['PING'])) === '+PONG\r\n') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
