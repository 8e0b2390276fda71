import { nonEmpty } from '../link/mapping/values';
import { NS, RequestBody } from '../soap/envelope';
import { UpstreamError } from '../soap/upstream-error';
import { attr, child, children, text, XmlNode } from '../soap/xml';

// ---- the settings table --------------------------------------------------------------------------

/**
 * JSON type of a room setting. Booleans travel as `1`/`0`, numbers as decimal text, lists as `multi="1"`
 * vars; a timestamp comes in XMPP's form (`20261202T06:58:38`) and goes out as ISO-8601 UTC.
 */
export type SettingType = 'boolean' | 'int' | 'string' | 'string[]' | 'timestamp';

export interface RoomSettingSpec {
  /** api.md's camelCase name. */
  readonly key: string;
  /** The server's `<var name>` (§12.8), which is not always the doc's spelling. */
  readonly wire: string;
  readonly type: SettingType;
  /** Reported by the server but never written. */
  readonly readOnly?: boolean;
  /** What list items must be (writes only): bare addresses, or one of a few fixed words. */
  readonly items?: 'address' | readonly string[];
}

const ROLES = ['moderator', 'participant', 'visitor'] as const;

/**
 * Every room setting: api.md's name, the server's var name and the JSON type. The one table the
 * configuration reader, the configure writer and the request validation all work from.
 */
export const ROOM_SETTINGS = [
  { key: 'open', wire: 'open', type: 'boolean' },
  { key: 'creationDate', wire: 'creationdate', type: 'timestamp', readOnly: true },
  { key: 'publicRoom', wire: 'publicroom', type: 'boolean' },
  { key: 'moderated', wire: 'moderated', type: 'boolean' },
  { key: 'persistent', wire: 'persistent', type: 'boolean' },
  { key: 'membersOnly', wire: 'membersonly', type: 'boolean' },
  { key: 'nonAnonymous', wire: 'noanonymous', type: 'boolean' },
  { key: 'semiAnonymous', wire: 'semianonymous', type: 'boolean' },
  { key: 'passwordProtected', wire: 'passwordprotect', type: 'boolean' },
  { key: 'password', wire: 'password', type: 'string' },
  { key: 'occupantCount', wire: 'numoccupants', type: 'int', readOnly: true },
  { key: 'maxUsers', wire: 'maxusers', type: 'int' },
  { key: 'longName', wire: 'longname', type: 'string' },
  { key: 'description', wire: 'description', type: 'string' },
  { key: 'subject', wire: 'subject', type: 'string' },
  { key: 'subjectModifiable', wire: 'subjectmodifyable', type: 'boolean' },
  { key: 'allowInvites', wire: 'allowinvites', type: 'boolean' },
  { key: 'presenceBroadcast', wire: 'presencebroadcast', type: 'string[]', items: ROLES },
  { key: 'logsUrl', wire: 'logsurl', type: 'string' },
  { key: 'owners', wire: 'owners', type: 'string[]', items: 'address' },
  { key: 'admins', wire: 'admins', type: 'string[]', items: 'address' },
  { key: 'whois', wire: 'whois', type: 'string[]', items: ['moderators', 'anyone'] },
  { key: 'loggingEnabled', wire: 'enablelogging', type: 'boolean' },
  { key: 'reservedNick', wire: 'reservednick', type: 'boolean' },
  { key: 'canChangeNick', wire: 'canchangenick', type: 'boolean' },
  { key: 'allowRegister', wire: 'allowregister', type: 'boolean' },
  { key: 'getMemberList', wire: 'getmemberlist', type: 'string[]', items: ROLES },
  { key: 'contactId', wire: 'contactid', type: 'string' },
] as const satisfies readonly RoomSettingSpec[];

type Spec = (typeof ROOM_SETTINGS)[number];

interface JsonTypes {
  boolean: boolean;
  int: number;
  string: string;
  'string[]': string[];
  timestamp: string;
}

/** The typed `settings` object of the configuration routes. */
export type RoomSettings = { -readonly [S in Spec as S['key']]?: JsonTypes[S['type']] };
export type RoomSettingKey = keyof RoomSettings;

type ReadOnlySpec = Extract<Spec, { readOnly: true }>;
/** What IMModifyChat op=configure may change. */
export type WritableRoomSettings = Omit<RoomSettings, ReadOnlySpec['key']>;

const BY_KEY: ReadonlyMap<string, RoomSettingSpec> = new Map(ROOM_SETTINGS.map((s) => [s.key, s]));
const BY_WIRE: ReadonlyMap<string, RoomSettingSpec> = new Map(ROOM_SETTINGS.map((s) => [s.wire, s]));

export function roomSetting(key: string): RoomSettingSpec | undefined {
  return BY_KEY.get(key);
}

// ---- values, both directions ---------------------------------------------------------------------

/**
 * A var's value as JSON, or undefined when the text does not fit the type (the setting is then left
 * out). A list of fixed words keeps only those words, like every value that must fit its type: what
 * is read can then be written back as it is.
 */
export function settingFromWire(spec: RoomSettingSpec, values: string[]): unknown {
  switch (spec.type) {
    case 'string[]': {
      const words = Array.isArray(spec.items) ? (spec.items as readonly string[]) : undefined;
      return values.filter((v) => v !== '' && (words === undefined || words.includes(v)));
    }
    case 'string':
      return values[0] ?? '';
    case 'boolean': {
      const v = values[0]?.trim().toLowerCase();
      if (v === '1' || v === 'true') return true;
      if (v === '0' || v === 'false') return false;
      return undefined;
    }
    case 'int': {
      const v = values[0]?.trim() ?? '';
      return /^-?\d{1,15}$/.test(v) ? Number(v) : undefined;
    }
    case 'timestamp':
      return isoTimestamp(values[0] ?? '');
  }
}

/** A JSON value as the var's text values. */
export function settingToWire(spec: RoomSettingSpec, value: unknown): string[] {
  switch (spec.type) {
    case 'string[]':
      return [...(value as string[])];
    case 'boolean':
      return [value ? '1' : '0'];
    case 'int':
      return [String(value)];
    case 'string':
    case 'timestamp':
      return [value as string];
  }
}

/** XEP-0082: the legacy form rooms report (`20261202T06:58:38`, UTC) or a DateTime with its zone. */
const XMPP_STAMP = /^(\d{4})(-?)(\d{2})\2(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An XMPP timestamp as ISO-8601 UTC with milliseconds, like every time the API gives (`sentAt`).
 * Undefined for anything else, an impossible date or time (month 13, February 30, 24:00) included.
 */
export function isoTimestamp(value: string): string | undefined {
  const match = XMPP_STAMP.exec(value.trim());
  if (!match) return undefined;
  const [year, , month, day, hour, minute, second] = match.slice(1, 8).map(Number);
  const millis = Math.floor(Number(`0${match[8] ?? ''}`) * 1000);
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  const exact =
    local.getUTCFullYear() === year && local.getUTCMonth() === month - 1 && local.getUTCDate() === day &&
    local.getUTCHours() === hour && local.getUTCMinutes() === minute && local.getUTCSeconds() === second;
  if (!exact) return undefined;
  const zone = match[9] ?? 'Z';
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}

// ---- IMGetChatConfiguration (§12.8) --------------------------------------------------------------

export type ConfigurationTarget = { thread: string } | { address: string };

/** By thread (any chat) or by room address; `owner` asks for the owner form (`requestOwnerConfig`). */
export function getChatConfigurationRequest(target: ConfigurationTarget, owner = false): RequestBody {
  return {
    IMGetChatConfigurationRequest: {
      '@_xmlns': NS.im,
      ...('thread' in target ? { '@_thread': target.thread } : { '@_addr': target.address }),
      ...(owner ? { '@_requestOwnerConfig': '1' } : {}),
    },
  };
}

export interface ChatConfiguration {
  /** Null when the room was asked for by address and no chat of this user is bound to the request. */
  thread: string | null;
  conference: boolean;
  /** Present for conference chats: the room's address and whether this is the owner form. */
  room?: { address: string; owner: boolean };
  settings: RoomSettings;
}

/**
 * IMGetChatConfigurationResponse (§12.8). `error="…"` (not_found, not_a_conference_room,
 * no_response_from_remote, not_allowed) becomes an UpstreamError with that code. The room data is
 * in a `<room threadId addr [owner]>` wrapper; a response for a thread without one is a 1:1 chat.
 * Vars are matched on the server spellings; unknown vars and values that do not fit their type are
 * left out; a repeated var keeps its first occurrence.
 */
export function readChatConfigurationResponse(body: XmlNode, target: ConfigurationTarget): ChatConfiguration {
  const error = nonEmpty(attr(body, 'error')?.trim());
  if (error !== undefined) throw UpstreamError.result(error, configurationErrorDetail(error));
  const room = child(body, 'room');
  const thread = nonEmpty(attr(body, 'thread')) ?? nonEmpty(room && attr(room, 'threadId')) ?? ('thread' in target ? target.thread : null);
  if (!room) {
    if ('thread' in target) return { thread, conference: false, settings: {} };
    throw UpstreamError.badResponse('IMGetChatConfigurationResponse for a room address lacks the room');
  }
  const address = nonEmpty(attr(room, 'addr')?.trim()) ?? ('address' in target ? target.address : undefined);
  if (address === undefined) throw UpstreamError.badResponse('IMGetChatConfigurationResponse names no room address');
  const owner = ['1', 'true'].includes(attr(room, 'owner')?.trim().toLowerCase() ?? '');
  return { thread, conference: true, room: { address, owner }, settings: readSettings(children(room, 'var')) };
}

function readSettings(vars: XmlNode[]): RoomSettings {
  const settings: Record<string, unknown> = {};
  for (const v of vars) {
    const spec = BY_WIRE.get(attr(v, 'name')?.trim().toLowerCase() ?? '');
    if (!spec || spec.key in settings) continue;
    // A list var may come without multi="1" (one text value); a single var with one (first value wins).
    const values = children(v, 'value').length > 0 ? children(v, 'value').map((x) => text(x)) : [text(v)];
    const value = settingFromWire(spec, values);
    if (value !== undefined) settings[spec.key] = value;
  }
  return settings as RoomSettings;
}

const CONFIGURATION_ERRORS: Readonly<Record<string, string>> = {
  not_found: 'No such chat or room.',
  not_a_conference_room: 'The address is not a conference room.',
  no_response_from_remote: 'The room did not answer in time.',
  not_allowed: 'The room does not allow this user to read its configuration.',
};

function configurationErrorDetail(error: string): string {
  return CONFIGURATION_ERRORS[error] ?? `The IM server could not read the configuration: ${error}`;
}

// ---- IMModifyChat op=configure (§12.7) -----------------------------------------------------------

/** An empty text or list: the upstream skips such a var, so it cannot clear a setting (§12.7). */
function isEmptySetting(value: unknown): boolean {
  return value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * `<var name>value</var>` per setting given, `<var name multi="1"><value>…</value></var>` for lists,
 * in table order. Read-only settings, names outside the table and empty values are never sent: a
 * configuration read sent back as it is holds the first and the last, and the upstream would skip
 * an empty value anyway.
 */
export function configureChatRequest(thread: string, settings: WritableRoomSettings): RequestBody {
  const vars: XmlNode[] = [];
  const given = settings as Record<string, unknown>;
  for (const spec of ROOM_SETTINGS as readonly RoomSettingSpec[]) {
    if (spec.readOnly || given[spec.key] === undefined || isEmptySetting(given[spec.key])) continue;
    const values = settingToWire(spec, given[spec.key]);
    vars.push(spec.type === 'string[]' ? { '@_name': spec.wire, '@_multi': '1', value: values } : { '@_name': spec.wire, '#text': values[0] });
  }
  return {
    IMModifyChatRequest: {
      '@_xmlns': NS.im,
      '@_thread': thread,
      '@_op': 'configure',
      ...(vars.length > 0 ? { var: vars } : {}),
    },
  };
}

/** IMModifyChatResponse: `error="not_found"` for an unknown thread (not a fault); otherwise `thread` only. */
export function readModifyChatResponse(body: XmlNode): void {
  const error = nonEmpty(attr(body, 'error')?.trim());
  if (error !== undefined) throw UpstreamError.result(error, error === 'not_found' ? 'No such chat.' : `The IM server refused the change: ${error}`);
}
