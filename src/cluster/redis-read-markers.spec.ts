import { specRedis } from '../../test/support/spec-redis';
import { MemoryReadMarkers, ReadMarkers } from '../chats/read-markers';
import { ClusterKeys } from './keys';
import { RedisReadMarkers } from './redis-read-markers';

const keys = new ClusterKeys('imb:');
const ALICE = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
const BOB = 'ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zyxwvut';

describe("read markers, in memory and on a redis-server of the test's own", () => {
  const spec = specRedis();
  const stores: [string, () => Promise<ReadMarkers>][] = [
    ['memory', async () => new MemoryReadMarkers()],
    ['redis', async () => new RedisReadMarkers(await spec.connect('markers'), keys)],
  ];

  it.each(stores)('%s: keeps each token its own markers per thread, 0 where none was set', async (_name, make) => {
    const markers = await make();
    await markers.set(ALICE, 'chat-1', 4);
    await markers.set(ALICE, 'chat-1', 2); // a reader may go back
    await markers.set(BOB, 'chat-1', 9);
    expect(await markers.get(ALICE, ['chat-1', 'chat-2'])).toEqual([2, 0]);
    expect(await markers.get(BOB, ['chat-1'])).toEqual([9]);
    expect(await markers.get(ALICE, [])).toEqual([]);
  });

  it('redis: the markers of every instance are one, and they expire a month after the last write', async () => {
    const [a, b] = [new RedisReadMarkers(await spec.connect('a'), keys), new RedisReadMarkers(await spec.connect('b'), keys)];
    await a.set(ALICE, 'chat-9', 7);
    expect(await b.get(ALICE, ['chat-9'])).toEqual([7]);
    const redis = await spec.connect('inspect');
    const ttl = await redis.command<number>(['PTTL', keys.readMarkers(ALICE.slice(0, 22))]);
    expect(ttl).toBeGreaterThan(29 * 24 * 3600_000);
  });
});
