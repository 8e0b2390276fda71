/**
 * The event stream's types, as the service documents them (api.md's event table,
 * openapi/asyncapi.yaml). A root spec checks that they are the service's own, type for type.
 */

export type Show = 'online' | 'chat' | 'away' | 'xa' | 'dnd' | 'offline';

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

/** Each event type's `data`, as the service sends it. */
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
  presence: { address: string; show: Show; status?: string };
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

export const EVENT_TYPES: readonly EventType[] = [
  'roster', 'contact', 'message', 'typing', 'messageError', 'presence', 'subscriptionRequest',
  'participantJoined', 'participantUpdated', 'participantLeft', 'chatClosed', 'invitation',
  'gatewayStatus', 'gatewayOtherLocation', 'privacyList', 'resync',
];

/**
 * One event of the token's stream. `id` is opaque and increasing; only a `resync` sent to one socket
 * because its resume point could not be replayed has none.
 */
export type StreamEvent<T extends EventType = EventType> = { [K in T]: { id: string; type: K; at: string; data: EventData[K] } }[T];

/** Frames that are not events: the answers to the client's own frames. */
export type ControlFrame =
  | { type: 'ready'; data: { resumed: boolean; lastId: string | null } }
  | { type: 'pong' }
  | { type: 'ack'; id: string; data: unknown }
  | { type: 'error'; id?: string; data: { code: string; detail: string; status?: number; errors?: { field: string; message: string }[] } };
