/**
 * The README's flows, written the way a client of the published document would write them: types
 * generated from openapi/openapi.json by openapi-typescript (into ./openapi-types.ts, not checked in)
 * and calls made with openapi-fetch. test/generated-client.e2e-spec.ts generates the types,
 * type-checks this file against them and runs it against a started stack. No casts, no `any`, no
 * non-null assertions: where the document and the wire disagree, this stops compiling or running.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi-types';

type Schemas = components['schemas'];
export type Problem = Schemas['ProblemDto'];
type Api = Client<paths>;

export interface Credentials {
  account: string;
  password: string;
}

export interface ReadmeFlowOptions {
  /** The service, e.g. `http://localhost:3000` (the document's server is relative). */
  baseUrl: string;
  alice: Credentials;
  bob: Credentials;
  /** A room alice creates, e.g. `team@conference.example.com`. */
  room: string;
  /** The fetch the clients use; the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** How long to wait for what the server learns asynchronously (a request, a presence). */
  patienceMs?: number;
}

export interface ReadmeFlowResult {
  session: Schemas['SessionDto'];
  /** Bob as alice's roster shows him once he went away. */
  bobAtAlice: Schemas['ContactDto'];
  chat: {
    sent: Schemas['SentMessageDto'][];
    /** Bob's history, newest page first, `limit` 2 each, paged back with `before`. */
    pages: Array<{ seqs: number[]; texts: string[]; hasMore: boolean }>;
  };
  room: { joined: Schemas['JoinResultDto']; read: Schemas['ChatConfigurationDto']; readAgain: Schemas['ChatConfigurationDto'] };
  /** What alice's ended token gets. */
  afterLogout: Problem;
}

/** An error answer, with the problem document the server sent. */
export class ProblemError extends Error {
  constructor(
    readonly what: string,
    readonly problem: Problem,
  ) {
    super(`${what}: ${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

interface Outcome<T> {
  data?: T;
  error?: Problem;
}

/** The body of a successful answer; a problem is thrown. */
async function ok<T>(what: string, call: Promise<Outcome<T>>): Promise<T> {
  const { data, error } = await call;
  if (error) throw new ProblemError(what, error);
  if (data === undefined) throw new Error(`${what}: the answer has no body`);
  return data;
}

/** A successful answer without a body (204); a problem is thrown. */
async function done(what: string, call: Promise<Outcome<unknown>>): Promise<void> {
  const { error } = await call;
  if (error) throw new ProblemError(what, error);
}

/** Asks again until `attempt` has an answer: what arrives as a notification upstream takes a moment. */
async function eventually<T>(what: string, patienceMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function logIn(options: ReadmeFlowOptions, who: Credentials): Promise<{ api: Api; session: Schemas['SessionDto'] }> {
  const anonymous = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const session = await ok(`log in ${who.account}`, anonymous.POST('/v1/sessions', { body: who }));
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch, headers: { Authorization: `Bearer ${session.token}` } });
  return { api, session };
}

async function requestsAt(api: Api, who: string): Promise<string[]> {
  return (await ok(`${who} reads the roster`, api.GET('/v1/roster'))).requests;
}

export async function readmeFlow(options: ReadmeFlowOptions): Promise<ReadmeFlowResult> {
  const patience = options.patienceMs ?? 3_000;
  const alice = await logIn(options, options.alice);
  const bob = await logIn(options, options.bob);
  const aliceAddress = alice.session.account;
  const bobAddress = bob.session.account;

  // Alice asks to see bob's presence; bob sees the request and accepts it, and subscribes back.
  await ok('alice reads the roster', alice.api.GET('/v1/roster'));
  await ok('bob reads the roster', bob.api.GET('/v1/roster'));
  await ok('alice adds bob', alice.api.POST('/v1/roster/contacts', { body: { address: bobAddress, name: 'Bob', groups: ['Friends'] } }));
  await eventually('alice\'s request at bob', patience, async () => ((await requestsAt(bob.api, 'bob')).includes(aliceAddress) ? true : undefined));
  await done(
    'bob accepts',
    bob.api.POST('/v1/roster/requests/{address}', { params: { path: { address: aliceAddress } }, body: { authorize: true, addToRoster: true } }),
  );
  await eventually('bob\'s request at alice', patience, async () => ((await requestsAt(alice.api, 'alice')).includes(bobAddress) ? true : undefined));
  // `addToRoster` is optional: leaving it out must type-check.
  await done('alice accepts', alice.api.POST('/v1/roster/requests/{address}', { params: { path: { address: bobAddress } }, body: { authorize: true } }));

  // Bob goes away; alice's roster shows it.
  await done('bob goes away', bob.api.PUT('/v1/presence', { body: { show: 'away', status: 'lunch' } }));
  const bobAtAlice = await eventually('bob away at alice', patience, async () => {
    const roster = await ok('alice reads the roster', alice.api.GET('/v1/roster'));
    const contact = roster.contacts.find((c) => c.address === bobAddress);
    return contact?.presence?.show === 'away' ? contact : undefined;
  });

  // Bob starts a chat; alice answers on the thread; bob writes on.
  const sent = [await ok('bob starts a chat', bob.api.POST('/v1/chats', { body: { to: aliceAddress, text: 'lunch at 12?' } }))];
  const thread = sent[0].thread;
  sent.push(await ok('alice answers', alice.api.POST('/v1/chats/{thread}/messages', { params: { path: { thread } }, body: { text: 'yes!' } })));
  for (const text of ['or 1?', 'the usual place', 'see you']) {
    sent.push(await ok('bob writes', bob.api.POST('/v1/chats/{thread}/messages', { params: { path: { thread } }, body: { text } })));
  }

  // Bob reads the history back, two messages a page, newest first.
  const pages: ReadmeFlowResult['chat']['pages'] = [];
  let before: number | undefined;
  for (;;) {
    const page = await ok('bob reads the history', bob.api.GET('/v1/chats/{thread}', { params: { path: { thread }, query: { limit: 2, before } } }));
    const numbered = page.messages.map((m) => m.seq).filter((seq) => seq > 0);
    pages.push({ seqs: page.messages.map((m) => m.seq), texts: page.messages.map((m) => m.text), hasMore: page.hasMore });
    if (!page.hasMore || numbered.length === 0) break;
    before = Math.min(...numbered);
  }

  // Alice creates a room, reads its settings and sends them back unchanged.
  const joined = await ok('alice creates a room', alice.api.POST('/v1/rooms/{address}/join', { params: { path: { address: options.room } }, body: {} }));
  const configuration = { params: { path: { thread: joined.thread }, query: { owner: true } } };
  const read = await ok('alice reads the room settings', alice.api.GET('/v1/chats/{thread}/configuration', configuration));
  await done(
    'alice sends the settings back',
    alice.api.PATCH('/v1/chats/{thread}/configuration', { params: { path: { thread: joined.thread } }, body: { settings: read.settings } }),
  );
  const readAgain = await ok('alice reads the room settings again', alice.api.GET('/v1/chats/{thread}/configuration', configuration));

  // Both log out; the ended token is refused.
  await done('bob logs out', bob.api.DELETE('/v1/sessions/current'));
  await done('alice logs out', alice.api.DELETE('/v1/sessions/current'));
  const { error: afterLogout } = await alice.api.GET('/v1/roster');
  if (!afterLogout) throw new Error('the ended token was still accepted');

  return {
    session: alice.session,
    bobAtAlice,
    chat: { sent, pages },
    room: { joined, read, readAgain },
    afterLogout,
  };
}
