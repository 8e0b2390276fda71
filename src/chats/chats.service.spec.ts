import { ProblemException } from '../common/problem';
import type { AppConfig } from '../config/config';
import type { EventData, ImEvent } from '../link/events';
import type { Link } from '../link/link';
import { LinkState } from '../link/link-state';
import type { LinkRegistry } from '../link/link-registry.service';
import { UpstreamError } from '../soap/upstream-error';
import { buildXml, child, parseXml, XmlNode } from '../soap/xml';
import { ADDRESS_UNKNOWN_CODE, ChatsService, NO_ECHO_CODE } from './chats.service';
import { MemoryReadMarkers } from './read-markers';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const SENT_AT = '2010-11-17T13:20:00.000Z';

/**
 * A link without an upstream: `call` records the request (as XML) and runs `onCall`, which may emit
 * events the way a response header would; `waitFor` behaves like the real one.
 */
class FakeLink {
  readonly state = new LinkState();
  readonly requests: string[] = [];
  onCall: (request: string) => XmlNode | Promise<XmlNode> = () => ({});
  private readonly waiters = new Set<{ select: (e: ImEvent) => unknown; resolve: (v: unknown) => void; timer: NodeJS.Timeout }>();

  async call(body: XmlNode): Promise<XmlNode> {
    const xml = buildXml(body);
    this.requests.push(xml);
    return this.onCall(xml);
  }

  waitFor<T>(select: (e: ImEvent) => T | undefined, timeoutMs: number, code: string) {
    let waiter!: { select: (e: ImEvent) => unknown; resolve: (v: unknown) => void; timer: NodeJS.Timeout };
    const promise = new Promise<T>((resolve, reject) => {
      waiter = {
        select,
        resolve: resolve as (v: unknown) => void,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new UpstreamError('timeout', code, 'no notification'));
        }, timeoutMs),
      };
    });
    promise.catch(() => undefined);
    this.waiters.add(waiter);
    return {
      promise,
      cancel: () => {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
      },
    };
  }

  emit(event: ImEvent): void {
    if (!this.state.admit(event)) return;
    for (const waiter of [...this.waiters]) {
      const value = waiter.select(event);
      if (value !== undefined) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(value);
      }
    }
  }

  get pendingWaiters(): number {
    return this.waiters.size;
  }
}

const echo = (data: Partial<EventData['message']> & { thread: string; seq: number; text: string }): ImEvent => ({
  type: 'message',
  data: { from: ALICE, to: BOB, sentAt: SENT_AT, ...data },
});

/** The response element of an upstream reply written as XML. */
const reply = (xml: string): XmlNode => {
  const doc = parseXml(xml);
  return child(doc, Object.keys(doc)[0]) as XmlNode;
};

describe('ChatsService', () => {
  let link: FakeLink;
  let service: ChatsService;

  beforeEach(() => {
    link = new FakeLink();
    const links = { acquire: () => link as unknown as Link } as unknown as LinkRegistry;
    service = new ChatsService(links, { rosterTimeoutMs: 100 } as AppConfig, new MemoryReadMarkers());
  });

  it('start: sends without a thread and answers with the echo (arriving in the call itself)', async () => {
    link.onCall = () => {
      link.emit(echo({ thread: 'chat-alice%example.com-0', seq: 1, text: 'hi' }));
      return {};
    };
    await expect(service.start('t', BOB, { text: 'hi' })).resolves.toEqual({ thread: 'chat-alice%example.com-0', seq: 1, sentAt: SENT_AT });
    expect(link.requests).toEqual([
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com"><body><text>hi</text></body></message></IMSendMessageRequest>',
    ]);
    expect(link.pendingWaiters).toBe(0);
  });

  it('ignores echoes of other texts, other addresses and messages from others; waits for its own', async () => {
    link.onCall = () => {
      link.emit(echo({ thread: 'a', seq: 1, text: 'something else' }));
      link.emit({ type: 'message', data: { thread: 'b', from: BOB, seq: 1, sentAt: SENT_AT, text: 'hi' } });
      setTimeout(() => link.emit(echo({ thread: 'c', seq: 4, text: ' hi\n' })), 10);
      return {};
    };
    await expect(service.start('t', BOB, { text: 'hi' })).resolves.toMatchObject({ thread: 'c', seq: 4 });
  });

  it('two identical sends get one echo each, never the same one twice', async () => {
    let seq = 0;
    link.onCall = () => {
      const n = ++seq;
      setTimeout(() => link.emit(echo({ thread: 'chat-alice%example.com-0', seq: n, text: 'same' })), 5);
      return {};
    };
    const results = await Promise.all([service.start('t', BOB, { text: 'same' }), service.start('t', BOB, { text: 'same' })]);
    expect(results.map((r) => r.seq).sort()).toEqual([1, 2]);
  });

  it('an alias: the echo names the resolved address; the one own message with our text is taken', async () => {
    link.onCall = () => {
      link.emit(echo({ thread: 'chat-alice%example.com-3', seq: 1, text: 'hi', to: 'robert@example.com' }));
      return {};
    };
    await expect(service.start('t', 'bob.alias@example.com', { text: 'hi' })).resolves.toMatchObject({ thread: 'chat-alice%example.com-3' });
  });

  it('HTML: sent with numeric entities; the echo (text derived from its html) matches', async () => {
    link.onCall = () => {
      link.emit(echo({ thread: 'x', seq: 2, text: 'Tom\u00a0& Jerry', html: '<b>Tom</b>&#160;&amp; Jerry' }));
      return {};
    };
    link.state.rememberChat('x', BOB);
    await expect(service.post('t', 'x', { text: 'Tom and Jerry', html: '<b>Tom</b>&nbsp;&amp; Jerry' })).resolves.toMatchObject({ seq: 2 });
    expect(link.requests[0]).toContain('<html>&lt;b&gt;Tom&lt;/b&gt;&amp;#160;&amp;amp; Jerry</html>');
    expect(link.requests[0]).not.toContain('subject');
  });

  it('post: a known address is used without asking; to overrides it; a stale thread reports the new one', async () => {
    link.state.rememberChat('old', BOB);
    link.onCall = () => {
      link.emit(echo({ thread: 'chat-alice%example.com-9', seq: 1, text: 'again', to: 'carol@example.com' }));
      return {};
    };
    await expect(service.post('t', 'old', { text: 'again', to: 'carol@example.com' })).resolves.toMatchObject({ thread: 'chat-alice%example.com-9' });
    expect(link.requests).toHaveLength(1);
    expect(link.requests[0]).toContain('<message addr="carol@example.com" thread="old">');
  });

  it('post: an unknown address is asked for (IMGetChat) and remembered; the partner is the addr', async () => {
    link.onCall = (request) => {
      if (request.startsWith('<IMGetChatRequest')) {
        return reply('<IMGetChatResponse thread="t1"><chat thread="t1"><pcps><p addr="bob@example.com"/></pcps></chat></IMGetChatResponse>');
      }
      link.emit(echo({ thread: 't1', seq: 3, text: 'yo' }));
      return {};
    };
    await expect(service.post('t', 't1', { text: 'yo' })).resolves.toMatchObject({ thread: 't1', seq: 3 });
    expect(link.requests[0]).toBe('<IMGetChatRequest xmlns="urn:zimbraIM" thread="t1"/>');
    expect(link.requests[1]).toContain('<message addr="bob@example.com" thread="t1">');
    expect(link.state.chatAddress('t1')).toBe(BOB);
  });

  it('post/typing to an unknown thread: 404 not_found and nothing sent', async () => {
    link.onCall = () => reply('<IMGetChatResponse error="not_found" thread="nope"/>');
    await expect(service.post('t', 'nope', { text: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.typing('t', 'nope', true)).rejects.toMatchObject({ code: 'not_found' });
    expect(link.requests.every((r) => r.startsWith('<IMGetChatRequest'))).toBe(true);
  });

  it('a room whose address was never seen: 409 chat.ADDRESS_UNKNOWN, nothing sent', async () => {
    link.onCall = () =>
      reply('<IMGetChatResponse><chat thread="r"><pcps><p addr="alice" me="1" role="moderator" affiliation="owner"/></pcps></chat></IMGetChatResponse>');
    const err = await service.post('t', 'r', { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).problem).toMatchObject({ status: 409, code: ADDRESS_UNKNOWN_CODE });
    expect(link.requests).toHaveLength(1);
  });

  it('a messageError in the thread instead of the echo fails the send with its condition', async () => {
    link.state.rememberChat('room', 'room@conference.example.com');
    link.onCall = () => {
      link.emit({ type: 'messageError', data: { thread: 'room', from: 'room@conference.example.com', condition: 'forbidden' } });
      return {};
    };
    const err = await service.post('t', 'room', { text: 'x' }).catch((e: unknown) => e);
    expect((err as ProblemException).problem).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('no echo in time: 504 message.NO_ECHO', async () => {
    await expect(service.start('t', BOB, { text: 'lost' })).rejects.toMatchObject({ kind: 'timeout', code: NO_ECHO_CODE });
  });

  it('a failed call cancels the wait and is passed on', async () => {
    link.onCall = () => {
      throw new UpstreamError('fault', 'im.INVALID_ADDRESS', 'address is invalid');
    };
    await expect(service.start('t', BOB, { text: 'x' })).rejects.toMatchObject({ code: 'im.INVALID_ADDRESS' });
    expect(link.pendingWaiters).toBe(0);
  });

  it('typing: addr and thread with <typing/>, or the empty message', async () => {
    link.state.rememberChat('t1', BOB);
    await service.typing('t', 't1', true);
    await service.typing('t', 't1', false);
    expect(link.requests).toEqual([
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com" thread="t1"><typing/></message></IMSendMessageRequest>',
      '<IMSendMessageRequest xmlns="urn:zimbraIM"><message addr="bob@example.com" thread="t1"/></IMSendMessageRequest>',
    ]);
  });

  it('get pages the history (here ?after=); close and invite read not_found', async () => {
    link.onCall = (request) =>
      request.startsWith('<IMGetChatRequest')
        ? reply(`<IMGetChatResponse thread="t1"><chat thread="t1"><pcps><p addr="bob@example.com"/></pcps><messages>
            <message seq="0" ts="1" from="bob@example.com"><body>a</body></message>
            <message seq="1" ts="2" from="alice@example.com"><body>b</body></message></messages></chat></IMGetChatResponse>`)
        : reply('<IMModifyChatResponse thread="t1" error="not_found"/>');
    const chat = await service.get('t', 't1', { after: 1, limit: 1000 });
    expect(chat).toEqual({
      thread: 't1',
      participants: [{ address: BOB, me: false }],
      messages: [expect.objectContaining({ seq: 2, text: 'b' })],
      hasMore: false,
    });
    await expect(service.close('t', 't1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.invite('t', 't1', 'carol@example.com', 'hi')).rejects.toMatchObject({ code: 'not_found' });
  });
});
