// The imbridge browser demo: sign in, a roster with live presence, friend requests, 1:1 chats with a
// typing indicator and history, rooms, and resyncs handled — on the client SDK alone, no framework.
// Everything the service sends is shown with textContent, never parsed as markup.
import { Imbridge, ImbridgeError, login } from './imbridge-client.min.js';

/** The service this page came from: /demo/app.js → / */
const BASE_URL = new URL('..', import.meta.url).href;
/** The token (and the rooms joined) kept for this tab only, so a reload stays signed in. */
const SESSION_KEY = 'imbridge-demo';
/** "Typing" ends after this long without a keystroke … */
const TYPING_IDLE_MS = 3_000;
/** … and another's "typing" is forgotten after this long without news. */
const TYPING_SHOWN_MS = 15_000;

const $ = (id) => document.getElementById(id);

let im; // the signed-in Imbridge (rest + events)
let me = ''; // my address
const contacts = new Map(); // address → { address, name?, subscription, pending }
const presences = new Map(); // address → { show, status? }
const requests = new Set(); // who asks to see my presence
/** thread → { thread, peer? (1:1), room? { address, nickname }, messages: Map, unread, occupants: Map, typing: Map } */
const convs = new Map();
let current; // the open conversation (a chat not started yet has a peer and no thread)
let typingIn; // the thread I said I am typing in
let typingTimer;

// ---- small helpers ----

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The data of an openapi-fetch answer, or its problem thrown. */
function ok({ data, error }) {
  if (error) throw new ImbridgeError(error);
  return data;
}

function fail(error) {
  $('error').textContent = error?.problem?.detail ?? error?.message ?? String(error);
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

function notice(text) {
  $('notice').textContent = `${new Date().toLocaleTimeString()} — ${text}`;
  $('notice').hidden = false;
}

const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const nameOf = (address) => contacts.get(address)?.name || address;
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const later = (a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : a.seq - b.seq);

/** Replaces a list's items, keeping the keyboard focus on the item it was on. */
function replaceItems(list, items) {
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  list.replaceChildren(...items);
  if (focused) [...list.querySelectorAll('[data-key]')].find((node) => node.dataset.key === focused)?.focus();
}

// ---- state ----

function conv(thread) {
  let c = convs.get(thread);
  if (!c) convs.set(thread, (c = { thread, messages: new Map(), unread: 0, occupants: new Map(), typing: new Map() }));
  return c;
}

const chatWith = (address) => [...convs.values()].find((c) => !c.room && c.peer === address);
const isMine = (c, message) => message.from === me || (c.room !== undefined && message.from === c.room.nickname);

/** Adds a message once (history, the send's answer and the event stream all bring it). */
function addMessage(c, message) {
  const key = message.seq > 0 ? String(message.seq) : `${message.sentAt} ${message.from} ${message.text}`;
  if (c.messages.has(key)) return false;
  c.messages.set(key, message);
  return true;
}

function applyRoster(roster) {
  contacts.clear();
  for (const contact of roster.contacts) {
    contacts.set(contact.address, contact);
    if (contact.presence) presences.set(contact.address, contact.presence);
    else presences.delete(contact.address);
  }
  requests.clear();
  for (const from of roster.requests) requests.add(from);
  $('my-presence').value = roster.presence.show === 'offline' ? 'online' : roster.presence.show;
}

function applyChats(chats) {
  for (const chat of chats) {
    let c = convs.get(chat.thread);
    if (!c) {
      const peer = chat.participants.find((p) => p.address !== me)?.address;
      if (!peer?.includes('@')) continue; // a room this page did not join: its address is not known here
      c = conv(chat.thread);
      c.peer = peer;
    }
    if (chat.lastMessage) addMessage(c, chat.lastMessage);
    if (c !== current) c.unread = chat.unread;
  }
}

function saveSession() {
  const rooms = [...convs.values()].filter((c) => c.room).map((c) => ({ thread: c.thread, ...c.room }));
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: im.session.token, account: me, rooms }));
}

// ---- rendering ----

function renderRoster() {
  const items = [...contacts.values()]
    .sort((a, b) => nameOf(a.address).localeCompare(nameOf(b.address)))
    .map((contact) => {
      const presence = presences.get(contact.address) ?? { show: 'offline' };
      const show = contact.subscription === 'to' ? presence.show : contact.pending ? 'awaiting approval' : 'presence not shared';
      const button = el('button', undefined, { type: 'button', class: 'contact', 'data-key': contact.address });
      button.append(el('span', nameOf(contact.address), { class: 'name' }));
      button.append(el('span', presence.status ? `${show}: ${presence.status}` : show, { class: 'presence', 'data-show': show }));
      const unread = chatWith(contact.address)?.unread;
      if (unread) button.append(el('span', `${unread} new`, { class: 'badge' }));
      if (current && !current.room && current.peer === contact.address) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openChat(contact.address));
      const item = el('li');
      item.append(button);
      return item;
    });
  replaceItems($('roster'), items);
  $('roster-empty').hidden = contacts.size > 0;
}

function renderRequests() {
  const items = [...requests].map((from) => {
    const item = el('li', undefined, { class: 'request' });
    item.append(el('span', from, { class: 'name' }));
    const accept = el('button', 'Accept', { type: 'button', 'aria-label': `Accept ${from}`, 'data-key': `accept ${from}` });
    accept.addEventListener('click', () => answerRequest(from, true));
    const decline = el('button', 'Decline', { type: 'button', 'aria-label': `Decline ${from}`, 'data-key': `decline ${from}` });
    decline.addEventListener('click', () => answerRequest(from, false));
    item.append(accept, decline);
    return item;
  });
  replaceItems($('requests'), items);
  $('requests-section').hidden = requests.size === 0;
}

function renderRooms() {
  const items = [...convs.values()]
    .filter((c) => c.room)
    .map((c) => {
      const button = el('button', undefined, { type: 'button', class: 'contact', 'data-key': c.thread });
      button.append(el('span', c.room.address, { class: 'name' }), el('span', `as ${c.room.nickname}`, { class: 'detail' }));
      if (c.unread) button.append(el('span', `${c.unread} new`, { class: 'badge' }));
      if (c === current) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openConversation(c));
      const item = el('li');
      item.append(button);
      return item;
    });
  replaceItems($('rooms'), items);
}

function messageItem(c, message) {
  const mine = isMine(c, message);
  const item = el('li', undefined, { class: mine ? 'mine' : 'theirs' });
  const meta = el('p', undefined, { class: 'meta' });
  meta.append(el('span', mine ? 'me' : nameOf(message.from), { class: 'from' }), ' ', el('time', time(message.sentAt), { datetime: message.sentAt }));
  item.append(meta, el('p', message.text, { class: 'text' }));
  return item;
}

function renderConversation() {
  const c = current;
  $('conversation-heading').textContent = !c ? 'No conversation open' : c.room ? `Room ${c.room.address}` : `Chat with ${nameOf(c.peer)}`;
  const list = $('messages');
  list.replaceChildren(...(c ? [...c.messages.values()].sort(later).map((m) => messageItem(c, m)) : []));
  list.scrollTop = list.scrollHeight;
  $('occupants').hidden = !c?.room;
  if (c?.room) {
    const names = [...c.occupants.values()].map((p) => (p.me ? `${p.address} (you)` : p.address));
    $('occupants').textContent = `In the room: ${names.join(', ') || 'nobody yet'}`;
  }
  for (const control of $('compose-form').elements) control.disabled = !c;
  renderTyping();
}

function renderTyping() {
  const who = current ? [...current.typing.keys()].map((from) => (from === current.room?.address ? 'Someone' : nameOf(from))) : [];
  $('typing').textContent = who.length ? `${who.join(', ')} ${who.length > 1 ? 'are' : 'is'} typing…` : '';
}

function renderAll() {
  renderRoster();
  renderRequests();
  renderRooms();
  renderConversation();
}

function renderState(state) {
  const texts = { connecting: 'Connecting…', open: `Connected as ${me}`, reconnecting: 'Connection lost: reconnecting…', closed: 'Disconnected' };
  $('status').textContent = texts[state] ?? state;
  $('status').dataset.state = state;
}

// ---- actions ----

/** A chat with `peer` not started yet: its first message gives it a thread. */
const newChat = (peer) => ({ peer, messages: new Map(), unread: 0, occupants: new Map(), typing: new Map() });

async function openChat(address) {
  await openConversation(chatWith(address) ?? newChat(address));
}

async function openConversation(c) {
  stopTyping();
  current = c;
  c.unread = 0;
  renderAll();
  $('compose-text').focus();
  if (c.thread) await loadHistory(c).catch(fail);
}

async function loadHistory(c) {
  const chat = ok(await im.rest.GET('/v1/chats/{thread}', { params: { path: { thread: c.thread } } }));
  for (const message of chat.messages) addMessage(c, message);
  if (c.room) {
    c.occupants.clear();
    for (const participant of chat.participants) c.occupants.set(participant.address, participant);
  }
  if (c === current) renderConversation();
  markRead(c);
}

/** Tells the service what this reader has seen, so the chat list's unread counts agree after a reload. */
function markRead(c) {
  const seqs = [...c.messages.values()].map((m) => m.seq);
  if (c.thread && seqs.length) im.rest.PUT('/v1/chats/{thread}/read', { params: { path: { thread: c.thread } }, body: { seq: Math.max(...seqs) } }).catch(() => undefined);
}

async function answerRequest(from, authorize) {
  clearError();
  try {
    const body = authorize ? { authorize, addToRoster: !contacts.has(from) } : { authorize };
    ok(await im.rest.POST('/v1/roster/requests/{address}', { params: { path: { address: from } }, body }));
    requests.delete(from);
    renderRequests();
  } catch (error) {
    fail(error);
  }
}

async function joinRoom(address, nickname) {
  const joined = ok(await im.rest.POST('/v1/rooms/{address}/join', { params: { path: { address } }, body: { nickname } }));
  // A new room stays locked until its owner configures it: take the defaults, so others can join.
  if (joined.created) ok(await im.rest.PATCH('/v1/chats/{thread}/configuration', { params: { path: { thread: joined.thread } }, body: { settings: {} } }));
  const c = conv(joined.thread);
  c.room = { address, nickname };
  return c;
}

function stopTyping() {
  clearTimeout(typingTimer);
  if (typingIn) im.events.typing(typingIn, false).catch(() => undefined);
  typingIn = undefined;
}

// ---- the event stream ----

function listen(session) {
  const { events } = session;
  events.onState((state) => {
    if (session !== im) return;
    renderState(state);
    if (state === 'closed') signedOut('The session ended: sign in again.');
  });
  events.on('roster', ({ contacts: list }) => {
    contacts.clear();
    for (const contact of list) contacts.set(contact.address, contact);
    renderRoster();
  });
  events.on('contact', (contact) => {
    if (contact.removed) contacts.delete(contact.address);
    else contacts.set(contact.address, contact);
    renderRoster();
  });
  events.on('presence', ({ address, show, status }) => {
    if (address === me) return;
    presences.set(address, { show, status });
    renderRoster();
  });
  events.on('subscriptionRequest', ({ from }) => {
    requests.add(from);
    renderRequests();
  });
  events.on('message', (message) => {
    let c = convs.get(message.thread);
    if (!c) {
      const peer = message.from === me ? message.to : message.from;
      if (!peer?.includes('@')) return; // a room this page did not join
      c = conv(message.thread);
      c.peer = peer;
      if (current && !current.thread && current.peer === peer) current = c; // the chat open here just started
    }
    // Their message ends their typing (in a room, typing comes from the room's address).
    for (const from of [message.from, c.room?.address]) {
      clearTimeout(c.typing.get(from));
      c.typing.delete(from);
    }
    if (!addMessage(c, message)) return;
    if (!current) return openConversation(c);
    if (c === current) {
      renderConversation();
      markRead(c);
    } else if (!isMine(c, message)) {
      c.unread++;
      renderRoster();
      renderRooms();
    }
  });
  events.on('typing', ({ thread, from, typing }) => {
    const c = convs.get(thread);
    if (!c || from === me) return;
    clearTimeout(c.typing.get(from));
    c.typing.delete(from);
    if (typing) {
      c.typing.set(from, setTimeout(() => {
        c.typing.delete(from);
        if (c === current) renderTyping();
      }, TYPING_SHOWN_MS));
    }
    if (c === current) renderTyping();
  });
  const occupant = ({ thread, participant }) => {
    const c = convs.get(thread);
    if (!c?.room) return;
    c.occupants.set(participant.address, participant);
    if (c === current) renderConversation();
  };
  events.on('participantJoined', occupant);
  events.on('participantUpdated', occupant);
  // A chat the IM server closed (idle for long): the next message starts a new one.
  events.on('chatClosed', ({ thread }) => {
    const c = convs.get(thread);
    if (!c) return;
    convs.delete(thread);
    if (c === current) current = c.room ? undefined : newChat(c.peer);
    if (c.room) saveSession();
    renderAll();
  });
  events.on('participantLeft', ({ thread, address }) => {
    const c = convs.get(thread);
    if (!c?.room) return;
    c.occupants.delete(address);
    if (c === current) renderConversation();
  });
  // The stream could not be replayed without a gap: the SDK re-read the chats and the roster.
  events.on('resync', async ({ reason, chats, roster, error }) => {
    if (session !== im) return;
    if (error) return notice(`Resync (${reason}): re-reading failed: ${error.message}`);
    applyRoster(roster);
    applyChats(chats);
    let rejoined = 0;
    if (reason === 'upstream_session') {
      // A new IM session is in no room: join the rooms of this page again.
      for (const c of convs.values()) {
        if (c.room) await joinRoom(c.room.address, c.room.nickname).then(() => rejoined++, fail);
      }
    }
    if (current?.thread) await loadHistory(current).catch(fail);
    renderAll();
    const why = reason === 'gap' ? 'events were missed' : 'the IM session was replaced';
    const rooms = rejoined ? `, and joined ${count(rejoined, 'room')} again` : '';
    notice(`Resynced (${why}): re-read ${count(chats.length, 'chat')} and ${count(roster.contacts.length, 'contact')}${rooms}.`);
  });
}

// ---- signing in and out ----

async function start(session, rooms = []) {
  im = session;
  me = session.session.account ?? '';
  for (const room of rooms) conv(room.thread).room = { address: room.address, nickname: room.nickname };
  listen(session);
  await session.events.connect();
  const [roster, chats] = await Promise.all([session.rest.GET('/v1/roster').then(ok), session.rest.GET('/v1/chats').then(ok)]);
  applyRoster(roster);
  applyChats(chats);
  saveSession();
  $('room-nickname').value ||= me.split('@')[0];
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  renderAll();
  renderState(session.events.state);
}

function signedOut(message) {
  const session = im;
  im = undefined; // first: its closing is not news then
  session?.events.close();
  me = '';
  sessionStorage.removeItem(SESSION_KEY);
  for (const store of [contacts, presences, requests, convs]) store.clear();
  current = undefined;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('status').textContent = 'Signed out';
  $('status').dataset.state = 'signed-out';
  if (message) fail(new Error(message));
  else clearError();
  $('account').focus();
}

$('account').addEventListener('input', () => {
  // A demo account of the list: its password is <name>-pass.
  const account = $('account').value.trim();
  if ([...$('demo-accounts').options].some((option) => option.value === account)) $('password').value = `${account.split('@')[0]}-pass`;
});

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const button = event.submitter ?? $('sign-in-form').querySelector('button');
  button.disabled = true;
  try {
    await start(await login({ baseUrl: BASE_URL, account: $('account').value.trim(), password: $('password').value }));
    $('contact-address').focus();
  } catch (error) {
    signedOut();
    fail(error);
  } finally {
    button.disabled = false;
  }
});

$('sign-out').addEventListener('click', async () => {
  const session = im;
  signedOut();
  await session?.logout().catch(() => undefined); // ends the IM session; the token is refused from now on
});

$('add-contact-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const address = $('contact-address').value.trim();
  try {
    ok(await im.rest.POST('/v1/roster/contacts', { body: { address } }));
    $('contact-address').value = '';
  } catch (error) {
    fail(error);
  }
});

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  try {
    const c = await joinRoom($('room-address').value.trim().toLowerCase(), $('room-nickname').value.trim());
    saveSession();
    await openConversation(c);
  } catch (error) {
    fail(error);
  }
});

$('my-presence').addEventListener('change', () => {
  clearError();
  im.events.presence($('my-presence').value).catch(fail);
});

$('compose-text').addEventListener('input', () => {
  const thread = current?.thread;
  if (!thread) return;
  if (!$('compose-text').value) return stopTyping();
  if (typingIn !== thread) {
    typingIn = thread;
    im.events.typing(thread, true).catch(() => undefined);
  }
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
});

$('compose-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const input = $('compose-text');
  const text = input.value.trim();
  const c = current;
  if (!text || !c) return;
  input.value = '';
  clearTimeout(typingTimer);
  typingIn = undefined; // the message itself ends "typing" at the other side
  try {
    const sent = await im.events.send(c.thread ? { thread: c.thread, text } : { to: c.peer, text });
    let target = convs.get(sent.thread);
    if (!target) {
      target = c; // the first message of a new chat
      c.thread = sent.thread;
      convs.set(sent.thread, c);
    }
    if (addMessage(target, { ...sent, from: me, text }) && target === current) renderConversation();
  } catch (error) {
    input.value = text;
    fail(error);
  }
});

// A reload keeps the tab signed in (the token lives in this tab's sessionStorage only).
const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
if (saved) {
  start(new Imbridge({ token: saved.token, account: saved.account }, { baseUrl: BASE_URL }), saved.rooms).catch((error) => {
    signedOut();
    fail(error);
  });
}
