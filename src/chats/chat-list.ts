import type { ChatHistory, HistoryMessage } from '../im/chats';
import type { ChatSummary } from '../im/roster';

/** A chat as `GET /v1/chats` lists it: who is in it, its newest message, and how many came after the reader's marker. */
export interface ChatListItem extends ChatSummary {
  lastMessage?: HistoryMessage;
  /** Messages from others numbered after the marker (`PUT /v1/chats/{thread}/read`; 0 when none was set). */
  unread: number;
}

/**
 * One chat of the list from its history and the reader's marker. Pure. Own messages are never
 * unread: in a 1:1 chat they are the ones not from the partner, in a room the ones from this
 * account's own nickname (the participant marked `me`). SYSTEM lines (seq 0) are not counted.
 */
export function chatListItem(summary: ChatSummary, history: ChatHistory, marker: number): ChatListItem {
  const own = ownSender(history);
  let unread = 0;
  for (const message of history.messages) {
    if (message.seq > marker && message.seq > 0 && !own(message.from)) unread++;
  }
  const item: ChatListItem = { ...summary, unread };
  const lastMessage = history.messages[history.messages.length - 1];
  if (lastMessage) item.lastMessage = lastMessage;
  return item;
}

function ownSender(history: ChatHistory): (from: string) => boolean {
  if (history.partner !== undefined) {
    const partner = history.partner.toLowerCase();
    return (from) => from.toLowerCase() !== partner;
  }
  const me = history.participants.find((p) => p.me)?.address;
  return (from) => from === me;
}
