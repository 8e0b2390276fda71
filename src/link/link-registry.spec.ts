import type { AppConfig } from '../config/config';
import { loadConfig } from '../config/config';
import type { SoapClient } from '../soap/soap-client';
import type { Link } from './link';
import { LinkRegistry } from './link-registry.service';

/** An upstream that never answers: links poll (a request stays parked) and are ended by the registry alone. */
const silentSoap = { call: () => new Promise(() => undefined) } as unknown as SoapClient;

function registry(overrides: Partial<AppConfig> = {}): LinkRegistry {
  return new LinkRegistry(silentSoap, { ...loadConfig({}), linkIdleMs: 1_000, ...overrides });
}

const sweep = (links: LinkRegistry) => (links as unknown as { sweep(): void }).sweep();
const age = (link: Link, ms: number) => (link.lastActivity = link.lastUsed = Date.now() - ms);

describe('LinkRegistry', () => {
  it('tells each new link and its token to whoever listens, before the link is used', () => {
    const links = registry();
    const seen: [Link, string][] = [];
    links.onLinkCreated((link, token) => seen.push([link, token]));
    const link = links.acquire('token-1');
    expect(seen).toEqual([[link, 'token-1']]);
    expect(links.acquire('token-1')).toBe(link);
    expect(seen).toHaveLength(1);
    void links.onApplicationShutdown();
  });

  it('the idle sweep ends idle links but not one held by a background listener', () => {
    const links = registry();
    const idle = links.acquire('idle');
    const held = links.acquire('held');
    held.subscribe(() => undefined, { background: true });
    age(idle, 5_000);
    age(held, 5_000);
    sweep(links);
    expect([idle.isClosed, held.isClosed]).toEqual([true, false]);
    void links.onApplicationShutdown();
  });

  it('with every link taken, makes room from the idle links, the held ones last', () => {
    const links = registry({ maxLinks: 2 });
    const held = links.acquire('held');
    held.subscribe(() => undefined, { background: true });
    age(held, 10_000); // the oldest, yet held
    const idle = links.acquire('idle');
    const third = links.acquire('third');
    expect([idle.isClosed, held.isClosed]).toEqual([true, false]);
    third.subscribe(() => undefined, { background: true });
    held.lastActivity = Date.now() + 60_000; // its long-poll answered last: that is no use by a client
    links.acquire('fourth'); // both left are held: the one its clients used least recently goes
    expect([held.isClosed, third.isClosed]).toEqual([true, false]);
    expect(links.size).toBe(2);
    void links.onApplicationShutdown();
  });
});
