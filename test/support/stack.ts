import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/config';
import { DEMO_ACCOUNTS } from '../../src/simulator/demo-accounts';
import { ImSimulator } from '../../src/simulator';
import type { SimulatorOptions } from '../../src/simulator/options';
import { openApiContract } from './openapi-contract';

export interface Stack {
  sim: ImSimulator;
  app: NestFastifyApplication;
  /** The proxy's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  api: Api;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * A tiny real-HTTP client for the proxy's public API. Every answer is checked against the checked-in
 * openapi/openapi.json (status declared, body of the declared shape): one that contradicts it throws.
 */
export class Api {
  constructor(private readonly base: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const res = await this.send<T>(method, path, options);
    openApiContract().assert(method, path, { status: res.status, contentType: res.headers.get('content-type'), body: res.body });
    return res;
  }

  /** The same request, its answer unchecked: for a caller that judges answers itself (and records rather than throws). */
  async send<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const text = await res.text();
    let body: any = text;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body };
  }

  get = <T = any>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = any>(path: string, body?: unknown, token?: string) => this.request<T>('POST', path, { token, body });
  put = <T = any>(path: string, body?: unknown, token?: string) => this.request<T>('PUT', path, { token, body });
  delete = <T = any>(path: string, token?: string) => this.request<T>('DELETE', path, { token });

  /** Logs a demo account in and returns its token. */
  async login(local: string): Promise<string> {
    const account = TEST_ACCOUNTS.find((a) => a.address.startsWith(`${local}@`));
    if (!account) throw new Error(`no test account ${local}`);
    const res = await this.post('/v1/sessions', { account: account.address, password: account.password });
    if (res.status !== 201) throw new Error(`login ${local} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }
}

/** The demo accounts plus a few more, so each test can have users of its own. */
export const TEST_ACCOUNTS = [
  ...DEMO_ACCOUNTS,
  ...['erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'].map((name) => ({ address: `${name}@example.com`, password: `${name}-pass` })),
];

/** Starts a simulator and a proxy pointed at it, both on ephemeral loopback ports. */
export async function startStack(options: { sim?: SimulatorOptions; config?: Partial<AppConfig> } = {}): Promise<Stack> {
  const sim = await ImSimulator.start({
    host: '127.0.0.1',
    port: 0,
    accounts: TEST_ACCOUNTS,
    rosterDelayMs: 20,
    noopTimeoutClampMs: [1_000, 1_200_000],
    ...options.sim,
  });
  const proxy = await startProxy(sim, options.config);
  return {
    sim,
    ...proxy,
    async close() {
      await proxy.close();
      await sim.stop();
    },
  };
}

/** A proxy (the app exactly as production builds it) on an ephemeral port, pointed at `sim`. */
export async function startProxy(
  sim: ImSimulator,
  overrides: Partial<AppConfig> = {},
): Promise<{ app: NestFastifyApplication; url: string; api: Api; close(): Promise<void> }> {
  const config: AppConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    upstreamUrl: sim.url,
    upstreamTimeoutMs: 2_000,
    longPollWaitMs: 5_000,
    rosterTimeoutMs: 2_000,
    rateLimitPerMinute: 0, // tests send many requests from one address; one test turns it on
    ...overrides,
  };
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return { app, url, api: new Api(url), close: () => app.close() };
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 3_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Makes two users see each other's presence (each subscribed to the other), through the public API. */
export async function makeFriends(api: Api, a: { token: string; address: string }, b: { token: string; address: string }): Promise<void> {
  const ok = (res: ApiResponse, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  ok(await api.get('/v1/roster', a.token), 'roster a');
  ok(await api.get('/v1/roster', b.token), 'roster b');
  ok(await api.post('/v1/roster/contacts', { address: b.address }, a.token), 'a adds b');
  await eventually(async () => ((await api.get('/v1/roster', b.token)).body.requests.includes(a.address) ? true : undefined), 3_000, 'request at b');
  ok(await api.post(`/v1/roster/requests/${a.address}`, { authorize: true, addToRoster: true }, b.token), 'b answers');
  await eventually(async () => ((await api.get('/v1/roster', a.token)).body.requests.includes(b.address) ? true : undefined), 3_000, 'request at a');
  ok(await api.post(`/v1/roster/requests/${b.address}`, { authorize: true }, a.token), 'a answers');
  await eventually(async () => {
    const res = await api.get('/v1/roster', b.token);
    return res.body.contacts.some((c: { address: string; subscription: string }) => c.address === a.address && c.subscription === 'to') ? true : undefined;
  }, 3_000, 'b subscribed to a');
}
