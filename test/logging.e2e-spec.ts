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
});
