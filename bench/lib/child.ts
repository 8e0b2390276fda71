import { ChildProcess, fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A message between the bench and one of its server processes: a command and its answer share an id. */
export interface IpcMessage {
  id?: number;
  cmd?: string;
  args?: unknown;
  result?: unknown;
  error?: string;
  ready?: { port: number };
}

/** One server process (canned upstream, relay, proxy) driven over IPC. */
export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(readonly name: string, readonly proc: ChildProcess, readonly port: number) {
    proc.on('message', (msg: IpcMessage) => {
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(`${name}: ${msg.error}`));
      else waiter.resolve(msg.result);
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  /** Starts `script` (compiled JS) and waits for it to report its port. Output goes to `logFile`. */
  static async start(name: string, script: string, options: { env?: Record<string, string>; logFile: string; execArgv?: string[] }): Promise<BenchChild> {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const proc = fork(script, [], {
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s (see ${options.logFile})`)), 60_000);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} while starting (see ${options.logFile})`));
      });
      proc.on('message', (msg: IpcMessage) => {
        if (msg.ready) {
          clearTimeout(timer);
          resolve(msg.ready.port);
        }
      });
    });
    return new BenchChild(name, proc, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  request<T>(cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ id, cmd, args } satisfies IpcMessage);
    });
  }

  /** Asks the process to exit, and kills it if it does not within a second. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 1_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The child side: answers commands from the bench, and exits when the bench goes away (so nothing
 * outlives a run, even an interrupted one).
 */
export function serveIpc(handlers: Record<string, (args: any) => unknown>): void {
  process.on('message', async (msg: IpcMessage) => {
    if (msg.id === undefined || !msg.cmd) return;
    try {
      const handler = handlers[msg.cmd];
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      const result = await handler(msg.args);
      process.send?.({ id: msg.id, result } satisfies IpcMessage);
    } catch (err) {
      process.send?.({ id: msg.id, error: (err as Error).message } satisfies IpcMessage);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

export function reportReady(port: number): void {
  process.send?.({ ready: { port } } satisfies IpcMessage);
}
