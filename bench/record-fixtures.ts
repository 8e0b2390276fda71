/**
 * Records the SOAP responses the canned upstream replays, from the simulator (which answers as the
 * wire-format document describes): a login, the session registration, a 20-message chat history,
 * a send with its echo notification, and a long-poll released by an incoming message.
 *
 *   npx ts-node --transpile-only bench/record-fixtures.ts     (rewrites bench/fixtures/*.xml)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNTS, ImSimulator } from '../src/simulator';
import { buildEnvelope, RequestContext } from '../src/soap/envelope';
import { XmlNode } from '../src/soap/xml';

const FIXTURES = join(__dirname, 'fixtures');
const ME = 'alice@example.com';
const PARTNER = 'bob@example.com';

/** A plausible conversation: mostly short lines, a few longer ones, two with markup. */
const LINES: { from: 'me' | 'partner'; text: string; html?: string }[] = [
  { from: 'me', text: 'Hi Bob, do you have a minute about the release?' },
  { from: 'partner', text: 'Sure, what is up?' },
  { from: 'me', text: 'The build for 7.2 failed overnight, the IM tests timed out again.' },
  { from: 'partner', text: 'Again? That is the third time this week.' },
  { from: 'me', text: 'Yes. I think it is the long-poll test, it waits for the full 30 seconds.' },
  { from: 'partner', text: 'Can we shorten the wait in the test config?', html: '<p>Can we <b>shorten</b> the wait in the test config?</p>' },
  { from: 'me', text: 'Probably. I will open a ticket & assign it to Carol.' },
  { from: 'partner', text: 'Good. Also the roster import script needs a look <later>.' },
  { from: 'me', text: 'Noted.' },
  { from: 'partner', text: 'When is the code freeze?' },
  { from: 'me', text: 'Friday 17:00 UTC, same as usual.', html: '<p>Friday <i>17:00 UTC</i>, same as usual.</p>' },
  { from: 'partner', text: 'OK, I will have the presence fixes merged by Thursday.' },
  { from: 'me', text: 'Great, thanks!' },
  { from: 'partner', text: 'Are you joining the planning call later?' },
  { from: 'me', text: 'Yes, at 3pm. Dave sends the invite.' },
  { from: 'partner', text: 'Perfect, see you there.' },
  { from: 'me', text: 'One more thing: the conference room server was restarted at noon, rooms may need rejoining.' },
  { from: 'partner', text: 'Ah, that explains the empty participant list I saw.' },
  { from: 'me', text: 'Exactly.' },
  { from: 'partner', text: 'Thanks for the heads-up, talk later.' },
];

async function main(): Promise<void> {
  const sim = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: [...DEMO_ACCOUNTS], rosterDelayMs: 0 });
  let highestSeq = 0;
  let sessionId: string | undefined;
  let token = '';
  const call = async (body: XmlNode, context: Partial<RequestContext> = {}): Promise<string> => {
    const ctx: RequestContext = { authToken: token || undefined, session: sessionId ?? 'new', notifySeq: highestSeq, userAgent: { name: 'imbridge' }, ...context };
    const res = await fetch(sim.url, { method: 'POST', body: buildEnvelope(ctx, body), headers: { 'content-type': 'application/soap+xml; charset=utf-8' } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${Object.keys(body)[0]} answered ${res.status}: ${text}`);
    sessionId = /<session id="([^"]+)"/.exec(text)?.[1] ?? sessionId;
    for (const m of text.matchAll(/<notify seq="(\d+)"/g)) highestSeq = Math.max(highestSeq, Number(m[1]));
    return text;
  };
  try {
    const account = DEMO_ACCOUNTS.find((a) => a.address === ME)!;
    const auth = await call(
      { AuthRequest: { '@_xmlns': 'urn:zimbraAccount', account: { '@_by': 'name', '#text': ME }, password: account.password } },
      { session: undefined, authToken: undefined, notifySeq: undefined },
    );
    token = /<authToken>([^<]+)</.exec(auth)![1];
    const gatewayList = await call({ IMGatewayListRequest: { '@_xmlns': 'urn:zimbraIM' } });

    let thread: string | undefined;
    let sendResponse = '';
    for (const line of LINES) {
      if (line.from === 'partner') {
        thread = sim.receiveMessage(ME, { from: PARTNER, body: line.text, html: line.html, thread });
      } else {
        const body: XmlNode = { text: line.text, ...(line.html ? { html: line.html } : {}) };
        sendResponse = await call({ IMSendMessageRequest: { '@_xmlns': 'urn:zimbraIM', message: { '@_addr': PARTNER, '@_thread': thread, body } } });
        thread ??= /<n type="message"[^>]* thread="([^"]+)"/.exec(sendResponse)?.[1];
      }
      await call({ NoOpRequest: { '@_xmlns': 'urn:zimbraMail' } }); // acknowledge what came meanwhile
    }
    if (!thread) throw new Error('no thread');
    const getChat = await call({ IMGetChatRequest: { '@_xmlns': 'urn:zimbraIM', '@_thread': thread } });

    // A parked long-poll released by an incoming message.
    const parked = call({ NoOpRequest: { '@_xmlns': 'urn:zimbraMail', '@_wait': '1', '@_timeout': '60000' } });
    await new Promise((r) => setTimeout(r, 100));
    sim.receiveMessage(ME, { from: PARTNER, body: 'Are you there?', thread });
    const noopMessage = await parked;
    const endSession = await call({ EndSessionRequest: { '@_xmlns': 'urn:zimbraAccount' } });

    mkdirSync(FIXTURES, { recursive: true });
    const files: Record<string, string> = {
      'auth.xml': auth,
      'gateway-list.xml': gatewayList,
      'get-chat.xml': getChat,
      'send-message.xml': sendResponse,
      'noop-message.xml': noopMessage,
      'end-session.xml': endSession,
    };
    for (const [name, xml] of Object.entries(files)) writeFileSync(join(FIXTURES, name), xml + '\n');
    console.log(`recorded ${Object.keys(files).join(', ')} (thread ${thread}, ${getChat.length} bytes of history)`);
  } finally {
    await sim.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
