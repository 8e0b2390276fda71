import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ProblemCode, ProblemException } from '../common/problem';
import { APP_CONFIG, AppConfig } from '../config/config';
import {
  authorizeSubscribeRequest, ContactChange, getRosterRequest, readRosterResponse, readSubscribeResponse,
  RosterResponse, subscribeRequest, ChatSummary,
} from '../im/roster';
import type { Contact, Presence } from '../link/events';
import type { Link } from '../link/link';
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
    const { presence, chats } = await this.readRoster(link);
    const contacts = link.state.contacts ?? [];
    return {
      presence,
      contacts: contacts.map((contact) => withPresence(contact, link.state.presences.get(contact.address))),
      requests: [...link.state.pendingRequests],
      chats,
    };
  }

  async addContact(token: string, contact: ContactChange): Promise<{ address: string }> {
    const body = await this.links.acquire(token).call(subscribeRequest('add', contact), { repeatOnNewSession: true });
    return { address: readSubscribeResponse(body, contact.address) };
  }

  /**
   * Renames or regroups a contact. The upstream would silently add anyone else (and ask them for
   * their presence): an address that is not a contact is a 404 `not_found`. The roster is read
   * first when this link has not seen it yet.
   */
  async updateContact(token: string, contact: ContactChange): Promise<{ address: string }> {
    const link = this.links.acquire(token);
    let known = link.state.hasContact(contact.address);
    if (known === undefined) {
      await this.readRoster(link);
      known = link.state.hasContact(contact.address);
    }
    if (!known) {
      throw new ProblemException(HttpStatus.NOT_FOUND, ProblemCode.NOT_FOUND, `${contact.address} is not a contact; add it with POST /v1/roster/contacts.`);
    }
    return this.addContact(token, contact);
  }

  /**
   * IMSubscribe op=remove. The upstream keeps the roster item (§12.2); the link drops it, tells the
   * clients with a `contact` event marked `removed`, and keeps it out of later rosters.
   */
  async removeContact(token: string, address: string): Promise<void> {
    const link = this.links.acquire(token);
    link.state.removalStarted(address);
    let body;
    try {
      body = await link.call(subscribeRequest('remove', { address }), { repeatOnNewSession: true });
    } catch (err) {
      link.state.removalEnded([address], false);
      throw err;
    }
    link.state.removalEnded([address, readSubscribeResponse(body, address)], true);
  }

  async answerRequest(
    token: string,
    answer: { address: string; authorize: boolean; addToRoster: boolean; name?: string; groups?: string[] },
  ): Promise<void> {
    const link = this.links.acquire(token);
    await link.call(authorizeSubscribeRequest(answer), { repeatOnNewSession: true });
    link.state.pendingRequests.delete(answer.address);
  }

  /**
   * IMGetRoster, then the `roster` notification it brings (bounded wait). Not the waited-for roster
   * itself is the answer: an older one may come first in the same reply (an unacked block resent
   * beside the fresh snapshot). The link's state holds the newest, with later pushes applied.
   */
  private async readRoster(link: Link): Promise<RosterResponse> {
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
    return response;
  }
}

/** Contacts we are subscribed to are offline until a presence says otherwise; others' presence is unknown. */
function withPresence(contact: Contact, presence: Presence | undefined): Contact & { presence?: Presence } {
  if (presence) return { ...contact, presence };
  return contact.subscription === 'to' ? { ...contact, presence: { show: 'offline' } } : contact;
}
