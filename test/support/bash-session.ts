import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShellResult {
  status: number;
  stdout: string;
  stderr: string;
  /** The HTTP status of each curl call the command made, in order (0: no answer). */
  httpStatuses: number[];
}

const STATUS_LINE = /^@@http-status (\d{3})$/;

/**
 * One long-lived bash, as a reader's terminal: variables set by one command are there for the next.
 * Each command runs with its own output files; curl is wrapped to report each answer's status on
 * stderr, leaving what it prints unchanged. The environment is minimal (no proxies, no ~/.curlrc).
 */
export class BashSession {
  private output = '';
  private exited = false;
  private onOutput?: () => void;
  private steps = 0;

  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly dir: string,
  ) {
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      this.output += chunk;
      this.onOutput?.();
    });
    proc.stderr.resume();
    proc.on('exit', () => {
      this.exited = true;
      this.onOutput?.();
    });
  }

  static async start(): Promise<BashSession> {
    const dir = mkdtempSync(join(tmpdir(), 'readme-shell-'));
    const proc = spawn('bash', ['--noprofile', '--norc'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' },
      stdio: 'pipe',
    });
    const session = new BashSession(proc, dir);
    // -u: a variable the README never set is an error, not an empty string.
    const init = `set -u -o pipefail
curl() { command curl --write-out '%{stderr}\\n@@http-status %{http_code}\\n' "$@"; }`;
    const result = await session.run(init);
    if (result.status !== 0) throw new Error(`bash set-up failed: ${result.stderr}`);
    return session;
  }

  async run(command: string, timeoutMs = 15_000): Promise<ShellResult> {
    if (this.exited) throw new Error('the shell has exited');
    const n = ++this.steps;
    const file = (ext: string) => join(this.dir, `step-${n}.${ext}`);
    writeFileSync(file('sh'), `${command}\n`);
    const done = new RegExp(`@@done ${n} (\\d+)\\n`);
    this.output = '';
    const status = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onOutput = undefined;
        reject(new Error(`the command did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onOutput = () => {
        const match = done.exec(this.output);
        if (!match && !this.exited) return;
        clearTimeout(timer);
        this.onOutput = undefined;
        if (match) resolve(Number(match[1]));
        else reject(new Error('the shell exited'));
      };
      this.proc.stdin.write(`{ . ./step-${n}.sh ; } >step-${n}.out 2>step-${n}.err </dev/null; echo "@@done ${n} $?"\n`);
    });
    const stderrLines = readFileSync(file('err'), 'utf8').split('\n');
    const httpStatuses = stderrLines.flatMap((line) => {
      const match = STATUS_LINE.exec(line);
      return match ? [Number(match[1])] : [];
    });
    const stderr = stderrLines.filter((line) => line !== '' && !STATUS_LINE.test(line)).join('\n');
    return { status, stdout: readFileSync(file('out'), 'utf8'), stderr, httpStatuses };
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.proc.once('exit', resolve));
      this.proc.stdin.end('exit\n');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
