/**
 * The typed events of api.md's "Real-time events" table: what every upstream `<n>` notification
 * becomes. `data` shapes are the public contract; keep them in step with api.md and the AsyncAPI doc.
 */

export type Show = 'online' | 'chat' | 'away' | 'xa' | 'dnd' | 'offline';
export const SHOWS: readonly Show[] = ['online', 'chat', 'away', 'xa', 'dnd', 'offline'];

export interface Presence {
  show: Show;
  status?: string;
}

export interface Contact {
  address: string;
  name?: string;
  groups: string[];
  subscription: 'to' | 'none';
  pending: boolean;
}

export interface Participant {
  /** A bare address in 1:1 chats; the occupant's nickname in rooms. */
  address: string;
  /** The occupant's real bare address, when the room reveals it. */
  realAddress?: string;
  role?: string;
  affiliation?: string;
  me: boolean;
}

export interface PrivacyItem {
  order: number;
  action: 'allow' | 'deny';
  address: string;
}

export interface EventData {
  roster: { contacts: Contact[] };
  /** `removed` only when this account removed the contact (it is then gone from the roster). */
  contact: Contact & { removed?: true };
  message: {
    thread: string;
    from: string;
    to?: string;
    seq: number;
    sentAt: string;
    text: string;
    html?: string;
    subject?: string;
  };
  typing: { thread: string; from: string; typing: boolean };
  messageError: { thread: string; from: string; condition: string; detail?: string };
  presence: { address: string } & Presence;
  subscriptionRequest: { from: string };
  participantJoined: { thread: string; participant: Participant; statuses: string[] };
  participantUpdated: { thread: string; participant: Participant; statuses: string[] };
  participantLeft: { thread: string; address: string; me: boolean; statuses: string[]; errors: string[] };
  chatClosed: { thread: string };
  invitation: { thread: string; room: string; message: string };
  gatewayStatus: { type: string; state: string; reconnectInMs?: number };
  gatewayOtherLocation: { type: string; username: string };
  privacyList: { name: string; items: PrivacyItem[] };
  resync: { reason: 'gap' | 'upstream_session' };
}

export type EventType = keyof EventData;

/** An event before the link numbers it. */
export type ImEvent = { [T in EventType]: { type: T; data: EventData[T] } }[EventType];

/** An event as published: numbered per token, stamped with the time the proxy saw it. */
export type LinkEvent = ImEvent & { id: string; at: string };

export const EVENT_TYPES: readonly EventType[] = [
  'roster', 'contact', 'message', 'typing', 'messageError', 'presence', 'subscriptionRequest',
  'participantJoined', 'participantUpdated', 'participantLeft', 'chatClosed', 'invitation',
  'gatewayStatus', 'gatewayOtherLocation', 'privacyList', 'resync',
];
