import { attr, child, text } from '../soap/xml';
import { ImSimulator } from './index';
import { TestClient, envelope, post } from './spec-support';

const ACCOUNTS = [
  { address: 'alice@example.com', password: 'alice-pass' },
  { address: 'bob@example.com', password: 'bob-pass' },
];
const DAY = 24 * 3600_000;
const authBody = (inner: string) => `<AuthRequest xmlns="urn:zimbraAccount">${inner}</AuthRequest>`;
const roster = '<IMGetRosterRequest xmlns="urn:zimbraIM"/>';

describe('simulator auth (§2, §7)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, tokenLifetimeMs: DAY });
  });
  afterEach(() => sim.stop());

  it('issues a 0_<hmac>_<hex> token with lifetime, and no session unless asked', async () => {
    const reply = await post(sim.url, envelope(authBody('<account>alice</account><password>alice-pass</password>')));
    expect(reply.status).toBe(200);
    const token = text(child(reply.body, 'authToken'));
    expect(token).toMatch(/^0_[0-9a-f]+_[0-9a-f]+$/);
    expect(Number(text(child(reply.body, 'lifetime')))).toBe(DAY);
    expect(child(reply.body, 'session')).toBeUndefined();
    expect(reply.sessionId).toBeUndefined();
    expect(String(reply.headers['set-cookie'])).toBe(`ZM_AUTH_TOKEN=${token}; Path=/; HttpOnly`);
  });

  it('accepts the password as an attribute', async () => {
    const ok = await post(sim.url, envelope(authBody('<account by="name">bob@example.com</account>').replace('<AuthRequest ', '<AuthRequest password="bob-pass" ')));
    expect(ok.status).toBe(200);
  });

  it.each([
    ['<account by="email">a</account><password>x</password>', 'service.INVALID_REQUEST', 'invalid request: unknown key: email'],
    ['<account>alice@example.com</account>', 'service.INVALID_REQUEST', 'invalid request: must specify password'],
    ['<password>x</password>', 'service.INVALID_REQUEST', 'invalid request: missing required element: account'],
    ['<account>ALICE@example.com</account><password>wrong</password>', 'account.AUTH_FAILED', 'authentication failed for [ALICE@example.com]'],
    ['<account>zed@example.com</account><password>x</password>', 'account.AUTH_FAILED', 'authentication failed for [zed@example.com]'],
  ])('faults %s', async (inner, code, reason) => {
    const reply = await post(sim.url, envelope(authBody(inner)));
    expect(reply.status).toBe(500);
    expect(reply.fault).toMatchObject({ code, reason, value: 'soap:Sender' });
  });

  it('validates a token with the token form of AuthRequest', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const ok = await post(sim.url, envelope(authBody(`<authToken>${c.token}</authToken>`)));
    expect(text(child(ok.body, 'authToken'))).toBe(c.token);
    const forged = await post(sim.url, envelope(authBody(`<authToken>0_abc_1234</authToken>`)));
    expect(forged.fault!.code).toBe('service.AUTH_REQUIRED');
  });

  it('GetInfoRequest names the token\'s account (its primary name), without a session; no token is AUTH_REQUIRED', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const info = await post(sim.url, envelope('<GetInfoRequest xmlns="urn:zimbraAccount" sections="mbox"/>', `<authToken>${c.token}</authToken>`));
    expect(info.bodyName).toBe('GetInfoResponse');
    expect(text(child(info.body, 'name'))).toBe('alice@example.com');
    expect(info.sessionId).toBeUndefined();
    const anonymous = await post(sim.url, envelope('<GetInfoRequest xmlns="urn:zimbraAccount"/>'));
    expect(anonymous.fault!.code).toBe('service.AUTH_REQUIRED');
  });

  it('ignores forged or garbage tokens: authed requests get AUTH_REQUIRED (with a header)', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const tampered = c.token!.replace(/_(.)/, (_m, ch: string) => `_${ch === 'a' ? 'b' : 'a'}`);
    for (const token of [tampered, 'garbage', '']) {
      const reply = await post(sim.url, envelope(roster, `<authToken>${token}</authToken>`));
      expect(reply.status).toBe(500);
      expect(reply.fault).toMatchObject({ code: 'service.AUTH_REQUIRED', reason: 'no valid authtoken present' });
      expect(reply.context).toBeDefined();
    }
    // A token from another simulator is forged as far as this one is concerned.
    const other = await ImSimulator.start({ accounts: ACCOUNTS });
    try {
      const o = new TestClient(other.url, 'alice@example.com');
      await o.login();
      const reply = await post(sim.url, envelope(roster, `<authToken>${o.token}</authToken>`));
      expect(reply.fault!.code).toBe('service.AUTH_REQUIRED');
    } finally {
      await other.stop();
    }
  });

  it('accepts the ZM_AUTH_TOKEN cookie', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const reply = await post(sim.url, envelope(roster), { cookie: `ZM_AUTH_TOKEN=${c.token}` });
    expect(reply.fault).toBeUndefined();
    expect(reply.status).toBe(200);
  });

  it('faults an expired token with a bare AUTH_EXPIRED, even on AuthRequest; voidOnExpired gives AUTH_REQUIRED', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    sim.clock.advance(DAY + 1);
    const expired = await post(sim.url, envelope(roster, `<authToken>${c.token}</authToken>`));
    expect(expired.status).toBe(500);
    expect(expired.fault).toMatchObject({ code: 'service.AUTH_EXPIRED', reason: 'auth credentials have expired' });
    expect(expired.context).toBeUndefined();

    const auth = await post(sim.url, envelope(authBody('<account>alice@example.com</account><password>alice-pass</password>'), `<authToken>${c.token}</authToken>`));
    expect(auth.fault!.code).toBe('service.AUTH_EXPIRED');

    const voided = await post(sim.url, envelope(roster, `<authToken>${c.token}</authToken><authTokenControl voidOnExpired="1"/>`));
    expect(voided.fault!.code).toBe('service.AUTH_REQUIRED');
    expect(voided.context).toBeDefined();
  });

  it('refuses delegation to another account with a bare PERM_DENIED', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    await c.login();
    const reply = await post(sim.url, envelope(roster, `<authToken>${c.token}</authToken><account by="name">bob@example.com</account>`));
    expect(reply.fault).toMatchObject({ code: 'service.PERM_DENIED', reason: 'permission denied: can not access account bob@example.com' });
    expect(reply.context).toBeUndefined();
  });
});

describe('simulator sessions (§3, §4)', () => {
  let sim: ImSimulator;
  beforeEach(async () => {
    sim = await ImSimulator.start({ accounts: ACCOUNTS, sessionIdleMs: 600_000 });
  });
  afterEach(() => sim.stop());

  it('creates a session on AuthRequest with <session/>: body + header session, change, refresh in order', async () => {
    const c = new TestClient(sim.url, 'alice@example.com');
    const reply = await c.login();
    const id = reply.sessionId!;
    expect(id).toMatch(/^1\d+$/);
    expect(attr(child(reply.body, 'session'), 'id')).toBe(id);
    expect(reply.raw).toContain(`<session id="${id}">${id}</session>`);
    const ctx = reply.raw.slice(reply.raw.indexOf('<context'), reply.raw.indexOf('</context>'));
    const order = ['<session', '<change', '<refresh'].map((tag) => ctx.indexOf(tag));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(reply.raw).toMatch(/<refresh><version>[^<]+<\/version><mbx s="0"\/><folder id="1" name="USER_ROOT"\/><\/refresh>/);
  });

  it('reuses a valid session without refresh; ids count up from 1', async () => {
    const a = new TestClient(sim.url, 'alice@example.com');
    const b = new TestClient(sim.url, 'bob@example.com');
    await a.login();
    await b.login();
    expect(Number(b.sessionId!.slice(1))).toBe(Number(a.sessionId!.slice(1)) + 1);
    const again = await a.call(roster);
    expect(again.sessionId).toBe(a.sessionId);
    expect(child(again.context, 'refresh')).toBeUndefined();
    expect(child(again.context, 'change')).toBeDefined();
  });

  it('reads the id from the session text too', async () => {
    const a = new TestClient(sim.url, 'alice@example.com');
    await a.login();
    const reply = await post(sim.url, envelope(roster, `<authToken>${a.token}</authToken><session>${a.sessionId}</session>`));
    expect(reply.sessionId).toBe(a.sessionId);
    expect(child(reply.context, 'refresh')).toBeUndefined();
  });

  it('silently creates a new session for an unknown or foreign id', async () => {
    const a = new TestClient(sim.url, 'alice@example.com');
    const b = new TestClient(sim.url, 'bob@example.com');
    await a.login();
    await b.login();
    for (const id of ['1999', b.sessionId!]) {
      const reply = await post(sim.url, envelope(roster, `<authToken>${a.token}</authToken><session id="${id}"/>`));
      expect(reply.status).toBe(200);
      expect(reply.sessionId).not.toBe(id);
      expect(child(reply.context, 'refresh')).toBeDefined();
    }
  });

  it('makes no session without <session> or with nosession/nonotify; change is still there', async () => {
    const a = new TestClient(sim.url, 'alice@example.com');
    await a.login();
    for (const ctx of ['', '<session/><nosession/>', '<session/><nonotify/>']) {
      const reply = await post(sim.url, envelope(roster, `<authToken>${a.token}</authToken>${ctx}`));
      expect(reply.sessionId).toBeUndefined();
      expect(child(reply.context, 'change')).toBeDefined();
    }
    const anon = await post(sim.url, envelope(roster));
    expect(child(anon.context, 'change')).toBeUndefined();
  });

  it('expires idle sessions (clock) and ends them on EndSessionRequest', async () => {
    const a = new TestClient(sim.url, 'alice@example.com');
    await a.login();
    const first = a.sessionId;
    sim.clock.advance(599_000);
    expect((await a.call(roster)).sessionId).toBe(first);
    sim.clock.advance(600_000);
    expect(sim.sessionIds('alice@example.com')).toEqual([]);
    const renewed = await a.call(roster);
    expect(renewed.sessionId).not.toBe(first);
    expect(child(renewed.context, 'refresh')).toBeDefined();

    const second = a.sessionId;
    const end = await a.call('<EndSessionRequest xmlns="urn:zimbraAccount"/>');
    expect(end.status).toBe(200);
    expect(end.bodyName).toBe('EndSessionResponse');
    expect(end.sessionId).toBeUndefined();
    expect((await a.call(roster)).sessionId).not.toBe(second);
  });

  it('keeps at most 5 sessions per account, evicting the least recently used', async () => {
    const clients = Array.from({ length: 6 }, () => new TestClient(sim.url, 'alice@example.com'));
    const createdBefore = sim.sessionsCreated;
    for (const c of clients.slice(0, 5)) await c.login();
    await clients[0].call(roster); // 0 is now the most recent; 1 is the LRU
    await clients[5].login();
    const ids = sim.sessionIds('alice@example.com');
    expect(ids).toHaveLength(5);
    expect(sim.sessionsCreated - createdBefore).toBe(6); // the evicted one counts too
    expect(ids).not.toContain(clients[1].sessionId);
    expect(ids).toContain(clients[0].sessionId);
  });
});
