import { LinkState } from '../link/link-state';
import type { LinkRegistry } from '../link/link-registry.service';
import type { RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import type { XmlNode } from '../soap/xml';
import { RoomsService } from './rooms.service';

/** A link that answers every call with the given response element and records the requests. */
function fakeLinks(response: XmlNode) {
  const state = new LinkState();
  const calls: { body: RequestBody; options: unknown }[] = [];
  const link = {
    state,
    call: async (body: RequestBody, options: unknown) => {
      calls.push({ body, options });
      return response;
    },
  };
  return { links: { acquire: () => link } as unknown as LinkRegistry, state, calls };
}

describe('RoomsService.join', () => {
  it('remembers the room as the address of the joined chat, so sends to the thread reach the room', async () => {
    const { links, state, calls } = fakeLinks({ '@_thread': 'team', '@_status': 'OccupantPresence,NewRoomCreated' });
    const result = await new RoomsService(links).join('token', { address: 'team@conference.example.com', nickname: 'Al' });
    expect(result).toEqual({ thread: 'team', created: true, statuses: ['OccupantPresence', 'NewRoomCreated'] });
    expect(state.chatAddress('team')).toBe('team@conference.example.com');
    expect(calls[0].body).toEqual({
      IMJoinConferenceRoomRequest: { '@_xmlns': 'urn:zimbraIM', '@_addr': 'team@conference.example.com', '@_nick': 'Al' },
    });
    expect(calls[0].options).toEqual({ repeatOnNewSession: true });
  });

  it('remembers nothing when the join is refused', async () => {
    const { links, state } = fakeLinks({ '@_thread': 'team', '@_error': 'PasswordRequired' });
    await expect(new RoomsService(links).join('token', { address: 'team@conference.example.com' })).rejects.toEqual(
      expect.objectContaining<Partial<UpstreamError>>({ kind: 'result', code: 'PasswordRequired' }),
    );
    expect(state.chatAddress('team')).toBeUndefined();
  });
});
