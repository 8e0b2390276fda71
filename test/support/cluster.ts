/**
 * imbridge instances as child processes on the built dist/main.js, for cluster e2e tests: their
 * kills are real (SIGKILL = crash, SIGSTOP/SIGCONT = pause, SIGTERM = deploy), and a TCP relay in
 * front of Redis can cut one instance off.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './redis-server';

/** The repository this file belongs to. */
const REPO_ROOT = resolve(__dirname, '..', '..');
const DIST_MAIN = join(REPO_ROOT, 'dist', 'main.js');
/** Makes an instance die with the test process that started it (see the file). */
const EXIT_WITH_PARENT = join(__dirname, 'exit-with-parent.js');
/** A Redis that may already run on the machine: never a port of ours. */
const SHARED_REDIS_PORT = 6379;
const OUTPUT_LINES = 200;
const LIVE_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 10_000;
const BUILD_LOCK_WAIT_MS = 300_000;

// ---------------------------------------------------------------------------------------------
// Building

/** What the build reads besides src/ (a changed setting makes a different dist). */
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json'];

let building: Promise<void> | undefined;

/**
 * Runs `nest build` when dist/main.js is missing or older than the sources. Jest workers (and other
 * test runs in this checkout) may call it at once: checking and building happen under a lock file,
 * so one builds while the others wait, then find dist fresh. A failed build throws with its output.
 */
export function ensureBuilt(): Promise<void> {
  building ??= buildUnderLock().finally(() => (building = undefined));
  return building;
}

async function buildUnderLock(): Promise<void> {
  const release = await acquireLock(join(tmpdir(), `imbridge-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 16)}.lock`));
  try {
    if (isBuilt()) return;
    const startedAt = new Date();
    const { code, output } = await run('npx', ['nest', 'build'], REPO_ROOT);
    if (code !== 0 || !existsSync(DIST_MAIN)) {
      rmSync(DIST_MAIN, { force: true }); // whatever it left is no build: the next call tries again
      throw new Error(`nest build failed (exit ${code}):\n${output.replace(/\x1b\[[0-9;]*m/g, '')}`); // without colour codes
    }
    // Dated to when the build began: a source saved during the build leaves dist stale, as it is.
    utimesSync(DIST_MAIN, startedAt, startedAt);
  } finally {
    release();
  }
}

function isBuilt(): boolean {
  if (!existsSync(DIST_MAIN)) return false;
  const builtAt = statSync(DIST_MAIN).mtimeMs;
  const inputs = BUILD_INPUTS.map((file) => join(REPO_ROOT, file)).filter(existsSync);
  return newestSource(join(REPO_ROOT, 'src')) <= builtAt && inputs.every((file) => statSync(file).mtimeMs <= builtAt);
}

/**
 * The newest mtime under `dir`, directories included (a removed file changes its directory's); unit
 * specs are left out, as the build leaves them out.
 */
function newestSource(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** An exclusive lock file holding its owner's pid; one whose owner died is taken over. */
async function acquireLock(path: string): Promise<() => void> {
  const deadline = Date.now() + BUILD_LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!isOwnerAlive(path)) {
      try {
        unlinkSync(path);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the build lock ${path} after ${BUILD_LOCK_WAIT_MS} ms`);
    await sleep(200);
  }
}

function isOwnerAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, 'utf8'));
  } catch {
    return true; // gone meanwhile, or being written: look again
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // Written between open and write, or garbage: old garbage is stale, fresh is being written.
    try {
      return Date.now() - statSync(lockPath).mtimeMs < 5_000;
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * Every child still running, killed when this process exits. Jest gives a test file a `process` of its
 * own whose events never fire, so there the lifeline (exit-with-parent.js) is what leaves no orphan.
 */
const running = new Set<ChildProcess>();
let cleanupInstalled = false;

function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllChildren();
      process.off(signal, onSignal);
      // Only ours listened: die of the signal as we would have without it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProxyProcessOptions {
  /** Added to the minimal environment (PATH, HOME, PORT, HOST, LOG_LEVEL=warn); may override those. */
  env: Record<string, string>;
  /** Shown in failure messages. */
  name: string;
}

/** One imbridge instance running `node dist/main.js` (call ensureBuilt first). */
export class ProxyProcess {
  private readonly lines: string[] = [];
  private paused = false;
  private exit?: ProcessExit;
  readonly exited: Promise<ProcessExit>;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    this.collect(child.stdout!, '');
    this.collect(child.stderr!, '[stderr] ');
    this.exited = new Promise((resolvePromise) => {
      const ended = (exit: ProcessExit): void => {
        running.delete(child);
        (child.stdio[3] as Socket | null)?.destroy(); // our end of the lifeline
        this.exit ??= exit;
        resolvePromise(this.exit);
      };
      child.once('exit', (code, signal) => ended({ code, signal }));
      // It could not be started at all (no 'exit' follows).
      child.once('error', (err) => {
        this.remember(`[spawn] ${err.message}`);
        if (child.pid === undefined) ended({ code: null, signal: null });
      });
    });
  }

  /** Starts an instance on a free port and resolves once GET /health/live answers 200. */
  static async start(options: ProxyProcessOptions): Promise<ProxyProcess> {
    if (!existsSync(DIST_MAIN)) throw new Error(`${options.name}: dist/main.js is missing; call ensureBuilt() first`);
    installCleanup();
    // The free port may be taken between the probe and the child's listen: try another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const env: Record<string, string> = {
        ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
        ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...options.env,
      };
      // fd 3: the lifeline exit-with-parent.js watches; its end (this process gone) kills the instance.
      const child = spawn(process.execPath, ['--require', EXIT_WITH_PARENT, DIST_MAIN], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      running.add(child);
      const proxy = new ProxyProcess(options.name, Number(env.PORT), child);
      try {
        await proxy.untilLive();
        return proxy;
      } catch (err) {
        await proxy.kill();
        if (attempt < 3 && proxy.output.some((line) => line.includes('EADDRINUSE'))) continue;
        throw err;
      }
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last lines it wrote (stderr ones marked), oldest first. */
  get output(): string[] {
    return [...this.lines];
  }

  get isRunning(): boolean {
    return this.exit === undefined;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.isRunning) this.child.kill(signal);
  }

  /** A crash: SIGKILL, resolved once it is gone. */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** A deploy: SIGTERM, then SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<ProcessExit> {
    if (!this.isRunning) return this.exited;
    this.signal('SIGTERM');
    if (this.paused) this.resume(); // a stopped process would not act on SIGTERM until continued
    const timer = setTimeout(() => this.signal('SIGKILL'), STOP_GRACE_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Freezes it (SIGSTOP): its sockets stay open but nothing answers. */
  pause(): void {
    this.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.signal('SIGCONT');
    this.paused = false;
  }

  private async untilLive(): Promise<void> {
    const deadline = Date.now() + LIVE_TIMEOUT_MS;
    let exitedEarly = false;
    void this.exited.then(() => (exitedEarly = true));
    for (;;) {
      if (exitedEarly) throw this.failure(`exited (${describeExit(this.exit!)}) before /health/live answered`);
      if (Date.now() > deadline) throw this.failure(`/health/live did not answer 200 within ${LIVE_TIMEOUT_MS} ms`);
      try {
        const res = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await Promise.race([sleep(50), this.exited]);
    }
  }

  private failure(what: string): Error {
    return new Error(`${this.name} (pid ${this.child.pid}, port ${this.port}) ${what}; its output:\n${this.lines.join('\n')}`);
  }

  private collect(stream: NodeJS.ReadableStream, mark: string): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) this.remember(mark + line);
    });
    stream.on('end', () => {
      if (partial) this.remember(mark + partial);
    });
  }

  private remember(line: string): void {
    this.lines.push(line);
    if (this.lines.length > OUTPUT_LINES) this.lines.splice(0, this.lines.length - OUTPUT_LINES);
  }
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

// ---------------------------------------------------------------------------------------------
// Network partition

/**
 * A TCP relay in front of a local port (Redis, say): an instance pointed at the relay instead of the
 * port can be cut off alone. While cut, open connections are reset and new ones reset on arrival.
 */
export class TcpRelay {
  /** The client side of each relayed connection. */
  private readonly clients = new Set<Socket>();
  private partitioned = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.relay(client));
  }

  static async start(targetPort: number): Promise<TcpRelay> {
    for (;;) {
      const server = createServer();
      const port = await new Promise<number>((resolvePromise, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolvePromise((server.address() as { port: number }).port));
      });
      if (port !== SHARED_REDIS_PORT) return new TcpRelay(server, port, targetPort);
      await new Promise((done) => server.close(done));
    }
  }

  /** Connections currently relayed. */
  get connections(): number {
    return this.clients.size;
  }

  get isCut(): boolean {
    return this.partitioned;
  }

  /** Resets every relayed connection, and every new one until heal(). */
  cut(): void {
    this.partitioned = true;
    for (const client of this.clients) abort(client);
    this.clients.clear();
  }

  heal(): void {
    this.partitioned = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((done) => this.server.close(done));
  }

  private relay(client: Socket): void {
    if (this.partitioned) {
      client.resetAndDestroy();
      return;
    }
    const target = createConnection({ host: '127.0.0.1', port: this.targetPort });
    // pipe() passes a graceful end on; a failure on one side (the target refusing, say) resets the other.
    client.on('error', () => target.destroy());
    target.on('error', () => {
      if (!client.destroyed) abort(client);
    });
    client.on('close', () => {
      this.clients.delete(client);
      target.destroy();
    });
    target.on('close', () => client.end());
    client.pipe(target);
    target.pipe(client);
    this.clients.add(client);
  }
}

/**
 * Resets a connection (RST, as a network failure does). One whose sending side was already ended is
 * destroyed instead: resetting it leaves its handle open, and the process could never exit.
 */
function abort(socket: Socket): void {
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

// ---------------------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
