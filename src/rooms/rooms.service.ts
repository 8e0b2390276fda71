import { Injectable } from '@nestjs/common';
import {
  ChatConfiguration, ConfigurationTarget, configureChatRequest, getChatConfigurationRequest, readChatConfigurationResponse,
  readModifyChatResponse, WritableRoomSettings,
} from '../im/chat-configuration';
import {
  JoinResult, JoinRoom, joinConferenceRoomRequest, listConferenceRoomsRequest, listConferenceServicesRequest, NamedAddress,
  readConferenceRoomsResponse, readConferenceServicesResponse, readJoinConferenceRoomResponse,
} from '../im/rooms';
import { LinkRegistry } from '../link/link-registry.service';

@Injectable()
export class RoomsService {
  constructor(private readonly links: LinkRegistry) {}

  async listServices(token: string): Promise<NamedAddress[]> {
    const body = await this.links.acquire(token).call(listConferenceServicesRequest(), { repeatOnNewSession: true });
    return readConferenceServicesResponse(body);
  }

  async listRooms(token: string, service: string): Promise<NamedAddress[]> {
    const body = await this.links.acquire(token).call(listConferenceRoomsRequest(service), { repeatOnNewSession: true });
    return readConferenceRoomsResponse(body);
  }

  /**
   * Joins (or creates) a room. On success the link remembers the room as the chat's address, so
   * messages to the thread go to the room. Joining again while inside is harmless, so the call is
   * repeated if the upstream session was replaced under it.
   */
  async join(token: string, join: JoinRoom): Promise<JoinResult> {
    const link = this.links.acquire(token);
    const result = readJoinConferenceRoomResponse(await link.call(joinConferenceRoomRequest(join), { repeatOnNewSession: true }), join);
    link.state.rememberChat(result.thread, join.address);
    return result;
  }

  async configuration(token: string, target: ConfigurationTarget, owner: boolean): Promise<ChatConfiguration> {
    const body = await this.links.acquire(token).call(getChatConfigurationRequest(target, owner), { repeatOnNewSession: true });
    return readChatConfigurationResponse(body, target);
  }

  /** Setting the same values twice is harmless, so this too is repeated on a replaced session. */
  async configure(token: string, thread: string, settings: WritableRoomSettings): Promise<void> {
    const body = await this.links.acquire(token).call(configureChatRequest(thread, settings), { repeatOnNewSession: true });
    readModifyChatResponse(body);
  }
}
