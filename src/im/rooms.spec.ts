import { onTheWire as wire, replyElement as body, upstreamErrorOf as rejection } from '../soap/testing/wire';
import {
  joinConferenceRoomRequest, listConferenceRoomsRequest, listConferenceServicesRequest, readConferenceRoomsResponse,
  readConferenceServicesResponse, readJoinConferenceRoomResponse,
} from './rooms';

const ROOM = 'myroom@conference.example.com';

describe('conference listings', () => {
  it('IMListConferenceServices has no arguments; IMListConferenceRooms sends the required svc', () => {
    expect(wire(listConferenceServicesRequest())).toBe('<IMListConferenceServicesRequest xmlns="urn:zimbraIM"/>');
    expect(wire(listConferenceRoomsRequest('conference.example.com'))).toBe(
      '<IMListConferenceRoomsRequest xmlns="urn:zimbraIM" svc="conference.example.com"/>',
    );
  });

  it('reads services and rooms as name/address lists, always arrays', () => {
    expect(readConferenceServicesResponse(body('<IMListConferenceServicesResponse><svc name="Public Chatrooms" addr="conference.example.com"/></IMListConferenceServicesResponse>'))).toStrictEqual([
      { name: 'Public Chatrooms', address: 'conference.example.com' },
    ]);
    expect(readConferenceServicesResponse(body('<IMListConferenceServicesResponse/>'))).toStrictEqual([]);
    expect(readConferenceRoomsResponse(body(`<IMListConferenceRoomsResponse>
      <room name="My Room" addr="${ROOM}"/>
      <room addr="other@conference.example.com"/>
      <room name="no address"/>
      <room name="again" addr="MyRoom@conference.example.com"/>
    </IMListConferenceRoomsResponse>`))).toStrictEqual([
      { name: 'My Room', address: ROOM },
      { name: 'other@conference.example.com', address: 'other@conference.example.com' },
    ]);
    expect(readConferenceRoomsResponse(body('<IMListConferenceRoomsResponse/>'))).toStrictEqual([]);
  });
});

describe('joinConferenceRoomRequest', () => {
  it('sends the nickname as nick (the upstream ignores nickname), password and thread only when given', () => {
    expect(wire(joinConferenceRoomRequest({ address: ROOM }))).toBe(`<IMJoinConferenceRoomRequest xmlns="urn:zimbraIM" addr="${ROOM}"/>`);
    expect(wire(joinConferenceRoomRequest({ address: ROOM, nickname: 'al"ice', password: 'p&w', thread: 'T' }))).toBe(
      `<IMJoinConferenceRoomRequest xmlns="urn:zimbraIM" addr="${ROOM}" nick="al&quot;ice" password="p&amp;w" thread="T"/>`,
    );
  });
});

describe('readJoinConferenceRoomResponse', () => {
  it('a new room: created from NewRoomCreated, statuses as an array in the order sent', () => {
    expect(readJoinConferenceRoomResponse(body('<IMJoinConferenceRoomResponse thread="myroom" status="OccupantPresence,NewRoomCreated"/>'), { address: ROOM })).toStrictEqual({
      thread: 'myroom',
      created: true,
      statuses: ['OccupantPresence', 'NewRoomCreated'],
    });
  });

  it('an existing room: created false; a missing thread falls back to the requested one, else the local part', () => {
    expect(readJoinConferenceRoomResponse(body('<IMJoinConferenceRoomResponse status="OccupantPresence"/>'), { address: ROOM, thread: 'T' })).toStrictEqual({
      thread: 'T',
      created: false,
      statuses: ['OccupantPresence'],
    });
    expect(readJoinConferenceRoomResponse(body('<IMJoinConferenceRoomResponse status="OccupantPresence, NonAnonymous"/>'), { address: ROOM }).thread).toBe('myroom');
  });

  it.each(['PasswordRequired', 'Banned', 'NoSuchRoom', 'NotAllowed', 'MustUseReservedRoomnick', 'NotAMember', 'NicknameConflict', 'MaxUsers', 'Unknown'])(
    'error="%s" refuses the join with that code',
    (error) => {
      const err = rejection(() => readJoinConferenceRoomResponse(body(`<IMJoinConferenceRoomResponse thread="myroom" error="${error}"/>`), { address: ROOM }));
      expect(err).toMatchObject({ kind: 'result', code: error });
    },
  );

  it('several errors: the first names the problem, all are in the message; an error wins over statuses', () => {
    const err = rejection(() =>
      readJoinConferenceRoomResponse(body('<IMJoinConferenceRoomResponse thread="myroom" status="OccupantPresence" error="NotAMember,PasswordRequired"/>'), { address: ROOM }),
    );
    expect(err).toMatchObject({ kind: 'result', code: 'NotAMember' });
    expect(err.message).toContain('NotAMember, PasswordRequired');
  });

  it('thread only (the room never answered): no_response_from_remote', () => {
    expect(rejection(() => readJoinConferenceRoomResponse(body('<IMJoinConferenceRoomResponse thread="myroom"/>'), { address: ROOM }))).toMatchObject({
      kind: 'result',
      code: 'no_response_from_remote',
    });
  });
});
