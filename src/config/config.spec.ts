import fc from 'fast-check';
import { loadConfig, parseOrigin } from './config';

const scheme = fc.constantFrom('http', 'https');
const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined });
/** `scheme://host[:port]` as someone might write it, in any letter case. */
const writtenOrigin = fc
  .tuple(scheme, fc.domain(), port, fc.boolean())
  .map(([s, host, p, shout]) => {
    const origin = `${s}://${host}${p === undefined ? '' : `:${p}`}`;
    return shout ? origin.toUpperCase() : origin;
  });

describe('parseOrigin', () => {
  it('gives the origin exactly as a browser sends it in its Origin header', () => {
    fc.assert(
      fc.property(writtenOrigin, (written) => {
        expect(parseOrigin(written)).toBe(new URL(written).origin);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('refuses anything more or less than an origin', () => {
    const extra = fc.constantFrom('/', '/app', '?x=1', '#top', '/ ');
    fc.assert(
      fc.property(writtenOrigin, extra, (origin, tail) => {
        expect(parseOrigin(origin + tail)).toBeUndefined();
      }),
      { seed: 42, numRuns: 200 },
    );
    for (const bad of ['', '*', 'null', 'app.example.com', '//app.example.com', 'https://', 'https://user@app.example.com', 'https://app.example.com:99999', 'https://app example.com']) {
      expect({ bad, origin: parseOrigin(bad) }).toEqual({ bad, origin: undefined });
    }
  });

  it('keeps other schemes (webview apps) and IPv6 hosts', () => {
    expect(parseOrigin('capacitor://localhost')).toBe('capacitor://localhost');
    expect(parseOrigin('http://[::1]:8080')).toBe('http://[::1]:8080');
    expect(parseOrigin('https://app.example.com:443')).toBe('https://app.example.com');
  });
});

describe('loadConfig: CORS_ORIGINS', () => {
  it('is empty (same-origin only) when unset or blank', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' ' }).corsOrigins).toEqual([]);
  });

  it('reads a comma-separated list of origins, normalised and without repeats', () => {
    fc.assert(
      fc.property(fc.array(writtenOrigin, { minLength: 1, maxLength: 5 }), (written) => {
        const expected = [...new Set(written.map((w) => new URL(w).origin))];
        expect(loadConfig({ CORS_ORIGINS: written.join(' , ') }).corsOrigins).toEqual(expected);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('stops start-up on an entry that is not an origin, naming the variable and the entry', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com,https://b.example.com/app' })).toThrow(
      /CORS_ORIGINS .*"https:\/\/b\.example\.com\/app"/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS .*"\*"/);
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('takes true, a hop count, or a list of addresses, CIDR ranges and named ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1 , fd00::/8,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })), { minLength: 1, maxLength: 4 }), (ranges) => {
        const entries = ranges.map(([ip, prefix]) => (prefix === undefined ? ip : `${ip}/${prefix}`));
        expect(loadConfig({ TRUST_PROXY: entries.join(',') }).trustProxy).toEqual(entries);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('stops start-up on anything else, naming the variable', () => {
    for (const bad of ['0', '101', 'yes', '10.0.0.0/33', '::1/129', '1.2.3', 'proxy.example.com', '127.0.0.1,', '10.0.0.0/8/8']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/^TRUST_PROXY /);
    }
  });
});

describe('loadConfig: cluster mode', () => {
  const SECRET = 's'.repeat(32);

  it('is off (one process, no Redis) when REDIS_URL is unset', () => {
    expect(loadConfig({}).cluster).toBeUndefined();
    expect(loadConfig({ CLUSTER_SECRET: SECRET }).cluster).toBeUndefined();
  });

  it('reads REDIS_URL with the defaults of the design: 5 s lease, 1 s heartbeat, imb: prefix, a new instance id per start', () => {
    const first = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6390', CLUSTER_SECRET: SECRET }).cluster!;
    const second = loadConfig({ REDIS_URL: 'rediss://cache.example:6380/2', CLUSTER_SECRET: SECRET }).cluster!;
    expect(first).toMatchObject({ redisUrl: 'redis://127.0.0.1:6390', secret: SECRET, leaseMs: 5_000, heartbeatMs: 1_000, keyPrefix: 'imb:' });
    expect(first.instanceId).not.toBe(second.instanceId);
    expect(loadConfig({ REDIS_URL: 'redis://r', CLUSTER_SECRET: SECRET, INSTANCE_ID: 'web-1' }).cluster!.instanceId).toBe('web-1');
  });

  it('stops start-up on a bad value, naming the variable', () => {
    const base = { REDIS_URL: 'redis://127.0.0.1:6390', CLUSTER_SECRET: SECRET };
    expect(() => loadConfig({ ...base, REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...base, CLUSTER_SECRET: undefined })).toThrow(/CLUSTER_SECRET/);
    expect(() => loadConfig({ ...base, CLUSTER_SECRET: 'short' })).toThrow(/CLUSTER_SECRET/);
    expect(() => loadConfig({ ...base, CLUSTER_LEASE_MS: '100' })).toThrow(/CLUSTER_LEASE_MS/);
    expect(() => loadConfig({ ...base, CLUSTER_LEASE_MS: '2000', CLUSTER_HEARTBEAT_MS: '1500' })).toThrow(/CLUSTER_HEARTBEAT_MS/);
    expect(() => loadConfig({ ...base, REDIS_KEY_PREFIX: '{x}' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(() => loadConfig({ ...base, INSTANCE_ID: 'a b' })).toThrow(/INSTANCE_ID/);
  });
});

describe('loadConfig: DEMO', () => {
  const UPSTREAM = 'https://mail.example.com/service/soap';

  it('is on with the embedded simulator and off in front of a real server, by default', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ UPSTREAM_URL: UPSTREAM }).demo).toBe(false);
    expect(loadConfig({ UPSTREAM_URL: UPSTREAM, DEMO: '' }).demo).toBe(false);
  });

  it('is turned on or off by DEMO=on|off whatever the upstream', () => {
    expect(loadConfig({ UPSTREAM_URL: UPSTREAM, DEMO: 'on' }).demo).toBe(true);
    expect(loadConfig({ DEMO: 'off' }).demo).toBe(false);
    expect(loadConfig({ DEMO: 'on' }).demo).toBe(true);
  });

  it('stops start-up on any other value, naming the variable', () => {
    for (const bad of ['yes', 'true', '1', 'ON']) expect(() => loadConfig({ DEMO: bad })).toThrow(`DEMO must be on or off, got "${bad}"`);
  });
});

describe('loadConfig: offline delivery (webhooks)', () => {
  const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
  const base = { WEBHOOK_URL: 'https://push.example.com/imbridge', WEBHOOK_SECRET: SECRET };

  it('is off when WEBHOOK_URL is unset, whatever else is set', () => {
    expect(loadConfig({}).webhooks).toBeUndefined();
    expect(loadConfig({ WEBHOOK_SECRET: 'nonsense', WEBHOOK_TYPES: 'nonsense' }).webhooks).toBeUndefined();
  });

  it('has production defaults: the wake-up types, bounded queues, an hour of retries, 10 s per request', () => {
    expect(loadConfig(base).webhooks).toEqual({
      url: base.WEBHOOK_URL,
      secrets: [SECRET],
      types: ['message', 'invitation', 'subscriptionRequest'],
      maxQueuePerToken: 1_000,
      maxQueue: 100_000,
      retryWindowMs: 3_600_000,
      timeoutMs: 10_000,
      batchMaxEvents: 100,
      batchLingerMs: 100,
      concurrency: 16,
      backoffMs: 1_000,
      backoffMaxMs: 300_000,
    });
  });

  it('takes several secrets (rotation) and a list of known event types', () => {
    const next = `whsec_${Buffer.alloc(64, 2).toString('base64')}`;
    const config = loadConfig({ ...base, WEBHOOK_SECRET: ` ${SECRET}  ${next} `, WEBHOOK_TYPES: 'message, chatClosed,message' }).webhooks!;
    expect(config.secrets).toEqual([SECRET, next]);
    expect(config.types).toEqual(['message', 'chatClosed']);
  });

  it('stops start-up on a bad value, naming the variable and never repeating a secret', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ WEBHOOK_URL: 'ftp://push.example.com' }, /WEBHOOK_URL/],
      [{ WEBHOOK_SECRET: undefined }, /WEBHOOK_SECRET must be set/],
      [{ WEBHOOK_SECRET: 'plain-password-of-some-length-000000' }, /WEBHOOK_SECRET/],
      [{ WEBHOOK_SECRET: `whsec_${Buffer.alloc(16, 3).toString('base64')}` }, /24 to 64/], // too short
      [{ WEBHOOK_SECRET: `whsec_${Buffer.alloc(65, 3).toString('base64')}` }, /24 to 64/], // too long
      [{ WEBHOOK_SECRET: `${SECRET} whsec_not*base64` }, /entry 2/],
      [{ WEBHOOK_TYPES: 'message,mesage' }, /WEBHOOK_TYPES.*"mesage"/],
      [{ WEBHOOK_MAX_QUEUE_PER_TOKEN: '0' }, /WEBHOOK_MAX_QUEUE_PER_TOKEN/],
      [{ WEBHOOK_MAX_QUEUE: '10', WEBHOOK_MAX_QUEUE_PER_TOKEN: '20' }, /WEBHOOK_MAX_QUEUE_PER_TOKEN must be at most WEBHOOK_MAX_QUEUE/],
      [{ WEBHOOK_BATCH_MAX_EVENTS: '2000' }, /WEBHOOK_BATCH_MAX_EVENTS/],
      [{ WEBHOOK_TIMEOUT_MS: '10' }, /WEBHOOK_TIMEOUT_MS/],
      [{ WEBHOOK_RETRY_WINDOW_MS: 'soon' }, /WEBHOOK_RETRY_WINDOW_MS/],
      [{ WEBHOOK_BACKOFF_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '1000' }, /WEBHOOK_BACKOFF_MS/],
    ];
    for (const [env, message] of cases) {
      let error: Error | undefined;
      try {
        loadConfig({ ...base, ...env });
      } catch (err) {
        error = err as Error;
      }
      expect({ env, message: error?.message }).toEqual({ env, message: expect.stringMatching(message) });
      for (const value of Object.values(env)) if (value?.startsWith('whsec_')) expect(error!.message).not.toContain(value.slice(6, 20));
    }
  });
});
