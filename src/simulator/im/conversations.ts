import type { AccountDirectory } from '../accounts';
import type { SimClock } from '../clock';
import type { ChatTimings } from './chat';
import { ChatService } from './chats';
import type { ImService } from './im-service';
import { Messaging } from './messaging';
import { RoomService } from './rooms';

/** Chats, conference rooms and message routing, wired together (§11–§13 chat parts). */
export class Conversations {
  readonly chats: ChatService;
  readonly rooms: RoomService;
  readonly messaging: Messaging;

  constructor(im: ImService, accounts: AccountDirectory, clock: SimClock, timings: ChatTimings) {
    this.chats = new ChatService(im, clock, timings);
    this.rooms = new RoomService(this.chats, accounts);
    this.messaging = new Messaging(this.chats, this.rooms, accounts);
    // Own presence reaches joined rooms; going offline leaves them (§12.4).
    im.onPresenceBroadcast = (persona) => this.rooms.presenceChanged(persona);
  }

  /** The auto-close timer, run on every clock advance and by the periodic sweeper (§11). */
  sweep(): void {
    this.chats.sweep();
  }
}
