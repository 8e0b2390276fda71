import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { ROOM_SETTINGS } from '../../im/chat-configuration';
import { parseOwnerFlag } from '../route-params';
import { MAX_SETTING_TEXT_LENGTH } from './room-settings.dto';
import { JoinRoomDto, UpdateConfigurationDto } from './rooms.dto';

const transform = validateBody;
const rejected = rejectedBody;

const EVERY_WRITABLE = {
  open: true,
  publicRoom: false,
  moderated: true,
  persistent: true,
  membersOnly: true,
  nonAnonymous: false,
  semiAnonymous: true,
  passwordProtected: true,
  password: 'secret',
  maxUsers: 0,
  longName: 'Team',
  description: 'd'.repeat(MAX_SETTING_TEXT_LENGTH),
  subject: 'today',
  subjectModifiable: false,
  allowInvites: true,
  presenceBroadcast: ['moderator', 'participant', 'visitor'],
  logsUrl: 'http://logs.example.com/',
  owners: ['alice@example.com'],
  admins: ['bob@example.com', 'carol@example.com'],
  whois: ['anyone'],
  loggingEnabled: true,
  reservedNick: false,
  canChangeNick: true,
  allowRegister: false,
  getMemberList: ['moderator'],
  contactId: 'alice@example.com',
};

describe('UpdateConfigurationDto', () => {
  it('accepts every writable setting of the table, typed, and an empty settings object', async () => {
    expect(Object.keys(EVERY_WRITABLE).sort()).toEqual(ROOM_SETTINGS.filter((s) => !('readOnly' in s)).map((s) => s.key).sort());
    await expect(transform(UpdateConfigurationDto, { settings: EVERY_WRITABLE })).resolves.toEqual({ settings: EVERY_WRITABLE });
    await expect(transform(UpdateConfigurationDto, { settings: {} })).resolves.toEqual({ settings: {} });
  });

  it.each<[string, unknown, string]>([
    ['a missing settings', {}, 'settings'],
    ['settings as an array', { settings: [] }, 'settings'],
    ['settings as a string', { settings: 'x' }, 'settings'],
    ['settings null', { settings: null }, 'settings'],
    ['an unknown top-level property', { settings: {}, thread: 'x' }, 'thread'],
    ['an unknown setting', { settings: { isMUC: true } }, 'settings.isMUC'],
    ['a server spelling instead of the api name', { settings: { membersonly: true } }, 'settings.membersonly'],
    ['a doc spelling', { settings: { nonanonymous: true } }, 'settings.nonanonymous'],
    ['a boolean as 1', { settings: { membersOnly: 1 } }, 'settings.membersOnly'],
    ['a boolean as "true"', { settings: { membersOnly: 'true' } }, 'settings.membersOnly'],
    ['a null boolean', { settings: { moderated: null } }, 'settings.moderated'],
    ['a number as a string', { settings: { maxUsers: '10' } }, 'settings.maxUsers'],
    ['a fractional number', { settings: { maxUsers: 1.5 } }, 'settings.maxUsers'],
    ['a negative number', { settings: { maxUsers: -1 } }, 'settings.maxUsers'],
    ['a number too large for the server', { settings: { maxUsers: 2 ** 31 } }, 'settings.maxUsers'],
    ['a string as a number', { settings: { password: 1234 } }, 'settings.password'],
    ['a read-only occupantCount that is not an integer', { settings: { occupantCount: '3' } }, 'settings.occupantCount'],
    ['a read-only creationDate that is not a date', { settings: { creationDate: 'yesterday' } }, 'settings.creationDate'],
    ['a string over the limit', { settings: { subject: 's'.repeat(MAX_SETTING_TEXT_LENGTH + 1) } }, 'settings.subject'],
    ['a string XML cannot carry', { settings: { longName: 'a\u0000b' } }, 'settings.longName'],
    ['a list as a string', { settings: { owners: 'alice@example.com' } }, 'settings.owners'],
    ['an owner that is not an address', { settings: { owners: ['alice'] } }, 'settings.owners'],
    ['an admin with a resource', { settings: { admins: ['bob@example.com/desk'] } }, 'settings.admins'],
    ['an unknown role', { settings: { presenceBroadcast: ['moderator', 'king'] } }, 'settings.presenceBroadcast'],
    ['an unknown whois value', { settings: { whois: ['everybody'] } }, 'settings.whois'],
    ['a non-string list item', { settings: { getMemberList: [1] } }, 'settings.getMemberList'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(UpdateConfigurationDto, body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('accepts what a configuration read reports: read-only settings (ignored later) and empty values', async () => {
    const read = { occupantCount: 1, creationDate: '2026-12-02T06:58:38.000Z', subject: '', logsUrl: '', admins: [], password: '', moderated: true };
    await expect(transform(UpdateConfigurationDto, { settings: read })).resolves.toEqual({ settings: read });
  });

  it('one entry per offending field', async () => {
    const problem = await rejected(UpdateConfigurationDto, { settings: { occupantCount: 1.5, password: 7, foo: 1 } });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'settings.occupantCount', message: expect.stringContaining('integer') },
        { field: 'settings.password', message: expect.stringContaining('string') },
        { field: 'settings.foo', message: 'property foo should not exist' },
      ]),
    );
    expect(problem.errors).toHaveLength(3);
  });
});

describe('JoinRoomDto', () => {
  it('accepts an empty body and every field', async () => {
    await expect(transform(JoinRoomDto, {})).resolves.toEqual({});
    await expect(transform(JoinRoomDto, undefined)).resolves.toEqual({});
    const body = { nickname: 'Alice in Wonderland', password: 'p w', thread: 'chat-alice%example.com-0' };
    await expect(transform(JoinRoomDto, body)).resolves.toEqual(body);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty nickname', { nickname: '' }, 'nickname'],
    ['a blank nickname', { nickname: '   ' }, 'nickname'],
    ['a nickname with a newline', { nickname: 'a\nb' }, 'nickname'],
    ['a nickname over 256', { nickname: 'n'.repeat(257) }, 'nickname'],
    ['a numeric nickname', { nickname: 7 }, 'nickname'],
    ['a null password', { password: null }, 'password'],
    ['an empty password', { password: '' }, 'password'],
    ['a password with a tab', { password: 'a\tb' }, 'password'],
    ['an empty thread', { thread: '' }, 'thread'],
    ['a thread with a control character', { thread: 'a\u0085b' }, 'thread'],
    ['a thread over 256', { thread: 't'.repeat(257) }, 'thread'],
    ['the ignored upstream spelling', { nick: 'x' }, 'nick'],
    ['an address in the body', { address: 'r@conference.example.com' }, 'address'],
  ])('rejects %s', async (_name, body, field) => {
    const problem = await rejected(JoinRoomDto, body);
    expect(problem.errors).toEqual([{ field, message: expect.any(String) }]);
  });
});

describe('the owner query flag', () => {
  it('owner flag: absent = false, true/false only', () => {
    expect(parseOwnerFlag(undefined)).toBe(false);
    expect(parseOwnerFlag('true')).toBe(true);
    expect(parseOwnerFlag('false')).toBe(false);
    for (const bad of ['', '1', 'TRUE', 'yes', ['true', 'false'], true]) expect(parseOwnerFlag(bad)).toBeUndefined();
  });
});
