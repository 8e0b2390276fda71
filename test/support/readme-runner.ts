import WebSocket from 'ws';
import type { BashSession } from './bash-session';
import { blockSteps, Fence, Step } from './readme-blocks';
import { ExampleIds, matchLines, matchPattern, parsePattern } from './shown-output';

const FRAME_TIMEOUT_MS = 5_000;
/** How long a socket is watched for frames the README does not show before it is closed. */
const QUIET_MS = 300;

/** A WebSocket as the README's wscat shows it: frames received are taken in order. */
class Terminal {
  private readonly frames: string[] = [];
  private closed?: { code: number; reason: string };
  private wake?: () => void;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? '<binary frame>' : data.toString());
      this.wake?.();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake?.();
    });
  }

  static open(url: string): Promise<Terminal> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new Terminal(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`${url}: refused with HTTP ${res.statusCode}`)));
      ws.once('error', (err) => reject(new Error(`${url}: ${err.message}`)));
    });
  }

  async next(): Promise<string> {
    const deadline = Date.now() + FRAME_TIMEOUT_MS;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error(`the socket closed (${this.closed.code} ${this.closed.reason}) instead of sending a frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${FRAME_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.frames.shift()!;
  }

  send(frame: string): void {
    if (this.closed) throw new Error(`the socket closed (${this.closed.code} ${this.closed.reason}) before this frame was sent`);
    this.ws.send(frame);
  }

  /** Closes the socket (the reader's Ctrl-C) after a quiet moment; returns the frames nobody showed. */
  async close(): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    if (!this.closed) {
      const closed = new Promise((resolve) => this.ws.once('close', resolve));
      this.ws.close();
      await closed;
    }
    return this.frames.splice(0);
  }
}

export interface ReadmeContext {
  bash: BashSession;
  ids: ExampleIds;
  /** The base URL the README's `localhost:3000` stands for, e.g. 127.0.0.1:41234. */
  host: string;
}

/** Runs one runnable block as the README shows it; throws, naming the README line, on the first difference. */
export async function runBlock(fence: Fence, context: ReadmeContext): Promise<void> {
  const body = fence.body.map((line) => line.split('localhost:3000').join(context.host));
  const steps = blockSteps(body, fence.line + 1);
  let terminal: Terminal | undefined;
  const closeTerminal = async (at: number) => {
    const unshown = (await terminal?.close()) ?? [];
    terminal = undefined;
    if (unshown.length > 0) throw new Error(`README line ${at}: the socket received frames the README does not show:\n  ${unshown.join('\n  ')}`);
  };
  try {
    for (const step of steps) {
      try {
        if (step.kind === 'wscat') {
          await closeTerminal(step.line);
          terminal = await Terminal.open(await socketUrl(step.url, context));
        } else if (step.kind === 'shell') {
          await runShell(step, context.bash);
        } else {
          if (!terminal) throw new Error('a frame line with no socket open (open one with npx wscat -c <url>)');
          if (step.kind === 'send') {
            JSON.parse(step.frame); // a frame the README sends is valid JSON
            terminal.send(step.frame);
          } else {
            const pattern = parsePattern(step.frame);
            const frame = await terminal.next();
            let value: unknown;
            try {
              value = JSON.parse(frame);
            } catch {
              throw new Error(`received a frame that is not JSON: ${frame}`);
            }
            const error = matchPattern(pattern, value, context.ids);
            if (error) throw new Error(`received ${frame}\n${error}`);
          }
        }
      } catch (err) {
        throw new Error(`README line ${step.line}: ${(err as Error).message}\n  ${lineOf(step)}`);
      }
    }
    await closeTerminal(fence.line + fence.body.length);
  } finally {
    await terminal?.close();
  }
}

function lineOf(step: Step): string {
  switch (step.kind) {
    case 'shell':
      return step.command;
    case 'wscat':
      return `npx wscat -c ${step.url}`;
    case 'send':
      return `> ${step.frame}`;
    case 'receive':
      return `< ${step.frame}`;
  }
}

/**
 * A command must succeed; every curl call must get an answer below 400 unless the README shows that
 * status line (`HTTP/1.1 415 …`); the shown output must be found in what it printed.
 */
async function runShell(step: Extract<Step, { kind: 'shell' }>, bash: BashSession): Promise<void> {
  const result = await bash.run(step.command);
  const report = () => `\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`exit status ${result.status}${report()}`);
  if (result.stderr !== '') throw new Error(`the command wrote to stderr${report()}`);
  if (/(^|[\s|;&(])curl\s/.test(step.command) && result.httpStatuses.length === 0) {
    throw new Error(`no curl call reported its status (is --write-out overridden?)${report()}`);
  }
  for (const status of result.httpStatuses) {
    const shown = step.shown.some((line) => new RegExp(`^HTTP/[\\d.]+ ${status}( |$)`).test(line));
    if ((status === 0 || status >= 400) && !shown) throw new Error(`HTTP ${status}, and the README does not show that status${report()}`);
  }
  const error = matchLines(step.shown, result.stdout);
  if (error) throw new Error(error);
}

/** The socket URL as the reader's shell expands it, with example event ids (`after=`) made real. */
async function socketUrl(word: string, context: ReadmeContext): Promise<string> {
  const expanded = await context.bash.run(`printf '%s' ${word}`);
  if (expanded.status !== 0 || expanded.stderr !== '') throw new Error(`cannot expand the URL: ${expanded.stderr}`);
  const url = new URL(expanded.stdout);
  const after = url.searchParams.get('after');
  if (after !== null) url.searchParams.set('after', context.ids.real(after));
  return url.toString();
}
