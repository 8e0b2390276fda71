import { onTheWire as wire, replyElement as body, upstreamErrorOf as rejection } from '../soap/testing/wire';
import { child, parseXml, XmlNode } from '../soap/xml';
import {
  configureChatRequest, getChatConfigurationRequest, isoTimestamp, readChatConfigurationResponse, readModifyChatResponse,
  ROOM_SETTINGS, settingFromWire, settingToWire,
} from './chat-configuration';

describe('ROOM_SETTINGS', () => {
  it('names every server var once, in the server spellings, and every api.md key once', () => {
    const wires = ROOM_SETTINGS.map((s) => s.wire);
    const keys = ROOM_SETTINGS.map((s) => s.key);
    expect(new Set(wires).size).toBe(28);
    expect(new Set(keys).size).toBe(28);
    expect(wires).toEqual(expect.arrayContaining(['noanonymous', 'logsurl', 'subjectmodifyable', 'passwordprotect', 'enablelogging']));
    expect(wires).not.toEqual(expect.arrayContaining(['nonanonymous', 'logs_url']));
    expect(ROOM_SETTINGS.filter((s) => s.type === 'string[]').map((s) => s.wire).sort()).toEqual(
      ['admins', 'getmemberlist', 'owners', 'presencebroadcast', 'whois'],
    );
    expect(ROOM_SETTINGS.filter((s) => 'readOnly' in s).map((s) => s.key).sort()).toEqual(['creationDate', 'occupantCount']);
  });

  it.each(ROOM_SETTINGS.map((s) => [s.key, s] as const))('%s survives a round trip through the wire form', (_key, spec) => {
    const list = 'items' in spec && Array.isArray(spec.items) ? [...spec.items].reverse() : ['alice@example.com', 'bob@example.com'];
    const sample = { boolean: true, int: 30, string: 'x y', 'string[]': list, timestamp: '2024-01-02T03:04:05.000Z' }[spec.type];
    expect(settingFromWire(spec, settingToWire(spec, sample))).toEqual(sample);
  });

  it('keeps only the fixed words of a list of them, so a read list can be written back', () => {
    const whois = ROOM_SETTINGS.find((s) => s.key === 'whois')!;
    const owners = ROOM_SETTINGS.find((s) => s.key === 'owners')!;
    expect(settingFromWire(whois, ['anyone', 'everybody', '', 'moderators'])).toEqual(['anyone', 'moderators']);
    expect(settingFromWire(owners, ['alice@example.com', '', 'anything'])).toEqual(['alice@example.com', 'anything']);
  });
});

describe('isoTimestamp', () => {
  it.each([
    ['20261202T06:58:38', '2026-12-02T06:58:38.000Z'],
    [' 20240229T23:59:59 ', '2024-02-29T23:59:59.000Z'],
    ['2026-12-02T06:58:38Z', '2026-12-02T06:58:38.000Z'],
    ['2026-12-02T06:58:38.1234Z', '2026-12-02T06:58:38.123Z'],
    ['2026-12-02T00:30:00+01:00', '2026-12-01T23:30:00.000Z'],
    ['2026-12-02T23:30:00-02:30', '2026-12-03T02:00:00.000Z'],
  ])('reads %j as %s', (wireValue, iso) => {
    expect(isoTimestamp(wireValue)).toBe(iso);
  });

  it.each(['', 'yesterday', '20261302T06:58:38', '20250229T00:00:00', '20261202T24:00:00', '2026-1202T06:58:38', '1290000000000', '20261202 06:58:38'])(
    'cannot read %j',
    (wireValue) => {
      expect(isoTimestamp(wireValue)).toBeUndefined();
    },
  );

  it('leaves an unreadable creationdate out of the settings', () => {
    const config = readChatConfigurationResponse(
      body(`<IMGetChatConfigurationResponse thread="t"><room threadId="t" addr="t@conference.example.com">
        <var name="creationdate">soon</var><var name="moderated">1</var>
      </room></IMGetChatConfigurationResponse>`),
      { thread: 't' },
    );
    expect(config.settings).toStrictEqual({ moderated: true });
  });
});

describe('getChatConfigurationRequest', () => {
  it('asks by thread, or by address, with requestOwnerConfig only when wanted', () => {
    expect(wire(getChatConfigurationRequest({ thread: 'myroom' }))).toBe('<IMGetChatConfigurationRequest xmlns="urn:zimbraIM" thread="myroom"/>');
    expect(wire(getChatConfigurationRequest({ address: 'r@conference.example.com' }, true))).toBe(
      '<IMGetChatConfigurationRequest xmlns="urn:zimbraIM" addr="r@conference.example.com" requestOwnerConfig="1"/>',
    );
  });
});

describe('readChatConfigurationResponse', () => {
  it('reads the wire-format example: the <room> wrapper, typed vars, lists as arrays', () => {
    const config = readChatConfigurationResponse(
      body(`<IMGetChatConfigurationResponse thread="myroom">
        <room threadId="myroom" addr="myroom@conference.example.com" owner="1">
          <var name="publicroom">1</var>
          <var name="description">Team room</var>
          <var name="owners" multi="1"><value>alice@example.com</value></var>
        </room>
      </IMGetChatConfigurationResponse>`),
      { thread: 'myroom' },
    );
    expect(config).toStrictEqual({
      thread: 'myroom',
      conference: true,
      room: { address: 'myroom@conference.example.com', owner: true },
      settings: { publicRoom: true, description: 'Team room', owners: ['alice@example.com'] },
    });
  });

  it('types every kind of var: booleans (1/0/true/false), numbers, strings, multi values', () => {
    const config = readChatConfigurationResponse(
      body(`<IMGetChatConfigurationResponse thread="t">
        <room threadId="t" addr="t@conference.example.com">
          <var name="open">0</var>
          <var name="moderated">true</var>
          <var name="persistent">FALSE</var>
          <var name="noanonymous">1</var>
          <var name="logsurl">http://logs.example.com/t?a=1&amp;b=2</var>
          <var name="numoccupants">3</var>
          <var name="maxusers"> 30 </var>
          <var name="creationdate">20240102T03:04:05</var>
          <var name="password"></var>
          <var name="subject"/>
          <var name="presencebroadcast" multi="1"><value>moderator</value><value>participant</value><value></value></var>
          <var name="admins" multi="1"/>
          <var name="whois" multi="1"><value>moderators</value></var>
          <var name="getmemberlist">visitor</var>
          <var name="enablelogging">1</var>
          <var name="contactid">alice@example.com</var>
        </room>
      </IMGetChatConfigurationResponse>`),
      { thread: 't' },
    );
    expect(config.room).toEqual({ address: 't@conference.example.com', owner: false });
    expect(config.settings).toStrictEqual({
      open: false,
      moderated: true,
      persistent: false,
      nonAnonymous: true,
      logsUrl: 'http://logs.example.com/t?a=1&b=2',
      occupantCount: 3,
      maxUsers: 30,
      creationDate: '2024-01-02T03:04:05.000Z',
      password: '',
      subject: '',
      presenceBroadcast: ['moderator', 'participant'],
      admins: [],
      whois: ['moderators'],
      getMemberList: ['visitor'],
      loggingEnabled: true,
      contactId: 'alice@example.com',
    });
  });

  it('ignores the doc spellings and unknown vars, values that do not fit, and repeats', () => {
    const config = readChatConfigurationResponse(
      body(`<IMGetChatConfigurationResponse thread="t">
        <room threadId="t" addr="t@conference.example.com">
          <var name="nonanonymous">1</var>
          <var name="logs_url">http://x</var>
          <var name="isMUC">1</var>
          <var>1</var>
          <var name="moderated">maybe</var>
          <var name="maxusers">lots</var>
          <var name="MembersOnly">1</var>
          <var name="membersonly">0</var>
          <var name="longname" multi="1"><value>First</value><value>Second</value></var>
        </room>
      </IMGetChatConfigurationResponse>`),
      { thread: 't' },
    );
    expect(config.settings).toStrictEqual({ membersOnly: true, longName: 'First' });
  });

  it('a thread naming a 1:1 chat gets the bare response: conference false, no room, no settings', () => {
    expect(readChatConfigurationResponse(body('<IMGetChatConfigurationResponse thread="chat-alice%example.com-0"/>'), { thread: 'chat-alice%example.com-0' })).toStrictEqual({
      thread: 'chat-alice%example.com-0',
      conference: false,
      settings: {},
    });
  });

  it('by address: only addr on the room, no thread', () => {
    const config = readChatConfigurationResponse(
      body('<IMGetChatConfigurationResponse><room addr="r@conference.example.com"><var name="publicroom">0</var></room></IMGetChatConfigurationResponse>'),
      { address: 'r@conference.example.com' },
    );
    expect(config).toStrictEqual({
      thread: null,
      conference: true,
      room: { address: 'r@conference.example.com', owner: false },
      settings: { publicRoom: false },
    });
  });

  it('an empty room and missing addr fall back to what was asked', () => {
    expect(readChatConfigurationResponse(body('<IMGetChatConfigurationResponse><room/></IMGetChatConfigurationResponse>'), { address: 'r@c.example.com' })).toStrictEqual({
      thread: null,
      conference: true,
      room: { address: 'r@c.example.com', owner: false },
      settings: {},
    });
  });

  it.each(['not_found', 'not_a_conference_room', 'no_response_from_remote', 'not_allowed', 'something_new'])(
    'error="%s" is an upstream result with that code',
    (error) => {
      const err = rejection(() => readChatConfigurationResponse(body(`<IMGetChatConfigurationResponse thread="t" error="${error}"/>`), { thread: 't' }));
      expect(err).toMatchObject({ kind: 'result', code: error });
    },
  );

  it('by address, a response with neither room nor error is a bad response', () => {
    expect(rejection(() => readChatConfigurationResponse(body('<IMGetChatConfigurationResponse/>'), { address: 'r@c.example.com' }))).toMatchObject({
      kind: 'bad_response',
    });
  });
});

describe('configureChatRequest', () => {
  it('writes <var name> per setting with server names, 1/0 booleans, decimal numbers, multi="1" lists, in table order', () => {
    const xml = wire(
      configureChatRequest('myroom', {
        maxUsers: 2,
        passwordProtected: true,
        password: 'p<&>w',
        membersOnly: false,
        nonAnonymous: true,
        logsUrl: 'http://logs',
        owners: ['alice@example.com', 'bob@example.com'],
        presenceBroadcast: ['moderator'],
      }),
    );
    expect(xml).toBe(
      '<IMModifyChatRequest xmlns="urn:zimbraIM" thread="myroom" op="configure">' +
        '<var name="membersonly">0</var>' +
        '<var name="noanonymous">1</var>' +
        '<var name="passwordprotect">1</var>' +
        '<var name="password">p&lt;&amp;&gt;w</var>' +
        '<var name="maxusers">2</var>' +
        '<var name="presencebroadcast" multi="1"><value>moderator</value></var>' +
        '<var name="logsurl">http://logs</var>' +
        '<var name="owners" multi="1"><value>alice@example.com</value><value>bob@example.com</value></var>' +
        '</IMModifyChatRequest>',
    );
  });

  it('never writes read-only or unknown settings; no settings is a bare configure', () => {
    const sneaky = { occupantCount: 5, creationDate: 'x', isMUC: true } as never;
    expect(wire(configureChatRequest('t', sneaky))).toBe('<IMModifyChatRequest xmlns="urn:zimbraIM" thread="t" op="configure"/>');
  });

  it('leaves out empty values (the upstream would skip them) and keeps the rest of a configuration read', () => {
    const read = { subject: '', admins: [], logsUrl: '', moderated: false, owners: ['alice@example.com'], occupantCount: 1 };
    expect(wire(configureChatRequest('t', read))).toBe(
      '<IMModifyChatRequest xmlns="urn:zimbraIM" thread="t" op="configure">' +
        '<var name="moderated">0</var>' +
        '<var name="owners" multi="1"><value>alice@example.com</value></var>' +
        '</IMModifyChatRequest>',
    );
  });

  it('round-trips through the reader', () => {
    const settings = { publicRoom: false, maxUsers: 10, description: ' <"d"> &\n', whois: ['anyone'], admins: ['carol@example.com'] };
    const request = child(parseXml(wire(configureChatRequest('t', settings))), 'IMModifyChatRequest') as XmlNode;
    const response = { '@_thread': 't', room: [{ '@_addr': 't@conference.example.com', var: request.var }] };
    expect(readChatConfigurationResponse(response, { thread: 't' }).settings).toStrictEqual(settings);
  });
});

describe('readModifyChatResponse', () => {
  it('accepts thread only, and turns error="not_found" into a not_found result', () => {
    expect(() => readModifyChatResponse(body('<IMModifyChatResponse thread="t"/>'))).not.toThrow();
    expect(rejection(() => readModifyChatResponse(body('<IMModifyChatResponse thread="t" error="not_found"/>')))).toMatchObject({
      kind: 'result',
      code: 'not_found',
    });
  });
});
