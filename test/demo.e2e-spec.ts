import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { eventually, Stack, startStack } from './support/stack';

/** Debian's Chromium (installed by `npm test`'s pretest step); no browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..');
/** The SDK's browser bundle, as `npm run build -w client` writes it (the root `npm test` pretest runs that). */
const BUNDLE = join(ROOT, 'client', 'dist', 'imbridge-client.min.js');
const SCREENSHOTS = join(ROOT, 'test-results');
/** `UPDATE_DEMO_SCREENSHOT=1 npx jest test/demo` writes the README's picture of the demo. */
const README_SCREENSHOT = join(ROOT, 'docs', 'demo.png');
const VIEWPORT = { width: 1200, height: 750 };
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const ROOM = 'lobby@conference.example.com';
const WAIT = { timeout: 10_000 };

/** Waits until `locator` (narrowed to the elements holding `text`) is visible. */
const shows = (locator: Locator, text: string | RegExp) => locator.filter({ hasText: text }).first().waitFor(WAIT);
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

/** Run in the page: what a screen reader or keyboard user needs that simple DOM checks can see. */
const ACCESSIBILITY_REPORT = `(() => {
  const attr = (selector, name) => document.querySelector(selector)?.getAttribute(name);
  const children = [...document.body.children].filter((e) => e.tagName !== 'SCRIPT');
  return {
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    landmarks: children.map((e) => e.tagName),
    navigation: attr('nav', 'aria-label'),
    unlabelled: [...document.querySelectorAll('input, select, textarea')]
      .filter((c) => !(c.labels?.length || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby')))
      .map((c) => c.id || c.outerHTML),
    unnamed: [...document.querySelectorAll('button')].filter((b) => !(b.textContent.trim() || b.getAttribute('aria-label'))).map((b) => b.outerHTML),
    live: { status: attr('#status', 'role'), notice: attr('#notice', 'role'), error: attr('#error', 'role'), messages: attr('#messages', 'role'), typing: attr('#typing', 'aria-live') },
    sectionsNamed: [...document.querySelectorAll('section')].every((s) => document.getElementById(s.getAttribute('aria-labelledby') || '')?.textContent.trim()),
  };
})()`;

describe('the browser demo at /demo', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  /** Uncaught exceptions, console errors and warnings (CSP violations among them) of every page: there must be none. */
  const troubles: string[] = [];

  async function newPage(who: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    page.on('pageerror', (error) => troubles.push(`${who}: ${String(error)}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') troubles.push(`${who} console ${message.type()}: ${message.text()}`);
    });
    return page;
  }

  const roster = (page: Page, address: string) => page.locator('#roster li').filter({ hasText: address });
  const messages = (page: Page) => page.locator('#messages li');
  const connected = (page: Page, account: string) => shows(page.locator('#status'), `Connected as ${account}`);

  async function signIn(page: Page, account: string): Promise<void> {
    await page.goto(`${stack.url}/demo`);
    await page.getByLabel('Account').fill(account); // a demo account: the page fills in its password
    expect(await page.getByLabel('Password').inputValue()).toBe(`${account.split('@')[0]}-pass`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await connected(page, account);
  }

  async function screenshots(step: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await alice.screenshot({ path: join(SCREENSHOTS, `demo-${step}-alice.png`) });
    await bob.screenshot({ path: join(SCREENSHOTS, `demo-${step}-bob.png`) });
  }

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) {
      throw new Error(`${BUNDLE} is missing: run \`npm run build -w client\` first (the root \`npm test\` pretest step builds it)`);
    }
    stack = await startStack({ config: { demo: true } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    [alice, bob] = await Promise.all([newPage('alice'), newPage('bob')]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves the page, its script, its style sheet and the SDK bundle under a strict content security policy of their own', async () => {
    const answers = await Promise.all(['/demo', '/demo/app.js', '/demo/app.css', '/demo/imbridge-client.min.js'].map((path) => fetch(stack.url + path)));
    // Every body is read: an unread one keeps its connection busy, and closing the service would wait for it.
    const bodies = await Promise.all(answers.map((res) => res.text()));
    expect(answers.map((res) => [res.status, res.headers.get('content-type')])).toEqual([
      [200, 'text/html; charset=utf-8'],
      [200, 'text/javascript; charset=utf-8'],
      [200, 'text/css; charset=utf-8'],
      [200, 'text/javascript; charset=utf-8'],
    ]);
    for (const res of answers) {
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; .*connect-src 'self';.*frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(bodies[3]).toBe(readFileSync(BUNDLE, 'utf8'));
    // The API's answers are not touched by the demo's headers.
    const api = await fetch(`${stack.url}/health/live`);
    expect(api.headers.get('content-security-policy')).toBeNull();
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    await api.text();
    // The page shows only text: nothing the service sends is parsed as markup.
    expect(readFileSync(join(ROOT, 'src', 'demo', 'public', 'app.js'), 'utf8')).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('alice adds bob, bob accepts (and asks back), alice accepts: each sees the other online', async () => {
    await signIn(alice, ALICE);
    // Bob signs in with the keyboard alone.
    await bob.goto(`${stack.url}/demo`);
    await bob.keyboard.press('Tab');
    expect(await bob.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('account');
    await bob.keyboard.press('Control+A');
    await bob.keyboard.type(BOB);
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Enter');
    await connected(bob, BOB);

    await alice.getByLabel('Add a contact').fill(BOB);
    await alice.getByRole('button', { name: 'Add', exact: true }).click();
    await shows(roster(alice, BOB), /awaiting approval|online/);

    await bob.getByRole('button', { name: `Accept ${ALICE}` }).click();
    await shows(roster(alice, BOB), 'online');
    // Accepting added alice to bob's roster: his request to see her presence reaches her.
    await alice.getByRole('button', { name: `Accept ${BOB}` }).click();
    await shows(roster(bob, ALICE), 'online');
    expect(await alice.locator('#requests-section').isHidden()).toBe(true);
    expect(await bob.locator('#requests-section').isHidden()).toBe(true);

    // Presence is live: bob goes away, alice's roster says so.
    await bob.getByLabel('My presence').selectOption('away');
    await shows(roster(alice, BOB), 'away');
    await bob.getByLabel('My presence').selectOption('online');
    await shows(roster(alice, BOB), 'online');
    await screenshots('1-friends');
  }, 60_000);

  it('alice writes, bob sees her typing and then her message, answers; both see the history after a reload', async () => {
    await roster(alice, BOB).getByRole('button').click();
    await shows(alice.locator('#conversation-heading'), `Chat with ${BOB}`);
    await alice.getByLabel('Message', { exact: true }).fill('Hi Bob!');
    await alice.getByLabel('Message', { exact: true }).press('Enter');
    // Bob has no conversation open: the first message opens it.
    await shows(messages(bob), 'Hi Bob!');
    await shows(bob.locator('#conversation-heading'), `Chat with ${ALICE}`);

    await bob.getByLabel('Message', { exact: true }).pressSequentially('Hello Alice', { delay: 20 });
    await shows(alice.locator('#typing'), `${BOB} is typing…`);
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(alice), 'Hello Alice');
    await eventually(async () => ((await alice.locator('#typing').textContent()) === '' ? true : undefined), 5_000, 'the typing line cleared');

    await alice.getByLabel('Message', { exact: true }).pressSequentially('How are you?', { delay: 20 });
    await shows(bob.locator('#typing'), `${ALICE} is typing…`);
    expect(await texts(bob, '#messages li .text')).toEqual(['Hi Bob!', 'Hello Alice']); // typing came first
    await alice.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(bob), 'How are you?');
    await screenshots('2-chat');

    // A reload keeps the tab signed in; the chat's history comes back from the service.
    await Promise.all([alice.reload(), bob.reload()]);
    await Promise.all([connected(alice, ALICE), connected(bob, BOB)]);
    await roster(alice, BOB).getByRole('button').click();
    await roster(bob, ALICE).getByRole('button').click();
    const history = ['Hi Bob!', 'Hello Alice', 'How are you?'];
    for (const page of [alice, bob]) {
      await eventually(async () => ((await texts(page, '#messages li .text')).length === 3 ? true : undefined), 5_000, 'the history');
      expect(await texts(page, '#messages li .text')).toEqual(history);
    }
    expect(await texts(alice, '#messages li .from')).toEqual(['me', BOB, 'me']);
    expect(await texts(bob, '#messages li .from')).toEqual([ALICE, 'me', ALICE]);
    await screenshots('3-history');
  }, 60_000);

  it('both join a room and talk in it', async () => {
    // The room does not exist yet: alice's join creates it (and the page unlocks it for others).
    expect(stack.sim.rooms().map((room) => room.addr)).not.toContain(ROOM);
    expect(await alice.getByLabel('Room address').inputValue()).toBe(ROOM);
    expect(await alice.getByLabel('Nickname').inputValue()).toBe('alice');
    await alice.getByRole('button', { name: 'Join' }).click();
    await shows(alice.locator('#conversation-heading'), `Room ${ROOM}`);
    await shows(alice.locator('#occupants'), 'alice (you)');

    await bob.getByLabel('Nickname').fill('bobby');
    await bob.getByRole('button', { name: 'Join' }).click();
    await shows(bob.locator('#occupants'), 'In the room: alice, bobby (you)');
    await shows(alice.locator('#occupants'), 'bobby');

    await bob.getByLabel('Message', { exact: true }).fill('Hello room');
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(alice).filter({ hasText: 'bobby' }), 'Hello room');
    // Markup in a message is shown as the text it is, never run.
    const markup = 'Hi all <img src=x onerror="document.title=1"><script>document.title=2</script>';
    await alice.getByLabel('Message', { exact: true }).fill(markup);
    await alice.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(bob).filter({ hasText: 'alice' }), 'Hi all');
    expect(await texts(bob, '#messages li .text')).toEqual(['Hello room', markup]);
    expect(await bob.locator('#messages img, #messages script').count()).toBe(0);
    expect(await bob.title()).toBe('imbridge demo');
    expect(stack.sim.rooms().find((room) => room.addr === ROOM)?.occupants.map((o) => o.nick).sort()).toEqual(['alice', 'bobby']);
    await screenshots('4-room');
  }, 60_000);

  it('shows a resync when alice\'s IM session is lost, re-reads, joins the room again, and goes on working', async () => {
    await roster(alice, BOB).getByRole('button').click();
    await shows(alice.locator('#conversation-heading'), `Chat with ${BOB}`);
    await roster(bob, ALICE).getByRole('button').click();
    await bob.getByLabel('Message', { exact: true }).pressSequentially('Fine, and', { delay: 20 });
    await shows(alice.locator('#typing'), `${BOB} is typing…`);
    if (process.env.UPDATE_DEMO_SCREENSHOT) {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      await alice.screenshot({ path: README_SCREENSHOT });
    }
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(alice), 'Fine, and');

    expect(stack.sim.endSessions(ALICE)).toBeGreaterThan(0);
    await shows(alice.locator('#notice'), 'Resynced (the IM session was replaced)');
    expect(await alice.locator('#notice').textContent()).toMatch(/re-read 2 chats and 1 contact, and joined 1 room again\.$/);
    await connected(alice, ALICE);
    expect(stack.sim.rooms().find((room) => room.addr === ROOM)?.occupants.map((o) => o.nick).sort()).toEqual(['alice', 'bobby']);

    // The chat goes on both ways …
    await bob.getByLabel('Message', { exact: true }).fill('Still there?');
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(alice), 'Still there?');
    await alice.getByLabel('Message', { exact: true }).fill('Yes!');
    await alice.getByLabel('Message', { exact: true }).press('Enter');
    await shows(messages(bob), 'Yes!');
    // … and so does the room: bob's message there is counted as new in alice's room list.
    await bob.locator('#rooms').getByRole('button').click();
    await bob.getByLabel('Message', { exact: true }).fill('Back in the room');
    await bob.getByLabel('Message', { exact: true }).press('Enter');
    await shows(alice.locator('#rooms li'), '1 new');
    await alice.locator('#rooms').getByRole('button').click();
    await shows(messages(alice), 'Back in the room');
    await screenshots('5-resync');
    expect(troubles).toEqual([]);
  }, 60_000);

  it('has its accessibility basics (landmarks, one h1, a label for every control, named buttons, live regions); a wrong password is an alert; signing out is quiet', async () => {
    const signedOut = await newPage('a fresh page');
    await signedOut.goto(`${stack.url}/demo`);
    for (const page of [alice, signedOut]) {
      const report = await page.evaluate(ACCESSIBILITY_REPORT);
      expect(report).toEqual({
        lang: 'en',
        title: 'imbridge demo',
        h1: 1,
        landmarks: ['HEADER', 'MAIN', 'FOOTER'],
        navigation: 'Contacts and rooms',
        unlabelled: [],
        unnamed: [],
        live: { status: 'status', notice: 'status', error: 'alert', messages: 'log', typing: 'polite' },
        sectionsNamed: true,
      });
    }
    // A wrong password is said out loud (role alert), in the service's words.
    const before = troubles.length;
    await signedOut.getByLabel('Account').fill('carol@example.com');
    await signedOut.getByLabel('Password').fill('not-her-password');
    await signedOut.getByRole('button', { name: 'Sign in' }).click();
    await shows(signedOut.getByRole('alert'), /\S/);
    expect(await signedOut.locator('#app').isHidden()).toBe(true);
    expect(troubles.splice(before)).toEqual([expect.stringContaining('status of 401')]); // the browser logs the refused sign-in
    // Signing out ends the session quietly and forgets the token.
    await signIn(signedOut, 'carol@example.com');
    await signedOut.getByRole('button', { name: 'Sign out' }).click();
    await shows(signedOut.locator('#status'), 'Signed out');
    expect(await signedOut.locator('#error').isHidden()).toBe(true);
    expect(await signedOut.locator('#sign-in').isVisible()).toBe(true);
    expect(await signedOut.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await signedOut.context().close();
    expect(troubles).toEqual([]);
  });
});

describe('/demo when it is off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { demo: false } });
  });
  afterAll(() => stack?.close());

  it('is not there (DEMO=off, the default with a real upstream)', async () => {
    for (const path of ['/demo', '/demo/app.js', '/demo/imbridge-client.min.js']) {
      const res = await stack.api.send('GET', path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'route.NOT_FOUND' });
    }
  });
});
