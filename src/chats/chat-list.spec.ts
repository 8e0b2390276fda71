import fc from 'fast-check';
import type { ChatHistory, HistoryMessage } from '../im/chats';
import { chatListItem } from './chat-list';

const message = (seq: number, from: string): HistoryMessage => ({ seq, from, sentAt: '2026-12-02T00:00:00.000Z', text: `m${seq}` });

describe('chatListItem', () => {
  it('counts messages from others after the marker, never own ones or SYSTEM lines, and names the newest message', () => {
    const history: ChatHistory = {
      thread: 't',
      partner: 'bob@x',
      participants: [{ address: 'bob@x', me: false }],
      messages: [message(1, 'bob@x'), message(2, 'alice@x'), message(0, 'SYSTEM'), message(3, 'Bob@X'), message(4, 'alice@x')],
    };
    expect(chatListItem({ thread: 't', participants: [{ address: 'bob@x' }] }, history, 0)).toEqual({
      thread: 't',
      participants: [{ address: 'bob@x' }],
      lastMessage: message(4, 'alice@x'),
      unread: 2,
    });
    expect(chatListItem({ thread: 't', participants: [] }, history, 1).unread).toBe(1);
    expect(chatListItem({ thread: 't', participants: [] }, { ...history, messages: [] }, 0)).toEqual({ thread: 't', participants: [], unread: 0 });
  });

  it('in a room, own messages are those from the participant marked me (generated histories)', () => {
    const nick = fc.constantFrom('me', 'ann', 'ben');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 50 }), nick)), fc.nat({ max: 60 }), (rows, marker) => {
        const messages = rows.map(([seq, from]) => message(seq, from));
        const history: ChatHistory = { thread: 'r', participants: [{ address: 'me', me: true }, { address: 'ann', me: false }], messages };
        const item = chatListItem({ thread: 'r', participants: [] }, history, marker);
        expect(item.unread).toBe(messages.filter((m) => m.seq > marker && m.seq > 0 && m.from !== 'me').length);
        expect(item.lastMessage).toEqual(messages.at(-1));
      }),
    );
  });
});
