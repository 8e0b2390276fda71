import WebSocket from 'ws'; // Node 20 has no global WebSocket; browsers and Node 22 need no option
import { login } from '@imbridge/client';

const im = await login({ baseUrl: process.env.IMBRIDGE_URL ?? 'http://localhost:3000', account: 'alice@example.com', password: 'alice-pass', WebSocket });
im.events.on('message', (message) => console.log(`${message.from}: ${message.text}`));
im.events.on('resync', ({ reason, chats }) => console.log(`resync (${reason}): ${chats?.length} chats re-read`));
await im.events.connect();
const { data: roster } = await im.rest.GET('/v1/roster');
console.log(`${roster?.contacts.length} contacts`);
const sent = await im.events.send({ to: 'bob@example.com', text: 'hello from the SDK' });
console.log(`sent as #${sent.seq} in ${sent.thread}`);
await im.logout();
