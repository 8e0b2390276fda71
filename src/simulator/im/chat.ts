import type { XhtmlBody } from './xhtml';

/** One chat of one persona (§11): thread, participants, stored messages and the save/close timer. */

export type Role = 'moderator' | 'participant' | 'visitor' | 'none';
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast' | 'none';

export interface Participant {
  /** A bare address in 1:1 chats, the nickname in rooms (§11). */
  addr: string;
  me?: boolean;
  /** The occupant's real JID when the room reveals it. */
  fulladdr?: string;
  role?: Role;
  affiliation?: Affiliation;
}

export interface MessageBody {
  /** Plain text; a body whose text is empty counts as blank (§12.5). */
  text: string;
  html?: XhtmlBody;
}

export interface ChatMessage {
  from: string;
  /** Only on messages the user sent (§13.2). */
  to?: string;
  ts: number;
  subject?: string;
  body?: MessageBody;
  typing: boolean;
}

/** Nothing to store or echo: no subject and no body text (§12.5 typing-only). */
export function isBlank(m: Pick<ChatMessage, 'subject' | 'body'>): boolean {
  return !m.subject && !m.body?.text;
}

type TimerState = 'none' | 'save' | 'close';

export interface ChatTimings {
  flushMs: number;
  closeMs: number;
}

export class Chat {
  readonly messages: ChatMessage[] = [];
  /** Keyed by lower-cased addr; insertion order is the order written. */
  readonly participants = new Map<string, Participant>();
  /** Bare room address once the chat is a MUC. */
  room?: string;
  /** Own nickname in the room (default: the user's local part). */
  nick?: string;
  /** Currently an occupant of `room`. */
  joined = false;
  private timer: TimerState = 'none';
  private deadline = 0;

  /** `dest`: the 1:1 partner the chat sends to (its first participant). */
  constructor(readonly thread: string, public dest: string | undefined, private readonly timings: ChatTimings) {
    if (dest) this.participants.set(dest.toLowerCase(), { addr: dest });
  }

  get isMuc(): boolean {
    return this.room !== undefined;
  }

  // ---- the timer of IMChat (§11): a stored message (re)starts the save timer unless one runs;
  // anything else starts the close timer when none runs; the save firing starts the close timer. ----

  stored(now: number): void {
    if (this.timer !== 'save') this.start('save', now);
  }

  touched(now: number): void {
    if (this.timer === 'none') this.start('close', now);
  }

  /** True once the close timer has fired at `now`. */
  due(now: number): boolean {
    if (this.timer === 'save' && now >= this.deadline) this.start('close', this.deadline);
    return this.timer === 'close' && now >= this.deadline;
  }

  stopTimer(): void {
    this.timer = 'none';
  }

  private start(state: TimerState, from: number): void {
    this.timer = state;
    // The server's floors: 1 s to save, 60 s to close.
    this.deadline = from + (state === 'save' ? Math.max(1000, this.timings.flushMs) : Math.max(60_000, this.timings.closeMs));
  }
}
