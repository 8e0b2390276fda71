import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import {
  authorizeSubscribeRequest, ContactChange, getRosterRequest, readRosterResponse, readSubscribeResponse,
  subscribeRequest, ChatSummary,
} from '../im/roster';
import type { Contact, Presence } from '../link/events';
import { LinkRegistry } from '../link/link-registry.service';

export interface RosterView {
  presence: Presence;
  contacts: (Contact & { presence?: Presence })[];
  requests: string[];
  chats: ChatSummary[];
}

@Injectable()
export class RosterService {
  constructor(
    private readonly links: LinkRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The upstream answers IMGetRoster with presence and chats only; the contacts arrive as a `roster`
   * notification, in this reply's header or later through the long-poll. Wait for it (bounded).
   */
  async getRoster(token: string): Promise<RosterView> {
    const link = this.links.acquire(token);
    const roster = link.waitFor(
      (event) => (event.type === 'roster' ? true : undefined),
      this.config.rosterTimeoutMs,
      'roster.TIMEOUT',
    );
    let response;
    try {
      response = readRosterResponse(await link.call(getRosterRequest(), { repeatOnNewSession: true }));
    } catch (err) {
      roster.cancel();
      throw err;
    }
    await roster.promise;
    // Not the waited-for roster itself: an older one may come first in the same reply (an unacked
    // block resent beside the fresh snapshot). The state holds the newest, with later pushes applied.
    const contacts = link.state.contacts ?? [];
    return {
      presence: response.presence,
      contacts: contacts.map((contact) => withPresence(contact, link.state.presences.get(contact.address))),
      requests: [...link.state.pendingRequests],
      chats: response.chats,
    };
  }

  async addContact(token: string, contact: ContactChange): Promise<{ address: string }> {
    const body = await this.links.acquire(token).call(subscribeRequest('add', contact), { repeatOnNewSession: true });
    return { address: readSubscribeResponse(body, contact.address) };
  }

  async removeContact(token: string, address: string): Promise<void> {
    await this.links.acquire(token).call(subscribeRequest('remove', { address }), { repeatOnNewSession: true });
  }

  async answerRequest(
    token: string,
    answer: { address: string; authorize: boolean; addToRoster: boolean; name?: string; groups?: string[] },
  ): Promise<void> {
    const link = this.links.acquire(token);
    await link.call(authorizeSubscribeRequest(answer), { repeatOnNewSession: true });
    link.state.pendingRequests.delete(answer.address);
  }
}

/** Contacts we are subscribed to are offline until a presence says otherwise; others' presence is unknown. */
function withPresence(contact: Contact, presence: Presence | undefined): Contact & { presence?: Presence } {
  if (presence) return { ...contact, presence };
  return contact.subscription === 'to' ? { ...contact, presence: { show: 'offline' } } : contact;
}
