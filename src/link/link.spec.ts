import type { RequestBody, RequestContext, SoapResponse } from '../soap/envelope';
import type { SoapClient } from '../soap/soap-client';
import { UpstreamError } from '../soap/upstream-error';
import { elementNames, parseXml, XmlNode } from '../soap/xml';
import type { CommitContext, EventJournal } from './event-journal';
import { EventLog } from './event-log';
import type { ImEvent, LinkEvent } from './events';
import { Link, LinkOptions } from './link';

/** A scripted upstream: each call gets the next reply; the requests are kept for assertions. */
class ScriptedSoap {
  readonly calls: { name: string; context: RequestContext }[] = [];
  private readonly replies: ((name: string) => SoapResponse)[] = [];

  reply(build: (name: string) => SoapResponse): this {
    this.replies.push(build);
    return this;
  }

  async call(context: RequestContext, body: RequestBody): Promise<SoapResponse> {
    const name = elementNames(body)[0];
    this.calls.push({ name, context });
    const next = this.replies.shift();
    if (!next) throw new Error(`unexpected call ${name}`);
    return next(name);
  }
}

const n = (xml: string): XmlNode => (parseXml(xml).n as XmlNode[])[0];
const presence = (from: string, show: string) => n(`<n type="presence" from="${from}" show="${show}"/>`);
const ok = (sessionId: string, blocks: [number, XmlNode[]][] = [], refresh = false) => (name: string): SoapResponse => ({
  context: { sessionId, refresh, notify: blocks.map(([seq, notifications]) => ({ seq, notifications })) },
  body: {},
  bodyName: name.replace(/Request$/, 'Response'),
});

function makeLink(soap: ScriptedSoap, options: Partial<LinkOptions> = {}): { link: Link; events: LinkEvent[] } {
  const link = new Link('token', soap as unknown as SoapClient, {
    longPollWaitMs: 1000,
    longPollMarginMs: 100,
    userAgent: 'test',
    eventLog: { maxEvents: 100, maxAgeMs: 60_000 },
    ...options,
  });
  const events: LinkEvent[] = [];
  // Listen without a poll: the tests drive every exchange themselves.
  (link as unknown as { poll: object }).poll = { start: () => undefined, stop: () => undefined, wake: () => undefined };
  (link as unknown as { listeners: Set<(e: LinkEvent) => void> }).listeners.add((e) => events.push(e));
  return { link, events };
}

const body = { IMGetRosterRequest: { '@_xmlns': 'urn:zimbraIM' } };

describe('Link', () => {
  it('registers with IMGatewayListRequest on a new session first, then acks the highest seq processed', async () => {
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]))
      .reply(ok('11'));
    const { link } = makeLink(soap);
    await link.call(body);
    await link.call(body);
    expect(soap.calls.map((c) => c.name)).toEqual(['IMGatewayListRequest', 'IMGetRosterRequest', 'IMGetRosterRequest']);
    expect(soap.calls[0].context).toMatchObject({ authToken: 'token', session: 'new', notifySeq: 0 });
    expect(soap.calls[1].context).toMatchObject({ session: '11', notifySeq: 0 });
    expect(soap.calls[2].context).toMatchObject({ session: '11', notifySeq: 1 });
  });

  it('processes several blocks of one reply in order, skips blocks already seen, numbers events increasingly', async () => {
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(ok('11', [[1, [presence('a@x', 'AWAY'), presence('a@x', 'DND')]], [2, [presence('b@x', 'XA')]]]))
      .reply(ok('11', [[2, [presence('b@x', 'XA')]], [3, [presence('c@x', 'CHAT')]]]));
    const { link, events } = makeLink(soap);
    await link.call(body);
    await link.call(body);
    expect(events.map((e) => [e.id.split('.')[1], e.data])).toEqual([
      ['1', { address: 'a@x', show: 'away' }],
      ['2', { address: 'a@x', show: 'dnd' }],
      ['3', { address: 'b@x', show: 'xa' }],
      ['4', { address: 'c@x', show: 'chat' }],
    ]);
  });

  it('a replaced session: emits resync once, restarts seq, re-registers, repeats a repeatable call', async () => {
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]))
      .reply(ok('12', [[1, [presence('b@x', 'DND')]]], true)) // the call landed on a fresh session
      .reply(ok('12')) // re-registration
      .reply(ok('12')); // the repeated call
    const { link, events } = makeLink(soap);
    await link.call(body);
    await link.call(body, { repeatOnNewSession: true });
    expect(soap.calls.map((c) => c.name)).toEqual([
      'IMGatewayListRequest', 'IMGetRosterRequest', 'IMGetRosterRequest', 'IMGatewayListRequest', 'IMGetRosterRequest',
    ]);
    expect(soap.calls[3].context).toMatchObject({ session: '12', notifySeq: 1 });
    expect(events.map((e) => e.type)).toEqual(['presence', 'resync', 'presence']);
    expect(events[1].data).toEqual({ reason: 'upstream_session' });
    expect(link.currentSessionId).toBe('12');
  });

  it('a fault still delivers the notifications that travelled with it', async () => {
    const fault = new UpstreamError('fault', 'im.INVALID_ADDRESS', 'address is invalid: x');
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(() => ({ context: { sessionId: '11', refresh: false, notify: [{ seq: 1, notifications: [presence('a@x', 'AWAY')] }] }, fault }));
    const { link, events } = makeLink(soap);
    await expect(link.call(body)).rejects.toBe(fault);
    expect(events.map((e) => e.type)).toEqual(['presence']);
  });

  it('an auth failure closes the link and rejects its waiters', async () => {
    const fault = new UpstreamError('fault', 'service.AUTH_EXPIRED', 'auth credentials have expired');
    const soap = new ScriptedSoap().reply(() => ({ fault }));
    const { link } = makeLink(soap);
    await expect(link.call(body)).rejects.toBe(fault);
    expect(link.isClosed).toBe(true);
    await expect(link.call(body)).rejects.toMatchObject({ code: 'auth.REQUIRED', status: 401 });
  });

  it('a waiter registered before the call resolves from a notification in that same reply', async () => {
    const roster = n('<n type="roster"><n type="subscribed" to="b@x" name="B" groups="G"/></n>');
    const soap = new ScriptedSoap().reply(ok('11', [], true)).reply(ok('11', [[1, [roster]]]));
    const { link } = makeLink(soap);
    const wait = link.waitFor((e) => (e.type === 'roster' ? e.data.contacts : undefined), 1000, 'roster.TIMEOUT');
    await link.call(body);
    await expect(wait.promise).resolves.toEqual([{ address: 'b@x', name: 'B', groups: ['G'], subscription: 'to', pending: false }]);
  });

  it('a waiter the call\'s own reply satisfies starts no long-poll; an unsatisfied one starts it after the call', async () => {
    const roster = n('<n type="roster"/>');
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(ok('11', [[1, [roster]]])) // IMGetRoster carries the roster
      .reply(ok('11')) // IMGetRoster without it: the long-poll must fetch it
      .reply(ok('11', [[2, [roster]]])); // the NoOp
    const link = new Link('token', soap as unknown as SoapClient, { longPollWaitMs: 1000, longPollMarginMs: 100, userAgent: 'test', eventLog: { maxEvents: 10, maxAgeMs: 60_000 } });
    const settle = () => new Promise((r) => setTimeout(r, 20));
    const select = (e: { type: string }) => (e.type === 'roster' ? true : undefined);

    const first = link.waitFor(select, 1000, 'roster.TIMEOUT');
    await link.call(body);
    await first.promise;
    await settle();
    expect(soap.calls.map((c) => c.name)).toEqual(['IMGatewayListRequest', 'IMGetRosterRequest']);

    const second = link.waitFor(select, 1000, 'roster.TIMEOUT');
    await link.call(body);
    await second.promise;
    expect(soap.calls.map((c) => c.name)).toEqual(['IMGatewayListRequest', 'IMGetRosterRequest', 'IMGetRosterRequest', 'NoOpRequest']);
    await link.close(undefined, false);
  });

  describe('callThenAwait', () => {
    const privacy = (deny: string) => n(`<n type="privacy"><list name="default"><item addr="${deny}" action="deny" order="1"/></list></n>`);
    const listOf = (e: { type: string; data: unknown }) => (e.type === 'privacyList' ? (e.data as { items: { address: string }[] }).items[0]?.address : undefined);
    const getList = { IMGetPrivacyListRequest: { '@_xmlns': 'urn:zimbraIM' } };

    it('skips a notification that came in the reply itself (queued before the call) and takes the next block\'s', async () => {
      const soap = new ScriptedSoap()
        .reply(ok('11', [], true))
        .reply(ok('11', [[1, [privacy('old.example')]]])) // the call's reply: a stale list
        .reply(ok('11', [[2, [privacy('new.example')]]])); // the long-poll: the answer
      const link = new Link('token', soap as unknown as SoapClient, { longPollWaitMs: 1000, longPollMarginMs: 100, userAgent: 'test', eventLog: { maxEvents: 10, maxAgeMs: 60_000 } });
      await expect(link.callThenAwait(getList, listOf, { timeoutMs: 1000, timeoutCode: 'roster.TIMEOUT' })).resolves.toBe('new.example');
      expect(soap.calls.map((c) => c.name)).toEqual(['IMGatewayListRequest', 'IMGetPrivacyListRequest', 'NoOpRequest']);
      await link.close(undefined, false);
    });

    it('judges what a concurrent reply delivered before the call\'s reply by its block: older is stale, newer answers', async () => {
      for (const [concurrentSeq, expected] of [[2, 'new.example'], [1, 'timeout']] as const) {
        let releaseReply!: () => void;
        const soap = new ScriptedSoap().reply(ok('11', [], true));
        const { link } = makeLink(soap);
        await link.open();
        // The call's reply is held back while another reply (say a long-poll's) is taken in first.
        (soap as unknown as { call: unknown }).call = async () => {
          await new Promise<void>((r) => (releaseReply = r));
          return ok('11', [[1, [presence('a@x', 'AWAY')]]])('IMGetPrivacyListRequest');
        };
        const answer = link.callThenAwait(getList, listOf, { timeoutMs: 100, timeoutCode: 'roster.TIMEOUT' });
        await new Promise((r) => setImmediate(r));
        const absorb = (link as unknown as { absorb: (c: unknown, s: string, r: boolean) => void }).absorb.bind(link);
        const blocks = concurrentSeq === 2 ? [[1, [presence('a@x', 'AWAY')]], [2, [privacy('new.example')]]] : [[1, [privacy('old.example')]]];
        absorb({ sessionId: '11', refresh: false, notify: blocks.map(([seq, notifications]) => ({ seq, notifications })) }, '11', false);
        releaseReply();
        await expect(answer.catch((err: { kind: string }) => err.kind)).resolves.toBe(expected);
      }
    });

    it('a reply without blocks marks the ack it carried: the next block answers', async () => {
      const soap = new ScriptedSoap()
        .reply(ok('11', [[1, [presence('a@x', 'AWAY')]]], true))
        .reply(ok('11'))
        .reply(ok('11', [[2, [privacy('new.example')]]]));
      const link = new Link('token', soap as unknown as SoapClient, { longPollWaitMs: 1000, longPollMarginMs: 100, userAgent: 'test', eventLog: { maxEvents: 10, maxAgeMs: 60_000 } });
      await expect(link.callThenAwait(getList, listOf, { timeoutMs: 1000, timeoutCode: 'roster.TIMEOUT' })).resolves.toBe('new.example');
      expect(soap.calls[1].context).toMatchObject({ notifySeq: 1 });
      await link.close(undefined, false);
    });
  });

  it('a waiter times out with its code', async () => {
    const soap = new ScriptedSoap();
    const { link } = makeLink(soap);
    const wait = link.waitFor(() => undefined, 20, 'roster.TIMEOUT');
    await expect(wait.promise).rejects.toMatchObject({ kind: 'timeout', code: 'roster.TIMEOUT' });
  });

  it('a sessionless read names no session, and a waiter that came meanwhile gets its long-poll when the read ends', async () => {
    let answer!: (reply: SoapResponse) => void;
    const contexts: RequestContext[] = [];
    const soap = {
      call: (context: RequestContext) => {
        contexts.push(context);
        return new Promise<SoapResponse>((resolve) => (answer = resolve));
      },
    };
    const link = new Link('token', soap as unknown as SoapClient, { longPollWaitMs: 1000, longPollMarginMs: 100, userAgent: 'test', eventLog: { maxEvents: 10, maxAgeMs: 60_000 } });
    let pollStarts = 0;
    (link as unknown as { poll: object }).poll = { start: () => pollStarts++, stop: () => undefined, wake: () => undefined };
    const read = link.call({ IMGetChatRequest: { '@_xmlns': 'urn:zimbraIM', '@_thread': 't' } }, { sessionless: true });
    const wait = link.waitFor(() => undefined, 1_000, 'roster.TIMEOUT');
    await new Promise((r) => setImmediate(r));
    expect(pollStarts).toBe(0); // the read is in flight: its end starts the poll
    answer({ body: {}, bodyName: 'IMGetChatResponse' });
    await read;
    expect(contexts).toEqual([{ authToken: 'token', userAgent: { name: 'test' } }]);
    expect(pollStarts).toBe(1);
    wait.cancel();
  });

  it('a background listener gets the events and keeps the poll wanted, yet leaves the link idle (held)', async () => {
    const soap = new ScriptedSoap().reply(ok('11', [], true)).reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]));
    const { link } = makeLink(soap);
    (link as unknown as { listeners: Set<unknown> }).listeners.clear();
    const wanted = () => (link as unknown as { pollWanted: boolean }).pollWanted;
    expect([link.isIdle, link.isHeld, wanted()]).toEqual([true, false, false]);
    const seen: LinkEvent[] = [];
    const stop = link.subscribe((e) => seen.push(e), { background: true });
    expect([link.isIdle, link.isHeld, wanted()]).toEqual([true, true, true]);
    await link.call(body); // the registration, then the call whose reply carries a block
    expect(seen.map((e) => e.data)).toEqual([{ address: 'a@x', show: 'away' }]);
    stop();
    expect([link.isHeld, wanted()]).toEqual([false, false]);
  });

  it('counts the open sockets it is told of, tells each change, and never counts below zero', () => {
    const { link } = makeLink(new ScriptedSoap());
    (link as unknown as { tellIdle: () => Promise<void> }).tellIdle = () => Promise.resolve();
    const changes: number[] = [];
    link.onSocketsChanged((open) => changes.push(open));
    link.clientConnected('phone');
    link.clientConnected('phone');
    link.clientConnected('web');
    link.clientDisconnected('phone');
    link.clientDisconnected('web');
    link.clientDisconnected('phone');
    link.clientDisconnected('phone'); // one more than there were: ignored
    expect(changes).toEqual([1, 2, 3, 2, 1, 0]);
    expect(link.openSockets).toBe(0);
  });
});

/** A journal that keeps events only when the test says so (a shared store's commit in flight), or fails. */
class HeldJournal implements EventJournal {
  readonly commits: { events: ImEvent[]; seq: number; keep: () => void; fail: (err: Error) => void }[] = [];
  private readonly log = new EventLog({ maxEvents: 100, maxAgeMs: 60_000 });

  commit(events: readonly ImEvent[], context: CommitContext): Promise<readonly LinkEvent[]> {
    return new Promise((resolve, reject) => {
      this.commits.push({ events: [...events], seq: context.seq, keep: () => resolve(this.log.commit(events)), fail: reject });
    });
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Link with a journal that commits asynchronously', () => {
  it('acknowledges only committed blocks, and delivers events and answers the call once they are kept', async () => {
    const soap = new ScriptedSoap()
      .reply(ok('11', [], true))
      .reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]))
      .reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]))
      .reply(ok('11'));
    const journal = new HeldJournal();
    const { link, events } = makeLink(soap, { journal });
    const first = link.call(body);
    await settle();
    journal.commits[0].keep(); // the new session, with nothing yet
    await settle();
    expect(journal.commits.map((c) => c.seq)).toEqual([0, 1]);
    let answered = false;
    void first.then(() => (answered = true));
    // A concurrent call sent before the commit acknowledges nothing yet, and waits for the commit too.
    const second = link.call(body);
    await settle();
    expect(soap.calls[2].context).toMatchObject({ session: '11', notifySeq: 0 });
    expect(answered).toBe(false);
    expect(events).toEqual([]);
    journal.commits[1].keep();
    await Promise.all([first, second]);
    expect(events.map((e) => e.data)).toEqual([{ address: 'a@x', show: 'away' }]);
    expect(journal.commits).toHaveLength(2); // the resent block was no second commit
    await link.call(body);
    expect(soap.calls[3].context).toMatchObject({ session: '11', notifySeq: 1 });
  });

  it('a failed commit fails the call and ends the link without ending the upstream session or acknowledging the block', async () => {
    const soap = new ScriptedSoap().reply(ok('11', [], true)).reply(ok('11', [[1, [presence('a@x', 'AWAY')]]]));
    const journal = new HeldJournal();
    const { link, events } = makeLink(soap, { journal });
    const call = link.call(body);
    await settle();
    journal.commits[0].keep();
    await settle();
    journal.commits[1].fail(new Error('store unreachable'));
    await expect(call).rejects.toThrow('store unreachable');
    await settle();
    expect(link.isClosed).toBe(true);
    expect(events).toEqual([]);
    expect(soap.calls.map((c) => c.name)).toEqual(['IMGatewayListRequest', 'IMGetRosterRequest']); // no EndSession
  });

  it('carries on a session from its committed seq: no registration, the ack is that seq, resent blocks become events', async () => {
    const soap = new ScriptedSoap().reply(ok('77', [[5, [presence('a@x', 'AWAY')]], [6, [presence('b@x', 'DND')]]])).reply(ok('77'));
    const { link, events } = makeLink(soap, { resume: { sessionId: '77', seq: 5 } });
    await link.call(body);
    await link.call(body);
    expect(soap.calls.map((c) => c.name)).toEqual(['IMGetRosterRequest', 'IMGetRosterRequest']);
    expect(soap.calls[0].context).toMatchObject({ session: '77', notifySeq: 5 });
    expect(soap.calls[1].context).toMatchObject({ session: '77', notifySeq: 6 });
    expect(events.map((e) => e.data)).toEqual([{ address: 'b@x', show: 'dnd' }]);
  });

  it('a session with nothing acknowledged cannot be carried on: it is ended, and the new one starts with resync', async () => {
    const soap = new ScriptedSoap()
      .reply(ok('77')) // EndSession of the old session
      .reply(ok('88', [], true))
      .reply(ok('88', [[1, [presence('a@x', 'AWAY')]]]));
    const { link, events } = makeLink(soap, { resume: { sessionId: '77', seq: 0 } });
    await link.call(body);
    expect(soap.calls.map((c) => [c.name, c.context.session])).toEqual([
      ['EndSessionRequest', '77'],
      ['IMGatewayListRequest', 'new'],
      ['IMGetRosterRequest', '88'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['resync', 'presence']);
    expect(events[0].data).toEqual({ reason: 'upstream_session' });
  });
});
