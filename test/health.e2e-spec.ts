import { eventually, Stack, startStack } from './support/stack';
import { OpenSockets } from './support/ws-client';

describe('GET /health/ready and the link capacity (MAX_LINKS)', () => {
  let stack: Stack;
  const sockets = new OpenSockets(() => stack.url);

  beforeAll(async () => {
    // A link whose last socket has gone is idle at once (no linger), so it can make room.
    stack = await startStack({ config: { maxLinks: 1, eventsLingerMs: 0 } });
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('is 503 links.EXHAUSTED while the one link is in use and another token is refused, 200 once it is free', async () => {
    expect(await stack.api.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });

    const alice = await stack.api.login('alice');
    const socket = await sockets.ready({ token: alice }); // a listening socket keeps alice's link in use
    const bob = await stack.api.login('bob');
    expect((await stack.api.get('/v1/roster', bob)).status).toBe(503);

    const ready = await stack.api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ status: 503, code: 'links.EXHAUSTED' });
    expect(ready.body.detail).toContain('MAX_LINKS');
    expect((await stack.api.get('/health/live')).status).toBe(200);

    await socket.close();
    await eventually(async () => ((await stack.api.get('/health/ready')).status === 200 ? true : undefined), 3_000, 'ready again');
    expect((await stack.api.get('/v1/roster', bob)).status).toBe(200);
  });
});
