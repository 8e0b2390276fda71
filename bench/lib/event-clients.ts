import WebSocket from 'ws';
import { Samples } from './stats';

const STAMP = Buffer.from('"text":"t=');

/**
 * Many `/v1/events` sockets. Every message event the canned upstream releases carries its release
 * time (monotonic ns) as its text; on arrival a socket records receive − release. The clock is the
 * system-wide monotonic one, the same in every process of the machine.
 */
export class EventClients {
  readonly sockets: WebSocket[] = [];
  latencies = new Samples();
  received = 0;
  recording = false;
  unexpectedCloses = 0;

  /** Opens `perToken` sockets for each token, `concurrency` connection attempts at a time, and waits for every `ready`. */
  static async open(baseUrl: string, tokens: string[], perToken: number, concurrency = 50): Promise<EventClients> {
    const clients = new EventClients();
    const url = `${baseUrl.replace(/^http/, 'ws')}/v1/events`;
    const jobs: string[] = [];
    for (let i = 0; i < perToken; i++) jobs.push(...tokens);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const token = jobs[next++];
        clients.sockets.push(await clients.connect(url, token));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    return clients;
  }

  private connect(url: string, token: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
      let ready = false;
      const timer = setTimeout(() => reject(new Error('socket not ready within 30 s')), 30_000);
      ws.on('message', (data: Buffer) => {
        if (!ready) {
          if (data.includes('"type":"ready"')) {
            ready = true;
            clearTimeout(timer);
            resolve(ws);
          }
          return;
        }
        this.onEvent(data);
      });
      ws.on('error', (err) => {
        if (!ready) {
          clearTimeout(timer);
          reject(err);
        }
      });
      ws.on('close', (code) => {
        if (ready && code !== 1000 && code !== 1005) this.unexpectedCloses++;
      });
    });
  }

  private onEvent(data: Buffer): void {
    const now = process.hrtime.bigint();
    if (!this.recording) return;
    const at = data.indexOf(STAMP);
    if (at < 0) return;
    let end = at + STAMP.length;
    while (end < data.length && data[end] >= 0x30 && data[end] <= 0x39) end++;
    const sent = BigInt(data.toString('latin1', at + STAMP.length, end));
    this.received++;
    this.latencies.push(Number(now - sent) / 1e6);
  }

  /** Starts a measurement window. */
  reset(): void {
    this.latencies = new Samples();
    this.received = 0;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(1000);
            setTimeout(() => {
              ws.terminate();
              resolve();
            }, 2_000).unref();
          }),
      ),
    );
  }
}
