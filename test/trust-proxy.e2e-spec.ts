import type { AppConfig } from '../src/config/config';
import { Stack, startStack } from './support/stack';

const LIMIT = 3;

/** Spends one client address's budget through the proxy in front of us, then asks once more as another. */
async function budgets(config: Partial<AppConfig>): Promise<{ first: number[]; second: number }> {
  const stack: Stack = await startStack({ config: { rateLimitPerMinute: LIMIT, ...config } });
  try {
    // No token: only the per-address budget counts (each call is a 401 until the limit).
    const asClient = async (address: string) => (await stack.api.request('GET', '/v1/roster', { headers: { 'x-forwarded-for': address } })).status;
    const first: number[] = [];
    for (let i = 0; i <= LIMIT; i++) first.push(await asClient('203.0.113.7'));
    return { first, second: await asClient('198.51.100.23') };
  } finally {
    await stack.close();
  }
}

describe('rate limit behind a reverse proxy (TRUST_PROXY)', () => {
  it('with the proxy trusted, each forwarded client address has its own budget', async () => {
    const { first, second } = await budgets({ trustProxy: ['127.0.0.1'] });
    expect(first).toEqual([401, 401, 401, 429]);
    expect(second).toBe(401);
  });

  it('untrusted (the default), X-Forwarded-For is ignored: every client behind the proxy shares its budget', async () => {
    const { first, second } = await budgets({});
    expect(first).toEqual([401, 401, 401, 429]);
    expect(second).toBe(429);
  });

  it('a trusted hop count works the same way', async () => {
    const { second } = await budgets({ trustProxy: 1 });
    expect(second).toBe(401);
  });

  it('a peer outside the trusted ranges is not believed', async () => {
    const { second } = await budgets({ trustProxy: ['10.0.0.0/8', '::1'] });
    expect(second).toBe(429);
  });
});
