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
    ['gateway: type with a control character', 'PUT', '/v1/gateways/ya%01hoo/registration', { name: 'alice_y', password: 'pw' }, 'type'],
    ['gateway: type over 64 characters', 'DELETE', `/v1/gateways/${'y'.repeat(65)}/registration`, undefined, 'type'],
    ['gateway: type with U+FFFF', 'POST', '/v1/gateways/%EF%BF%BF/reconnect', undefined, 'type'],
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

  /** A 400 request.INVALID problem naming `field`, and nothing sent upstream. */
  async function expectInvalid(method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> }, field: string) {
    stack.sim.resetRequests();
    const res = await stack.api.request(method, path, { token, ...options });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(stack.sim.requestCount()).toBe(0);
  }

  const deep = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

  it.each([
    ['a 10 000-level array as a field', 'PUT', '/v1/presence', `{"show":"away","status":${deep(10_000)}}`, 'status'],
    ['a 10 000-level object as a field', 'PUT', '/v1/presence', `{"show":"away","status":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`, 'status'],
    ['a 10 000-level array as the body', 'PUT', '/v1/privacy-lists/default', deep(10_000), ''],
    ['a 10 000-level array inside a list item', 'PUT', '/v1/privacy-lists/default', `{"items":[{"order":1,"action":"deny","address":${deep(10_000)}}]}`, 'items'],
    ['a 33-level array in room settings', 'PATCH', '/v1/chats/myroom/configuration', `{"settings":{"roomName":${deep(31)}}}`, 'settings'],
  ])('%s → 400 naming the field, and the process keeps serving', async (_what, method, path, raw, field) => {
    await expectInvalid(method, path, { raw }, field);
    expect((await stack.api.get('/health/live')).status).toBe(200);
  });

  it.each(['constructor', 'hasOwnProperty', 'toString', 'valueOf', 'prototype', '__proto__'])(
    'the prototype key %s is an unknown property, at the top and nested',
    async (key) => {
      await expectInvalid('PUT', '/v1/presence', { raw: `{"show":"away","${key}":{}}` }, key);
      await expectInvalid('PATCH', '/v1/chats/myroom/configuration', { raw: `{"settings":{"${key}":"x"}}` }, `settings.${key}`);
      await expectInvalid('PUT', '/v1/privacy-lists/default', { raw: `{"items":[{"order":1,"action":"deny","address":"spam.example","${key}":1}]}` }, `items.0.${key}`);
    },
  );

  it('a constructor.prototype body (prototype poisoning) is refused naming the key', async () => {
    await expectInvalid('PUT', '/v1/presence', { raw: '{"show":"away","constructor":{"prototype":{"admin":true}}}' }, 'constructor');
  });

  it.each([
    ['an empty array', [[]]],
    ['an array holding a valid item', [[{ order: 1, action: 'deny', address: 'spam.example' }]]],
  ])('privacy items: %s where an item belongs → 400 naming items.0', async (_what, items) => {
    await expectInvalid('PUT', '/v1/privacy-lists/default', { body: { items } }, 'items.0');
  });

  it.each([['[]', 'an array'], ['[{"roomName":"x"}]', 'an array of settings']])('room settings: %s → 400 naming settings', async (raw) => {
    await expectInvalid('PATCH', '/v1/chats/myroom/configuration', { raw: `{"settings":${raw}}` }, 'settings');
  });

  it('a null body is not an object: 400 for the whole body', async () => {
    await expectInvalid('PUT', '/v1/presence', { raw: 'null' }, '');
    await expectInvalid('POST', '/v1/rooms/room@conference.example.com/join', { raw: 'null' }, '');
  });

  it('no body at all on a route whose fields are all optional is {}', async () => {
    // A token of its own: using it starts the account's link, whose polls would reach the log.
    const carol = await stack.api.login('carol');
    const res = await stack.api.request('POST', '/v1/rooms/room@conference.example.com/join', { token: carol });
    expect(res.status).toBe(200);
  });

  it('an empty body labelled application/json is no body: bodiless routes work, body routes name the missing fields', async () => {
    // A token of its own: using it starts the account's link, whose polls would reach the log.
    const erin = await stack.api.login('erin');
    const empty = { token: erin, raw: '' }; // content-type: application/json, content-length: 0
    expect((await stack.api.request('DELETE', '/v1/roster/contacts/nobody@example.com', empty)).status).toBe(204);
    const closed = await stack.api.request('DELETE', '/v1/chats/chat-none', empty);
    expect(closed.status).toBe(404);
    expect(closed.body.code).toBe('not_found');

    const presenceCalls = stack.sim.requestCount('IMSetPresenceRequest');
    const res = await stack.api.request('PUT', '/v1/presence', empty);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['show']);
    expect(stack.sim.requestCount('IMSetPresenceRequest')).toBe(presenceCalls);

    expect((await stack.api.request('DELETE', '/v1/sessions/current', empty)).status).toBe(204);
  });

  it.each(['0x10', '1e3', '%207', '%2B7', '7.0', '-1', '', '1&after=2', '0b1', 'Infinity'])('?after=%s is not an integer → 400 naming after', async (after) => {
    await expectInvalid('GET', `/v1/chats/chat-x?after=${after}`, {}, 'after');
  });

  it.each([
    ['before', '0x10'], ['before', '-1'], ['before', '1&before=2'], ['limit', '0'], ['limit', '1001'], ['limit', '+5'], ['limit', '5.0'], ['limit', ''],
  ])('?%s=%s is out of range or not an integer → 400 naming it', async (name, value) => {
    await expectInvalid('GET', `/v1/chats/chat-x?${name}=${value}`, {}, name);
  });

  it.each(['TRUE', '1', 'yes', '', 'true&owner=true'])('?owner=%s is not true or false → 400 naming owner', async (owner) => {
    await expectInvalid('GET', `/v1/chats/myroom/configuration?owner=${owner}`, {}, 'owner');
    await expectInvalid('GET', `/v1/rooms/room@conference.example.com/configuration?owner=${owner}`, {}, 'owner');
  });

  it.each([
    ['text/plain', '{"show":"away"}'],
    ['application/x-www-form-urlencoded', 'show=away'],
    ['application/xml', '<show>away</show>'],
  ])('a %s body → 415, nothing sent upstream', async (contentType, raw) => {
    stack.sim.resetRequests();
    const res = await stack.api.request('PUT', '/v1/presence', { token, raw, headers: { 'content-type': contentType } });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 415, code: 'request.UNSUPPORTED_MEDIA_TYPE' });
    expect(stack.sim.requestCount()).toBe(0);
  });

  it('a second logout with the ended token → 401 auth.REQUIRED, like any other use of it', async () => {
    const ended = await stack.api.login('bob');
    expect((await stack.api.delete('/v1/sessions/current', ended)).status).toBe(204);
    const again = await stack.api.delete('/v1/sessions/current', ended);
    expect(again.status).toBe(401);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 401, code: 'auth.REQUIRED' });
    expect((await stack.api.get('/v1/roster', ended)).body).toMatchObject({ status: 401, code: 'auth.REQUIRED', detail: again.body.detail });
  });
});
