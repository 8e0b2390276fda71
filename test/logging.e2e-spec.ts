import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { startStack } from './support/stack';

/** Logs are JSON with request ids, and credentials never appear in them. */
describe('logging', () => {
  it('logs each request as JSON with an id, and never a token or a password', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(chunk.toString());
      return true;
    });
    const stack = await startStack({ config: { logLevel: 'debug' } });
    try {
      const password = 'alice-pass';
      const token = await stack.api.login('alice');
      await stack.api.get('/v1/roster', token);
      await stack.api.request('GET', `/v1/roster?access_token=${encodeURIComponent(token)}`, { token });
      await stack.api.request('GET', '/health/live', { headers: { 'x-request-id': 'trace-me-123' } });
      await stack.api.post('/v1/sessions', { account: 'alice@example.com', password: 'wrong-secret-xyz' });
      const output = lines.join('');
      const records = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      const completed = records.filter((r) => r.msg === 'request completed');
      expect(completed.length).toBeGreaterThanOrEqual(5);
      for (const record of completed) expect(record.req.id).toEqual(expect.any(String));
      expect(completed.some((r) => r.req.id === 'trace-me-123')).toBe(true);
      expect(output).not.toContain(token);
      expect(output).not.toContain(encodeURIComponent(token));
      expect(output).not.toContain(password);
      expect(output).not.toContain('wrong-secret-xyz');
    } finally {
      await stack.close();
      spy.mockRestore();
    }
  });

  it('every answer carries X-Request-Id: the caller\'s when it is 1–128 visible characters, else a new one', async () => {
    const stack = await startStack();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    try {
      // Any value a client can put in a header (fetch trims outer spaces, as HTTP does).
      const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 200 })
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      await fc.assert(
        fc.asyncProperty(headerValue, fc.constantFrom('/health/live', '/v1/roster', '/v1/no-such-route'), async (given, path) => {
          const res = await stack.api.request('GET', path, { headers: { 'x-request-id': given } });
          const answered = res.headers.get('x-request-id');
          if (/^[\x21-\x7e]{1,128}$/.test(given)) expect(answered).toBe(given);
          else expect(answered).toMatch(uuid);
        }),
        { numRuns: 60 },
      );
      const plain = await stack.api.get('/health/live');
      const again = await stack.api.get('/health/live');
      expect(plain.headers.get('x-request-id')).toMatch(uuid);
      expect(again.headers.get('x-request-id')).not.toBe(plain.headers.get('x-request-id'));
    } finally {
      await stack.close();
    }
  });

  it('standard output is written asynchronously, and what is buffered still comes out when the process exits at once', () => {
    // A process of its own, so its standard output is a real pipe that nothing has wrapped.
    const script = `
      const { createLogger } = require('./src/common/request-log');
      const logger = createLogger('info');
      for (let i = 0; i < 2000; i++) logger.info({ i, token: 'secret-token-value' }, 'line');
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2000);
    expect(lines[1999]).toMatchObject({ i: 1999, msg: 'line', token: '[redacted]' });
    expect(run.stdout).not.toContain('secret-token-value');
  });
});
