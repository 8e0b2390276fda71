import { Stack, startStack } from './support/stack';

/** Every bad input is a 400 problem naming the field, and the upstream never hears of it. */
describe('bad input never reaches the upstream', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await stack.api.login('alice');
  });
  afterAll(() => stack.close());

  const longLocal = 'a'.repeat(65);
  const cases: [string, string, string, unknown, string][] = [
    ['login: account missing', 'POST', '/v1/sessions', { password: 'x' }, 'account'],
    ['login: account with a resource', 'POST', '/v1/sessions', { account: 'alice@example.com/phone', password: 'x' }, 'account'],
    ['login: account with markup', 'POST', '/v1/sessions', { account: 'a<b>@example.com', password: 'x' }, 'account'],
    ['login: account with whitespace', 'POST', '/v1/sessions', { account: 'al ice@example.com', password: 'x' }, 'account'],
    ['login: local part too long', 'POST', '/v1/sessions', { account: `${longLocal}@example.com`, password: 'x' }, 'account'],
    ['login: password with a control character', 'POST', '/v1/sessions', { account: 'alice@example.com', password: 'a\u0001b' }, 'password'],
    ['login: unknown property', 'POST', '/v1/sessions', { account: 'alice@example.com', password: 'x', admin: true }, 'admin'],
    ['contact: address not a JID', 'POST', '/v1/roster/contacts', { address: 'bob' }, 'address'],
    ['contact: address with a quote', 'POST', '/v1/roster/contacts', { address: "bo'b@example.com" }, 'address'],
    ['contact: groups not an array', 'POST', '/v1/roster/contacts', { address: 'bob@example.com', groups: 'Friends' }, 'groups'],
    ['contact: group with a comma', 'POST', '/v1/roster/contacts', { address: 'bob@example.com', groups: ['a,b'] }, 'groups'],
    ['contact: name with a lone surrogate', 'POST', '/v1/roster/contacts', { address: 'bob@example.com', name: 'x\ud800' }, 'name'],
    ['contact: name too long', 'POST', '/v1/roster/contacts', { address: 'bob@example.com', name: 'n'.repeat(1000) }, 'name'],
    ['update: address in the path with a resource', 'PUT', '/v1/roster/contacts/bob@example.com%2Fhome', { name: 'Bob' }, 'address'],
    ['remove: address in the path not a JID', 'DELETE', '/v1/roster/contacts/bob', undefined, 'address'],
    ['answer: authorize as a string', 'POST', '/v1/roster/requests/bob@example.com', { authorize: 'true' }, 'authorize'],
    ['answer: authorize missing', 'POST', '/v1/roster/requests/bob@example.com', {}, 'authorize'],
    ['presence: show in upper case', 'PUT', '/v1/presence', { show: 'AWAY' }, 'show'],
    ['presence: unknown show', 'PUT', '/v1/presence', { show: 'busy' }, 'show'],
    ['presence: priority out of range', 'PUT', '/v1/presence', { show: 'online', priority: 256 }, 'priority'],
    ['presence: status with NUL', 'PUT', '/v1/presence', { show: 'online', status: 'a\u0000' }, 'status'],
    ['idle: negative seconds', 'PUT', '/v1/presence/idle', { idle: true, idleSeconds: -1 }, 'idleSeconds'],
    ['idle: idle as a number', 'PUT', '/v1/presence/idle', { idle: 1, idleSeconds: 5 }, 'idle'],
  ];

  it.each(cases)('%s → 400 naming %5$s', async (_name, method, path, body, field) => {
    stack.sim.resetRequests();
    const res = await stack.api.request(method, path, { token, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('request.INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field.split(/[.[]/)[0])).toContain(field);
    expect(stack.sim.requestCount()).toBe(0);
  });

  it('malformed JSON → 400 before any upstream call', async () => {
    stack.sim.resetRequests();
    const res = await stack.api.request('PUT', '/v1/presence', { token, raw: '{"show": "away",' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.INVALID');
    expect(stack.sim.requestCount()).toBe(0);
  });

  it('a body over the limit → 413', async () => {
    stack.sim.resetRequests();
    const res = await stack.api.request('PUT', '/v1/presence', { token, body: { show: 'away', status: 'x'.repeat(200_000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('request.TOO_LARGE');
    expect(stack.sim.requestCount()).toBe(0);
  });

  it('no bearer token → 401 before any upstream call', async () => {
    stack.sim.resetRequests();
    for (const [method, path] of [['GET', '/v1/roster'], ['PUT', '/v1/presence'], ['DELETE', '/v1/sessions/current']]) {
      const res = await stack.api.request(method, path, { body: method === 'PUT' ? { show: 'away' } : undefined });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.REQUIRED');
    }
    expect(stack.sim.requestCount()).toBe(0);
  });
});
