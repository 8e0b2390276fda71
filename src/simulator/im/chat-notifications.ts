import type { XmlNode } from '../../soap/xml';
import type { Chat, ChatMessage, Participant } from './chat';

/** Builders for the chat notifications of §13.2 and §13.6–13.9, and the chat elements of §12.1/§12.6. */

/** The subject bug (§13.2): the text becomes an element name; a subject that is no XML name is left out. */
function subjectBug(subject: string | undefined): XmlNode | undefined {
  if (!subject || !/^[A-Za-z_][\w.-]*$/.test(subject) || /^xml/i.test(subject)) return undefined;
  return { [subject]: '' };
}

/** A stored message (live: seq from 1; replay: seq from 0). `to` only on the user's own messages. */
export function messageN(thread: string, m: ChatMessage, seq: number): XmlNode {
  const n: XmlNode = { '@_type': 'message', '@_from': m.from };
  if (m.to !== undefined) n['@_to'] = m.to;
  Object.assign(n, { '@_thread': thread, '@_ts': String(m.ts), '@_seq': String(seq) });
  if (m.typing) n.typing = '';
  const subject = subjectBug(m.subject);
  if (subject) n.subject = subject;
  if (m.body) {
    n.body = m.body.html
      ? { '@_html': '1', '#text': m.body.html.sanitized }
      : { '@_html': '0', '#text': m.body.text };
  }
  return n;
}

/** Typing-only (§13.2): no seq, no body; `<typing/>` means "is typing", its absence "stopped". */
export function typingN(from: string, thread: string, ts: number, typing: boolean): XmlNode {
  const n: XmlNode = { '@_type': 'message', '@_from': from, '@_thread': thread, '@_ts': String(ts) };
  if (typing) n.typing = '';
  return n;
}

/** An XMPP error bounced back (§13.2): condition with `_` for `-`, the raw stanza in a plain body. */
export function errorN(from: string, thread: string, ts: number, condition: string, stanza: string): XmlNode {
  return {
    '@_type': 'message', '@_from': from, '@_thread': thread, '@_ts': String(ts),
    '@_error': condition.replace(/-/g, '_'),
    body: { '@_html': '0', '#text': `ERROR: ${stanza}` },
  };
}

/** A SYSTEM message: seq 0, plain, never stored (§13.2). */
export function systemN(thread: string, ts: number, text: string): XmlNode {
  return { '@_type': 'message', '@_from': 'SYSTEM', '@_thread': thread, '@_ts': String(ts), '@_seq': '0', body: { '@_html': '0', '#text': text } };
}

/** `<p>` with every attribute the participant has (§11). */
export function participantEl(p: Participant): XmlNode {
  const el: XmlNode = { '@_addr': p.addr };
  if (p.me) el['@_me'] = '1';
  if (p.fulladdr) el['@_fulladdr'] = p.fulladdr;
  if (p.role) el['@_role'] = p.role;
  if (p.affiliation) el['@_affiliation'] = p.affiliation;
  return el;
}

function codes(n: XmlNode, status: string[], error: string[]): XmlNode {
  if (status.length) n['@_status'] = status.join(',');
  if (error.length) n['@_error'] = error.join(',');
  return n;
}

/** §13.6: `enteredchat` the first time a nick is seen, else `chatpresence`; role/affiliation only on `<p>`. */
export function chatPresenceN(first: boolean, thread: string, p: Participant, status: string[] = [], error: string[] = []): XmlNode {
  const n: XmlNode = { '@_type': first ? 'enteredchat' : 'chatpresence', '@_thread': thread, '@_addr': p.addr };
  codes(n, status, error);
  n.p = participantEl(p);
  return n;
}

/** §13.7. */
export function leftChatN(thread: string, nick: string, me: boolean, status: string[] = []): XmlNode {
  const n: XmlNode = { '@_type': 'leftchat', '@_thread': thread, '@_addr': nick };
  if (me) n['@_me'] = '1';
  return codes(n, status, []);
}

/** §13.8. */
export function chatClosedN(thread: string): XmlNode {
  return { '@_type': 'chatclosed', '@_thread': thread };
}

/** §13.9: addr is the room. */
export function invitedN(thread: string, room: string, textBody: string): XmlNode {
  return { '@_type': 'invited', '@_thread': thread, '@_addr': room, '#text': textBody };
}

/** IMGetRoster's `<chats>` entry (§12.1): `<p>` with addr only. */
export function rosterChatEl(chat: Chat): XmlNode {
  const p = [...chat.participants.values()].map((x) => ({ '@_addr': x.addr }));
  return { '@_thread': chat.thread, pcps: p.length ? { p } : '' };
}

/** IMGetChat's `<chat>` (§12.6): all participant attributes, seq from 0, `<body>` without html attribute. */
export function historyChatEl(chat: Chat): XmlNode {
  const p = [...chat.participants.values()].map(participantEl);
  const message = chat.messages.map((m, seq) => {
    const el: XmlNode = { '@_seq': String(seq), '@_ts': String(m.ts), '@_from': m.from };
    if (m.subject) el.subject = m.subject;
    el.body = m.body?.html ? m.body.html.raw : m.body?.text ?? '';
    return el;
  });
  return { '@_thread': chat.thread, pcps: p.length ? { p } : '', messages: message.length ? { message } : '' };
}
